"""Retry protection: Slack may deliver the same event again; we act on it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import SeenDelivery


def claim_delivery(session: Session, team_id: str, key: str, now: datetime) -> bool:
    """Record `key` as handled; True for the first caller only, whatever the concurrency.

    The primary key decides: a second insert of the same (team, key) does nothing.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(SeenDelivery)
        .values(team_id=team_id, key=key[:128], seen_at=now)
        .on_conflict_do_nothing(index_elements=["team_id", "key"])
        .returning(SeenDelivery.key)
    )
    # RETURNING rather than rowcount: drivers disagree on rowcount for a skipped insert.
    return session.execute(statement).first() is not None


def release_delivery(session: Session, team_id: str, key: str) -> None:
    """Forget a claim whose work failed, so that Slack's retry can do it again."""
    session.execute(
        delete(SeenDelivery).where(SeenDelivery.team_id == team_id, SeenDelivery.key == key[:128])
    )
