"""Scheduled work as jobs on the job engine: a clock process submits, worker processes send.

PostgreSQL only (workers share their claims and budgets there), on each engine: procrastinate
(jobs in PostgreSQL), and Dramatiq on the Redis server that TEST_REDIS_URL names (a
database of its own, emptied for each test). The embedded in-process executor is covered by
every other scheduled-job test (test_pulse_jobs, test_digest_jobs…).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select, text

from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.slack.installations import installation_store
from bot.storage.db import make_engine, make_session_factory, unit_of_work
from bot.storage.models import Pulse, ScheduleRun
from bot.team.workspace import mark_installed
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, run_cli

TEAMS = ["T0ENG1", "T0ENG2"]
CROWD = 30  # people per workspace
ENGINES = ["procrastinate"] + (["dramatiq"] if os.environ.get("TEST_REDIS_URL") else [])


def people_of(team: str) -> list[str]:
    return [f"U{team[-1]}P{n:03d}" for n in range(CROWD)]


def wait_until(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(params=ENGINES)
def job_engine(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment that picks an engine; Dramatiq's Redis database starts empty."""
    if request.param == "procrastinate":
        return {"JOB_ENGINE": "procrastinate"}
    url = os.environ["TEST_REDIS_URL"]
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return {"JOB_ENGINE": "dramatiq", "JOB_BROKER_URL": url}


@pytest.fixture
def engine_env(
    database: str, job_engine: dict[str, str], fake_slack: FakeSlack, tmp_path: Path
) -> dict[str, str]:
    if database.startswith("sqlite"):
        pytest.skip("workers share their claims and rate budgets through PostgreSQL")
    for number, team in enumerate(TEAMS):
        token = f"xoxb-engine-{number}"
        fake_slack.add_team(team, f"Eng{number}", f"eng{number}", token, f"UB{number}", "B", "A")
        for user in people_of(team):
            fake_slack.add_user(team, user, user.lower())
        fake_slack.add_channel(team, f"C0ENG{number}", "all", [*people_of(team), f"UB{number}"])
    fake_slack.reset_calls()
    fake_slack.clear_faults()
    env = bot_environment(
        fake_slack.api_url,
        database,
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="client-secret-for-tests",
        TOKEN_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        **job_engine,
        # Longer than a claim waits at the gate (16 senders at 3/s), shorter than the test.
        STALE_CLAIM_SECONDS="15",
    )
    del env["SLACK_BOT_TOKEN"]  # installed through OAuth, one token per workspace
    migrated = run_cli(["migrate"], env, tmp_path, timeout=60)
    assert migrated.returncode == 0, migrated.stderr
    if job_engine["JOB_ENGINE"] == "procrastinate":
        assert "job engine tables created" in migrated.stdout
    return env


def schedule_everyone(database: str) -> None:
    engine = make_engine(database)
    now = datetime.now(UTC)
    with unit_of_work(make_session_factory(engine)) as session:
        for number, team in enumerate(TEAMS):
            spec = ScheduleSpec(
                "weekly",
                now.weekday(),
                f"{(now - timedelta(hours=1)).hour:02d}:00",
                "UTC",
                3,
                {"channels": [f"C0ENG{number}"]},
                ["energy"],
                None,
            )
            save_schedule(session, team, spec, "U0ADMIN", now - timedelta(days=8))
    engine.dispose()


def dms(fake: FakeSlack) -> Counter[str]:
    """Messages Slack accepted, by person (a call refused with a 429 is not one)."""
    calls = fake.calls_to("chat.postMessage")
    return Counter(str(c.params["channel"]) for c in calls if c.status == 200 and not c.error)


def everyone() -> list[str]:
    return [user for team in TEAMS for user in people_of(team)]


def test_the_clock_submits_and_a_worker_process_sends(
    database: str, engine_env: dict[str, str], fake_slack: FakeSlack, tmp_path: Path
) -> None:
    install_both(database, engine_env, fake_slack, tmp_path)
    schedule_everyone(database)
    clock = BotProcess(["scheduler"], engine_env, tmp_path).start()
    try:
        wait_until(lambda: "scheduler is the leader" in clock.output(), 30, "the clock")
        time.sleep(4)
        assert not dms(fake_slack), "the clock only submits: no worker yet, no DM"
        worker = BotProcess(["worker", "--concurrency", "2"], engine_env, tmp_path).start()
        try:
            try:
                wait_until(lambda: sum(dms(fake_slack).values()) >= 2 * CROWD, 60, "the DMs")
            except AssertionError:
                raise AssertionError(clock.output()[-4000:] + worker.output()[-4000:]) from None
            time.sleep(1)
        finally:
            worker.stop()
    finally:
        clock.stop()
    assert "worker taking jobs" in worker.output()
    assert "worker stopped" in worker.output(), "SIGTERM: the worker finishes and stops"
    sent = dms(fake_slack)
    assert sorted(sent) == sorted(everyone())
    assert set(sent.values()) == {1}, "each person once"
    engine = make_engine(database)
    with unit_of_work(make_session_factory(engine)) as session:
        assert session.scalar(select(func.count()).select_from(ScheduleRun)) == len(TEAMS)
        assert session.scalar(select(func.count()).select_from(Pulse)) == len(TEAMS)
        if engine_env["JOB_ENGINE"] == "procrastinate":
            # docs/privacy.md: a reader of the job engine learns nothing about a person.
            stored = session.execute(text("SELECT args::text FROM procrastinate_jobs")).scalars()
            jobs = list(stored)
            assert len(jobs) >= 2 * CROWD // 10, "the fan-out went as jobs"
            assert not [job for job in jobs for user in everyone() if user in job]
    engine.dispose()


def test_a_worker_killed_mid_fan_out_loses_nothing_and_doubles_nothing(
    database: str, engine_env: dict[str, str], fake_slack: FakeSlack, tmp_path: Path
) -> None:
    install_both(database, engine_env, fake_slack, tmp_path)
    # Slow enough that the kill lands in the middle of both workspaces' fan-outs.
    fake_slack.set_rate_limit("chat.postMessage", per_second=3, burst=3)
    schedule_everyone(database)
    first = BotProcess(["worker", "--concurrency", "2"], engine_env, tmp_path).start()
    clock = BotProcess(["scheduler"], engine_env, tmp_path).start()
    try:
        wait_until(lambda: sum(dms(fake_slack).values()) >= 10, 60, "the first DMs")
        assert first.process is not None
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        at_kill = sum(dms(fake_slack).values())
        assert at_kill < 2 * CROWD, "killed mid fan-out"
        second = BotProcess(["worker", "--concurrency", "2"], engine_env, tmp_path).start()
        try:
            try:
                wait_until(lambda: sum(dms(fake_slack).values()) >= 2 * CROWD, 120, "the rest")
            except AssertionError:
                raise AssertionError(clock.output()[-3000:] + second.output()[-5000:]) from None
            time.sleep(3)
        finally:
            second.stop()
    finally:
        clock.stop()
    # Its job went back to the queue, or ended because the same job already waited there.
    assert "of a dead worker" in second.output() + clock.output()
    sent = dms(fake_slack)
    assert sorted(sent) == sorted(everyone()), "nothing lost"
    assert set(sent.values()) == {1}, "nothing doubled"


def install_both(database: str, env: dict[str, str], fake: FakeSlack, tmp_path: Path) -> None:
    """OAuth installs for both workspaces, stored encrypted as the install flow would."""
    engine = make_engine(database)
    sessions = make_session_factory(engine)
    keys = (env["TOKEN_ENCRYPTION_KEYS"],)
    store = installation_store("1.2", engine, keys, lambda team: mark_installed(sessions, team))
    for number, team in enumerate(TEAMS):
        store.save(
            Installation(
                app_id="A",
                team_id=team,
                bot_token=f"xoxb-engine-{number}",
                bot_id="B",
                bot_user_id=f"UB{number}",
                user_id="U0ADMIN",
            )
        )
    engine.dispose()


def test_a_worker_without_an_engine_says_the_scheduler_runs_the_jobs(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = bot_environment(fake_slack.api_url, f"sqlite:///{tmp_path / 'bot.db'}")
    refused = run_cli(["worker"], env, tmp_path, timeout=60)
    assert refused.returncode == 2
    assert "no job engine configured" in refused.stderr
    assert "JOB_ENGINE=procrastinate" in refused.stderr


def test_a_worker_whose_broker_cannot_be_reached_says_what_to_check(
    database: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    if database.startswith("sqlite"):
        pytest.skip("workers share their claims and rate budgets through PostgreSQL")
    env = bot_environment(
        fake_slack.api_url, database, JOB_ENGINE="dramatiq", JOB_BROKER_URL="redis://127.0.0.1:9/0"
    )
    assert run_cli(["migrate"], env, tmp_path, timeout=60).returncode == 0
    refused = run_cli(["worker"], env, tmp_path, timeout=60)
    assert refused.returncode == 2
    assert "JOB_BROKER_URL: cannot reach the job broker" in refused.stderr
    assert "Traceback" not in refused.stderr
