"""Slot claims as rows: the run a claim returns, its completion, and re-claiming after a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, event, select, update
from sqlalchemy.orm import Session

from bot.core.times import aware
from bot.storage.models import ScheduleRun
from bot.storage.slot_claims import (
    claim_slot,
    complete_run,
    last_claimed_slot,
    reclaim_unfinished,
)

SLOT = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
STALE = timedelta(minutes=10)


def run_row(session: Session, run_id: int) -> ScheduleRun:
    row = session.get(ScheduleRun, run_id, populate_existing=True)
    assert row is not None
    return row


def test_a_claim_returns_its_own_run_and_records_it(session: Session) -> None:
    others = [
        claim_slot(session, "T1", "digest", 7, SLOT, SLOT),
        claim_slot(session, "T1", "pulse", 6, SLOT, SLOT),
        claim_slot(session, "T1", "pulse", 8, SLOT, SLOT),
        claim_slot(session, "T1", "pulse", 7, SLOT - timedelta(weeks=1), SLOT),
    ]
    now = SLOT + timedelta(seconds=5)
    run_id = claim_slot(session, "T2", "pulse", 7, SLOT, now)
    assert run_id is not None
    assert run_id not in others
    row = run_row(session, run_id)
    assert (row.team_id, row.kind, row.schedule_id) == ("T2", "pulse", 7)
    assert aware(row.slot_at) == SLOT
    assert aware(row.claimed_at) == now
    assert aware(row.completed_at) == now, "done in this transaction unless told otherwise"


def test_a_claim_for_work_after_the_transaction_stays_open_until_completed(
    session: Session,
) -> None:
    run_id = claim_slot(session, "T1", "pulse", 7, SLOT, SLOT, completed=False)
    assert run_id is not None
    other = claim_slot(session, "T1", "pulse", 7, SLOT + timedelta(weeks=1), SLOT, completed=False)
    assert other is not None
    assert run_row(session, run_id).completed_at is None
    done = SLOT + timedelta(minutes=1)
    complete_run(session, run_id, done)
    assert aware(run_row(session, run_id).completed_at) == done
    assert run_row(session, other).completed_at is None, "only that run"


def test_last_claimed_slot_per_kind_and_schedule(session: Session) -> None:
    assert last_claimed_slot(session, "pulse", 7) is None
    for weeks in (0, 2, 1):
        claim_slot(session, "T1", "pulse", 7, SLOT + timedelta(weeks=weeks), SLOT)
    claim_slot(session, "T1", "digest", 7, SLOT + timedelta(weeks=5), SLOT)
    claim_slot(session, "T1", "pulse", 8, SLOT + timedelta(weeks=6), SLOT)
    latest = last_claimed_slot(session, "pulse", 7)
    assert latest == SLOT + timedelta(weeks=2)
    assert latest is not None
    assert latest.tzinfo is not None, "comparable with the scheduler's aware times"
    assert last_claimed_slot(session, "digest", 7) == SLOT + timedelta(weeks=5)
    assert last_claimed_slot(session, "digest", 8) is None


def test_a_run_left_open_by_a_dead_process_is_reclaimed_once(session: Session) -> None:
    claimed = SLOT
    dead = claim_slot(session, "T1", "pulse", 7, SLOT, claimed, completed=False)
    at_cutoff = claim_slot(
        session, "T2", "pulse", 7, SLOT + timedelta(weeks=1), claimed + STALE, completed=False
    )
    finished = claim_slot(session, "T3", "pulse", 7, SLOT + timedelta(weeks=2), claimed)
    digest = claim_slot(session, "T4", "digest", 7, SLOT, claimed, completed=False)
    assert None not in (dead, at_cutoff, finished, digest)
    now = claimed + 2 * STALE
    won = reclaim_unfinished(session, "pulse", now, STALE)
    assert won == [(dead, "T1", claimed)], "exactly at the cutoff is not stale yet"
    assert won[0][2].tzinfo is not None
    assert aware(run_row(session, dead).claimed_at) == now  # type: ignore[arg-type]
    assert aware(run_row(session, at_cutoff).claimed_at) == claimed + STALE  # type: ignore[arg-type]
    assert reclaim_unfinished(session, "pulse", now, STALE) == [], "a second process wins none"
    later = now + STALE + timedelta(seconds=1)
    again = reclaim_unfinished(session, "pulse", later, STALE)
    assert sorted(run_id for run_id, _, _ in again) == sorted([dead, at_cutoff])  # type: ignore[type-var]
    assert reclaim_unfinished(session, "digest", later, STALE) == [(digest, "T4", claimed)]
    rows = session.scalars(select(ScheduleRun.id).where(ScheduleRun.completed_at.is_(None)))
    assert finished not in set(rows)


def another_process_first(session: Session, run_id: int, **values: Any) -> None:
    """Just before this process's re-claiming UPDATE, another process changes the run (it
    re-claimed or completed it between our read and our write)."""
    connection = session.connection()
    done: list[bool] = []

    def meanwhile(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if not done and statement.lstrip().upper().startswith("UPDATE SCHEDULE_RUNS"):
            done.append(True)
            conn.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(**values))

    event.listen(connection, "before_cursor_execute", meanwhile)


@pytest.mark.parametrize(
    "meanwhile",
    [
        {"claimed_at": SLOT + 2 * STALE},  # re-claimed by the other process a moment ago
        {"claimed_at": SLOT + STALE},  # ... exactly at this process's cutoff
        {"completed_at": SLOT + 2 * STALE},  # finished after all
    ],
)
def test_a_run_changed_by_another_process_in_between_is_not_won(
    session: Session, meanwhile: dict[str, datetime]
) -> None:
    run_id = claim_slot(session, "T1", "pulse", 7, SLOT, SLOT, completed=False)
    assert run_id is not None
    another_process_first(session, run_id, **meanwhile)
    assert reclaim_unfinished(session, "pulse", SLOT + 2 * STALE, STALE) == []
