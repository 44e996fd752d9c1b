"""Which pulse messages still have to go out, claimed one person at a time.

A recipient moves pending -> sending (claimed) -> sent | failed. The claim is an UPDATE that
only one process can win, so two senders never message the same person. A claim left in
`sending` by a process that died is checked against Slack before sending again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.pulses.answers import has_answered
from bot.storage.models import Pulse, PulseRecipient

# A send takes well under a minute even with rate limits; older claims are from a dead process.
STALE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 5
# The reason recorded when a send may have reached Slack (5xx, timeout, lost answer).
UNKNOWN_OUTCOME = "unknown_outcome"


@dataclass(frozen=True)
class Delivery:
    pulse_id: int
    team_id: str
    user_id: str
    language: str
    attempts: int
    # Claimed from a dead process, or the last try's outcome was unknown: Slack may already
    # have the message, so look before posting.
    resumed: bool


def claim_next(
    session: Session,
    pulse_id: int,
    now: datetime,
    skip: Collection[str] = (),
    stale_after: timedelta = STALE_AFTER,
) -> Delivery | None:
    """Claim one person still to message (pending, or a dead claim); None when done, or
    when the pulse closed meanwhile (a DM for a closed pulse would only say "closed").

    `skip`: people this run already tried; a passing failure waits for the next run.
    `stale_after`: how old a claim must be to count as left by a dead process.
    """
    cutoff = now - stale_after
    candidates = session.execute(
        select(PulseRecipient.user_id, PulseRecipient.status)
        .join(Pulse, Pulse.id == PulseRecipient.pulse_id)
        .where(
            PulseRecipient.pulse_id == pulse_id,
            Pulse.status == "open",  # closed (or replaced) mid-send: nobody else gets its DM
            (PulseRecipient.status == "pending")
            | ((PulseRecipient.status == "sending") & (PulseRecipient.claimed_at < cutoff)),
            PulseRecipient.user_id.not_in(list(skip)),
        )
        .order_by(PulseRecipient.user_id)
        .limit(50)
    ).all()
    for user_id, status in candidates:
        claimed = _claim(session, pulse_id, user_id, status == "sending", cutoff, now)
        if claimed is not None:
            return claimed
    return None


def _claim(
    session: Session, pulse_id: int, user_id: str, stale: bool, cutoff: datetime, now: datetime
) -> Delivery | None:
    # The WHERE clause repeats the condition: of two senders, only one UPDATE matches.
    still_free = (
        (PulseRecipient.status == "sending") & (PulseRecipient.claimed_at < cutoff)
        if stale
        else PulseRecipient.status == "pending"
    )
    result = session.execute(
        update(PulseRecipient)
        .where(PulseRecipient.pulse_id == pulse_id, PulseRecipient.user_id == user_id, still_free)
        .values(status="sending", claimed_at=now, attempts=PulseRecipient.attempts + 1)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    row = session.get(PulseRecipient, (pulse_id, user_id), populate_existing=True)
    assert row is not None
    maybe_sent = stale or row.error == UNKNOWN_OUTCOME
    return Delivery(pulse_id, row.team_id, user_id, row.language, row.attempts, maybe_sent)


def mark_sent(session: Session, pulse_id: int, user_id: str, channel_id: str, ts: str) -> None:
    _set(
        session, pulse_id, user_id, status="sent", channel_id=channel_id, message_ts=ts, error=None
    )


def mark_failed(session: Session, pulse_id: int, user_id: str, reason: str) -> None:
    _set(session, pulse_id, user_id, status="failed", error=reason[:64])


def release(session: Session, pulse_id: int, user_id: str, reason: str, attempts: int) -> None:
    """A passing failure: back to pending for a later try, or failed after MAX_ATTEMPTS."""
    if attempts >= MAX_ATTEMPTS:
        mark_failed(session, pulse_id, user_id, f"gave up: {reason}")
    else:
        _set(session, pulse_id, user_id, status="pending", error=reason[:64])


def pulses_with_work(session: Session) -> list[tuple[str, int]]:
    """Open pulses that still have people to message (including dead claims)."""
    query = (
        select(Pulse.team_id, Pulse.id)
        .join(PulseRecipient, PulseRecipient.pulse_id == Pulse.id)
        .where(Pulse.status == "open", PulseRecipient.status.in_(("pending", "sending")))
        .distinct()
    )
    return [(team_id, pulse_id) for team_id, pulse_id in session.execute(query)]


def _set(session: Session, pulse_id: int, user_id: str, **values: object) -> None:
    session.execute(
        update(PulseRecipient)
        .where(PulseRecipient.pulse_id == pulse_id, PulseRecipient.user_id == user_id)
        .values(**values)
    )


def pulse_state(session: Session, key: bytes, team_id: str, user_id: str) -> str | None:
    """ "waiting" or "answered" for the open pulse this person received, else None."""
    pulse_id = session.scalar(
        select(PulseRecipient.pulse_id)
        .join(Pulse, Pulse.id == PulseRecipient.pulse_id)
        .where(
            Pulse.team_id == team_id,
            Pulse.status == "open",
            PulseRecipient.user_id == user_id,
            PulseRecipient.status == "sent",
        )
    )
    if pulse_id is None:
        return None
    return "answered" if has_answered(session, key, team_id, pulse_id, user_id) else "waiting"


def delivered_messages(session: Session, team_id: str, user_id: str) -> list[tuple[str, str, str]]:
    """Every pulse message this person was sent: (channel, ts, language), oldest first."""
    rows = session.execute(
        select(PulseRecipient.channel_id, PulseRecipient.message_ts, PulseRecipient.language)
        .where(
            PulseRecipient.team_id == team_id,
            PulseRecipient.user_id == user_id,
            PulseRecipient.channel_id.is_not(None),
            PulseRecipient.message_ts.is_not(None),
        )
        .order_by(PulseRecipient.pulse_id)
    ).all()
    return [(str(channel), str(ts), str(language)) for channel, ts, language in rows]
