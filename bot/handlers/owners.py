"""`/vpe owners`: each area, its default owner by role, and its owner in this team."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks import escaped
from bot.blocks.ownership import render_owners
from bot.bootstrap import Services
from bot.core.limits import ECHO
from bot.handlers.access import named_person
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.ownership.assignments import load_assignments, reset_area_owner, set_area_owner
from bot.ownership.who_owns import find_area
from bot.qa.knowledge import Entry
from bot.storage.db import unit_of_work

SET_WORDS = ("set", "définir", "definir")
RESET_WORDS = ("reset", "réinitialiser", "reinitialiser")


def show_owners(call: CommandCall) -> None:
    """The whole map."""
    with unit_of_work(call.deps.sessions) as session:
        team = load_assignments(session, call.team_id)
    call.reply(render_owners(call.deps.kb, team, call.deps.catalog, call.lang))


def usage(call: CommandCall) -> None:
    call.say(call.t("owners_cmd.usage", areas=area_names(call)))


def area_and_person(call: CommandCall) -> bool:
    """`set <area> <person>` naming an area we know; else how to use it."""
    if len(call.command.args) != 3:
        usage(call)
        return False
    return known_area(call, call.command.args[1]) is not None


def area_alone(call: CommandCall) -> bool:
    """`reset <area>` naming an area we know; else how to use it."""
    if len(call.command.args) != 2:
        usage(call)
        return False
    return known_area(call, call.command.args[1]) is not None


def change_owner(call: CommandCall) -> None:
    """`set <area> @person`."""
    _, area_word, person_word = call.command.args
    area = known_area(call, area_word)
    if area is None:
        return
    user_id = named_person(call, person_word)
    if user_id is None:
        return
    with unit_of_work(call.deps.sessions) as session:
        set_area_owner(session, call.team_id, area.id, user_id, call.user_id, call.deps.clock.now())
    call.say(call.t("owners_cmd.done", person=f"<@{user_id}>", area=area.title[call.lang]))


def reset_owner(call: CommandCall) -> None:
    """`reset <area>`: back to its default owner."""
    area = known_area(call, call.command.args[1])
    if area is None:
        return
    with unit_of_work(call.deps.sessions) as session:
        changed = reset_area_owner(session, call.team_id, area.id)
    role = call.t(f"roles.{area.owner}")
    key = "owners_cmd.reset" if changed else "owners_cmd.reset_nothing"
    call.say(call.t(key, area=area.title[call.lang], role=role))


def known_area(call: CommandCall, word: str) -> Entry | None:
    area = find_area(call.deps.kb, word)
    if area is None:
        call.say(
            call.t("owners_cmd.unknown_area", word=escaped(word, ECHO), areas=area_names(call))
        )
    return area


def area_names(call: CommandCall) -> str:
    """The areas as the reader knows them, quoted when the command needs quotes."""
    titles = (entry.title[call.lang] for entry in call.deps.kb.areas())
    return ", ".join(f'`"{title}"`' if " " in title else f"`{title}`" for title in titles)


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("owners", "owner", "responsables"),
            (
                Subcommand("owners", (), show_owners, alone=True),
                Subcommand("owners.change", SET_WORDS, change_owner, True, area_and_person),
                Subcommand("owners.change", RESET_WORDS, reset_owner, True, area_alone),
            ),
            usage=usage,
        )
    ]
