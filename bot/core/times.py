"""Time helpers: SQLite returns naive datetimes (stored in UTC); zones come from Slack."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def aware(moment: datetime) -> datetime:
    """The same instant with its UTC zone restored when the database dropped it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def zone(name: str | None) -> ZoneInfo:
    """A time zone by IANA name; UTC when missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
