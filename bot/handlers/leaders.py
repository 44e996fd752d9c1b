"""`/vpe leaders`: the leadership team beyond workspace admins and owners."""

from __future__ import annotations

from bot.blocks.ownership import render_leaders
from bot.db import unit_of_work
from bot.handlers.access import named_person, require_leader
from bot.handlers.router import CommandCall, Router
from bot.leadership import add_leader, added_leaders, remove_leader

ADD_WORDS = {"add", "ajouter"}
REMOVE_WORDS = {"remove", "retirer", "supprimer"}


def show_leaders(call: CommandCall) -> None:
    """The list, or hand `add` / `remove` to the change below."""
    args = call.command.args
    verb = args[0].lower() if args else ""
    if verb in ADD_WORDS | REMOVE_WORDS and len(args) == 2:
        change_leaders(call, verb in ADD_WORDS, args[1])
    elif args:
        call.say(call.t("leaders_cmd.usage"))
    else:
        with unit_of_work(call.deps.sessions) as session:
            listed = added_leaders(session, call.team_id)
        call.reply(render_leaders(listed, call.deps.catalog, call.lang))


def change_leaders(call: CommandCall, adding: bool, word: str) -> None:
    if not require_leader(call):
        return
    user_id = named_person(call, word)
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
    target = call.deps.people.get(call.client, call.team_id, user_id)
    if target.is_admin or target.is_owner:
        call.say(call.t("leaders_cmd.admin_stays", person=person))
    else:
        call.say(
            call.t("leaders_cmd.removed" if removed else "leaders_cmd.not_listed", person=person)
        )


def register(router: Router) -> None:
    router.add(show_leaders, "leaders", "leader", "direction")
