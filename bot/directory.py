"""What we remember about people and workspaces between commands (no Slack calls here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import Lang, normalise_language
from bot.models import SlackUser, Workspace


@dataclass(frozen=True)
class Person:
    user_id: str
    locale: str | None = None
    tz: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False


def cached_person(
    session: Session, team_id: str, user_id: str, now: datetime, max_age: timedelta
) -> Person | None:
    """The person as last seen, when seen within `max_age`."""
    row = session.get(SlackUser, (team_id, user_id))
    if row is None or now - _aware(row.fetched_at, now) > max_age:
        return None
    return Person(
        user_id=row.user_id,
        locale=row.locale,
        tz=row.tz,
        is_admin=row.is_admin,
        is_owner=row.is_owner,
        is_bot=row.is_bot,
        deleted=row.deleted,
    )


def remember_person(session: Session, team_id: str, person: Person, now: datetime) -> None:
    row = session.get(SlackUser, (team_id, person.user_id)) or SlackUser(
        team_id=team_id, user_id=person.user_id
    )
    row.locale, row.tz = person.locale, person.tz
    row.is_admin, row.is_owner = person.is_admin, person.is_owner
    row.is_bot, row.deleted = person.is_bot, person.deleted
    row.fetched_at = now
    session.add(row)


def ensure_workspace(session: Session, team_id: str) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
        session.flush()
    return workspace


def workspace_language(session: Session, team_id: str) -> Lang | None:
    language = session.scalar(select(Workspace.language).where(Workspace.team_id == team_id))
    return normalise_language(language)


def choose_language(person: Person | None, workspace: Lang | None) -> Lang:
    """The person's Slack locale, else the workspace setting, else English."""
    return (person and normalise_language(person.locale)) or workspace or "en"


def _aware(moment: datetime, reference: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=reference.tzinfo)
