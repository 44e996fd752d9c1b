"""Delivery sources mapped to the teams of `/vpe teams`.

A source names its team as typed (in `/vpe sources` or GITHUB_TEAMS); it counts for that
team only while `/vpe teams` has a team of that name, matched as teams match names
(whatever the case and spacing). Otherwise it counts for the organisation alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.delivery.store import SourceRow, SourceWeek
from bot.storage.models import DeliverySource, Team
from bot.team.teams import team_key


def team_names(session: Session, team_id: str) -> dict[str, str]:
    """The workspace's teams: their name by key."""
    query = select(Team.key, Team.name).where(Team.team_id == team_id)
    return {str(row[0]): str(row[1]) for row in session.execute(query)}


def team_of(named: str | None, teams: Mapping[str, str]) -> str | None:
    """The team a source counts for: the existing team's own name, else None."""
    return teams.get(team_key(named)) if named else None


def on_teams(rows: Sequence[SourceWeek], teams: Mapping[str, str]) -> list[SourceWeek]:
    """The weeks with each source's team resolved (None: the organisation only)."""
    return [replace(row, team=team_of(row.team, teams)) for row in rows]


def unmapped(sources: Iterable[SourceRow], teams: Mapping[str, str]) -> list[tuple[str, str]]:
    """(source, team it names) for each source whose team `/vpe teams` does not have."""
    return [
        (source.name, source.team_name)
        for source in sources
        if source.team_name and team_of(source.team_name, teams) is None
    ]


def release_team(session: Session, team_id: str, name: str) -> list[str]:
    """The names of the sources a removed team had; those added in `/vpe sources` lose
    their team (the environment's keep GITHUB_TEAMS's, which no longer matches)."""
    key = team_key(name)
    rows = session.execute(
        select(DeliverySource.id, DeliverySource.name, DeliverySource.team_name).where(
            DeliverySource.team_id == team_id, DeliverySource.team_name.is_not(None)
        )
    ).all()
    mine = [(row[0], row[1]) for row in rows if team_key(row[2] or "") == key]
    if mine:
        session.execute(
            update(DeliverySource)
            .where(
                DeliverySource.id.in_([source_id for source_id, _ in mine]),
                DeliverySource.from_env.is_(False),
            )
            .values(team_name=None)
        )
    return sorted(name for _, name in mine)
