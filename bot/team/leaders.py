"""The leadership team: workspace admins and owners always, plus the people they add."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Leader
from bot.storage.sql import delete_row, insert_once
from bot.team.directory import Person


def manages_leaders(person: Person) -> bool:
    """Workspace admins and owners: always leadership, and the only ones who add or remove."""
    return not (person.deleted or person.is_bot) and (person.is_admin or person.is_owner)


def is_leader(session: Session, team_id: str, person: Person) -> bool:
    if person.deleted or person.is_bot:
        return False
    if manages_leaders(person):
        return True
    return session.get(Leader, (team_id, person.user_id)) is not None


def leaders_among(session: Session, team_id: str, people: Iterable[Person]) -> set[str]:
    """`is_leader` for many people at once: one query for the whole list."""
    added = set(added_leaders(session, team_id))
    return {
        person.user_id
        for person in people
        if not (person.deleted or person.is_bot)
        and (manages_leaders(person) or person.user_id in added)
    }


def added_leaders(session: Session, team_id: str) -> list[str]:
    """The people added to the leadership team, oldest first."""
    query = select(Leader.user_id).where(Leader.team_id == team_id).order_by(Leader.added_at)
    return list(session.scalars(query))


def add_leader(session: Session, team_id: str, user_id: str, by: str, now: datetime) -> bool:
    """Add someone; False when they were already on the list (or were added at the same
    moment by someone else: the database decides, once)."""
    return insert_once(
        session,
        Leader,
        ["team_id", "user_id"],
        team_id=team_id,
        user_id=user_id,
        added_by=by,
        added_at=now,
    )


def remove_leader(session: Session, team_id: str, user_id: str) -> bool:
    """Remove someone added earlier; False when they were not on the list."""
    return delete_row(session, Leader, (team_id, user_id))
