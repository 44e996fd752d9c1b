"""`/vpe teams`: the teams of the organisation, from Slack channels and user groups."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks import escaped
from bot.blocks.teams import TeamLine, render_teams, source_label
from bot.bootstrap import Services
from bot.core.limits import ECHO
from bot.delivery.mapping import release_team
from bot.handlers.access import named_person
from bot.handlers.parsing import parse_mention
from bot.handlers.routing import Command, CommandCall, Subcommand, readable
from bot.slack.rosters import team_people
from bot.storage.db import unit_of_work
from bot.team.teams import (
    MAX_TEAMS,
    NAME_LENGTH,
    TeamSource,
    add_team,
    find_team,
    list_teams,
    remove_team,
    set_manager,
)

ADD_WORDS = ("add", "ajouter")
REMOVE_WORDS = ("remove", "retirer", "supprimer")
MANAGER_WORDS = ("manager", "responsable")
NOBODY_WORDS = {"none", "nobody", "aucun", "personne"}


def show_teams(call: CommandCall) -> None:
    """Every team: name, source, how many people Slack has in it now, manager."""
    with unit_of_work(call.deps.sessions) as session:
        teams = list_teams(session, call.team_id)
        for team in teams:
            session.expunge(team)
    bot_user = call.deps.clients.bot_user_id(call.team_id)
    lines = []
    for team in teams:
        people = team_people(call.client, call.deps.people, call.team_id, team, bot_user)
        lines.append(
            TeamLine(
                team.name,
                team.source_kind,
                team.source_id,
                None if people is None else len(people),
                team.manager_id,
            )
        )
    call.reply(render_teams(lines, call.deps.catalog, call.lang))


def name_and_last(call: CommandCall) -> tuple[str, str] | None:
    """`<verb> <name…> <last word>`: the name may be several words, or one "quoted" phrase."""
    args = call.command.args
    if len(args) < 3:
        return None
    name = " ".join(args[1:-1]).strip()
    return (name, args[-1]) if 0 < len(name) <= NAME_LENGTH else None


def name_only(call: CommandCall) -> str | None:
    args = call.command.args
    name = " ".join(args[1:]).strip()
    return name if 0 < len(name) <= NAME_LENGTH else None


def add(call: CommandCall) -> None:
    """`teams add <name> #channel|@group`."""
    parsed = name_and_last(call)
    assert parsed is not None
    name, word = parsed
    mention = parse_mention(word)
    if mention is None or mention.id is None or mention.kind == "user":
        call.say(call.t("teams.bad_source", word=escaped(word, ECHO)))
        return
    source = TeamSource(mention.kind, mention.id)
    with unit_of_work(call.deps.sessions) as session:
        if len(list_teams(session, call.team_id)) >= MAX_TEAMS:
            call.say(call.t("teams.too_many", most=MAX_TEAMS))
            return
        added = add_team(session, call.team_id, name, source, call.user_id, call.deps.clock.now())
    key = "teams.added" if added else "teams.exists"
    call.say(call.t(key, name=escaped(name), source=source_label(source.kind, source.id)))


def remove(call: CommandCall) -> None:
    """`teams remove <name>`: past pulses keep the team's figures."""
    name = name_only(call)
    assert name is not None
    with unit_of_work(call.deps.sessions) as session:
        removed = remove_team(session, call.team_id, name)
        sources = release_team(session, call.team_id, name) if removed else []
    said = call.t("teams.removed" if removed else "teams.unknown", name=escaped(name, ECHO))
    if sources:
        names = ", ".join(f"`{escaped(source)}`" for source in sources)
        said += " " + call.t("teams.sources_to_org", count=len(sources), sources=names)
    call.say(said)


def manager(call: CommandCall) -> None:
    """`teams manager <name> @person` (or `none`)."""
    parsed = name_and_last(call)
    assert parsed is not None
    name, word = parsed
    with unit_of_work(call.deps.sessions) as session:
        known = find_team(session, call.team_id, name) is not None
    if not known:
        call.say(call.t("teams.unknown", name=escaped(name, ECHO)))
        return
    person = None if word.lower() in NOBODY_WORDS else named_person(call, word)
    if person is None and word.lower() not in NOBODY_WORDS:
        return
    with unit_of_work(call.deps.sessions) as session:
        set_manager(session, call.team_id, name, person)
    if person is None:
        call.say(call.t("teams.manager_cleared", name=escaped(name)))
    else:
        call.say(call.t("teams.manager_set", name=escaped(name), person=f"<@{person}>"))


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("teams", "team", "équipes", "equipes", "équipe", "equipe"),
            (
                Subcommand("teams", (), show_teams, alone=True),
                Subcommand(
                    "teams.add", ADD_WORDS, add, True, readable(name_and_last, "teams.usage")
                ),
                Subcommand(
                    "teams.remove", REMOVE_WORDS, remove, True, readable(name_only, "teams.usage")
                ),
                Subcommand(
                    "teams.manager",
                    MANAGER_WORDS,
                    manager,
                    True,
                    readable(name_and_last, "teams.usage"),
                ),
            ),
            usage="teams.usage",
        )
    ]
