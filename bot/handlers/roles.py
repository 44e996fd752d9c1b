"""`/vpe roles`: who holds the CTO and VP Engineering roles."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks.ownership import render_roles
from bot.bootstrap import Services
from bot.handlers.access import named_person
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.ownership.assignments import Role, load_assignments, set_role_holder
from bot.storage.db import unit_of_work

ROLE_WORDS: dict[str, Role] = {
    "cto": "cto",
    "vpe": "vp_engineering",
    "vp": "vp_engineering",
    "vpeng": "vp_engineering",
    "vp_engineering": "vp_engineering",
    "vpoe": "vp_engineering",
}
NOBODY = {"none", "nobody", "aucun", "personne", "-"}


def show_roles(call: CommandCall) -> None:
    """List role holders."""
    with unit_of_work(call.deps.sessions) as session:
        team = load_assignments(session, call.team_id)
    call.reply(render_roles(team, call.deps.catalog, call.lang))


def role_named(call: CommandCall) -> bool:
    """`set <role> <person>` with a role we know; else how to use it."""
    args = call.command.args[1:]
    if len(args) == 2 and args[0].lower() in ROLE_WORDS:
        return True
    call.say(call.t("roles_cmd.usage"))
    return False


def change_role(call: CommandCall) -> None:
    """`set cto @name`, `set vpe @name`, `set vpe none`."""
    args = call.command.args[1:]
    role = ROLE_WORDS[args[0].lower()]
    role_name = call.t(f"roles.{role}")
    if args[1].lower() in NOBODY:
        if role == "cto":
            call.say(call.t("roles_cmd.cto_none"))
            return
        user_id = None
    else:
        user_id = named_person(call, args[1])
        if user_id is None:
            return
    with unit_of_work(call.deps.sessions) as session:
        set_role_holder(session, call.team_id, role, user_id, call.user_id, call.deps.clock.now())
    if user_id is None:
        call.say(call.t("roles_cmd.done_vacant", role=role_name))
    else:
        call.say(call.t("roles_cmd.done", person=f"<@{user_id}>", role=role_name))


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("roles", "role", "rôles", "rôle"),
            (
                Subcommand("roles", (), show_roles, alone=True),
                Subcommand(
                    "roles.set", ("set", "définir", "definir"), change_role, True, role_named
                ),
            ),
            usage="roles_cmd.usage",
        )
    ]
