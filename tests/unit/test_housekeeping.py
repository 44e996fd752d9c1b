"""Housekeeping: old retry marks go; an uninstalled workspace's data goes after the grace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.ownership.assignments import set_role_holder
from bot.storage.housekeeping import forget_old_requests, purge_workspace, workspaces_to_purge
from bot.storage.models import Base, SeenDelivery
from bot.storage.seen_requests import claim_request
from bot.team.workspace import mark_uninstalled
from tests.support.history import seed_pulse

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_old_delivery_marks_are_forgotten(session: Session) -> None:
    claim_request(session, "T1", "event:old", NOW - timedelta(days=3))
    claim_request(session, "T1", "event:new", NOW - timedelta(hours=1))
    assert forget_old_requests(session, NOW) == 1
    assert session.scalars(select(SeenDelivery.key)).all() == ["event:new"]


def rows_of(session: Session, team_id: str) -> int:
    total = 0
    for table in Base.metadata.sorted_tables:
        if "team_id" in table.columns:
            query = select(func.count()).select_from(table).where(table.c.team_id == team_id)
            total += session.scalar(query) or 0
    return total


def test_an_uninstalled_workspace_is_purged_after_the_grace_period(session: Session) -> None:
    for team in ("T1", "T2"):
        seed_pulse(
            session,
            team,
            NOW - timedelta(days=40),
            {"energy": [3] * 5},
            [f"U{n}" for n in range(5)],
        )
        set_role_holder(session, team, "cto", "UCTO", "UA", NOW)
    mark_uninstalled(session, "T2", NOW - timedelta(days=31))
    session.flush()
    grace = timedelta(days=30)
    assert workspaces_to_purge(session, NOW - timedelta(days=2), grace) == []
    assert workspaces_to_purge(session, NOW, grace) == ["T2"]
    kept = rows_of(session, "T1")
    purge_workspace(session, "T2")
    assert rows_of(session, "T2") == 0
    assert rows_of(session, "T1") == kept, "the other workspace is untouched"
