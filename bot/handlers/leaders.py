"""`/vpe leaders`: the leadership team beyond workspace admins and owners.

Anyone sees the list; only workspace admins and owners change it (the README's promise), so
a leader someone added cannot remove the leaders an admin added, nor add others.
"""

from __future__ import annotations

from slack_bolt import App

from bot.blocks.ownership import render_leaders
from bot.bootstrap import Services
from bot.handlers.access import named_person, require_admin
from bot.handlers.routing import Command, CommandCall, Subcommand, readable
from bot.storage.db import unit_of_work
from bot.team.leaders import add_leader, added_leaders, remove_leader

ADD_WORDS = {"add", "ajouter"}
REMOVE_WORDS = {"remove", "retirer", "supprimer"}


def show_leaders(call: CommandCall) -> None:
    """The leadership team beyond admins and owners."""
    with unit_of_work(call.deps.sessions) as session:
        listed = added_leaders(session, call.team_id)
    call.reply(render_leaders(listed, call.deps.catalog, call.lang))


def one_person(call: CommandCall) -> str | None:
    return call.command.args[1] if len(call.command.args) == 2 else None


def change_leaders(call: CommandCall) -> None:
    """`add @person` or `remove @person`."""
    args = call.command.args
    adding = args[0].lower() in ADD_WORDS
    user_id = named_person(call, args[1])
    if user_id is None:
        return
    person = f"<@{user_id}>"
    if adding:
        with unit_of_work(call.deps.sessions) as session:
            added = add_leader(session, call.team_id, user_id, call.user_id, call.deps.clock.now())
        call.say(call.t("leaders_cmd.added_one" if added else "leaders_cmd.already", person=person))
        return
    with unit_of_work(call.deps.sessions) as session:
        removed = remove_leader(session, call.team_id, user_id)
    target = call.deps.people.current(call.client, call.team_id, user_id)
    if target.is_admin or target.is_owner:
        call.say(call.t("leaders_cmd.admin_stays", person=person))
    else:
        call.say(
            call.t("leaders_cmd.removed" if removed else "leaders_cmd.not_listed", person=person)
        )


def register(app: App, services: Services) -> list[Command]:
    verbs = tuple(sorted(ADD_WORDS | REMOVE_WORDS))
    return [
        Command(
            ("leaders", "leader", "direction"),
            (
                Subcommand("leaders", (), show_leaders, alone=True),
                Subcommand(
                    "leaders.change",
                    verbs,
                    change_leaders,
                    True,
                    readable(one_person, "leaders_cmd.usage"),
                    lock=require_admin,
                ),
            ),
            usage="leaders_cmd.usage",
        )
    ]
