"""Opening and closing pulses. One pulse is open per workspace at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, insert, select, update
from sqlalchemy.orm import Session

from bot.storage.models import Pulse, PulseAnswer, PulseRecipient, PulseTally
from bot.team.directory import lock_workspace


class PulseAlreadyOpen(Exception):
    """Carries plain values: the transaction that raised it is rolled back."""

    def __init__(self, pulse: Pulse) -> None:
        super().__init__(f"pulse {pulse.id} is open")
        self.opened_at, self.closes_at = pulse.opened_at, pulse.closes_at
        self.timezone = pulse.timezone


@dataclass(frozen=True)
class Recipient:
    user_id: str
    language: str


@dataclass(frozen=True)
class PulsePlan:
    """Everything needed to open a pulse; the audience is already resolved to people."""

    team_id: str
    recipients: Sequence[Recipient]
    items: Sequence[str]
    opened_at: datetime
    closes_at: datetime
    timezone: str = "UTC"
    language: str | None = None
    audience_label: str = ""
    started_by: str | None = None
    schedule_id: int | None = None


def open_pulse(session: Session, plan: PulsePlan) -> Pulse:
    """Create the pulse and one pending delivery per person.

    Raises:
        PulseAlreadyOpen: the workspace already has an open pulse (one started at the same
            moment included: openings take turns).
    """
    lock_workspace(session, plan.team_id)
    current = open_pulse_of(session, plan.team_id)
    if current is not None:
        raise PulseAlreadyOpen(current)
    pulse = Pulse(
        team_id=plan.team_id,
        status="open",
        items=list(plan.items),
        language=plan.language,
        timezone=plan.timezone,
        audience_label=plan.audience_label[:300],
        started_by=plan.started_by,
        schedule_id=plan.schedule_id,
        opened_at=plan.opened_at,
        closes_at=plan.closes_at,
    )
    session.add(pulse)
    session.flush()
    session.add_all(
        PulseRecipient(
            pulse_id=pulse.id,
            team_id=plan.team_id,
            user_id=recipient.user_id,
            language=recipient.language,
        )
        for recipient in {r.user_id: r for r in plan.recipients}.values()
    )
    session.flush()
    return pulse


def open_pulse_of(session: Session, team_id: str) -> Pulse | None:
    query = select(Pulse).where(Pulse.team_id == team_id, Pulse.status == "open")
    return session.scalars(query.order_by(Pulse.id.desc())).first()


def close_pulse(session: Session, team_id: str, pulse_id: int, now: datetime) -> bool:
    """Close an open pulse and freeze its tallies; True for the one caller that closed it."""
    result = session.execute(
        update(Pulse)
        .where(Pulse.id == pulse_id, Pulse.team_id == team_id, Pulse.status == "open")
        .values(status="closed", closed_at=now)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    tally_pulse(session, pulse_id)
    return True


def tally_pulse(session: Session, pulse_id: int) -> None:
    """Count the answers per statement and value, and who was asked and answered, once.

    Results, digests, signals and exports read these frozen counts: what a pulse showed at
    its close is what it shows forever, even after someone's answers are erased.
    """
    counted = select(
        PulseAnswer.pulse_id,
        PulseAnswer.item,
        PulseAnswer.value,
        PulseAnswer.team_id,
        func.count(),
    ).where(PulseAnswer.pulse_id == pulse_id)
    grouped = counted.group_by(
        PulseAnswer.pulse_id, PulseAnswer.item, PulseAnswer.value, PulseAnswer.team_id
    )
    session.execute(
        insert(PulseTally).from_select(["pulse_id", "item", "value", "team_id", "count"], grouped)
    )
    respondents = select(func.count(distinct(PulseAnswer.respondent))).where(
        PulseAnswer.pulse_id == pulse_id
    )
    asked = select(func.count()).where(
        PulseRecipient.pulse_id == pulse_id, PulseRecipient.status == "sent"
    )
    session.execute(
        update(Pulse)
        .where(Pulse.id == pulse_id)
        .values(asked=asked.scalar_subquery(), respondents=respondents.scalar_subquery())
    )


def pulses_due_to_close(session: Session, now: datetime) -> list[tuple[str, int]]:
    query = select(Pulse.team_id, Pulse.id).where(Pulse.status == "open", Pulse.closes_at <= now)
    return [(team_id, pulse_id) for team_id, pulse_id in session.execute(query)]


def open_pulses(session: Session) -> list[Pulse]:
    return list(session.scalars(select(Pulse).where(Pulse.status == "open")))


def closed_pulses(session: Session, team_id: str, limit: int) -> list[Pulse]:
    """The latest closed pulses, newest first."""
    query = (
        select(Pulse)
        .where(Pulse.team_id == team_id, Pulse.status == "closed")
        .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class Participation:
    asked: int
    pending: int
    failed: int
    answered: int


def participation(session: Session, pulse_id: int) -> Participation:
    """Counts only, never names: delivered, still being sent, failed, answered."""
    rows = session.execute(
        select(PulseRecipient.status, PulseRecipient.answered, func.count())
        .where(PulseRecipient.pulse_id == pulse_id)
        .group_by(PulseRecipient.status, PulseRecipient.answered)
    ).all()
    counts = {"sent": 0, "pending": 0, "sending": 0, "failed": 0}
    answered = 0
    for status, has_answered, count in rows:
        counts[status] = counts.get(status, 0) + count
        answered += count if has_answered else 0
    return Participation(
        asked=counts["sent"],
        pending=counts["pending"] + counts["sending"],
        failed=counts["failed"],
        answered=answered,
    )


def claim_checkin(session: Session, pulse_id: int, cto: str) -> bool:
    """True for the one caller that gets to send this pulse's CTO check-in (to `cto`)."""
    result = session.execute(
        update(Pulse)
        .where(Pulse.id == pulse_id, Pulse.checkin_user.is_(None))
        .values(checkin_user=cto)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def checkin_sent(session: Session, pulse_id: int, channel_id: str, ts: str) -> None:
    session.execute(
        update(Pulse).where(Pulse.id == pulse_id).values(checkin_channel=channel_id, checkin_ts=ts)
    )
