"""Crashes: SIGKILL in the middle of a 500-person send, a digest, a close; then restart."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.pulses.lifecycle import PulsePlan, Recipient, open_pulse
from bot.storage.db import make_engine, make_session_factory, migrate, unit_of_work
from bot.storage.models import Pulse, ScheduleRun
from bot.team.digest_schedule import set_leadership_channel
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, free_port
from tests.support.databases import fresh_database
from tests.support.slack import SlackWorkspace

TEAM = "T0CRASH"
TOKEN = "xoxb-crash-token"
PEOPLE = [f"U0C{n:04d}" for n in range(500)]
STALE = "5"  # seconds before a claim left by a dead process is taken over


@pytest.fixture
def crash_slack() -> Iterator[FakeSlack]:
    """A fake Slack of its own: 500 people in one channel, an admin, a leadership channel."""
    with FakeSlack() as fake:
        fake.add_team(TEAM, "Crash", "crash", TOKEN, "UBOTC", "B0C", "A0C")
        for person in PEOPLE:
            fake.add_user(TEAM, person, person.lower())
        fake.add_user(TEAM, "U0CADMIN", "admin", is_admin=True)
        fake.add_channel(TEAM, "C0CRASH", "everyone", [*PEOPLE, "UBOTC"])
        fake.add_channel(TEAM, "C0CLEAD", "leadership", ["U0CADMIN", "UBOTC"])
        yield fake


@pytest.fixture
def crash_database(backend: str, tmp_path: Path) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        migrate(url)
        yield url


def kill(bot: BotProcess) -> None:
    """SIGKILL the whole process group (gunicorn's master and its workers): no clean-up."""
    assert bot.process is not None
    os.killpg(bot.process.pid, signal.SIGKILL)
    bot.process.wait(10)


def start(args: list[str], env: dict[str, str], workdir: Path) -> BotProcess:
    bot = BotProcess(args, env, workdir)
    bot.start_new_session = True
    return bot.start()


def wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out: {what}"
        time.sleep(0.1)


def pulse_dms(fake: FakeSlack) -> Counter[str]:
    return Counter(
        call.params["channel"]
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200 and call.error is None and "pulse-" in str(call.params.get("blocks"))
    )


def test_killed_mid_send_everyone_gets_exactly_one_dm(
    crash_slack: FakeSlack, crash_database: str, tmp_path: Path
) -> None:
    crash_slack.set_rate_limit("chat.postMessage", per_second=60, burst=10)
    env = bot_environment(
        crash_slack.api_url,
        crash_database,
        SLACK_BOT_TOKEN=TOKEN,
        STALE_CLAIM_SECONDS=STALE,
        WEB_CONCURRENCY="1",
    )
    port = free_port()
    web = start(["serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp_path)
    web.wait_healthy(f"http://127.0.0.1:{port}/healthz")
    slack = SlackWorkspace(crash_slack, TEAM, f"http://127.0.0.1:{port}", general="C0CRASH")
    slack.command("pulse now <#C0CRASH|everyone>", user_id="U0CADMIN")
    wait(lambda: sum(pulse_dms(crash_slack).values()) >= 120, 60, "the send to be well under way")
    kill(web)
    sent_before = sum(pulse_dms(crash_slack).values())
    assert sent_before < len(PEOPLE), "killed in the middle"
    clock = start(["scheduler"], env, tmp_path)
    try:
        wait(lambda: sum(pulse_dms(crash_slack).values()) >= len(PEOPLE), 120, "the rest")
        time.sleep(float(STALE) + 2)  # a duplicate would show by now
    finally:
        clock.stop()
    counts = pulse_dms(crash_slack)
    assert set(counts) == set(PEOPLE)
    assert max(counts.values()) == 1, "nobody messaged twice"
    print(f"crash mid-send: {sent_before}/{len(PEOPLE)} DMs before the kill, {len(counts)} after")


def test_killed_mid_digest_it_is_posted_once(
    crash_slack: FakeSlack, crash_database: str, tmp_path: Path
) -> None:
    engine = make_engine(crash_database)
    with unit_of_work(make_session_factory(engine)) as session:
        set_leadership_channel(
            session, TEAM, "C0CLEAD", "UTC", datetime.now(UTC) - timedelta(days=8)
        )
    engine.dispose()
    crash_slack.delay_next("chat.postMessage", 4)  # the digest is in flight when the kill comes
    env = bot_environment(
        crash_slack.api_url, crash_database, SLACK_BOT_TOKEN=TOKEN, STALE_CLAIM_SECONDS=STALE
    )
    clock = start(["scheduler"], env, tmp_path)
    wait(
        lambda: bool(crash_slack.calls_to("chat.postMessage")) or _claimed(crash_database),
        30,
        "the digest slot to be claimed",
    )
    time.sleep(1)
    kill(clock)
    again = start(["scheduler"], env, tmp_path)
    try:
        wait(lambda: len(_digests(crash_slack)) >= 1, 60, "the digest")
        time.sleep(float(STALE) + 4)
    finally:
        again.stop()
    assert len(_digests(crash_slack)) == 1, "posted once, not twice"
    print(f"crash mid-digest: {len(_digests(crash_slack))} digest in the channel")


def _claimed(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(ScheduleRun.id)).first() is not None
    finally:
        engine.dispose()


def _digests(fake: FakeSlack) -> list[dict[str, object]]:
    return [m for m in fake.messages("C0CLEAD") if "digest-" in str(m.get("blocks"))]


def test_killed_mid_close_the_pulse_closes_once(
    crash_slack: FakeSlack, crash_database: str, tmp_path: Path
) -> None:
    engine = make_engine(crash_database)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    with unit_of_work(sessions) as session:
        pulse_id = open_pulse(
            session,
            PulsePlan(
                TEAM,
                [Recipient(p, "en") for p in PEOPLE[:5]],
                ["energy"],
                now - timedelta(days=3, minutes=5),
                now - timedelta(minutes=5),
                started_by="U0CADMIN",
            ),
        ).id
    crash_slack.delay_next("chat.postMessage", 4)  # the close notice is in flight at the kill
    env = bot_environment(
        crash_slack.api_url, crash_database, SLACK_BOT_TOKEN=TOKEN, STALE_CLAIM_SECONDS=STALE
    )
    clock = start(["scheduler"], env, tmp_path)
    wait(lambda: _status(sessions, pulse_id) == "closed", 30, "the close")
    kill(clock)
    again = start(["scheduler"], env, tmp_path)
    try:
        time.sleep(6)
    finally:
        again.stop()
    assert _status(sessions, pulse_id) == "closed"
    notices = [
        c for c in crash_slack.calls_to("chat.postMessage") if c.params["channel"] == "U0CADMIN"
    ]
    assert len(notices) <= 1, "the close (and its notice) happened once"
    with unit_of_work(sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        assert pulse is not None
        assert pulse.respondents == 0, "tallied once, at the close"
    print(f"crash mid-close: status closed, {len(notices)} close notice")
    engine.dispose()


def _status(sessions: sessionmaker[Session], pulse_id: int) -> str:
    with unit_of_work(sessions) as session:
        return str(session.scalar(select(Pulse.status).where(Pulse.id == pulse_id)))
