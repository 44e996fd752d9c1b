"""Routine clean-up that keeps the database small."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import column, delete, select, table
from sqlalchemy.orm import Session

from bot.storage.db import SLACK_SDK_TABLES
from bot.storage.models import Base, SeenDelivery, Workspace

# Slack retries an event for about an hour at most; two days leaves a wide margin.
REMEMBER_DELIVERIES_FOR = timedelta(days=2)


def forget_old_requests(session: Session, now: datetime) -> int:
    """Drop the retry-protection marks that no retry can need any more; return how many."""
    result = session.execute(
        delete(SeenDelivery).where(SeenDelivery.seen_at < now - REMEMBER_DELIVERIES_FOR)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def workspaces_to_purge(session: Session, now: datetime, grace: timedelta) -> list[str]:
    """Workspaces uninstalled longer ago than the grace period."""
    query = select(Workspace.team_id).where(
        Workspace.uninstalled_at.is_not(None), Workspace.uninstalled_at < now - grace
    )
    return list(session.scalars(query))


def purge_workspace(session: Session, team_id: str) -> None:
    """Delete every row of the workspace, in every table that has a team id."""
    ours = [t for t in Base.metadata.sorted_tables if "team_id" in t.columns]
    for ours_table in reversed(ours):
        session.execute(delete(ours_table).where(ours_table.c.team_id == team_id))
    for name in sorted(SLACK_SDK_TABLES - {"slack_oauth_states"}):
        installations = table(name, column("team_id"))
        session.execute(delete(installations).where(installations.c.team_id == team_id))
