"""Taps at once: 100 people together, and one person tapping 20 times in a second."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.pulses.lifecycle import PulsePlan, Recipient, open_pulse
from bot.pulses.outbox import mark_sent
from bot.pulses.respondents import anonymity_key, respondent_token
from bot.storage.models import PulseAnswer
from tests.support.botproc import BOT_TOKEN
from tests.support.slack import SlackWorkspace

KEY = anonymity_key(Settings(anonymity_key="test-anonymity-key-0123456789abcdef0123456789"))
PEOPLE = [f"U0TAP{n:03d}" for n in range(100)]


def open_for_everyone(engine: Engine, team_id: str) -> int:
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        pulse = open_pulse(
            session,
            PulsePlan(
                team_id,
                [Recipient(p, "en") for p in PEOPLE],
                ["energy", "quality"],
                now,
                now + timedelta(days=3),
            ),
        )
        for person in PEOPLE:
            mark_sent(session, pulse.id, person, f"D{person}", "1700000000.000100")
        return pulse.id


def wait_rows(engine: Engine, pulse_id: int, expected: int, timeout: float = 60) -> int:
    deadline, rows = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            rows = (
                connection.scalar(
                    select(func.count())
                    .select_from(PulseAnswer)
                    .where(PulseAnswer.pulse_id == pulse_id)
                )
                or 0
            )
        if rows >= expected:
            break
        time.sleep(0.2)
    time.sleep(1.0)  # late duplicates would show now
    return rows


def test_a_hundred_people_tapping_at_once(slack: SlackWorkspace, e2e_engine: Engine) -> None:
    pulse_id = open_for_everyone(e2e_engine, slack.team_id)
    barrier = threading.Barrier(50)
    statuses: list[int] = []

    def tap(person: str, item: str, value: int) -> None:
        barrier.wait()
        result = slack.click(
            f"pulse_answer:{item}:{value}",
            f"{pulse_id}:{item}:{value}",
            person,
            f"D{person}",
            "1700000000.000100",
        )
        statuses.append(result.status)

    threads = [
        threading.Thread(target=tap, args=(person, item, 1 + n % 5))
        for n, person in enumerate(PEOPLE)
        for item in ("energy", "quality")
    ]
    for start in range(0, len(threads), 50):
        batch = threads[start : start + 50]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join()
    assert statuses == [200] * 200
    assert wait_rows(e2e_engine, pulse_id, 200) == 200, "one row per person and statement"
    with e2e_engine.connect() as connection:
        values = dict(
            connection.execute(
                select(PulseAnswer.respondent, PulseAnswer.value).where(
                    PulseAnswer.pulse_id == pulse_id, PulseAnswer.item == "energy"
                )
            ).all()
        )
    for n, person in enumerate(PEOPLE):
        assert values[respondent_token(KEY, slack.team_id, pulse_id, person)] == 1 + n % 5


def test_one_person_tapping_twenty_times_in_a_second(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    pulse_id = open_for_everyone(e2e_engine, slack.team_id)
    person, values = PEOPLE[7], [1 + n % 5 for n in range(20)]
    values[-1] = 4
    slack.fake.add_user(slack.team_id, person, person.lower())
    dm = WebClient(token=BOT_TOKEN, base_url=slack.fake.api_url + "/")
    posted = dm.chat_postMessage(channel=person, text="Delivery pulse")
    channel, ts = str(posted["channel"]), str(posted["ts"])
    threads = []
    for value in values:
        thread = threading.Thread(
            target=slack.click,
            args=(
                f"pulse_answer:energy:{value}",
                f"{pulse_id}:energy:{value}",
                person,
                channel,
                ts,
            ),
        )
        thread.start()
        threads.append(thread)
        time.sleep(0.05)  # twenty taps within a second, each with a later action_ts
    for thread in threads:
        thread.join()
    assert wait_rows(e2e_engine, pulse_id, 1) == 1
    with e2e_engine.connect() as connection:
        final = connection.scalar(select(PulseAnswer.value).where(PulseAnswer.pulse_id == pulse_id))
    assert final == 4, "the last tap wins"
    slack.fake.wait_quiet(quiet=1.0)
    shown = next(m for m in slack.fake.messages(channel) if m["ts"] == ts)
    marked = [
        element["text"]["text"]
        for block in shown["blocks"]
        if str(block.get("block_id", "")).endswith("-energy")
        for element in block["elements"]
        if element["text"]["text"].startswith("✓")
    ]
    assert marked == ["✓ Agree"], "the message shows the last tap, not one it overtook"
