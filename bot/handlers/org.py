"""`/vpe org` and `/vpe event(s)`: the team's size and its coming strategic events."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.blocks import escaped
from bot.blocks.ownership import listing
from bot.bootstrap import Services
from bot.core import limits
from bot.core.i18n import month_name
from bot.handlers.parsing import whole_number
from bot.handlers.routing import Command, CommandCall, Subcommand, readable
from bot.signals.facts import (
    EVENT_KINDS,
    ORG_FIELDS,
    add_event,
    events,
    org_size,
    remove_event,
    set_org_fact,
)
from bot.storage.db import unit_of_work

MONTH = re.compile(r"^(20[0-9][0-9])-(0[1-9]|1[0-2])$")  # ASCII digits: \d takes "٢٠"
EVENT_ID_MAX = 2**31 - 1  # an INTEGER column
ORG_MAX = 32_767  # the org_facts columns are SMALLINT, and no engineering org is larger
FRENCH_FIELDS = {
    "ingenieurs": "engineers",
    "ingénieurs": "engineers",
    "equipes": "teams",
    "équipes": "teams",
}


def show_org(call: CommandCall) -> None:
    """The facts: engineers, teams, managers."""
    with unit_of_work(call.deps.sessions) as session:
        size = org_size(session, call.team_id)
    unset = call.t("org.unset")
    line = call.t(
        "org.line",
        engineers=size.engineers if size.engineers is not None else unset,
        teams=size.teams if size.teams is not None else unset,
        managers=size.managers if size.managers is not None else unset,
    )
    call.reply(
        listing(call.t("org.title"), [line], call.t("org.how"), call.deps.catalog, call.lang)
    )


def org_fact(call: CommandCall) -> tuple[str, int] | None:
    """`set <field> <number>` as (field, number), or None."""
    args = call.command.args
    name = FRENCH_FIELDS.get(args[1].lower(), args[1].lower()) if len(args) == 3 else ""
    value = whole_number(args[2], ORG_MAX) if len(args) == 3 else None
    return (name, value) if name in ORG_FIELDS and value is not None else None


def set_org(call: CommandCall) -> None:
    """`set <field> <number>`; the signals are looked at again."""
    name, value = org_fact(call) or ("", 0)
    with unit_of_work(call.deps.sessions) as session:
        set_org_fact(session, call.team_id, name, value, call.user_id, call.deps.clock.now())
    call.say(call.t("org.saved", fact=call.t(f"evidence.{name}", count=value)))
    call.services.digests.announce_changes(call.team_id)


def show_events(call: CommandCall) -> None:
    """The coming strategic events."""
    with unit_of_work(call.deps.sessions) as session:
        found = events(session, call.team_id)
    lines = [
        call.t(
            "events_cmd.line",
            id=str(event.id),
            kind=call.t(f"event_kinds.{event.kind}"),
            month=month_name(event.month, call.lang),
            label=f" · {escaped(event.label)}" if event.label else "",
        )
        for event in found
    ] or [call.t("events_cmd.none")]
    how = call.t("events_cmd.how")
    call.reply(listing(call.t("events_cmd.title"), lines, how, call.deps.catalog, call.lang))


def an_event(call: CommandCall) -> bool:
    """`add <kind> <YYYY-MM> ["label"]` with a kind we know, a real month, a short label."""
    args = call.command.args
    if len(args) not in (3, 4) or args[1].lower() not in EVENT_KINDS:
        call.say(call.t("events_cmd.usage"))
        return False
    if not MONTH.match(args[2]):
        call.say(call.t("events_cmd.bad_month", value=escaped(args[2], 20)))
        return False
    label = args[3] if len(args) == 4 else ""
    if limits.over(label, limits.EVENT_LABEL):
        call.say(call.t("limits.label", limit=limits.EVENT_LABEL, length=len(label)))
        return False
    return True


def add(call: CommandCall) -> None:
    """`event add <kind> <YYYY-MM> ["label"]`."""
    args = call.command.args
    kind, month, label = args[1].lower(), args[2], args[3] if len(args) == 4 else ""
    with unit_of_work(call.deps.sessions) as session:
        event_id = add_event(
            session, call.team_id, kind, month, label, call.user_id, call.deps.clock.now()
        )
    call.say(
        call.t(
            "events_cmd.added",
            id=str(event_id),
            kind=call.t(f"event_kinds.{kind}"),
            month=month_name(month, call.lang),
        )
    )
    call.services.digests.announce_changes(call.team_id)


def an_event_id(call: CommandCall) -> bool:
    args = call.command.args
    if len(args) != 2:
        call.say(call.t("events_cmd.usage"))
        return False
    raw = args[1].lstrip("#")
    if whole_number(raw, EVENT_ID_MAX) is None:
        call.say(call.t("events_cmd.not_found", id=escaped(raw, 12)))
        return False
    return True


def remove(call: CommandCall) -> None:
    """`event remove <id>`."""
    raw = call.command.args[1].lstrip("#")
    event_id = whole_number(raw, EVENT_ID_MAX) or 0
    with unit_of_work(call.deps.sessions) as session:
        removed = remove_event(session, call.team_id, event_id)
    call.say(call.t("events_cmd.removed" if removed else "events_cmd.not_found", id=raw))
    call.services.digests.announce_changes(call.team_id)


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("org", "organisation"),
            (
                Subcommand("org", (), show_org, alone=True),
                Subcommand("org.set", ("set",), set_org, True, readable(org_fact, "org.usage")),
            ),
            usage="org.usage",
        ),
        Command(
            ("events", "événements", "evenements"), (Subcommand("events", (), show_events, True),)
        ),
        Command(
            ("event", "événement", "evenement"),
            (
                Subcommand("events", (), show_events, True, alone=True),
                Subcommand("events", ("add", "ajouter"), add, True, an_event),
                Subcommand("events", ("remove", "retirer", "supprimer"), remove, True, an_event_id),
            ),
            usage="events_cmd.usage",
        ),
    ]
