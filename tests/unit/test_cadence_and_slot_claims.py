"""Slots: which is due, catch-up after downtime, and each claimed exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from bot.core.cadence import Cadence, due_slot, next_slot
from bot.storage.models import ScheduleRun
from bot.storage.slot_claims import claim_slot, last_claimed_slot, last_claimed_slots

CREATED = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Paris


def weekly(kind: str = "weekly", weekday: int = 0) -> Cadence:
    return Cadence(kind, weekday, 9, 0, "Europe/Paris", CREATED)


def test_weekly_slot_in_the_schedules_zone() -> None:
    now = datetime(2026, 11, 9, 8, 30, tzinfo=UTC)  # Monday 09:30 Paris
    slot = due_slot(weekly(), None, now)
    assert slot is not None
    assert slot.astimezone(UTC) == datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    assert due_slot(weekly(), slot, now) is None, "already run"
    assert next_slot(weekly(), now) == slot + timedelta(weeks=1)


def test_nothing_is_due_before_the_first_slot_after_creation() -> None:
    assert due_slot(weekly(), None, CREATED + timedelta(minutes=30)) is None
    assert due_slot(weekly(), None, CREATED + timedelta(hours=1, minutes=1)) is not None


def test_three_weeks_down_means_one_catch_up_slot() -> None:
    last = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    back = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # three missed Mondays
    slot = due_slot(weekly(), last, back)
    assert slot is not None
    assert slot.astimezone(UTC) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert due_slot(weekly(), slot, back) is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "biweekly",
            [datetime(2026, 11, 16, 8, 0, tzinfo=UTC), datetime(2026, 11, 30, 8, 0, tzinfo=UTC)],
        ),
        (
            "monthly",
            [datetime(2026, 12, 7, 8, 0, tzinfo=UTC), datetime(2027, 1, 4, 8, 0, tzinfo=UTC)],
        ),
    ],
)
def test_every_two_weeks_and_monthly(kind: str, expected: list[datetime]) -> None:
    first = next_slot(weekly(kind), CREATED + timedelta(days=8))
    assert first is not None
    assert first.astimezone(UTC) == expected[0]
    second = next_slot(weekly(kind), first)
    assert second is not None
    assert second.astimezone(UTC) == expected[1]


def test_a_slot_is_claimed_once(session: Session) -> None:
    slot = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    assert claim_slot(session, "T1", "pulse", 7, slot, slot)
    assert not claim_slot(session, "T1", "pulse", 7, slot, slot)
    assert claim_slot(session, "T1", "digest", 7, slot, slot), "kinds do not collide"
    paris = slot.astimezone(weekly().trigger().timezone)
    assert not claim_slot(session, "T1", "pulse", 7, paris, slot), "same instant, other zone"
    assert last_claimed_slot(session, "pulse", 7) == slot


def test_the_last_claimed_slot_of_every_schedule_in_one_read(session: Session) -> None:
    monday = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    for schedule_id, weeks in ((1, 3), (2, 1)):
        for week in range(weeks):
            slot = monday + timedelta(weeks=week)
            assert claim_slot(session, f"T{schedule_id}", "pulse", schedule_id, slot, slot)
    assert claim_slot(session, "T3", "digest", 3, monday, monday), "another kind"
    assert claim_slot(session, "T5", "pulse", 5, monday, monday), "a schedule not asked about"
    last = last_claimed_slots(session, "pulse", [1, 2, 3, 4])
    assert last == {1: monday + timedelta(weeks=2), 2: monday}, "never run, or not asked: absent"
    assert all(last[s] == last_claimed_slot(session, "pulse", s) for s in last)
    assert last_claimed_slots(session, "pulse", []) == {}


def test_two_schedulers_racing_for_a_slot_claim_it_once(engine: Engine) -> None:
    slot = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    barrier, wins = threading.Barrier(8), []

    def scheduler() -> None:
        barrier.wait()
        with Session(engine) as session, session.begin():
            if claim_slot(session, "TRACE", "pulse", 99, slot, slot):
                wins.append(1)

    threads = [threading.Thread(target=scheduler) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session, session.begin():
        count = session.scalar(
            select(func.count()).select_from(ScheduleRun).where(ScheduleRun.team_id == "TRACE")
        )
        session.execute(delete(ScheduleRun).where(ScheduleRun.team_id == "TRACE"))
    assert (len(wins), count) == (1, 1)
