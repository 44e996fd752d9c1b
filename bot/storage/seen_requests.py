"""Retry protection: Slack may send the same request again; we act on it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.storage.models import SeenDelivery
from bot.storage.sql import insert_once


def claim_request(session: Session, team_id: str, key: str, now: datetime) -> bool:
    """Record `key` as handled; True for the first caller only, whatever the concurrency."""
    return insert_once(
        session, SeenDelivery, ["team_id", "key"], team_id=team_id, key=key[:128], seen_at=now
    )


def release_request(session: Session, team_id: str, key: str) -> None:
    """Forget a claim whose work failed, so that Slack's retry can do it again."""
    session.execute(
        delete(SeenDelivery).where(SeenDelivery.team_id == team_id, SeenDelivery.key == key[:128])
    )
