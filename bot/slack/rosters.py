"""Who is in each team when a pulse is sent: the humans of its channel or user group."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.pulses.by_team import Roster
from bot.slack.audience import AudienceProblem, Targets, resolve_audience
from bot.slack.people import People
from bot.storage.models import Team

log = logging.getLogger(__name__)


def source_targets(team: Team) -> Targets:
    if team.source_kind == "usergroup":
        return Targets(usergroups=[team.source_id])
    return Targets(channels=[team.source_id])


def team_people(
    client: WebClient, people: People, team_id: str, team: Team, bot_user_id: str
) -> list[str] | None:
    """The team's humans now (as for an audience); None when Slack cannot tell."""
    try:
        return list(resolve_audience(client, people, team_id, source_targets(team), bot_user_id))
    except (AudienceProblem, SlackApiError) as problem:
        log.warning("team %s: members not read: %s", team.key, problem)
        return None


def read_rosters(
    client: WebClient,
    people: People,
    team_id: str,
    teams: Sequence[Team],
    audience: Collection[str],
    bot_user_id: str,
) -> list[Roster]:
    """Each team's people among a pulse's `audience`; a team Slack cannot read is left out."""
    asked = set(audience)
    rosters = []
    for team in teams:
        members = team_people(client, people, team_id, team, bot_user_id)
        if members is None:
            continue
        rosters.append(
            Roster(team.key, team.name, team.manager_id, [uid for uid in members if uid in asked])
        )
    return rosters
