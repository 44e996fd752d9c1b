"""Claiming each scheduled slot once: a unique (kind, schedule, slot) row before any work.

The claim makes a slot run exactly once across restarts and several scheduler processes;
a claim left open by a process that died is found again and re-claimed by one survivor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.core.times import aware
from bot.storage.models import ScheduleRun
from bot.storage.sql import insert_once


def last_claimed_slots(session: Session, kind: str, schedule_ids: list[int]) -> dict[int, datetime]:
    """The latest slot claimed for each schedule, in one query (one never run is absent)."""
    if not schedule_ids:
        return {}
    query = (
        select(ScheduleRun.schedule_id, func.max(ScheduleRun.slot_at))
        .where(ScheduleRun.kind == kind, ScheduleRun.schedule_id.in_(schedule_ids))
        .group_by(ScheduleRun.schedule_id)
    )
    return {schedule_id: aware(latest) for schedule_id, latest in session.execute(query)}


def last_claimed_slot(session: Session, kind: str, schedule_id: int) -> datetime | None:
    return last_claimed_slots(session, kind, [schedule_id]).get(schedule_id)


def claim_slot(
    session: Session,
    team_id: str,
    kind: str,
    schedule_id: int,
    slot: datetime,
    now: datetime,
    *,
    completed: bool = True,
) -> int | None:
    """The run's id for the one process that gets to run this slot, else None.

    `completed=False` when the work happens after this transaction (a post to Slack): the
    run stays open until `complete_run`, and `reclaim_unfinished` finds it after a crash.
    """
    claimed = insert_once(
        session,
        ScheduleRun,
        ["kind", "schedule_id", "slot_at"],
        team_id=team_id,
        kind=kind,
        schedule_id=schedule_id,
        slot_at=slot,
        claimed_at=now,
        completed_at=now if completed else None,
    )
    if not claimed:
        return None
    return session.scalar(
        select(ScheduleRun.id).where(
            ScheduleRun.kind == kind,
            ScheduleRun.schedule_id == schedule_id,
            ScheduleRun.slot_at == slot,
        )
    )


def complete_run(session: Session, run_id: int, now: datetime) -> None:
    session.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(completed_at=now))


def reclaim_unfinished(
    session: Session, kind: str, now: datetime, stale_after: timedelta
) -> list[tuple[int, str, datetime]]:
    """Runs a dead process claimed but never completed: (run id, team, claimed at), re-claimed.

    Each is re-claimed with an UPDATE that only one process can win.
    """
    cutoff = now - stale_after
    rows = session.execute(
        select(ScheduleRun.id, ScheduleRun.team_id, ScheduleRun.claimed_at).where(
            ScheduleRun.kind == kind,
            ScheduleRun.completed_at.is_(None),
            ScheduleRun.claimed_at < cutoff,
        )
    ).all()
    won = []
    for run_id, team_id, claimed_at in rows:
        result = session.execute(
            update(ScheduleRun)
            .where(
                ScheduleRun.id == run_id,
                ScheduleRun.completed_at.is_(None),
                ScheduleRun.claimed_at < cutoff,
            )
            .values(claimed_at=now)
        )
        if getattr(result, "rowcount", 0) == 1:
            won.append((run_id, team_id, aware(claimed_at)))
    return won
