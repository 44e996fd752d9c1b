"""The digest's schedule and the leadership channel (no Slack calls here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.cadence import Cadence
from bot.storage.models import DigestSchedule, Workspace
from bot.team.directory import ensure_workspace


def leadership_channel(session: Session, team_id: str) -> str | None:
    return session.scalar(select(Workspace.leadership_channel).where(Workspace.team_id == team_id))


def set_leadership_channel(
    session: Session, team_id: str, channel: str, timezone: str, now: datetime
) -> DigestSchedule:
    """Set the channel; the digest then goes out weekly on Monday at 09:00 unless changed."""
    ensure_workspace(session, team_id).leadership_channel = channel
    schedule = digest_schedule(session, team_id)
    if schedule is None:
        schedule = DigestSchedule(team_id=team_id, timezone=timezone, created_at=now)
        session.add(schedule)
        session.flush()
    return schedule


def digest_schedule(session: Session, team_id: str) -> DigestSchedule | None:
    return session.scalars(select(DigestSchedule).where(DigestSchedule.team_id == team_id)).first()


def set_digest_schedule(
    session: Session,
    team_id: str,
    *,
    active: bool,
    now: datetime,
    cadence: str | None = None,
    weekday: int | None = None,
    time_of_day: str | None = None,
    timezone: str | None = None,
) -> DigestSchedule:
    """Change the digest's timing; a new timing counts slots from now on."""
    schedule = digest_schedule(session, team_id) or DigestSchedule(team_id=team_id)
    schedule.active = active
    schedule.cadence = cadence or schedule.cadence or "weekly"
    schedule.weekday = weekday if weekday is not None else schedule.weekday or 0
    schedule.time_of_day = time_of_day or schedule.time_of_day or "09:00"
    schedule.timezone = timezone or schedule.timezone or "UTC"
    schedule.created_at = now
    session.add(schedule)
    session.flush()
    return schedule


def digest_cadence(schedule: DigestSchedule) -> Cadence:
    hour, minute = (int(part) for part in schedule.time_of_day.split(":"))
    return Cadence(
        schedule.cadence, schedule.weekday, hour, minute, schedule.timezone, schedule.created_at
    )


def due_digests(session: Session) -> list[tuple[DigestSchedule, str]]:
    """Active digest schedules of workspaces that have a leadership channel."""
    rows = session.execute(
        select(DigestSchedule, Workspace.leadership_channel)
        .join(Workspace, Workspace.team_id == DigestSchedule.team_id)
        .where(DigestSchedule.active.is_(True), Workspace.leadership_channel.is_not(None))
    ).all()
    return [(schedule, channel) for schedule, channel in rows if channel]
