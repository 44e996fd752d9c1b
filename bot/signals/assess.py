"""The assessment: each signal on or off with its severity and evidence, and the verdict.

Pure functions over plain data: the caller gathers the history (bot.signals.history), the
team's facts and events, and the roles. Thresholds come from content/signals.toml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Literal

from bot.delivery.metrics import Delivery, ScopeDelivery
from bot.ownership.assignments import Assignments, who_owns
from bot.pulses.noise import beyond_noise
from bot.qa.knowledge import Owner
from bot.signals.history import CheckinPoint, PulsePoint
from bot.signals.rules import SIGNALS, SignalsConfig, SignalSpec, at_most, below
from bot.team.teams import team_key

Severity = Literal["low", "medium", "high"]
Verdict = Literal["all_clear", "watch", "act"]
RANK = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class CheckinsEvidence:
    """The CTO's own check-ins: (when, share of the week on operations, decisions waiting)."""

    rows: tuple[tuple[datetime, int | None, int | None], ...]


@dataclass(frozen=True)
class LowScore:
    dimension: str
    score: float
    at: datetime


@dataclass(frozen=True)
class FallingScore:
    dimension: str
    series: tuple[tuple[datetime, float], ...]


@dataclass(frozen=True)
class ComingEvent:
    kind: str
    month: str
    label: str
    months: int


@dataclass(frozen=True)
class OrgSizeEvidence:
    engineers: int | None
    teams: int | None
    managers: int | None


@dataclass(frozen=True)
class TeamScore:
    """One team's score on a dimension: low over its last pulses, or falling over them."""

    team: str
    dimension: str
    score: float  # the average over `pulses`, or the latest when falling
    pulses: int
    start: float | None = None  # where a fall started; None when low throughout


@dataclass(frozen=True)
class MetricRise:
    """A delivery figure from the systems that moved the wrong way: `metric` went from
    `start` to `end` over `weeks` weeks (lead time in days)."""

    metric: str
    scope: str
    start: float
    end: float
    weeks: int


@dataclass(frozen=True)
class FailureRate:
    scope: str
    rate: float
    weeks: int


@dataclass(frozen=True)
class SprintsUnder:
    scope: str
    under: int
    of: int
    share: float


Evidence = (
    CheckinsEvidence
    | LowScore
    | FallingScore
    | ComingEvent
    | OrgSizeEvidence
    | TeamScore
    | MetricRise
    | FailureRate
    | SprintsUnder
)


@dataclass(frozen=True)
class SignalResult:
    id: str
    active: bool
    severity: Severity | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class OrgSize:
    engineers: int | None = None
    teams: int | None = None
    managers: int | None = None


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    month: str  # YYYY-MM
    label: str


@dataclass(frozen=True)
class Inputs:
    history: Sequence[PulsePoint]  # oldest first
    checkins: Sequence[CheckinPoint]  # oldest first
    org: OrgSize
    events: Sequence[Event]
    team: Assignments
    areas: Sequence[tuple[str, Owner]]
    today: date
    teams: Mapping[str, Sequence[PulsePoint]] = field(default_factory=dict)  # by team name
    delivery: Delivery | None = None  # figures from the systems, when sources are set up


@dataclass(frozen=True)
class Assessment:
    signals: tuple[SignalResult, ...]
    points: int
    verdict: Verdict
    has_vpe: bool
    steps: tuple[tuple[str, int], ...]  # (signal id or "all_clear", step index)
    ownership_gaps: tuple[str, ...] = ()

    def active(self) -> tuple[SignalResult, ...]:
        return tuple(signal for signal in self.signals if signal.active)


def assess(inputs: Inputs, config: SignalsConfig) -> Assessment:
    """Evaluate every signal, add up the points, and pick the verdict and next steps."""
    has_vpe = inputs.team.holder("vp_engineering") is not None
    results = (
        cto_drowning(inputs, config),
        dimension_signal("chaotic_delivery", inputs, config),
        dimension_signal("losing_energy", inputs, config),
        dimension_signal("processes_dont_scale", inputs, config),
        strategic_event(inputs, config.signals["strategic_event"]),
        outgrown(inputs, config.signals["outgrown"], has_vpe),
        deliveries_slipping(inputs, config.signals["deliveries_slipping"]),
    )
    points = sum(config.points[r.severity] for r in results if r.active and r.severity)
    verdict: Verdict = (
        "act"
        if points >= config.act_from
        else "watch"
        if points >= config.watch_from
        else "all_clear"
    )
    gaps = tuple(
        area for area, owner in inputs.areas if not who_owns(area, owner, inputs.team).people
    )
    return Assessment(results, points, verdict, has_vpe, next_steps(results, config), gaps)


def next_steps(
    results: Sequence[SignalResult], config: SignalsConfig
) -> tuple[tuple[str, int], ...]:
    """The first step of each active signal, most severe first, then the second ones."""
    active = sorted(
        (r for r in results if r.active and r.severity),
        key=lambda r: (-RANK[r.severity or "low"], SIGNALS.index(r.id)),
    )
    if not active:
        return tuple(("all_clear", n) for n in range(config.max_steps))[:2]
    ordered = [(r.id, n) for n in (0, 1) for r in active]
    return tuple(ordered[: config.max_steps])


def latest(history: Sequence[PulsePoint], dimension: str) -> PulsePoint | None:
    return next((p for p in reversed(history) if dimension in p.scores), None)


def falling(
    history: Sequence[PulsePoint], dimension: str, config: SignalsConfig
) -> list[PulsePoint] | None:
    """The last pulses over which the dimension fell at every step, if they make a trend:
    a total drop of at least the configured minimum, and beyond the noise for the answers
    behind the first and the last score (bot.pulses.noise)."""
    points = [p for p in history if dimension in p.scores][-config.trend_pulses :]
    if len(points) < config.trend_pulses:
        return None
    scores = [p.scores[dimension] for p in points]
    steadily_down = all(below(later, earlier) for earlier, later in pairwise(scores))
    drop = scores[0] - scores[-1]
    first, last = points[0].answers_to(dimension), points[-1].answers_to(dimension)
    if steadily_down and at_most(config.trend_min_drop, drop) and beyond_noise(drop, last, first):
        return points
    return None


def dimension_signal(signal_id: str, inputs: Inputs, config: SignalsConfig) -> SignalResult:
    spec = config.signals[signal_id]
    worst: Severity | None = None
    evidence: list[Evidence] = []
    for dimension in spec.params["dimensions"]:
        point = latest(inputs.history, dimension)
        trend = falling(inputs.history, dimension, config)
        severity = _level(point.scores[dimension] if point else None, spec, trend is not None)
        if severity is None:
            continue
        if point and below(point.scores[dimension], spec.number("below")):
            evidence.append(_low(dimension, point))
        if trend:
            evidence.append(_falling(dimension, trend))
        worst = severity if worst is None or RANK[severity] > RANK[worst] else worst
    for found, severity in team_evidence(spec, inputs, config):
        evidence.append(found)
        worst = severity if worst is None or RANK[severity] > RANK[worst] else worst
    if spec.params.get("team_delivery") and "deliveries_slipping" in config.signals:
        evidence += team_delivery(evidence, inputs, config.signals["deliveries_slipping"])
    return SignalResult(signal_id, worst is not None, worst, tuple(evidence))


def team_delivery(found: Sequence[Evidence], inputs: Inputs, spec: SignalSpec) -> list[Evidence]:
    """Beside a team's pulse score, that team's lead time from the systems when it rose as
    `deliveries_slipping` counts a rise: a team's figures, never a person's. Cited only, so
    the signal's severity stays the pulse's."""
    scopes = {team_key(s.name): s for s in inputs.delivery.teams} if inputs.delivery else {}
    named = dict.fromkeys(team_key(item.team) for item in found if isinstance(item, TeamScore))
    rises = [lead_rise(scopes[key], spec) for key in named if key in scopes]
    return [rise for rise in rises if rise is not None]


def lead_rise(scope: ScopeDelivery, spec: SignalSpec) -> MetricRise | None:
    """Lead time (median) that grew by `lead_rise` or more between the week `span` weeks
    ago and the last complete week, ending at `lead_min_days` or more. Compared on the two
    decimals lead times are kept with (bot.signals.rules): 1.1 to 1.65 days is half again."""
    span = int(spec.number("span"))
    leads = [figures.lead_days for _, figures in scope.weeks][-(span + 1) :]
    if len(leads) != span + 1 or not leads[0] or not leads[-1]:
        return None
    start, end = leads[0], leads[-1]
    if below(end, start * spec.number("lead_rise")) or below(end, spec.number("lead_min_days")):
        return None
    return MetricRise("lead_time", scope.name, start, end, span)


def team_evidence(
    spec: SignalSpec, inputs: Inputs, config: SignalsConfig
) -> list[tuple[TeamScore, Severity]]:
    """Teams whose score on one of the signal's dimensions stayed under the line over their
    last `trend_pulses` shown pulses (medium), or fell beyond the noise over them (low)."""
    found: list[tuple[TeamScore, Severity]] = []
    for team, history in sorted(inputs.teams.items()):
        for dimension in spec.params["dimensions"]:
            points = [p for p in history if dimension in p.scores][-config.trend_pulses :]
            if len(points) < config.trend_pulses:
                continue
            scores = [p.scores[dimension] for p in points]
            average = round(sum(scores) / len(scores), 2)
            if all(below(score, spec.number("below")) for score in scores):
                found.append((TeamScore(team, dimension, average, len(points)), "medium"))
            elif falling(history, dimension, config):
                fall = TeamScore(team, dimension, scores[-1], len(points), scores[0])
                found.append((fall, "low"))
    return found


def _level(score: float | None, spec: SignalSpec, is_falling: bool) -> Severity | None:
    if score is not None and at_most(score, spec.number("high_below")):
        return "high"
    if score is not None and below(score, spec.number("below")):
        return "high" if is_falling else "medium"
    return "low" if is_falling else None


def _low(dimension: str, point: PulsePoint) -> Evidence:
    return LowScore(dimension, point.scores[dimension], point.closed_at)


def _falling(dimension: str, points: Sequence[PulsePoint]) -> Evidence:
    return FallingScore(dimension, tuple((p.closed_at, p.scores[dimension]) for p in points))


def cto_drowning(inputs: Inputs, config: SignalsConfig) -> SignalResult:
    spec = config.signals["cto_drowning"]
    checkins = [c for c in inputs.checkins if c.operations_share is not None]
    checkins = checkins[-int(spec.number("checkins")) :]
    heavy = [c for c in checkins if (c.operations_share or 0) >= spec.number("operations_from")]
    own_view = len(heavy) >= spec.number("checkins_needed")
    last = checkins[-1] if checkins else None
    overloaded = bool(
        last
        and (
            (last.operations_share or 0) >= spec.number("operations_high")
            or (last.decisions_waiting or 0) >= spec.number("decisions_high")
        )
    )
    point = latest(inputs.history, "cto_bottleneck")
    trend = falling(inputs.history, "cto_bottleneck", config)
    team_view = bool(
        point and at_most(point.scores["cto_bottleneck"], spec.number("bottleneck_below"))
    )
    evidence: list[Evidence] = []
    if checkins and (own_view or overloaded):
        rows = tuple((c.at, c.operations_share, c.decisions_waiting) for c in checkins)
        evidence.append(CheckinsEvidence(rows))
    if team_view and point:
        evidence.append(_low("cto_bottleneck", point))
    if trend:
        evidence.append(_falling("cto_bottleneck", trend))
    if not (own_view or team_view or trend):
        return SignalResult("cto_drowning", False)
    severity: Severity = "high" if (own_view and (team_view or overloaded)) else "medium"
    return SignalResult("cto_drowning", True, severity, tuple(evidence))


def months_until(month: str, today: date) -> int | None:
    try:
        year, number = (int(part) for part in month.split("-"))
    except ValueError:
        return None
    return (year * 12 + number) - (today.year * 12 + today.month)


def strategic_event(inputs: Inputs, spec: SignalSpec) -> SignalResult:
    coming = []
    for event in inputs.events:
        gap = months_until(event.month, inputs.today)
        if (
            event.kind in spec.params["kinds"]
            and gap is not None
            and 0 <= gap <= spec.number("within_months")
        ):
            coming.append((gap, event))
    if not coming:
        return SignalResult("strategic_event", False)
    coming.sort(key=lambda pair: pair[0])
    severity: Severity = "high" if coming[0][0] <= spec.number("high_within_months") else "medium"
    evidence = tuple(ComingEvent(e.kind, e.month, e.label, gap) for gap, e in coming)
    return SignalResult("strategic_event", True, severity, evidence)


def outgrown(inputs: Inputs, spec: SignalSpec, has_vpe: bool) -> SignalResult:
    org = inputs.org
    engineers, teams, managers = org.engineers or 0, org.teams or 0, org.managers or 0
    big = (
        engineers >= spec.number("engineers_from")
        or teams >= spec.number("teams_from")
        or managers >= spec.number("managers_from")
    )
    if has_vpe or not big:
        return SignalResult("outgrown", False)
    very = engineers >= spec.number("engineers_high") or teams >= spec.number("teams_high")
    evidence = OrgSizeEvidence(org.engineers, org.teams, org.managers)
    return SignalResult("outgrown", True, "high" if very else "medium", (evidence,))


def deliveries_slipping(inputs: Inputs, spec: SignalSpec) -> SignalResult:
    """From the systems: lead time rising, many failed changes, sprints short of plan."""
    from bot.delivery.metrics import delivery_config

    org = inputs.delivery.org if inputs.delivery else None
    if org is None:
        return SignalResult("deliveries_slipping", False)
    evidence: list[Evidence] = []
    high = False
    rise = lead_rise(org, spec)
    if rise is not None:
        evidence.append(rise)
        high = at_most(rise.start * spec.number("lead_rise_high"), rise.end)
    rate = org.now.change_failure
    if rate is not None and rate > spec.number("failure_above"):
        evidence.append(FailureRate(org.name, rate, delivery_config().window_weeks))
    last = org.sprint_ratios[-int(spec.number("sprints")) :]
    share = delivery_config().sprint_under
    under = sum(1 for ratio in last if ratio < share)
    if len(last) == int(spec.number("sprints")) and under >= spec.number("sprints_needed"):
        evidence.append(SprintsUnder(org.name, under, len(last), share))
    if not evidence:
        return SignalResult("deliveries_slipping", False)
    severity: Severity = "high" if high or len(evidence) > 1 else "medium"
    return SignalResult("deliveries_slipping", True, severity, tuple(evidence))
