"""A workspace's pulse schedule: at most one active at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.cadence import Cadence
from bot.storage.models import PulseSchedule
from bot.team.directory import lock_workspace


@dataclass(frozen=True)
class ScheduleSpec:
    cadence: str
    weekday: int
    time_of_day: str  # HH:MM
    timezone: str
    open_days: int
    audience: dict[str, list[str]]
    items: list[str]
    language: str | None


def cadence_of(schedule: PulseSchedule) -> Cadence:
    hour, minute = (int(part) for part in schedule.time_of_day.split(":"))
    return Cadence(
        schedule.cadence, schedule.weekday, hour, minute, schedule.timezone, schedule.created_at
    )


def active_schedule(session: Session, team_id: str) -> PulseSchedule | None:
    query = select(PulseSchedule).where(
        PulseSchedule.team_id == team_id, PulseSchedule.active.is_(True)
    )
    return session.scalars(query.order_by(PulseSchedule.id.desc())).first()


def active_schedules(session: Session) -> list[PulseSchedule]:
    return list(session.scalars(select(PulseSchedule).where(PulseSchedule.active.is_(True))))


def save_schedule(
    session: Session, team_id: str, spec: ScheduleSpec, by: str, now: datetime
) -> PulseSchedule:
    """Replace the workspace's schedule; slots count from now on. Two saved at once take
    turns, so one stays active (a slot never runs two schedules)."""
    stop_schedule(session, team_id)
    schedule = PulseSchedule(
        team_id=team_id,
        active=True,
        cadence=spec.cadence,
        weekday=spec.weekday,
        time_of_day=spec.time_of_day,
        timezone=spec.timezone,
        open_days=spec.open_days,
        audience=spec.audience,
        items=spec.items,
        language=spec.language,
        created_by=by,
        created_at=now,
    )
    session.add(schedule)
    session.flush()
    return schedule


def stop_schedule(session: Session, team_id: str) -> bool:
    """True when a schedule was active. Waits for a save under way (the workspace's turn)."""
    lock_workspace(session, team_id)
    result = session.execute(
        update(PulseSchedule)
        .where(PulseSchedule.team_id == team_id, PulseSchedule.active.is_(True))
        .values(active=False)
    )
    return bool(getattr(result, "rowcount", 0))
