"""What the assessment and the digest read: pulse scores over time, aggregated by the database.

Only pulses where at least K people answered count, and within them only statements that K
people answered: an assessment never rests on an answer that could be singled out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bot.models import CtoCheckin, Pulse, PulseAnswer, PulseRecipient
from bot.pulses.questions import PulseContent


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
        select(Pulse.id, func.coalesce(Pulse.closed_at, Pulse.closes_at))
        .where(Pulse.team_id == team_id, Pulse.status == "closed")
        .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
        .limit(limit)
    ).all()
    ids = [pulse_id for pulse_id, _ in pulses]
    if not ids:
        return []
    respondents = dict(
        session.execute(
            select(PulseAnswer.pulse_id, func.count(distinct(PulseAnswer.respondent)))
            .where(PulseAnswer.team_id == team_id, PulseAnswer.pulse_id.in_(ids))
            .group_by(PulseAnswer.pulse_id)
        ).all()
    )
    asked = dict(
        session.execute(
            select(PulseRecipient.pulse_id, func.count())
            .where(PulseRecipient.pulse_id.in_(ids), PulseRecipient.status == "sent")
            .group_by(PulseRecipient.pulse_id)
        ).all()
    )
    items = session.execute(
        select(PulseAnswer.pulse_id, PulseAnswer.item, func.avg(PulseAnswer.value), func.count())
        .where(PulseAnswer.team_id == team_id, PulseAnswer.pulse_id.in_(ids))
        .group_by(PulseAnswer.pulse_id, PulseAnswer.item)
    ).all()
    by_pulse: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for pulse_id, item_id, mean, count in items:
        if count >= threshold and item_id in {i.id for i in content.items}:
            item = content.item(item_id)
            by_pulse[pulse_id][item.dimension].append(item.score(float(mean)))
    points = []
    for pulse_id, closed_at in reversed(pulses):
        answered = respondents.get(pulse_id, 0)
        visible = answered >= threshold
        scores = {
            dimension: round(sum(values) / len(values), 2)
            for dimension, values in by_pulse[pulse_id].items()
        }
        points.append(
            PulsePoint(
                pulse_id,
                closed_at,
                asked.get(pulse_id, 0),
                answered,
                visible,
                scores if visible else {},
            )
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
