"""Dates in messages: Slack shows them in each reader's own time zone and format."""

from __future__ import annotations

from datetime import datetime

from bot.core.i18n import Lang, day_and_time
from bot.core.times import aware, zone


def plain_date(moment: datetime, timezone: str, lang: Lang = "en") -> str:
    """For text fallbacks and notifications, the reader's way: "Nov 28, 2026, 10:00 AM
    (Europe/Paris)" / "28 nov. 2026, 10:00 (Europe/Paris)"."""
    local = aware(moment).astimezone(zone(timezone))
    return f"{day_and_time(local, lang)} ({zone(timezone).key})"


def slack_date(moment: datetime, timezone: str, lang: Lang = "en") -> str:
    """`<!date^…>`: Slack renders it for the reader; the fallback is the plain date."""
    stamp = int(aware(moment).timestamp())
    plain = plain_date(moment, timezone, lang)
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{plain}>"
