"""Slack posts the message, then the bot never learns it: each scheduled message arrives once.

The fake runs chat.postMessage (the message is in the conversation), then answers 500 or
503, holds the answer past the client's timeout, or resets the connection. The bot cannot
tell whether the post went through: it must look for its marker in the conversation before
posting again. For pulse DMs, reminders, close notices, scheduled digests and handover
reminders, on every backend: every person (every channel, for the digest) has exactly one
of each, and the message was posted once (found by looking, not sent twice). Each case
prints a `FAULTS unknown` line (run with -s) for docs/reliability.md.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bootstrap import Deps
from bot.core.i18n import default_catalog
from bot.ownership.assignments import set_role_holder
from bot.pulses.lifecycle import PulsePlan, Recipient
from bot.services.digests import Digests
from bot.services.handover import Handovers
from bot.services.pulse_jobs import PulseJobs
from bot.services.pulse_sending import PulseSender
from bot.slack.sends import Resend
from bot.storage.db import unit_of_work
from bot.storage.models import PulseRecipient, ScheduleRun
from bot.team.digest_schedule import set_leadership_channel
from tests.fakeslack import FakeSlack
from tests.support.history import seed_pulse
from tests.support.inprocess import PEOPLE, TEAM, Clock, database, jobs_fake, make_deps  # noqa: F401

FAULTS = ["500", "503", "timeout", "reset"]
BOSS = "U0JOBBOSS"
LEADS = "C0LEADJ"
CATALOG = default_catalog()
CLIENT_TIMEOUT = 1.0
HANG = 1.6  # the fake holds its answer longer than the client waits
FIGURES: list[dict[str, Any]] = []


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    for row in FIGURES:
        print("\nFAULTS unknown", json.dumps(row), end="")
    print()


@pytest.fixture
def jobs(
    database: str,  # noqa: F811 - the fixtures imported above
    jobs_fake: FakeSlack,  # noqa: F811
) -> Iterator[tuple[Deps, Clock, FakeSlack]]:
    """A scheduler's Deps on the jobs workspace; the clock starts at the real time so that
    Slack's timestamps and the bot's "now" agree."""
    jobs_fake.add_user(TEAM, BOSS, "boss", is_admin=True)
    jobs_fake.add_channel(TEAM, LEADS, "leadership", ["UBOTJ", BOSS])
    clock = Clock(datetime.now(UTC))
    deps = make_deps(database, jobs_fake, clock)
    deps.clients.base.timeout = CLIENT_TIMEOUT  # this test's own client; production keeps 10 s
    deps.clients.resend = Resend(pause=0.3)
    yield deps, clock, jobs_fake
    deps.engine.dispose()


def after_post(fake: FakeSlack, fault: str, times: int = 1) -> None:
    """`times` posts go through, and their answers are lost in the way `fault` says."""
    if fault == "timeout":
        fake.hang_next("chat.postMessage", HANG, times=times)
    elif fault == "reset":
        fake.reset_next("chat.postMessage", times=times, after_post=True)
    else:
        fake.server_error_next("chat.postMessage", status=int(fault), times=times, after_post=True)


def posts(fake: FakeSlack) -> Counter[str]:
    """chat.postMessage calls by what the bot heard: "ok", an HTTP status, or "lost"."""
    heard: Counter[str] = Counter()
    for call in fake.calls_to("chat.postMessage"):
        heard["ok" if call.status == 200 else str(call.status or "reset")] += 1
    return heard


def figure(kind: str, fault: str, backend: str, fake: FakeSlack, **seen: Any) -> None:
    looks = len(fake.calls_to("conversations.history"))
    FIGURES.append(
        {"kind": kind, "fault": fault, "backend": backend, "posts": dict(posts(fake))}
        | {"looks": looks, **seen}
    )


def open_and_deliver(deps: Deps, clock: Clock) -> tuple[PulseSender, int]:
    sender = PulseSender(deps)
    plan = PulsePlan(
        TEAM,
        [Recipient(user, "en") for user in PEOPLE],
        ["energy"],
        clock.now(),
        clock.now() + timedelta(days=4),
        timezone="Europe/Paris",
        started_by=BOSS,
    )
    pulse_id = sender.open(plan)
    sender.deliver(deps.clients.for_team(TEAM), pulse_id)
    return sender, pulse_id


def per_person(fake: FakeSlack, starts: str | None = None) -> dict[str, int]:
    """Messages in each person's DM: pulse DMs (with blocks), or those whose text starts so."""
    counts = {}
    for user in [*PEOPLE, BOSS]:
        found = [
            m
            for m in fake.messages(fake.dm_channel_id(user))
            if (m["text"].startswith(starts) if starts else bool(m.get("blocks")))
        ]
        if found:
            counts[user] = len(found)
    return counts


def settle() -> None:
    """A held answer is let go before the next test looks (the fake answers after HANG)."""
    time.sleep(max(0.0, HANG - CLIENT_TIMEOUT) + 0.2)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_pulse_dm_is_not_sent_twice(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    deps, clock, fake = jobs
    after_post(fake, fault, times=2)  # two of the five people
    sender, pulse_id = open_and_deliver(deps, clock)
    PulseJobs(deps, sender).resume_sending()  # the next minute's pass sends nothing more
    settle()
    assert per_person(fake) == dict.fromkeys(PEOPLE, 1), "one pulse DM each"
    assert posts(fake).total() == len(PEOPLE), "found by looking, never posted again"
    assert len(fake.calls_to("conversations.history")) == 2, "one look per unknown outcome"
    with unit_of_work(deps.sessions) as session:
        statuses = session.scalars(
            select(PulseRecipient.status).where(PulseRecipient.pulse_id == pulse_id)
        ).all()
    assert set(statuses) == {"sent"}, "recorded as sent: answering it works"
    figure("pulse DM", fault, backend, fake, people=len(PEOPLE), each=1)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_reminder_is_not_sent_twice(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    deps, clock, fake = jobs
    clock.moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday
    sender, _ = open_and_deliver(deps, clock)
    fake.reset_calls()
    clock.moment = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday, past halfway
    after_post(fake, fault, times=2)
    jobs_ = PulseJobs(deps, sender)
    jobs_.remind()
    jobs_.remind()  # claimed already: nobody is reminded twice
    settle()
    reminder = CATALOG.t("pulse.dm.reminder", "en", closes="")[:20]
    assert per_person(fake, reminder) == dict.fromkeys(PEOPLE, 1), "one reminder each"
    assert posts(fake).total() == len(PEOPLE)
    figure("reminder", fault, backend, fake, people=len(PEOPLE), each=1)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_close_notice_is_not_sent_twice(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    deps, clock, fake = jobs
    sender, pulse_id = open_and_deliver(deps, clock)
    fake.reset_calls()
    after_post(fake, fault)
    announced: list[str] = []
    assert PulseJobs(deps, sender, after_close=announced.append).close(TEAM, pulse_id)
    settle()
    notice = CATALOG.t("pulse.cmd.closed", "en", answered=0, asked=5)[:12]
    assert per_person(fake, notice) == {BOSS: 1}, "the person who started it, once"
    assert posts(fake).total() == 1
    assert announced == [TEAM], "leadership still hears of signal changes"
    figure("close notice", fault, backend, fake, people=1, each=1)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_scheduled_digest_is_not_posted_twice(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    deps, clock, fake = jobs
    now = datetime.now(UTC)
    with Session(deps.engine) as session, session.begin():
        for days in (20, 10):
            answers = {"energy": [4, 3, 4, 5, 2], "quality": [3, 3, 4, 4, 5]}
            seed_pulse(session, TEAM, now - timedelta(days=days), answers, PEOPLE)
    with unit_of_work(deps.sessions) as session:
        set_leadership_channel(session, TEAM, LEADS, "Europe/Paris", now - timedelta(days=8))
    after_post(fake, fault)
    digests = Digests(deps)
    digests.run_schedules()
    digests.run_schedules()
    clock.moment += timedelta(seconds=deps.settings.stale_claim_seconds + 60)
    digests.resume_unfinished()
    settle()
    posted = [m for m in fake.messages(LEADS) if "Delivery" in json.dumps(m.get("blocks"))]
    assert len(posted) == 1, "one digest in the leadership channel"
    assert posts(fake).total() == 1
    with unit_of_work(deps.sessions) as session:
        runs = session.scalars(select(ScheduleRun.completed_at)).all()
    assert [done is not None for done in runs] == [True], "the slot is done"
    figure("scheduled digest", fault, backend, fake, channels=1, each=1)


def test_a_look_that_fails_is_tried_again_not_taken_for_absent(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str
) -> None:
    """Slack posted, answered 500, then the look at the DM timed out too: the bot looks
    again after the next pause (and finds it) rather than posting blind."""
    deps, clock, fake = jobs
    after_post(fake, "500")
    fake.hang_next("conversations.history", HANG)
    open_and_deliver(deps, clock)
    settle()
    assert per_person(fake) == dict.fromkeys(PEOPLE, 1)
    assert posts(fake).total() == len(PEOPLE)
    assert len(fake.calls_to("conversations.history")) == 2, "looked twice, posted once"
    figure("pulse DM", "500, then the look timed out", backend, fake, people=5, each=1)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_handover_reminder_is_not_sent_twice(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    """Three handover steps fall due together: the CTO and the VP Engineering are told of
    each once, though Slack's answer to the first post was lost."""
    deps, clock, fake = jobs
    cto, vpe = PEOPLE[0], PEOPLE[1]
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    clock.moment = start
    with unit_of_work(deps.sessions) as session:
        set_role_holder(session, TEAM, "cto", cto, cto, start)
        set_role_holder(session, TEAM, "vp_engineering", vpe, cto, start)
    handovers = Handovers(deps, Digests(deps))
    steps, _ = handovers.plan(TEAM)
    clock.moment = datetime.combine(steps[0].due_on, dt_time(), UTC)
    after_post(fake, fault)
    handovers.tick()
    clock.moment += timedelta(seconds=deps.settings.stale_claim_seconds + 60)
    handovers.tick()
    settle()
    told = Counter(
        str(call.params["channel"])
        for call in fake.calls_to("chat.postMessage")
        if "Handover step due" in str(call.params.get("text"))
    )
    assert told == {cto: 3, vpe: 3}, "each step told to each person once"
    figure("handover reminder", fault, backend, fake, people=2, each=3)
