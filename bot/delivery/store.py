"""Delivery sources and their weekly figures in the database.

One sync of a source at a time (a lease on its row, taken by one UPDATE); each batch a
connector hands back is added to its weeks together with the cursor that follows it, in
the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.delivery.connector import Batch, Cursor, Week
from bot.storage.models import DeliverySource, DeliveryWeek
from bot.storage.sql import insert_once

COUNTS = (
    "merged",
    "deployments",
    "failed_deployments",
    "releases",
    "failure_changes",
    "sprints_planned",
    "sprints_completed",
    "sprints_added",
)
LISTS = ("lead_hours", "restore_hours", "sprint_ratios")


@dataclass(frozen=True)
class SourceRow:
    """A source as `/vpe sources` lists it (never its token)."""

    id: int
    kind: str
    name: str
    team_name: str | None
    from_env: bool
    last_sync_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class SourceWeek:
    source: str
    team: str | None
    week: date
    figures: Week


def ensure_source(
    session: Session,
    team_id: str,
    kind: str,
    name: str,
    team_name: str | None,
    *,
    from_env: bool = False,
    token: str | None = None,
    api_url: str | None = None,
) -> int:
    """The source's id, created when new; its team mapping follows the latest setting."""
    insert_once(
        session,
        DeliverySource,
        ["team_id", "kind", "name"],
        team_id=team_id,
        kind=kind,
        name=name,
        team_name=team_name,
        from_env=from_env,
        token=token,
        api_url=api_url,
        cursor={},
    )
    session.execute(
        update(DeliverySource)
        .where(
            DeliverySource.team_id == team_id,
            DeliverySource.kind == kind,
            DeliverySource.name == name,
        )
        .values(team_name=team_name)
    )
    source_id = session.scalar(
        select(DeliverySource.id).where(
            DeliverySource.team_id == team_id,
            DeliverySource.kind == kind,
            DeliverySource.name == name,
        )
    )
    assert source_id is not None
    return source_id


def sources(session: Session, team_id: str) -> list[DeliverySource]:
    query = select(DeliverySource).where(DeliverySource.team_id == team_id)
    return list(session.scalars(query.order_by(DeliverySource.kind, DeliverySource.name)))


def source_rows(session: Session, team_id: str) -> list[SourceRow]:
    return [
        SourceRow(
            row.id,
            row.kind,
            row.name,
            row.team_name,
            row.from_env,
            row.last_sync_at,
            row.last_error,
        )
        for row in sources(session, team_id)
    ]


def take_lease(session: Session, source_id: int, now: datetime, stale: timedelta) -> bool:
    """True for the one caller that may sync this source now (a dead sync's lease expires)."""
    result = session.execute(
        update(DeliverySource)
        .where(
            DeliverySource.id == source_id,
            or_(
                DeliverySource.syncing_since.is_(None),
                DeliverySource.syncing_since < now - stale,
            ),
        )
        .values(syncing_since=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def finish_sync(session: Session, source_id: int, now: datetime, error: str | None) -> None:
    values: dict[str, Any] = {"syncing_since": None, "last_error": error}
    if error is None:
        values["last_sync_at"] = now
    else:
        values["last_error"] = error[:500]
    session.execute(update(DeliverySource).where(DeliverySource.id == source_id).values(values))


def add_batch(session: Session, team_id: str, source_id: int, batch: Batch, cursor: Cursor) -> None:
    """Add a batch to its weeks and move the cursor, in the caller's transaction. Only the
    lease holder writes a source's weeks, so reading a row and writing it back is safe."""
    for monday, week in batch.weeks.items():
        row = session.get(DeliveryWeek, (source_id, monday))
        if row is None:
            row = DeliveryWeek(source_id=source_id, week=monday, team_id=team_id)
            for name in COUNTS:
                setattr(row, name, 0)
            for name in LISTS:
                setattr(row, name, [])
            session.add(row)
        for name in COUNTS:
            setattr(row, name, getattr(row, name) + getattr(week, name))
        for name in LISTS:
            setattr(row, name, sorted([*getattr(row, name), *getattr(week, name)]))
    session.execute(
        update(DeliverySource).where(DeliverySource.id == source_id).values(cursor=cursor)
    )


def weeks_since(session: Session, team_id: str, first: date) -> list[SourceWeek]:
    """Every source's weeks from `first` on, oldest first (plain rows: no ORM objects)."""
    columns = [getattr(DeliveryWeek, name) for name in (*COUNTS, *LISTS)]
    rows: Sequence[Any] = session.execute(
        select(DeliveryWeek.week, DeliverySource.name, DeliverySource.team_name, *columns)
        .join(DeliverySource, DeliverySource.id == DeliveryWeek.source_id)
        .where(DeliveryWeek.team_id == team_id, DeliveryWeek.week >= first)
        .order_by(DeliveryWeek.week)
    ).all()
    return [SourceWeek(row[1], row[2], row[0], _figures(row[3:])) for row in rows]


def _figures(values: Sequence[Any]) -> Week:
    week = Week()
    for name, value in zip((*COUNTS, *LISTS), values, strict=True):
        setattr(week, name, list(value or []) if name in LISTS else int(value or 0))
    return week


def remove_source(session: Session, team_id: str, source_id: int) -> bool:
    """This workspace's source and its weeks; False when it has no such source."""
    from sqlalchemy import delete

    session.execute(
        delete(DeliveryWeek).where(
            DeliveryWeek.source_id == source_id, DeliveryWeek.team_id == team_id
        )
    )
    result = session.execute(
        delete(DeliverySource).where(
            DeliverySource.id == source_id, DeliverySource.team_id == team_id
        )
    )
    return bool(getattr(result, "rowcount", 0))
