"""The decision report's facts: the verdict over a period and when it changed, the coming
events and when to start looking for a VP Engineering, and before/after their arrival.

Every score comes from `recent_pulses`, which keeps only what bot.pulses.reporting lets
the pulse's own results show: a pulse below K brings no figure here either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.metrics import Figures, ScopeDelivery, delivery_config, period_figures
from bot.delivery.store import sources, weeks_since
from bot.ownership.assignments import Assignments
from bot.pulses.questions import PulseContent
from bot.qa.knowledge import KnowledgeBase
from bot.signals.assess import Assessment, Event, Inputs, Verdict, assess, months_until
from bot.signals.evaluate import gather_inputs, system_figures
from bot.signals.history import PulsePoint, recent_checkins, recent_pulses
from bot.signals.rules import SignalsConfig
from bot.storage.models import RoleHolder

ALL_PULSES = 400  # enough for any period a report covers
ALL_CHECKINS = 200


@dataclass(frozen=True)
class VerdictAt:
    """The verdict as it stood once a pulse had closed."""

    at: datetime
    verdict: Verdict
    points: int
    has_vpe: bool


@dataclass(frozen=True)
class SearchStart:
    """The next strategic event and the month to start the search to be ready for it."""

    event: Event
    start_month: str  # YYYY-MM
    late: bool  # that month has already gone by
    now: bool = False  # that month is this one


@dataclass(frozen=True)
class DeliveryEvidence:
    """The organisation's delivery figures (DORA metrics, tiers, 12-week trends) and the
    date of the sync they come from: the oldest last sync of the sources read."""

    org: ScopeDelivery
    synced: date
    window: int  # weeks the current figures cover


@dataclass(frozen=True)
class DeliveryComparison:
    """The organisation's delivery over the weeks before and after the arrival."""

    arrival: date
    before: Figures
    after: Figures
    weeks_before: int
    weeks_after: int
    synced: date


@dataclass(frozen=True)
class Comparison:
    """Average scores per dimension over the visible pulses before and after the arrival."""

    arrival: date
    before: dict[str, float]
    after: dict[str, float]
    pulses_before: int
    pulses_after: int


@dataclass(frozen=True)
class DecisionFacts:
    start: date
    end: date
    inputs: Inputs  # history limited to the period
    assessment: Assessment
    timeline: tuple[VerdictAt, ...]
    coming: tuple[Event, ...]
    search: SearchStart | None
    hire_months: int
    comparison: Comparison | None
    delivery: DeliveryEvidence | None
    threshold: int
    delivery_comparison: DeliveryComparison | None = None

    def changes(self) -> list[VerdictAt]:
        """The first verdict of the period, then each one that differs from the one before."""
        return [
            point
            for n, point in enumerate(self.timeline)
            if n == 0 or point.verdict != self.timeline[n - 1].verdict
        ]


def delivery_synced(session: Session, team_id: str) -> date | None:
    """The date the sources were last all read: the oldest of their last syncs."""
    synced = [row.last_sync_at for row in sources(session, team_id) if row.last_sync_at]
    return min(synced).date() if synced else None


def delivery_figures(session: Session, team_id: str, today: date) -> DeliveryEvidence | None:
    """The organisation's figures from the systems, with the sync they come from; None
    before any source has been read."""
    synced = delivery_synced(session, team_id)
    org = system_figures(session, team_id, today, detail=False).org
    if synced is None or org is None:
        return None
    return DeliveryEvidence(org, synced, delivery_config().window_weeks)


def delivery_before_and_after(
    session: Session, team_id: str, arrival: date | None, today: date
) -> DeliveryComparison | None:
    """The complete weeks before the arrival's week and from the week after it on (up to
    the configured weeks each side), when both sides have figures."""
    synced = delivery_synced(session, team_id)
    if arrival is None or synced is None:
        return None
    span = timedelta(weeks=delivery_config().weeks)
    arrival_monday = arrival - timedelta(days=arrival.weekday())
    this_monday = today - timedelta(days=today.weekday())
    after_start = arrival_monday + timedelta(weeks=1)  # the arrival's own week is mixed
    after_end = min(this_monday, after_start + span)
    rows = weeks_since(session, team_id, arrival_monday - span)
    if not rows:
        return None
    first = max(arrival_monday - span, min(row.week for row in rows))  # before: since read
    before = period_figures(rows, first, arrival_monday)
    after = period_figures(rows, after_start, after_end)
    if before is None or after is None:
        return None
    weeks_before = (arrival_monday - first).days // 7
    weeks_after = (after_end - after_start).days // 7
    return DeliveryComparison(arrival, before, after, weeks_before, weeks_after, synced)


def vpe_arrival(session: Session, team_id: str) -> date | None:
    """The day the current VP Engineering was named, if one is."""
    row = session.execute(
        select(RoleHolder.user_id, RoleHolder.updated_at).where(
            RoleHolder.team_id == team_id, RoleHolder.role == "vp_engineering"
        )
    ).first()
    if row is None or row[0] is None:
        return None
    return row[1].date()


def upcoming(event: Event, today: date) -> bool:
    gap = months_until(event.month, today)
    return gap is not None and gap >= 0


def search_start(
    events: Sequence[Event], kinds: Sequence[str], hire_months: int, today: date
) -> SearchStart | None:
    """The next event of these kinds, and its month minus the time to hire."""
    coming = [event for event in events if event.kind in kinds and upcoming(event, today)]
    if not coming:
        return None
    event = min(coming, key=lambda e: e.month)
    year, month = (int(part) for part in event.month.split("-"))
    index = year * 12 + (month - 1) - hire_months
    start = f"{index // 12:04d}-{index % 12 + 1:02d}"
    this_month = f"{today.year:04d}-{today.month:02d}"
    return SearchStart(event, start, start < this_month, start == this_month)


def before_and_after(history: Sequence[PulsePoint], arrival: date | None) -> Comparison | None:
    if arrival is None:
        return None
    visible = [point for point in history if point.visible and point.scores]
    before = [point for point in visible if point.closed_at.date() < arrival]
    after = [point for point in visible if point.closed_at.date() >= arrival]
    if not before or not after:
        return None
    return Comparison(arrival, _means(before), _means(after), len(before), len(after))


def _means(points: Sequence[PulsePoint]) -> dict[str, float]:
    values: dict[str, list[float]] = {}
    for point in points:
        for dimension, score in point.scores.items():
            values.setdefault(dimension, []).append(score)
    return {name: round(sum(v) / len(v), 2) for name, v in values.items()}


def _team_at(team: Assignments, arrival: date | None, day: date) -> Assignments:
    """The roles as they were that day: no VP Engineering before the arrival."""
    if arrival is None or day >= arrival or team.holder("vp_engineering") is None:
        return team
    return replace(team, holders={**team.holders, "vp_engineering": None}, handing_over={})


def verdict_timeline(
    inputs: Inputs, config: SignalsConfig, arrival: date | None, start: date
) -> tuple[VerdictAt, ...]:
    """The assessment as it stood after each pulse of the period closed."""
    points = []
    for point in inputs.history:
        if point.closed_at.date() < start:
            continue
        day = point.closed_at.date()
        then = replace(
            inputs,
            history=[p for p in inputs.history if p.closed_at <= point.closed_at],
            checkins=[c for c in inputs.checkins if c.at <= point.closed_at],
            team=_team_at(inputs.team, arrival, day),
            today=day,
        )
        assessed = assess(then, config)
        verdict = VerdictAt(point.closed_at, assessed.verdict, assessed.points, assessed.has_vpe)
        points.append(verdict)
    return tuple(points)


def decision_facts(
    session: Session,
    team_id: str,
    content: PulseContent,
    kb: KnowledgeBase,
    config: SignalsConfig,
    threshold: int,
    hire_months: int,
    now: datetime,
    weeks: int,
) -> DecisionFacts:
    """Everything the decision report says, over the last `weeks` weeks."""
    today, start = now.date(), (now - timedelta(weeks=weeks)).date()
    inputs = gather_inputs(session, team_id, content, kb, threshold, today)
    inputs = replace(
        inputs,
        history=recent_pulses(session, team_id, content, threshold, ALL_PULSES),
        checkins=recent_checkins(session, team_id, ALL_CHECKINS),
    )
    arrival = vpe_arrival(session, team_id)
    timeline = verdict_timeline(inputs, config, arrival, start)
    assessment = assess(inputs, config)
    kinds = config.signals["strategic_event"].params["kinds"]
    coming = tuple(event for event in inputs.events if upcoming(event, today))
    period = replace(
        inputs,
        history=[p for p in inputs.history if p.closed_at.date() >= start],
        checkins=[c for c in inputs.checkins if c.at.date() >= start],
    )
    return DecisionFacts(
        start=start,
        end=today,
        inputs=period,
        assessment=assessment,
        timeline=timeline,
        coming=coming,
        search=search_start(inputs.events, kinds, hire_months, today),
        hire_months=hire_months,
        comparison=before_and_after(inputs.history, arrival),
        delivery=delivery_figures(session, team_id, today),
        threshold=threshold,
        delivery_comparison=delivery_before_and_after(session, team_id, arrival, today),
    )
