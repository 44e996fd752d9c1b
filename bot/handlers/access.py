"""Who may do what, and reading the person a command names."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import escaped
from bot.blocks.people import mention, mentions
from bot.bootstrap import Deps
from bot.core.limits import ECHO
from bot.handlers.parsing import parse_mention
from bot.handlers.routing import CommandCall
from bot.storage.db import unit_of_work
from bot.team.directory import Person
from bot.team.leaders import added_leaders, is_leader, manages_leaders
from bot.team.workspace import workspace_settings

ZONE_LENGTH = 64  # the database keeps time zone names in 64 characters


def in_leadership(deps: Deps, client: WebClient, team_id: str, user_id: str) -> bool:
    """Whether this person is in the workspace's leadership team (admins, owners, added),
    on admin and owner flags Slack gave within the last minute."""
    try:
        person: Person | None = deps.people.current(client, team_id, user_id)
    except SlackApiError:
        return False  # Slack does not know the person here: not leadership
    with unit_of_work(deps.sessions) as session:
        return person is not None and is_leader(session, team_id, person)


def require_leader(call: CommandCall) -> bool:
    """True for leadership; otherwise tell the caller who can do it, and return False."""
    if in_leadership(call.deps, call.client, call.team_id, call.user_id):
        return True
    with unit_of_work(call.deps.sessions) as session:
        listed = added_leaders(session, call.team_id)
    extra = call.t("access.listed", people=mentions(listed, call.deps.catalog, call.lang))
    call.say(call.t("access.refused", listed=extra if listed else ""))
    return False


def require_admin(call: CommandCall) -> bool:
    """True for a workspace admin or owner (who manage the leadership team); otherwise say so."""
    try:
        person = call.deps.people.current(call.client, call.team_id, call.user_id)
    except SlackApiError:
        person = None
    if person is not None and manages_leaders(person):
        return True
    call.say(call.t("access.admins_only"))
    return False


def named_person(call: CommandCall, word: str) -> str | None:
    """The user id a command argument names, checked with Slack; None after telling why not."""
    named = parse_mention(word)
    if named is None or named.kind != "user" or named.id is None:
        call.say(call.t("people.not_escaped", word=escaped(word, ECHO)))
        return None
    try:
        person = call.deps.people.get(call.client, call.team_id, named.id)
    except SlackApiError:
        call.say(call.t("people.unknown_user", word=escaped(word, ECHO)))
        return None
    if person.is_bot or person.deleted:
        call.say(call.t("people.not_a_person", person=mention(named.id)))
        return None
    return named.id


def timezone_for(call: CommandCall) -> str:
    """The workspace's zone if set, else the requester's, else UTC."""
    with unit_of_work(call.deps.sessions) as session:
        configured = workspace_settings(session, call.team_id).timezone
    if configured:
        return configured
    return call.deps.people.get(call.client, call.team_id, call.user_id).tz or "UTC"


def known_zone(name: str) -> bool:
    """A time zone name people may store: one of the IANA zones, short enough to keep.

    Not `valid_zone` alone: ZoneInfo also loads files that are not zones ("posixrules"),
    and lets the operating system's errors through: "America" is a directory of zones
    (IsADirectoryError), a very long name is too long for a file name (OSError).
    """
    return 0 < len(name) <= ZONE_LENGTH and name in zone_names()


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())
