"""What the assessment and the digest read: pulse scores over time, aggregated by the database.

Only pulses where at least K people answered count, and within them only statements that K
people answered: an assessment never rests on an answer that could be singled out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.pulses.questions import PulseContent
from bot.storage.models import CtoCheckin, Pulse, PulseTally


@dataclass(frozen=True)
class PulsePoint:
    """One closed pulse: participation, and health scores per dimension (1–5, higher is better)."""

    pulse_id: int
    closed_at: datetime
    asked: int
    respondents: int
    visible: bool
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckinPoint:
    pulse_id: int
    at: datetime
    operations_share: int | None
    decisions_waiting: int | None


def recent_pulses(
    session: Session, team_id: str, content: PulseContent, threshold: int, limit: int = 12
) -> list[PulsePoint]:
    """The last `limit` closed pulses, oldest first, with scores where K allows."""
    pulses = session.execute(
        select(
            Pulse.id,
            func.coalesce(Pulse.closed_at, Pulse.closes_at),
            func.coalesce(Pulse.asked, 0),
            func.coalesce(Pulse.respondents, 0),
        )
        .where(Pulse.team_id == team_id, Pulse.status == "closed")
        .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
        .limit(limit)
    ).all()
    ids = [row[0] for row in pulses]
    if not ids:
        return []
    items = session.execute(
        select(
            PulseTally.pulse_id,
            PulseTally.item,
            func.sum(PulseTally.value * PulseTally.count),
            func.sum(PulseTally.count),
        )
        .where(PulseTally.team_id == team_id, PulseTally.pulse_id.in_(ids))
        .group_by(PulseTally.pulse_id, PulseTally.item)
    ).all()
    known = {item.id for item in content.items}
    by_pulse: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for pulse_id, item_id, total, count in items:
        if count >= threshold and item_id in known:
            item = content.item(item_id)
            by_pulse[pulse_id][item.dimension].append(item.score(float(total) / float(count)))
    points = []
    for pulse_id, closed_at, asked, answered in reversed(pulses):
        visible = answered >= threshold
        scores = {
            dimension: round(sum(values) / len(values), 2)
            for dimension, values in by_pulse[pulse_id].items()
        }
        points.append(
            PulsePoint(pulse_id, closed_at, asked, answered, visible, scores if visible else {})
        )
    return points


def recent_checkins(session: Session, team_id: str, limit: int = 6) -> list[CheckinPoint]:
    """The CTO's latest check-ins, oldest first."""
    rows = session.execute(
        select(
            CtoCheckin.pulse_id,
            Pulse.opened_at,
            CtoCheckin.operations_share,
            CtoCheckin.decisions_waiting,
        )
        .join(Pulse, Pulse.id == CtoCheckin.pulse_id)
        .where(CtoCheckin.team_id == team_id)
        .order_by(Pulse.opened_at.desc())
        .limit(limit)
    ).all()
    return [CheckinPoint(*row) for row in reversed(rows)]
