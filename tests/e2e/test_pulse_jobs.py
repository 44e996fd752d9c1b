"""The scheduler's pulse work against the fake Slack: slots once, catch-up, resume, remind."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bot.blocks.pulse import PulseView, render_pulse_dm
from bot.bootstrap import Deps
from bot.pulses.answers import record_answer
from bot.pulses.lifecycle import PulsePlan, Recipient, open_pulse
from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.services.pulse_jobs import PulseJobs
from bot.services.pulse_sending import PulseSender
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseRecipient, ScheduleRun
from tests.fakeslack import FakeSlack
from tests.support.inprocess import PEOPLE, TEAM, Clock, make_deps

CREATED = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Paris


def schedule(deps: Deps) -> None:
    spec = ScheduleSpec(
        "weekly", 0, "09:00", "Europe/Paris", 3, {"channels": ["C0JOBS"]}, ["energy"], None
    )
    with unit_of_work(deps.sessions) as session:
        save_schedule(session, TEAM, spec, "U0ADMIN", CREATED)


def pulse_messages(fake: FakeSlack) -> list[str]:
    return [
        c.params["channel"]
        for c in fake.calls_to("chat.postMessage")
        # This workspace only: the shared fake also serves the session bot's workspace.
        if c.team_id == TEAM and c.status == 200 and "pulse-" in str(c.params.get("blocks"))
    ]


def test_two_schedulers_run_a_slot_exactly_once(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(datetime(2026, 11, 9, 8, 5, tzinfo=UTC))  # Monday 09:05 Paris
    first, second = make_deps(database, jobs_fake, clock), make_deps(database, jobs_fake, clock)
    schedule(first)
    barrier = threading.Barrier(2)

    def run(deps: Deps) -> None:
        barrier.wait()
        PulseJobs(deps, PulseSender(deps)).run_schedules()

    threads = [threading.Thread(target=run, args=(d,)) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with unit_of_work(first.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Pulse)) == 1
        assert session.scalar(select(func.count()).select_from(ScheduleRun)) == 1
    assert sorted(pulse_messages(jobs_fake)) == PEOPLE, "each person messaged once"


def test_three_weeks_down_runs_one_catch_up(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))  # 3 Mondays missed since creation
    deps = make_deps(database, jobs_fake, clock)
    schedule(deps)
    jobs = PulseJobs(deps, PulseSender(deps))
    jobs.tick()
    jobs.tick()
    with unit_of_work(deps.sessions) as session:
        runs = session.scalars(select(ScheduleRun.slot_at)).all()
        pulses = session.scalar(select(func.count()).select_from(Pulse))
    assert pulses == 1
    assert [slot.astimezone(UTC) for slot in runs] == [datetime(2026, 11, 23, 8, 0, tzinfo=UTC)]
    clock.moment = datetime(2026, 11, 30, 8, 1, tzinfo=UTC)  # the next Monday
    jobs.tick()
    with unit_of_work(deps.sessions) as session:
        statuses = session.scalars(select(Pulse.status).order_by(Pulse.id)).all()
    assert statuses == ["closed", "open"], "the new slot closes the old pulse and opens one"


def test_a_send_cut_short_resumes_without_doubles(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    deps = make_deps(database, jobs_fake, clock)
    with unit_of_work(deps.sessions) as session:
        pulse = open_pulse(
            session,
            PulsePlan(
                TEAM,
                [Recipient(u, "en") for u in PEOPLE],
                ["energy"],
                clock.moment,
                clock.moment + timedelta(days=3),
            ),
        )
        pulse_id = pulse.id
        # The "crashed" process had claimed the first two people; one DM made it to Slack.
        session.execute(
            update(PulseRecipient)
            .where(PulseRecipient.user_id.in_(PEOPLE[:2]))
            .values(status="sending", claimed_at=clock.moment - timedelta(minutes=10))
        )
    view = PulseView(pulse_id, ["energy"], "en", "soon", "soon", 5, {})
    message = render_pulse_dm(view, deps.pulse, deps.catalog)
    jobs_fake.add_message(jobs_fake.dm_channel_id(PEOPLE[0]), message.text, blocks=message.blocks)
    PulseJobs(deps, PulseSender(deps)).resume_sending()
    assert sorted(pulse_messages(jobs_fake)) == PEOPLE[1:], "nobody messaged twice"
    with unit_of_work(deps.sessions) as session:
        statuses = session.scalars(select(PulseRecipient.status)).all()
    assert set(statuses) == {"sent"}


def test_reminders_skip_the_weekend_and_answerers(database: str, jobs_fake: FakeSlack) -> None:
    thursday = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    clock = Clock(thursday)
    deps = make_deps(database, jobs_fake, clock)
    sender = PulseSender(deps)
    plan = PulsePlan(
        TEAM,
        [Recipient(u, "fr") for u in PEOPLE],
        ["energy"],
        thursday,
        thursday + timedelta(days=4),
        timezone="Europe/Paris",
        started_by="U0JOB1",
    )
    pulse_id = sender.open(plan)
    sender.deliver(deps.clients.for_team(TEAM), pulse_id)
    with unit_of_work(deps.sessions) as session:
        record_answer(session, deps.answer_key, TEAM, pulse_id, PEOPLE[0], "energy", 4)
    jobs = PulseJobs(deps, sender)
    jobs_fake.reset_calls()
    clock.moment = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Saturday, past halfway
    jobs.tick()
    assert jobs_fake.calls_to("chat.postMessage") == [], "never at the weekend"
    clock.moment = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday
    jobs.tick()
    jobs.tick()
    reminded = sorted(c.params["channel"] for c in jobs_fake.calls_to("chat.postMessage"))
    assert reminded == sorted(jobs_fake.dm_channel_id(u) for u in PEOPLE[1:])
    assert "Petit rappel" in jobs_fake.calls_to("chat.postMessage")[0].params["text"]
    clock.moment = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the close
    jobs.tick()
    notice = [c for c in jobs_fake.calls_to("chat.postMessage") if c.params["channel"] == "U0JOB1"]
    assert "1/5" in notice[0].params["text"]
    with unit_of_work(deps.sessions) as session:
        assert session.scalar(select(Pulse.status)) == "closed"
