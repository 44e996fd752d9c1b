"""More than one pulse: each pulse's results rest on its own people, answers and comments.

Older pulses' comments never reach a newer pulse's results nor count toward its K; "asked"
is this pulse's people whose DM was delivered; the command's own path (the latest closed
pulses, newest first, with the previous one for changes) shows comments from K commenters;
the CTO check-in of a pulse is claimed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulses.answers import record_answer, record_comment
from bot.pulses.lifecycle import (
    PulseAlreadyOpen,
    PulsePlan,
    Recipient,
    checkin_sent,
    claim_checkin,
    close_pulse,
    closed_pulses,
    open_pulse,
    open_pulse_of,
    open_pulses,
    participation,
    pulses_due_to_close,
)
from bot.pulses.outbox import mark_failed, mark_sent
from bot.pulses.questions import pulse_content
from bot.pulses.results import PulseResults, pulse_results
from bot.storage.models import Pulse, PulseComment

KEY = b"m" * 32
K = 5
START = datetime(2026, 9, 7, 9, tzinfo=UTC)
PEOPLE = [f"U{n:02d}" for n in range(12)]


@dataclass
class Plan:
    """One pulse of a history: who is asked, whose DM fails or stays pending, who answers
    (with which value), who comments."""

    week: int
    people: Sequence[str] = tuple(PEOPLE[:10])
    failed: Sequence[str] = ()
    pending: Sequence[str] = ()
    answers: dict[str, int] = field(default_factory=dict)  # to "predictability"
    energy: dict[str, int] = field(default_factory=dict)
    comments: Sequence[str] = ()
    team: str = "T1"
    known: Sequence[str] = ()  # people the requester can know (not counted toward K)


def run(session: Session, plan: Plan, close: bool = True) -> int:
    opened = START + timedelta(weeks=plan.week)
    pulse = open_pulse(
        session,
        PulsePlan(
            team_id=plan.team,
            recipients=[Recipient(p, "en", p not in plan.known) for p in plan.people],
            items=["predictability", "energy"],
            opened_at=opened,
            closes_at=opened + timedelta(days=3),
        ),
    )
    for person in plan.people:
        if person in plan.failed:
            mark_failed(session, pulse.id, person, "cannot_dm")
        elif person not in plan.pending:
            mark_sent(session, pulse.id, person, f"D{person}", "1.0")
    for person, value in plan.answers.items():
        record_answer(session, KEY, plan.team, pulse.id, person, "predictability", value)
    for person, value in plan.energy.items():
        record_answer(session, KEY, plan.team, pulse.id, person, "energy", value)
    for person in plan.comments:
        record_comment(session, KEY, plan.team, pulse.id, person, f"week {plan.week}: {person}")
    if close:
        assert close_pulse(session, KEY, plan.team, pulse.id, opened + timedelta(days=3))
    session.flush()
    return pulse.id


def everyone(people: Sequence[str], value: int = 4) -> dict[str, int]:
    return dict.fromkeys(people, value)


def command_results(session: Session, back: int = 0, team: str = "T1") -> PulseResults:
    """What `/vpe results` reads: the latest closed pulses, newest first, and the one before
    the asked one for the changes (bot.handlers.pulse.results_of)."""
    pulses = closed_pulses(session, team, back + 2)
    previous = pulses[back + 1] if back + 1 < len(pulses) else None
    return pulse_results(session, pulse_content(), pulses[back], previous, K)


def test_older_comments_never_reach_a_newer_pulse_nor_count_toward_k(session: Session) -> None:
    first = run(session, Plan(0, answers=everyone(PEOPLE[:8]), comments=PEOPLE[:6]))
    second = run(session, Plan(1, answers=everyone(PEOPLE[:8]), comments=PEOPLE[:4]))
    latest = command_results(session)
    assert latest.pulse.id == second
    assert latest.comments is None, "four commenters this week: six last week do not help"
    assert session.get(Pulse, second).counted_commenters == 4  # type: ignore[union-attr]
    older = command_results(session, back=1)
    assert older.pulse.id == first
    assert older.comments is not None
    assert sorted(older.comments) == sorted(f"week 0: {p}" for p in PEOPLE[:6])
    third = run(session, Plan(2, answers=everyone(PEOPLE[:8]), comments=PEOPLE[2:7]))
    shown = command_results(session)
    assert shown.pulse.id == third
    assert shown.comments is not None
    assert sorted(shown.comments) == sorted(f"week 2: {p}" for p in PEOPLE[2:7])
    stored = session.scalars(select(PulseComment.position).where(PulseComment.pulse_id == third))
    assert sorted(stored) == [0, 1, 2, 3, 4], "positions of this pulse's comments only"


def test_results_with_k_comments_through_the_commands_path(session: Session) -> None:
    run(session, Plan(0, answers=everyone(PEOPLE[:6], 5), comments=PEOPLE[:5]))
    latest_id = run(session, Plan(1, answers=everyone(PEOPLE[:6], 3), comments=PEOPLE[:5]))
    shown = command_results(session)
    assert shown.pulse.id == latest_id
    assert (shown.asked, shown.respondents, shown.visible) == (10, 6, True)
    predictability = shown.items[0]
    assert (predictability.mean, predictability.change) == (3.0, -2.0)
    assert shown.comments is not None
    assert sorted(shown.comments) == sorted(f"week 1: {p}" for p in PEOPLE[:5])
    assert command_results(session).comments == shown.comments, "the same order on every read"
    only_one = command_results(session, back=1)
    assert only_one.items[0].change is None, "the first pulse has nothing to compare with"
    assert only_one.comments is not None
    assert sorted(only_one.comments) == sorted(f"week 0: {p}" for p in PEOPLE[:5])


def test_asked_counts_this_pulses_people_whose_dm_was_delivered(session: Session) -> None:
    run(session, Plan(0, people=PEOPLE, answers=everyone(PEOPLE[:6])))
    second = run(
        session,
        Plan(
            1,
            people=PEOPLE[:10],
            failed=PEOPLE[7:9],
            pending=PEOPLE[9:10],
            answers=everyone(PEOPLE[:6]),
            known=PEOPLE[:1],
        ),
    )
    pulse = session.get(Pulse, second)
    assert pulse is not None
    assert (pulse.asked, pulse.counted_asked) == (7, 6), "12 last week; 2 failed, 1 pending"
    assert (pulse.respondents, pulse.counted_respondents) == (6, 5)
    assert command_results(session).asked == 7
    assert participation(session, second).asked == 7
    first = closed_pulses(session, "T1", 2)[1]
    assert (first.asked, first.counted_asked, first.respondents) == (12, 12, 6)


def test_participation_of_an_open_pulse_counts_live(session: Session) -> None:
    run(session, Plan(0, answers=everyone(PEOPLE[:9]), comments=PEOPLE[:9]))
    open_id = run(
        session,
        Plan(1, failed=PEOPLE[:1], pending=PEOPLE[1:3], answers=everyone(PEOPLE[3:5])),
        close=False,
    )
    now = participation(session, open_id)
    assert (now.asked, now.pending, now.failed, now.answered) == (7, 2, 1, 2)
    assert open_pulse_of(session, "T1").id == open_id  # type: ignore[union-attr]
    assert [p.id for p in open_pulses(session)] == [open_id]
    closes = START + timedelta(weeks=1, days=3)
    assert pulses_due_to_close(session, closes - timedelta(seconds=1)) == []
    assert pulses_due_to_close(session, closes) == [("T1", open_id)]
    with pytest.raises(PulseAlreadyOpen):
        run(session, Plan(1, team="T1"), close=False)
    assert close_pulse(session, KEY, "T1", open_id, closes)
    assert not close_pulse(session, KEY, "T1", open_id, closes), "closed once"
    assert not close_pulse(session, KEY, "T2", open_id, closes)
    closed = participation(session, open_id)
    assert (closed.asked, closed.answered) == (7, 2)


def test_a_pulse_of_another_workspace_cannot_be_closed_from_here(session: Session) -> None:
    other = run(session, Plan(0, team="T2", answers=everyone(PEOPLE[:6])), close=False)
    assert not close_pulse(session, KEY, "T1", other, START + timedelta(days=3))
    assert session.get(Pulse, other).status == "open"  # type: ignore[union-attr]


def test_closed_pulses_newest_first_and_limited(session: Session) -> None:
    ids = [run(session, Plan(week, answers=everyone(PEOPLE[:6]))) for week in range(4)]
    run(session, Plan(0, team="T2"))
    assert [p.id for p in closed_pulses(session, "T1", 3)] == ids[::-1][:3]
    assert [p.id for p in closed_pulses(session, "T1", 10)] == ids[::-1]


def test_the_cto_check_in_is_claimed_once(session: Session) -> None:
    first = run(session, Plan(0), close=False)
    assert claim_checkin(session, first, "UCTO")
    assert not claim_checkin(session, first, "UCTO"), "a second send of the same check-in"
    assert not claim_checkin(session, first, "UOTHER")
    assert session.get(Pulse, first, populate_existing=True).checkin_user == "UCTO"  # type: ignore[union-attr]
    checkin_sent(session, first, "DCTO", "123.4")
    pulse = session.get(Pulse, first, populate_existing=True)
    assert pulse is not None
    assert (pulse.checkin_channel, pulse.checkin_ts) == ("DCTO", "123.4")
    close_pulse(session, KEY, "T1", first, START + timedelta(days=3))
    second = run(session, Plan(1), close=False)
    assert claim_checkin(session, second, "UCTO"), "each pulse has its own check-in"
    assert session.get(Pulse, first, populate_existing=True).checkin_ts == "123.4"  # type: ignore[union-attr]
    assert session.get(Pulse, second, populate_existing=True).checkin_ts is None  # type: ignore[union-attr]
