"""What the assessment, the digest and the Home tab read: pulse scores over time.

A pulse's scores count only where bot.pulses.reporting would show them in its results (the
same rule, on the same frozen counts): an assessment never rests on an answer that could be
singled out, and no view shows what the results of that pulse would not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.pulses.questions import PulseContent
from bot.pulses.reporting import disclosure, group_of, item_shown
from bot.storage.models import CtoCheckin, Pulse, PulseTally, PulseTeam, PulseTeamTally


@dataclass(frozen=True)
class PulsePoint:
    """One closed pulse: participation, and health scores per dimension (1–5, higher is better)."""

    pulse_id: int
    closed_at: datetime
    asked: int
    respondents: int
    visible: bool
    scores: dict[str, float] = field(default_factory=dict)
    hidden: str | None = None  # why scores are hidden (bot.pulses.reporting.Disclosure)
    answers: dict[str, int] = field(default_factory=dict)  # per dimension, its fewest answers

    def answers_to(self, dimension: str) -> int:
        """The answers behind a dimension's score (the respondents when not counted)."""
        return self.answers.get(dimension, self.respondents)

    away: int = 0  # of everyone asked, how many had an away status at the close


@dataclass(frozen=True)
class CheckinPoint:
    pulse_id: int
    at: datetime
    operations_share: int | None
    decisions_waiting: int | None


def recent_pulses(
    session: Session, team_id: str, content: PulseContent, threshold: int, limit: int = 12
) -> list[PulsePoint]:
    """The last `limit` closed pulses, oldest first, with scores where the rule allows."""
    pulses = list(
        session.scalars(
            select(Pulse)
            .where(Pulse.team_id == team_id, Pulse.status == "closed")
            .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
            .limit(limit)
        )
    )
    if not pulses:
        return []
    items = session.execute(
        select(
            PulseTally.pulse_id,
            PulseTally.item,
            func.sum(PulseTally.value * PulseTally.count),
            func.sum(PulseTally.count),
        )
        .where(PulseTally.team_id == team_id, PulseTally.pulse_id.in_([p.id for p in pulses]))
        .group_by(PulseTally.pulse_id, PulseTally.item)
    ).all()
    groups = {pulse.id: group_of(pulse) for pulse in pulses}
    shown = {pulse.id: disclosure(groups[pulse.id], threshold) for pulse in pulses}
    known = {item.id for item in content.items}
    by_pulse: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for pulse_id, item_id, total, count in items:
        if item_id in known and item_shown(groups[pulse_id], shown[pulse_id], int(count)):
            item = content.item(item_id)
            by_pulse[pulse_id][item.dimension].append(item.score(float(total) / float(count)))
            fewest = counts[pulse_id].get(item.dimension, int(count))
            counts[pulse_id][item.dimension] = min(fewest, int(count))
    points = []
    for pulse in reversed(pulses):
        visible = shown[pulse.id].scores
        scores = {
            dimension: round(sum(values) / len(values), 2)
            for dimension, values in by_pulse[pulse.id].items()
        }
        points.append(
            PulsePoint(
                pulse.id,
                pulse.closed_at or pulse.closes_at,
                groups[pulse.id].asked,
                groups[pulse.id].respondents,
                visible,
                scores if visible else {},
                shown[pulse.id].hidden,
                counts[pulse.id] if visible else {},
                pulse.away or 0,
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


def team_histories(
    session: Session, team_id: str, content: PulseContent, threshold: int, limit: int = 12
) -> dict[str, list[PulsePoint]]:
    """Each team's scores per dimension over the last `limit` closed pulses, oldest first,
    where results by team show them (the tallies kept at the close, with the K of the time).
    Keyed by the team's name at its latest pulse."""
    pulses = list(
        session.execute(
            select(Pulse.id, Pulse.closed_at, Pulse.closes_at)
            .where(Pulse.team_id == team_id, Pulse.status == "closed")
            .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
            .limit(limit)
        )
    )
    if not pulses:
        return {}
    ids = [row.id for row in pulses]
    teams = {
        (row.pulse_id, row.key): row
        for row in session.scalars(select(PulseTeam).where(PulseTeam.pulse_id.in_(ids)))
    }
    sums: dict[tuple[int, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    known = {item.id for item in content.items}
    for pulse_id, key, item_id, total, count in session.execute(
        select(
            PulseTeamTally.pulse_id,
            PulseTeamTally.key,
            PulseTeamTally.item,
            func.sum(PulseTeamTally.value * PulseTeamTally.count),
            func.sum(PulseTeamTally.count),
        )
        .where(PulseTeamTally.team_id == team_id, PulseTeamTally.pulse_id.in_(ids))
        .group_by(PulseTeamTally.pulse_id, PulseTeamTally.key, PulseTeamTally.item)
    ):
        if item_id not in known:
            continue
        item = content.item(item_id)
        sums[(pulse_id, key)][item.dimension].append(item.score(float(total) / float(count)))
        fewest = counts[(pulse_id, key)].get(item.dimension, int(count))
        counts[(pulse_id, key)][item.dimension] = min(fewest, int(count))
    histories: dict[str, list[PulsePoint]] = {}
    names: dict[str, str] = {}
    for pulse in reversed(pulses):
        for (pulse_id, key), row in teams.items():
            if pulse_id != pulse.id:
                continue
            frozen_k = row.threshold if row.threshold is not None else 0
            visible = row.hidden is None and threshold <= frozen_k
            scores = {
                dimension: round(sum(values) / len(values), 2)
                for dimension, values in sums[(pulse_id, key)].items()
            }
            names[key] = row.name
            histories.setdefault(key, []).append(
                PulsePoint(
                    pulse.id,
                    pulse.closed_at or pulse.closes_at,
                    row.asked or 0,
                    row.respondents or 0,
                    visible,
                    scores if visible else {},
                    row.hidden,
                    counts[(pulse_id, key)] if visible else {},
                )
            )
    return {names[key]: points for key, points in histories.items()}
