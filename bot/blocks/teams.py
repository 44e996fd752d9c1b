"""`/vpe teams`: the teams, where their people come from, how many, and their manager."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks import Message, escaped
from bot.blocks.ownership import listing
from bot.blocks.people import mention
from bot.core.i18n import Catalog, Lang


@dataclass(frozen=True)
class TeamLine:
    name: str
    source_kind: str  # channel | usergroup
    source_id: str
    people: int | None  # None: Slack could not say
    manager_id: str | None


def source_label(kind: str, source_id: str) -> str:
    """Slack renders these as the channel's or the group's name."""
    return f"<!subteam^{source_id}>" if kind == "usergroup" else f"<#{source_id}>"


def render_teams(teams: Sequence[TeamLine], catalog: Catalog, lang: Lang) -> Message:
    lines = []
    for team in teams:
        people = (
            catalog.t("teams.people", lang, count=team.people)
            if team.people is not None
            else catalog.t("teams.people_unknown", lang)
        )
        manager = (
            catalog.t("teams.manager", lang, person=mention(team.manager_id))
            if team.manager_id
            else catalog.t("teams.no_manager", lang)
        )
        lines.append(
            catalog.t(
                "teams.line",
                lang,
                name=escaped(team.name),
                source=source_label(team.source_kind, team.source_id),
                people=people,
                manager=manager,
            )
        )
    if not lines:
        lines.append(catalog.t("teams.none", lang))
    return listing(
        catalog.t("teams.title", lang), lines, catalog.t("teams.how", lang), catalog, lang
    )
