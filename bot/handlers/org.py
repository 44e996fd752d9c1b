"""`/vpe org` and `/vpe event(s)`: the team's size and its coming strategic events."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.blocks.ownership import listing
from bot.commands import whole_number
from bot.db import unit_of_work
from bot.handlers.access import require_leader
from bot.handlers.router import CommandCall, Router
from bot.signals.store import (
    EVENT_KINDS,
    ORG_FIELDS,
    add_event,
    events,
    org_size,
    remove_event,
    set_org_fact,
)

MONTH = re.compile(r"^(20[0-9][0-9])-(0[1-9]|1[0-2])$")  # ASCII digits: \d takes "٢٠"
EVENT_ID_MAX = 2**31 - 1  # an INTEGER column
ORG_MAX = 32_767  # the org_facts columns are SMALLINT, and no engineering org is larger
FRENCH_FIELDS = {
    "ingenieurs": "engineers",
    "ingénieurs": "engineers",
    "equipes": "teams",
    "équipes": "teams",
}


def org(call: CommandCall, after_change: Callable[[str], object]) -> None:
    """Show the facts, or `set <field> <number>` (leadership)."""
    args = call.command.args
    if not args:
        with unit_of_work(call.deps.sessions) as session:
            size = org_size(session, call.team_id)
        unset = call.t("org.unset")
        line = call.t(
            "org.line",
            engineers=size.engineers if size.engineers is not None else unset,
            teams=size.teams if size.teams is not None else unset,
            managers=size.managers if size.managers is not None else unset,
        )
        call.reply(listing(call.t("org.title"), [line], call.t("org.how")))
        return
    name = FRENCH_FIELDS.get(args[1].lower(), args[1].lower()) if len(args) == 3 else ""
    value = whole_number(args[2], ORG_MAX) if len(args) == 3 else None
    if args[0].lower() != "set" or name not in ORG_FIELDS or value is None:
        call.say(call.t("org.usage"))
        return
    if not require_leader(call):
        return
    with unit_of_work(call.deps.sessions) as session:
        set_org_fact(session, call.team_id, name, value, call.user_id, call.deps.clock.now())
    call.say(call.t("org.saved", name=name, value=value))
    after_change(call.team_id)


def show_events(call: CommandCall) -> None:
    if not require_leader(call):
        return
    with unit_of_work(call.deps.sessions) as session:
        found = events(session, call.team_id)
    lines = [
        call.t(
            "events_cmd.line",
            id=event.id,
            kind=call.t(f"event_kinds.{event.kind}"),
            month=event.month,
            label=f" · {event.label}" if event.label else "",
        )
        for event in found
    ] or [call.t("events_cmd.none")]
    call.reply(listing(call.t("events_cmd.title"), lines, call.t("events_cmd.how")))


def event(call: CommandCall, after_change: Callable[[str], object]) -> None:
    """`event add <kind> <YYYY-MM> ["label"]` and `event remove <id>` (leadership)."""
    args = call.command.args
    verb = args[0].lower() if args else ""
    if verb in ("add", "ajouter") and len(args) in (3, 4) and args[1].lower() in EVENT_KINDS:
        if not MONTH.match(args[2]):
            call.say(call.t("events_cmd.bad_month", value=args[2][:20]))
        elif require_leader(call):
            added(call, args[1].lower(), args[2], args[3] if len(args) == 4 else "")
            after_change(call.team_id)
    elif verb in ("remove", "retirer", "supprimer") and len(args) == 2:
        raw = args[1].lstrip("#")
        event_id = whole_number(raw, EVENT_ID_MAX)
        if event_id is None:
            call.say(call.t("events_cmd.not_found", id=raw[:12]))
        elif require_leader(call):
            with unit_of_work(call.deps.sessions) as session:
                removed = remove_event(session, call.team_id, event_id)
            key = "events_cmd.removed" if removed else "events_cmd.not_found"
            call.say(call.t(key, id=raw))
            after_change(call.team_id)
    elif not args:
        show_events(call)
    else:
        call.say(call.t("events_cmd.usage"))


def added(call: CommandCall, kind: str, month: str, label: str) -> None:
    with unit_of_work(call.deps.sessions) as session:
        event_id = add_event(
            session, call.team_id, kind, month, label, call.user_id, call.deps.clock.now()
        )
    call.say(
        call.t("events_cmd.added", id=event_id, kind=call.t(f"event_kinds.{kind}"), month=month)
    )


def register(router: Router, after_change: Callable[[str], object]) -> None:
    router.add(lambda call: org(call, after_change), "org", "organisation")
    router.add(show_events, "events", "événements", "evenements")
    router.add(lambda call: event(call, after_change), "event", "événement", "evenement")
