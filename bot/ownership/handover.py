"""The handover: the VP Engineering's areas moving from the CTO to them, one step at a time.

A step is an area and a due date. Until a step is done the CTO keeps its area, even though
the area belongs to the VP Engineering by default; from the day it is done, the VP
Engineering owns it (`load_assignments` reads the steps still open). The plan proposed
first puts the areas the active signals point at first (content/handover.toml).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.content import CONTENT_DIR
from bot.storage.models import HandoverStep
from bot.storage.sql import upsert


@dataclass(frozen=True)
class HandoverConfig:
    phases: tuple[int, ...]  # days after the start, one per third of the plan
    pointers: dict[str, tuple[str, ...]]  # signal id -> the areas it points at


@cache
def handover_config(path: Path = CONTENT_DIR / "handover.toml") -> HandoverConfig:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    phases = tuple(int(days) for days in data["plan"]["phases"])
    if not phases or list(phases) != sorted(phases) or phases[0] <= 0:
        raise ValueError(f"{path}: plan.phases must be increasing numbers of days")
    pointers = {signal: tuple(areas) for signal, areas in data["signals"].items()}
    return HandoverConfig(phases, pointers)


@dataclass(frozen=True)
class PlannedStep:
    area: str
    due_on: date


@dataclass(frozen=True)
class Step:
    id: int
    team_id: str
    area: str
    position: int
    due_on: date
    done_at: datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


def propose_plan(
    areas: Sequence[str],
    pointed: Iterable[str],
    start: date,
    config: HandoverConfig,
) -> list[PlannedStep]:
    """The first plan: every area, those the signals point at first, over the phases.

    Args:
        areas: the VP Engineering's areas, in the knowledge base's order.
        pointed: active signal ids, most severe first.
        start: the day the plan starts.
        config: phases and which areas each signal points at.
    """
    first = [area for signal in pointed for area in config.pointers.get(signal, ())]
    ordered = list(dict.fromkeys(area for area in [*first, *areas] if area in areas))
    # Earlier phases take the remainder: the urgent areas are not left for the last month.
    size, extra = divmod(len(ordered), len(config.phases))
    plan, index = [], 0
    for phase, days in enumerate(config.phases):
        count = size + (1 if phase < extra else 0)
        for area in ordered[index : index + count]:
            plan.append(PlannedStep(area, start + timedelta(days=days)))
        index += count
    return plan


def load_steps(session: Session, team_id: str) -> list[Step]:
    """The plan's steps in their order (empty: no handover planned)."""
    rows = session.scalars(
        select(HandoverStep)
        .where(HandoverStep.team_id == team_id)
        .order_by(HandoverStep.position, HandoverStep.id)
    )
    return [_step(row) for row in rows]


def open_steps(session: Session, team_id: str) -> dict[str, date]:
    """Areas still with the CTO while they are handed over, with their due dates."""
    rows = session.execute(
        select(HandoverStep.area, HandoverStep.due_on).where(
            HandoverStep.team_id == team_id, HandoverStep.done_at.is_(None)
        )
    )
    return {area: due for area, due in rows.all()}  # noqa: C416 - Rows, not pairs


def save_plan(
    session: Session, team_id: str, planned: Sequence[PlannedStep], now: datetime
) -> None:
    """The plan as given, in its order. Steps already done stay done (and in the plan);
    open steps left out of it are dropped, their areas going back to the default owner."""
    keep = [step.area for step in planned]
    session.execute(
        delete(HandoverStep).where(
            HandoverStep.team_id == team_id,
            HandoverStep.done_at.is_(None),
            HandoverStep.area.not_in(keep),
        )
    )
    for position, step in enumerate(planned, start=1):
        values = {"team_id": team_id, "area": step.area, "position": position}
        values |= {"due_on": step.due_on, "planned_at": now}
        upsert(session, HandoverStep, ["team_id", "area"], values)


def mark_done(session: Session, team_id: str, area: str, now: datetime) -> bool:
    """The area is handed over from `now`; False when it was not an open step."""
    result = session.execute(
        update(HandoverStep)
        .where(
            HandoverStep.team_id == team_id,
            HandoverStep.area == area,
            HandoverStep.done_at.is_(None),
        )
        .values(done_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def due_steps(session: Session, today: date) -> list[Step]:
    """Open steps whose date has come, in every workspace."""
    rows = session.scalars(
        select(HandoverStep).where(HandoverStep.done_at.is_(None), HandoverStep.due_on <= today)
    )
    return [_step(row) for row in rows]


def _step(row: HandoverStep) -> Step:
    return Step(row.id, row.team_id, row.area, row.position, row.due_on, row.done_at)
