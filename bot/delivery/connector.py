"""What every delivery source gives: weekly, anonymous facts about changes and deployments.

A connector reads one repository (or project) and hands back `Batch`es: counts and durations
per week, never who did the work. Each batch comes with the cursor that resumes after it, and
the caller stores both in one transaction, so a sync cut short starts again where it stopped
and counts nothing twice. A third source is one module implementing `Connector`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol


def week_of(moment: datetime) -> date:
    """The Monday (UTC) that starts the week of `moment`."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    """One week of one source, as added up so far. Durations in hours, in no order."""

    merged: int = 0
    lead_hours: list[float] = field(default_factory=list)
    deployments: int = 0
    failed_deployments: int = 0
    releases: int = 0
    failure_changes: int = 0  # reverts, hotfixes and incident fixes merged
    restore_hours: list[float] = field(default_factory=list)
    sprints_planned: int = 0
    sprints_completed: int = 0
    sprints_added: int = 0
    sprint_ratios: list[float] = field(default_factory=list)  # completed / planned, per sprint

    def add(self, other: Week) -> None:
        for name in (
            "merged",
            "deployments",
            "failed_deployments",
            "releases",
            "failure_changes",
            "sprints_planned",
            "sprints_completed",
            "sprints_added",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lead_hours += other.lead_hours
        self.restore_hours += other.restore_hours
        self.sprint_ratios += other.sprint_ratios


@dataclass
class Batch:
    weeks: dict[date, Week] = field(default_factory=dict)

    def week(self, moment: datetime) -> Week:
        return self.weeks.setdefault(week_of(moment), Week())


Cursor = dict[str, Any]
Commit = Callable[[Batch, Cursor], None]


class Connector(Protocol):
    """One repository or project of one system."""

    kind: str
    name: str

    def sync(self, cursor: Cursor, commit: Commit, now: datetime) -> None:
        """Read what changed since `cursor`, calling `commit(batch, cursor)` after each step."""
        ...


def hours(start: datetime, end: datetime) -> float:
    return round(max(0.0, (end - start).total_seconds() / 3600), 2)


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
