"""`/vpe roles`: who holds the CTO and VP Engineering roles."""

from __future__ import annotations

from bot.blocks.ownership import render_roles
from bot.db import unit_of_work
from bot.handlers.access import named_person, require_leader
from bot.handlers.router import CommandCall, Router
from bot.ownership import Role, load_assignments, set_role_holder

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
    """List role holders, or hand `set` to the change below."""
    args = call.command.args
    if args and args[0].lower() in ("set", "définir", "definir"):
        change_role(call, args[1:])
        return
    if args:
        call.say(call.t("roles_cmd.usage"))
        return
    with unit_of_work(call.deps.sessions) as session:
        team = load_assignments(session, call.team_id)
    call.reply(render_roles(team, call.deps.catalog, call.lang))


def change_role(call: CommandCall, args: tuple[str, ...]) -> None:
    """`set cto @name`, `set vpe @name`, `set vpe none`: leadership only."""
    role = ROLE_WORDS.get(args[0].lower()) if len(args) == 2 else None
    if role is None:
        call.say(call.t("roles_cmd.usage"))
        return
    if not require_leader(call):
        return
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


def register(router: Router) -> None:
    router.add(show_roles, "roles", "role", "rôles", "rôle")
