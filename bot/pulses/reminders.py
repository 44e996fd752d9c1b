"""Reminders: only to people who have not answered, at most two, never at the weekend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.times import aware, zone
from bot.pulses.lifecycle import answered_tokens
from bot.pulses.respondents import respondent_token
from bot.storage.models import Pulse, PulseRecipient

MAX_REMINDERS = 2
# The late reminder comes this share of the open window before the close, at most a day.
LATE_SHARE, LATE_CAP = 0.2, timedelta(days=1)


@dataclass(frozen=True)
class Reminder:
    user_id: str
    channel_id: str
    message_ts: str
    language: str
    stage: int


def reminder_times(opened_at: datetime, closes_at: datetime) -> tuple[datetime, datetime]:
    """About halfway, and shortly before the close."""
    opened, closes = aware(opened_at), aware(closes_at)
    window = closes - opened
    return opened + window / 2, closes - min(window * LATE_SHARE, LATE_CAP)


def due_stage(pulse: Pulse, now: datetime) -> int:
    """How many reminders should have gone out by `now` (0, 1 or 2); 0 at the weekend."""
    if is_weekend(now, pulse.timezone) or now >= aware(pulse.closes_at):
        return 0
    return sum(1 for moment in reminder_times(pulse.opened_at, pulse.closes_at) if now >= moment)


def is_weekend(now: datetime, timezone: str) -> bool:
    return now.astimezone(zone(timezone)).weekday() >= 5


def claim_reminders(session: Session, key: bytes, pulse: Pulse, stage: int) -> list[Reminder]:
    """Claim this stage's reminder for the pulse, then find who has not answered.

    The claim is one UPDATE of the pulse that raises `reminders_sent` to `stage`, so a
    reminder delayed past the next stage (a weekend) goes out once, and two schedulers never
    both send it. Who answered is found through each person's respondent token, never
    written down: no row about a person says whether they answered or were reminded.
    """
    result = session.execute(
        update(Pulse)
        .where(Pulse.id == pulse.id, Pulse.status == "open", Pulse.reminders_sent < stage)
        .values(reminders_sent=stage)
    )
    if getattr(result, "rowcount", 0) != 1:
        return []
    answered = answered_tokens(session, pulse.id)
    delivered = session.execute(
        select(PulseRecipient).where(
            PulseRecipient.pulse_id == pulse.id, PulseRecipient.status == "sent"
        )
    ).scalars()
    return [
        Reminder(row.user_id, row.channel_id, row.message_ts, row.language, stage)
        for row in delivered
        if row.channel_id
        and row.message_ts
        and respondent_token(key, pulse.team_id, pulse.id, row.user_id) not in answered
    ]
