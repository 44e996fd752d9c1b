"""What we remember about people and workspaces between commands (no Slack calls here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.i18n import Lang, normalise_language
from bot.core.times import aware
from bot.storage.models import SlackUser, Workspace, utcnow
from bot.storage.sql import insert_once, upsert_many


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
    if row is None or now - aware(row.fetched_at) > max_age:
        return None
    return _person(row)


def cached_people(
    session: Session, team_id: str, user_ids: list[str], now: datetime, max_age: timedelta
) -> dict[str, Person]:
    """Everyone among `user_ids` seen within `max_age`, in one query."""
    rows = session.scalars(
        select(SlackUser).where(
            SlackUser.team_id == team_id,
            SlackUser.user_id.in_(user_ids),
            SlackUser.fetched_at >= now - max_age,
        )
    )
    return {row.user_id: _person(row) for row in rows}


def _person(row: SlackUser) -> Person:
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
    """Store what Slack said; an upsert, since two requests may look up the same person."""
    remember_people(session, team_id, [person], now)


def remember_people(
    session: Session, team_id: str, people: Iterable[Person], now: datetime
) -> None:
    """`remember_person` for a whole users.list walk, in one statement."""
    rows = [
        {
            "team_id": team_id,
            "user_id": person.user_id,
            "locale": person.locale,
            "tz": person.tz,
            "is_admin": person.is_admin,
            "is_owner": person.is_owner,
            "is_bot": person.is_bot,
            "deleted": person.deleted,
            "fetched_at": now,
        }
        for person in people
    ]
    upsert_many(session, SlackUser, ["team_id", "user_id"], rows)


def ensure_workspace(session: Session, team_id: str) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        insert_once(session, Workspace, ["team_id"], team_id=team_id, created_at=utcnow())
        workspace = session.get(Workspace, team_id)
        assert workspace is not None
    return workspace


def lock_workspace(session: Session, team_id: str) -> None:
    """Make changes that span rows of this workspace (its pulse schedule, opening a pulse)
    take turns until the transaction ends: the workspace's row, created if missing, is held
    (SELECT … FOR UPDATE on PostgreSQL; on SQLite the insert attempt already takes the one
    write lock)."""
    insert_once(session, Workspace, ["team_id"], team_id=team_id, created_at=utcnow())
    session.execute(select(Workspace.team_id).where(Workspace.team_id == team_id).with_for_update())


def workspace_language(session: Session, team_id: str) -> Lang | None:
    language = session.scalar(select(Workspace.language).where(Workspace.team_id == team_id))
    return normalise_language(language)


def choose_language(person: Person | None, workspace: Lang | None) -> Lang:
    """The person's Slack locale, else the workspace setting, else English."""
    return (person and normalise_language(person.locale)) or workspace or "en"
