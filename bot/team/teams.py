"""The teams of the engineering organisation, each the people of a Slack channel or group.

Only the source is kept here; who is in a team is read from Slack when a pulse is sent
(bot.services.pulse_sending) and kept with that pulse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.models import Team
from bot.storage.sql import delete_row, insert_once

NAME_LENGTH = 80  # the database keeps names in 80 characters
MAX_TEAMS = 50  # a heatmap and a message stay readable


@dataclass(frozen=True)
class TeamSource:
    kind: str  # channel | usergroup
    id: str


def team_key(name: str) -> str:
    """Names are matched whatever their case and spacing."""
    return " ".join(name.split()).lower()


def list_teams(session: Session, team_id: str) -> list[Team]:
    """The workspace's teams, by name."""
    return list(session.scalars(select(Team).where(Team.team_id == team_id).order_by(Team.key)))


def find_team(session: Session, team_id: str, name: str) -> Team | None:
    return session.get(Team, (team_id, team_key(name)))


def add_team(
    session: Session, team_id: str, name: str, source: TeamSource, by: str, now: datetime
) -> bool:
    """Add a team; False when one of that name exists (the database decides, once)."""
    clean = " ".join(name.split())[:NAME_LENGTH]
    return insert_once(
        session,
        Team,
        ["team_id", "key"],
        team_id=team_id,
        key=team_key(clean),
        name=clean,
        source_kind=source.kind,
        source_id=source.id,
        created_by=by,
        created_at=now,
    )


def remove_team(session: Session, team_id: str, name: str) -> bool:
    """Remove a team; its past pulses keep their figures. False when there was none."""
    return delete_row(session, Team, (team_id, team_key(name)))


def set_manager(session: Session, team_id: str, name: str, manager: str | None) -> bool:
    """Name the team's manager (None: nobody); False when there is no such team."""
    result = session.execute(
        update(Team)
        .where(Team.team_id == team_id, Team.key == team_key(name))
        .values(manager_id=manager)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def managed_by(session: Session, team_id: str, user_id: str) -> list[str]:
    """The keys of the teams this person manages."""
    query = select(Team.key).where(Team.team_id == team_id, Team.manager_id == user_id)
    return list(session.scalars(query))
