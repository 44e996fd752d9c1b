"""Routine clean-up that keeps the database small."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.models import SeenDelivery

# Slack retries an event for about an hour at most; two days leaves a wide margin.
REMEMBER_DELIVERIES_FOR = timedelta(days=2)


def forget_old_deliveries(session: Session, now: datetime) -> int:
    """Drop the retry-protection marks that no retry can need any more; return how many."""
    result = session.execute(
        delete(SeenDelivery).where(SeenDelivery.seen_at < now - REMEMBER_DELIVERIES_FOR)
    )
    return int(getattr(result, "rowcount", 0) or 0)
