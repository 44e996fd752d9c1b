"""Dates in messages: Slack shows them in each reader's own time zone and format."""

from __future__ import annotations

from datetime import datetime

from bot.core.times import aware, zone


def plain_date(moment: datetime, timezone: str) -> str:
    """For text fallbacks and notifications: 2026-11-28 10:00 (Europe/Paris)."""
    local = aware(moment).astimezone(zone(timezone))
    return f"{local:%Y-%m-%d %H:%M} ({zone(timezone).key})"


def slack_date(moment: datetime, timezone: str) -> str:
    """`<!date^…>`: Slack renders it for the reader; the fallback is the plain date."""
    stamp = int(aware(moment).timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{plain_date(moment, timezone)}>"
