"""`/vpe owners`: each area, its default owner by role, and its owner in this team."""

from __future__ import annotations

from bot.answering import find_area
from bot.blocks.ownership import render_owners
from bot.db import unit_of_work
from bot.handlers.access import named_person, require_leader
from bot.handlers.router import CommandCall, Router
from bot.ownership import load_assignments, reset_area_owner, set_area_owner
from bot.qa.knowledge import Entry

SET_WORDS = {"set", "définir", "definir"}
RESET_WORDS = {"reset", "réinitialiser", "reinitialiser"}


def show_owners(call: CommandCall) -> None:
    """The whole map, or hand `set` / `reset` to the changes below."""
    args = call.command.args
    verb = args[0].lower() if args else ""
    if verb in SET_WORDS and len(args) == 3:
        change_owner(call, args[1], args[2])
    elif verb in RESET_WORDS and len(args) == 2:
        reset_owner(call, args[1])
    elif args:
        call.say(call.t("owners_cmd.usage", areas=area_names(call)))
    else:
        with unit_of_work(call.deps.sessions) as session:
            team = load_assignments(session, call.team_id)
        call.reply(render_owners(call.deps.kb, team, call.deps.catalog, call.lang))


def change_owner(call: CommandCall, area_word: str, person_word: str) -> None:
    area = known_area(call, area_word)
    if area is None or not require_leader(call):
        return
    user_id = named_person(call, person_word)
    if user_id is None:
        return
    with unit_of_work(call.deps.sessions) as session:
        set_area_owner(session, call.team_id, area.id, user_id, call.user_id, call.deps.clock.now())
    call.say(call.t("owners_cmd.done", person=f"<@{user_id}>", area=area.title[call.lang]))


def reset_owner(call: CommandCall, area_word: str) -> None:
    area = known_area(call, area_word)
    if area is None or not require_leader(call):
        return
    with unit_of_work(call.deps.sessions) as session:
        changed = reset_area_owner(session, call.team_id, area.id)
    role = call.t(f"roles.{area.owner}")
    key = "owners_cmd.reset" if changed else "owners_cmd.reset_nothing"
    call.say(call.t(key, area=area.title[call.lang], role=role))


def known_area(call: CommandCall, word: str) -> Entry | None:
    area = find_area(call.deps.kb, word)
    if area is None:
        call.say(call.t("owners_cmd.unknown_area", word=word[:60], areas=area_names(call)))
    return area


def area_names(call: CommandCall) -> str:
    return ", ".join(f"`{entry.id}`" for entry in call.deps.kb.areas())


def register(router: Router) -> None:
    router.add(show_owners, "owners", "owner", "responsables")
