"""Quiet days against the fake Slack: a holiday's pulse opens on the next working day, once;
no reminder on a holiday nor to someone away; participation counts the away."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.bootstrap import Deps
from bot.pulses.answers import record_answer
from bot.pulses.lifecycle import PulsePlan, Recipient
from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.services.digests import Digests
from bot.services.pulse_jobs import PulseJobs
from bot.services.pulse_sending import PulseSender
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, ScheduleRun
from bot.team.quiet_days import add_holiday
from tests.e2e.test_pulse_jobs import pulse_messages
from tests.fakeslack import FakeSlack
from tests.support.inprocess import PEOPLE, TEAM, Clock, make_deps
from tests.support.slack import SlackWorkspace

CREATED = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
MONDAY_SLOT = datetime(2026, 12, 28, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris


def weekly_monday(deps: Deps) -> None:
    spec = ScheduleSpec(
        "weekly", 0, "09:00", "Europe/Paris", 3, {"channels": ["C0JOBS"]}, ["energy"], None
    )
    with unit_of_work(deps.sessions) as session:
        save_schedule(session, TEAM, spec, "U0ADMIN", CREATED)
        add_holiday(session, TEAM, date(2026, 12, 28))


def pulses(deps: Deps) -> int:
    with unit_of_work(deps.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Pulse)) or 0)


def test_a_pulse_due_on_a_holiday_opens_on_the_next_working_day_once(
    database: str, jobs_fake: FakeSlack
) -> None:
    clock = Clock(MONDAY_SLOT + timedelta(minutes=5))
    first, second = make_deps(database, jobs_fake, clock), make_deps(database, jobs_fake, clock)
    weekly_monday(first)
    PulseJobs(first, PulseSender(first)).run_schedules()
    clock.moment = MONDAY_SLOT + timedelta(hours=15)  # still Monday in Paris
    PulseJobs(first, PulseSender(first)).run_schedules()
    assert pulses(first) == 0, "nothing opens on the holiday"
    assert pulse_messages(jobs_fake) == []

    clock.moment = MONDAY_SLOT + timedelta(days=1)  # Tuesday 09:00 in Paris
    barrier = threading.Barrier(2)

    def run(deps: Deps) -> None:
        barrier.wait()
        PulseJobs(deps, PulseSender(deps)).run_schedules()

    threads = [threading.Thread(target=run, args=(d,)) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clock.moment += timedelta(hours=2)
    PulseJobs(first, PulseSender(first)).run_schedules()
    assert pulses(first) == 1, "opened on Tuesday, once"
    assert sorted(pulse_messages(jobs_fake)) == PEOPLE, "each person asked once"
    with unit_of_work(first.sessions) as session:
        slots = session.scalars(select(ScheduleRun.slot_at)).all()
    assert [slot.astimezone(UTC) for slot in slots] == [MONDAY_SLOT]

    clock.moment = MONDAY_SLOT + timedelta(weeks=1, minutes=1)  # the next Monday is ordinary
    PulseJobs(first, PulseSender(first)).run_schedules()
    assert pulses(first) == 2


def test_no_reminder_on_a_holiday_nor_to_someone_away(database: str, jobs_fake: FakeSlack) -> None:
    jobs_fake.add_user(TEAM, PEOPLE[1], "away", status_emoji=":palm_tree:")
    monday = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    clock = Clock(monday)
    deps = make_deps(database, jobs_fake, clock)
    sender = PulseSender(deps)
    plan = PulsePlan(
        TEAM,
        [Recipient(u, "en") for u in PEOPLE],
        ["energy"],
        monday,
        monday + timedelta(days=3),
        timezone="Europe/Paris",
    )
    pulse_id = sender.open(plan)
    sender.deliver(deps.clients.for_team(TEAM), pulse_id)
    with unit_of_work(deps.sessions) as session:
        record_answer(session, deps.answer_key, TEAM, pulse_id, PEOPLE[0], "energy", 4)
        add_holiday(session, TEAM, date(2026, 12, 8))
    jobs = PulseJobs(deps, sender)
    jobs_fake.reset_calls()
    clock.moment = datetime(2026, 12, 8, 22, 0, tzinfo=UTC)  # Tuesday, past halfway: a holiday
    jobs.tick()
    assert jobs_fake.calls_to("chat.postMessage") == [], "never on a holiday"
    clock.moment = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # Wednesday
    jobs.tick()
    jobs.tick()
    reminded = sorted(c.params["channel"] for c in jobs_fake.calls_to("chat.postMessage"))
    assert reminded == sorted(jobs_fake.dm_channel_id(u) for u in PEOPLE[2:]), (
        "neither the one who answered nor the one on holiday"
    )
    assert jobs.close(TEAM, pulse_id, notify=False)
    with unit_of_work(deps.sessions) as session:
        assert session.scalar(select(Pulse.away)) == 1
    digest, _ = Digests(deps).digest_message(TEAM, "en")
    assert "1/5 answered (1 away)" in digest.text


def test_holiday_commands_and_participation_with_the_away(slack: SlackWorkspace) -> None:
    member = slack.command_reply("settings holidays add 2026-12-25", user_id="U0MEMBER")
    assert "Only the leadership team" in member.body["text"]
    added = slack.command_reply("settings holidays add 2026-12-25", user_id="U0ADMIN")
    assert "Dec 25, 2026 is now a quiet day" in added.body["text"]
    again = slack.command_reply("settings holidays add 2026-12-25", user_id="U0ADMIN")
    assert "was already a quiet day" in again.body["text"]
    bad = slack.command_reply("settings holidays add 25/12", user_id="U0ADMIN")
    assert "is not a date" in bad.body["text"]
    country = slack.command_reply("réglages fériés pays fr", user_id="U0ADMIN")
    assert "Public holidays (France) are now quiet days" in country.body["text"]
    listed = slack.command_reply("settings holidays", user_id="U0ADMIN")
    assert "Dec 25, 2026" in listed.body["text"]
    assert "Public holidays (France)" in listed.body["text"]
    nowhere = slack.command_reply("settings holidays country Atlantis", user_id="U0ADMIN")
    assert "is not a country" in nowhere.body["text"]
    settings = slack.command_reply("settings", user_id="U0MEMBER")
    assert "Quiet days*: 1 of your own, and public holidays (France)" in str(settings.body)
    removed = slack.command_reply("settings holidays remove 2026-12-25", user_id="U0ADMIN")
    assert "is a normal day again" in removed.body["text"]

    people = [f"U0QD{n}" for n in range(1, 10)]
    for n, person in enumerate(people):
        text = "Vacationing" if n == 0 else ""
        slack.fake.add_user(slack.team_id, person, person.lower(), status_text=text)
    mentions = " ".join(f"<@{person}>" for person in people)
    slack.command_reply(f"pulse now {mentions}", user_id="U0ADMIN")
    status = slack.command_reply("pulse status", user_id="U0MEMBER")
    for _ in range(50):  # until the fan-out is done
        if "Still sending" not in status.body["text"]:
            break
        time.sleep(0.2)
        status = slack.command_reply("pulse status", user_id="U0MEMBER")
    assert "0/9 answered so far. (1 away)" in status.body["text"], status.body["text"]
    slack.command_reply("pulse close", user_id="U0ADMIN")
    results = slack.command_reply("results", user_id="U0ADMIN")
    assert results.body["text"].startswith("0/9 answered (1 away)")


def test_listed_holidays_are_told_apart_though_english_dates_hold_commas(
    slack: SlackWorkspace,
) -> None:
    for day in ("2026-12-24", "2026-12-31"):
        slack.command_reply(f"settings holidays add {day}", user_id="U0ADMIN")
    listed = slack.command_reply("settings holidays", user_id="U0ADMIN").body["text"]
    assert "Dec 24, 2026; Dec 31, 2026" in listed
    slack.command_reply("leaders add <@U0FRENCH|marie>", user_id="U0ADMIN")
    french = slack.command_reply("réglages fériés", user_id="U0FRENCH").body["text"]
    assert "24 déc. 2026\u202f; 31 déc. 2026" in french


def test_a_holiday_country_is_named_in_the_reader_s_language(slack: SlackWorkspace) -> None:
    slack.command_reply("leaders add <@U0FRENCH|marie>", user_id="U0ADMIN")
    chosen = slack.command_reply("réglages fériés pays de", user_id="U0FRENCH").body["text"]
    assert "Les jours fériés nationaux (Allemagne) sont désormais des jours calmes" in chosen
    listed = slack.command_reply("settings holidays", user_id="U0ADMIN").body["text"]
    assert "Public holidays (Germany), next" in listed
