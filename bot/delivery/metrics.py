"""Weekly delivery figures per repository, per team and for the organisation, with tiers.

Pure functions over the stored weeks (bot.delivery.store). A team's or the organisation's
median is taken over all its changes, not as a median of medians. Thresholds and what
counts come from content/delivery.toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from statistics import median
from typing import Any, Literal

from bot.core.content import CONTENT_DIR
from bot.delivery.connector import Week
from bot.delivery.store import SourceWeek

Tier = Literal["elite", "high", "medium", "low"]
METRICS = ("deployment_frequency", "lead_time", "change_failure", "time_to_restore")
ORG = ""  # the organisation's scope name


@dataclass(frozen=True)
class TierEdges:
    higher_is_better: bool
    elite: float
    high: float
    medium: float

    def tier(self, value: float) -> Tier:
        for name, edge in (("elite", self.elite), ("high", self.high), ("medium", self.medium)):
            if (value >= edge) if self.higher_is_better else (value <= edge):
                return name  # type: ignore[return-value]
        return "low"


@dataclass(frozen=True)
class DeliveryConfig:
    weeks: int
    window_weeks: int
    tiers: dict[str, TierEdges]
    revert_prefixes: tuple[str, ...]
    failure_labels: tuple[str, ...]
    sprint_under: float


def load_delivery_config(path: Path = CONTENT_DIR / "delivery.toml") -> DeliveryConfig:
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    tiers = {
        name: TierEdges(
            data["tiers"][name]["better"] == "higher",
            float(data["tiers"][name]["elite"]),
            float(data["tiers"][name]["high"]),
            float(data["tiers"][name]["medium"]),
        )
        for name in METRICS
    }
    return DeliveryConfig(
        weeks=int(data["weeks"]),
        window_weeks=int(data["window_weeks"]),
        tiers=tiers,
        revert_prefixes=tuple(data["failures"]["revert_prefixes"]),
        failure_labels=tuple(label.lower() for label in data["failures"]["labels"]),
        sprint_under=float(data["sprints"]["under"]),
    )


@cache
def delivery_config() -> DeliveryConfig:
    return load_delivery_config()


@dataclass(frozen=True)
class Figures:
    """One week, or a window of weeks, of one scope."""

    deployments_per_week: float | None
    lead_days: float | None  # median
    change_failure: float | None  # 0..1
    restore_hours: float | None  # median
    merged: int
    sprint_completion: float | None  # completed / (planned + added)
    scope_added: float | None  # added after the start / planned


@dataclass(frozen=True)
class ScopeDelivery:
    """A repository, a team or the organisation (name ORG)."""

    name: str
    kind: Literal["org", "team", "source"]
    weeks: tuple[tuple[date, Figures], ...]  # oldest first, complete weeks only
    now: Figures  # the last `window_weeks`
    tiers: dict[str, Tier]
    sprint_ratios: tuple[float, ...]  # the last sprints' completion, oldest first


@dataclass(frozen=True)
class Delivery:
    org: ScopeDelivery | None
    teams: tuple[ScopeDelivery, ...] = ()
    sources: tuple[ScopeDelivery, ...] = ()
    synced: bool = field(default=False)


def mondays(today: date, count: int) -> list[date]:
    """The Mondays of the last `count` complete weeks before `today`, oldest first."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=count - n) for n in range(count)]


def figures(weeks: Sequence[Week], use_releases: bool, span: int) -> Figures:
    total = Week()
    for week in weeks:
        total.add(week)
    shipped = total.releases if use_releases else total.deployments
    attempts = total.deployments + total.failed_deployments
    if use_releases or attempts == 0:
        attempts = total.releases or total.merged
    failures = total.failed_deployments + total.failure_changes
    no_deploys = use_releases and total.releases == 0 and total.deployments == 0
    return Figures(
        deployments_per_week=None if no_deploys else round(shipped / span, 2),
        lead_days=round(median(total.lead_hours) / 24, 2) if total.lead_hours else None,
        change_failure=min(1.0, failures / attempts) if attempts else None,
        restore_hours=round(median(total.restore_hours), 2) if total.restore_hours else None,
        merged=total.merged,
        sprint_completion=(
            total.sprints_completed / (total.sprints_planned + total.sprints_added)
            if total.sprints_planned + total.sprints_added
            else None
        ),
        scope_added=total.sprints_added / total.sprints_planned if total.sprints_planned else None,
    )


def scope(
    name: str,
    kind: Literal["org", "team", "source"],
    rows: Iterable[SourceWeek],
    today: date,
    config: DeliveryConfig,
) -> ScopeDelivery:
    rows = list(rows)
    deploying = {r.source for r in rows if r.figures.deployments or r.figures.failed_deployments}
    by_week: dict[date, list[Week]] = {}
    for row in rows:
        by_week.setdefault(row.week, []).append(_shipped(row, deploying))
    all_weeks = [w for ws in by_week.values() for w in ws]
    use_releases = not any(w.deployments or w.failed_deployments for w in all_weeks)
    series = tuple(
        (monday, figures(by_week.get(monday, []), use_releases, 1))
        for monday in mondays(today, config.weeks)
    )
    window = [w for m in mondays(today, config.window_weeks) for w in by_week.get(m, [])]
    now = figures(window, use_releases, config.window_weeks)
    ratios = tuple(r for w in sorted(by_week) for f in by_week[w] for r in f.sprint_ratios)
    return ScopeDelivery(name, kind, series, now, tiers_of(now, config), ratios)


def _shipped(row: SourceWeek, deploying: set[str]) -> Week:
    """A source that publishes releases but no deployments ships with its releases."""
    if row.source in deploying or not row.figures.releases:
        return row.figures
    week = Week()
    week.add(row.figures)
    week.deployments, week.releases = week.releases, 0
    return week


def tiers_of(now: Figures, config: DeliveryConfig) -> dict[str, Tier]:
    values = {
        "deployment_frequency": now.deployments_per_week,
        "lead_time": None if now.lead_days is None else now.lead_days * 24,
        "change_failure": now.change_failure,
        "time_to_restore": now.restore_hours,
    }
    return {
        name: config.tiers[name].tier(value) for name, value in values.items() if value is not None
    }


def delivery(
    rows: Sequence[SourceWeek], today: date, config: DeliveryConfig, detail: bool = True
) -> Delivery:
    """The organisation, and with `detail` each mapped team and each source, over the
    configured weeks (the signals and the digest need the organisation only)."""
    if not rows:
        return Delivery(None)
    if not detail:
        return Delivery(scope(ORG, "org", rows, today, config), synced=True)
    teams = sorted({row.team for row in rows if row.team})
    names = sorted({row.source for row in rows})
    return Delivery(
        org=scope(ORG, "org", rows, today, config),
        teams=tuple(
            scope(team, "team", [r for r in rows if r.team == team], today, config)
            for team in teams
        ),
        sources=tuple(
            scope(name, "source", [r for r in rows if r.source == name], today, config)
            for name in names
        ),
        synced=True,
    )


def period_figures(rows: Sequence[SourceWeek], first: date, end: date) -> Figures | None:
    """The figures of the weeks from the Monday `first` to before the Monday `end` (a
    before/after comparison); None when no source has a week there."""
    inside = [row for row in rows if first <= row.week < end]
    if not inside:
        return None
    deploying = {r.source for r in inside if r.figures.deployments or r.figures.failed_deployments}
    weeks = [_shipped(row, deploying) for row in inside]
    use_releases = not any(w.deployments or w.failed_deployments for w in weeks)
    return figures(weeks, use_releases, max(1, (end - first).days // 7))
