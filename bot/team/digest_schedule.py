"""The digest's schedule and the leadership channel (no Slack calls here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.cadence import Cadence
from bot.storage.models import DigestSchedule, Workspace
from bot.storage.sql import insert_once, upsert


def leadership_channel(session: Session, team_id: str) -> str | None:
    return session.scalar(select(Workspace.leadership_channel).where(Workspace.team_id == team_id))


def set_leadership_channel(
    session: Session, team_id: str, channel: str, timezone: str, now: datetime
) -> DigestSchedule:
    """Set the channel; the digest then goes out weekly on Monday at 09:00 unless changed
    (a timing chosen meanwhile, even at the same moment, is kept)."""
    upsert(session, Workspace, ["team_id"], {"team_id": team_id, "leadership_channel": channel})
    insert_once(
        session, DigestSchedule, ["team_id"], team_id=team_id, timezone=timezone, created_at=now
    )
    return _current(session, team_id)


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
    """Change the digest's timing (what is given; the rest stays, or takes its default);
    a new timing counts slots from now on."""
    chosen = {"cadence": cadence, "weekday": weekday, "time_of_day": time_of_day}
    values: dict[str, object] = {"team_id": team_id, "active": active, "created_at": now}
    values |= {name: value for name, value in chosen.items() if value is not None}
    if timezone:
        values["timezone"] = timezone
    upsert(session, DigestSchedule, ["team_id"], values)
    return _current(session, team_id)


def _current(session: Session, team_id: str) -> DigestSchedule:
    """The schedule as the database holds it now (not as this session last saw it)."""
    query = select(DigestSchedule).where(DigestSchedule.team_id == team_id)
    return session.scalars(query.execution_options(populate_existing=True)).one()


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
