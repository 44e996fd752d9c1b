"""Unlinkability at rest: what a database reader finds after answers, reminders and the close.

The reader has every table (and, on PostgreSQL, every row's transaction id) but not the
anonymity key. Issue 13, items 3 and 4: the answer's own transaction, the reminder counter and
the moment of each tap must not join a person to their answers.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, func, literal_column, select

from bot.bootstrap import Deps
from bot.pulses.answers import record_answer, record_comment
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.pulses.results import pulse_results
from bot.services.pulse_jobs import PulseJobs
from bot.services.pulse_sending import PulseSender
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseAnswer, PulseComment
from tests.e2e.test_pulse import answer, pulse_dms, wait_answer_rows
from tests.fakeslack import FakeSlack
from tests.support.inprocess import PEOPLE, TEAM, Clock, make_deps
from tests.support.slack import SlackWorkspace

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
IDENTITY = {"user_id", "channel_id", "message_ts"}  # what names the row's person


def every_row(engine: Engine) -> Iterator[tuple[str, dict[str, Any]]]:
    """What a database reader sees: every row of every table."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                yield table.name, dict(row._mapping)


def recipient_rows(engine: Engine) -> dict[str, dict[str, Any]]:
    return {
        row["user_id"]: {k: v for k, v in row.items() if k not in IDENTITY}
        for table, row in every_row(engine)
        if table == "pulse_recipients"
    }


def test_after_the_close_early_late_and_silent_people_look_alike(
    database: str, jobs_fake: FakeSlack
) -> None:
    """Issue 13, item 4: a reminder went out and one reminded person answered late. The reader
    must not find who answered, who was reminded, or when each answer came."""
    clock = Clock(MONDAY)
    deps = make_deps(database, jobs_fake, clock)
    sender = PulseSender(deps)
    plan = PulsePlan(
        TEAM, [Recipient(u, "en") for u in PEOPLE], ["energy"], MONDAY, MONDAY + timedelta(days=3)
    )
    pulse_id = sender.open(plan)
    sender.deliver(deps.clients.for_team(TEAM), pulse_id)
    early, late, silent = PEOPLE[0], PEOPLE[2], PEOPLE[3]
    tap(deps, pulse_id, early, 4, MONDAY + timedelta(hours=1))
    tap(deps, pulse_id, PEOPLE[1], 2, MONDAY + timedelta(hours=2))
    jobs = PulseJobs(deps, sender)
    jobs_fake.reset_calls()
    clock.moment = MONDAY + timedelta(days=2)  # Wednesday: past halfway
    jobs.remind()
    reminded = sorted(c.params["channel"] for c in jobs_fake.calls_to("chat.postMessage"))
    assert reminded == sorted(jobs_fake.dm_channel_id(u) for u in PEOPLE[2:])
    late_moment = clock.moment + timedelta(minutes=7)
    tap(deps, pulse_id, late, 1, late_moment)
    clock.moment = MONDAY + timedelta(days=3)
    jobs.close_due()

    engine = deps.sessions.kw["bind"]
    rows = recipient_rows(engine)
    assert rows[early] == rows[late] == rows[silent], "answered, reminded or not: alike"
    moment = f"{late_moment.timestamp():.0f}"
    traces = [
        (table, row)
        for table, row in every_row(engine)
        if any(moment in str(value) for value in row.values())
    ]
    assert traces == [], "no row keeps the moment of the late answer"
    with unit_of_work(deps.sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        assert pulse is not None
        assert (pulse.asked, pulse.respondents) == (5, 3)


def tap(deps: Deps, pulse_id: int, user: str, value: int, moment: datetime) -> None:
    with unit_of_work(deps.sessions) as session:
        record_answer(
            session,
            deps.answer_key,
            TEAM,
            pulse_id,
            user,
            "energy",
            value,
            tapped_at=moment.timestamp(),
        )


def test_no_row_about_a_person_shares_a_transaction_with_an_answer(
    slack: SlackWorkspace, e2e_engine: Engine, backend: str
) -> None:
    """Issue 13, item 3: on PostgreSQL every row carries the id of the transaction that last
    wrote it (xmin). A row about a person written in the answer's transaction names them."""
    if backend != "postgresql":
        pytest.skip("xmin is PostgreSQL's; SQLite keeps no transaction id in its rows")
    engineers = [f"U0XMIN{n}" for n in range(1, 6)]
    for user in engineers:
        slack.fake.add_user(slack.team_id, user, user.lower())
    slack.fake.add_channel(slack.team_id, "C0XMIN", "xmin", [*engineers, "UBOT"])
    slack.command_reply("pulse now <#C0XMIN|xmin>", user_id="U0ADMIN")
    dms = pulse_dms(slack.fake, 5)
    for n, user in enumerate(engineers[:3]):
        answer(slack, dms[user], user, "energy", 1 + n)
    assert wait_answer_rows(e2e_engine, 3) == 3
    metadata = MetaData()
    metadata.reflect(e2e_engine)
    with e2e_engine.connect() as connection:
        xid = literal_column("xmin::text")
        answer_xids = set(connection.scalars(select(xid).select_from(PulseAnswer)))
        assert len(answer_xids) == 3
        sharing = {
            table.name
            for table in metadata.sorted_tables
            if connection.scalar(
                select(func.count()).select_from(table).where(xid.in_(list(answer_xids)))
            )
        }
    assert sharing == {"pulse_answers"}


def test_after_the_close_answers_are_totals_and_comments_a_shuffled_rewrite(
    database: str, jobs_fake: FakeSlack, backend: str
) -> None:
    """Storage order (SQLite's rowid, PostgreSQL's physical order and xmin) follows arrival:
    after the close no answer row is left, and comments are rewritten in a shuffled order."""
    deps = make_deps(database, jobs_fake, Clock(MONDAY))
    people = [f"U0ROW{n}" for n in range(6)]
    key = deps.answer_key
    with unit_of_work(deps.sessions) as session:
        pulse = open_pulse(
            session,
            PulsePlan(
                TEAM,
                [Recipient(u, "en") for u in people],
                ["energy"],
                MONDAY,
                MONDAY + timedelta(days=3),
            ),
        )
        pulse_id = pulse.id
        for person in people:
            mark_sent(session, pulse_id, person, f"D{person}", "1.0")
    for n, person in enumerate(people):  # one transaction each, as taps arrive
        with unit_of_work(deps.sessions) as session:
            record_answer(session, key, TEAM, pulse_id, person, "energy", 1 + n % 5)
            record_comment(session, key, TEAM, pulse_id, person, f"arrived {n}")
    with unit_of_work(deps.sessions) as session:
        assert close_pulse(session, key, TEAM, pulse_id, MONDAY, rng=random.Random(7))
    engine = deps.sessions.kw["bind"]
    order = "ctid" if backend == "postgresql" else "rowid"
    xid = literal_column("xmin::text")
    with engine.connect() as connection:
        assert connection.scalar(select(PulseAnswer.value)) is None, "no answer row is left"
        stored = connection.execute(
            select(PulseComment.position, PulseComment.text).order_by(literal_column(order))
        ).all()
        if backend == "postgresql":
            xids = select(func.count(xid.distinct())).select_from(PulseComment)
            assert connection.scalar(xids) == 1, "all rewritten in one transaction"
    assert [position for position, _ in stored] == list(range(6)), "stored as shown"
    shown = [comment for _, comment in stored]
    assert shown != [f"arrived {n}" for n in range(6)], "not in the order they arrived"
    with unit_of_work(deps.sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        assert pulse is not None
        first = pulse_results(session, deps.pulse, pulse, None, 3)
        second = pulse_results(session, deps.pulse, pulse, None, 3)
    assert first.comments == second.comments == tuple(shown), "the same order on every read"
    assert json.dumps(first.items[0].distribution) == "[2, 1, 1, 1, 1]"
