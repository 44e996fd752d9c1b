"""`/vpe settings`: anonymity threshold, workspace language, time zone."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.blocks.ownership import listing
from bot.db import unit_of_work
from bot.handlers.access import require_leader
from bot.handlers.router import CommandCall, Router
from bot.i18n import normalise_language
from bot.timeutil import valid_zone
from bot.workspace import (
    WorkspaceSettings,
    set_language,
    set_threshold,
    set_timezone,
    workspace_settings,
)


def setting_lines(call: CommandCall, current: WorkspaceSettings) -> list[str]:
    unset = call.t("settings.auto")
    return [
        call.t("settings.anonymity", value=current.threshold),
        call.t("settings.language", value=current.language or unset),
        call.t("settings.timezone", value=current.timezone or unset),
    ]


def settings(call: CommandCall) -> None:
    """Show the settings, or change one (leadership only)."""
    args = call.command.args
    if not args:
        with unit_of_work(call.deps.sessions) as session:
            current = workspace_settings(session, call.team_id)
        lines = setting_lines(call, current)
        call.reply(listing(call.t("settings.title"), lines, call.t("settings.how")))
        return
    name, value = args[0].lower(), " ".join(args[1:]).strip()
    changes = {
        "anonymity": change_threshold,
        "anonymat": change_threshold,
        "language": change_language,
        "langue": change_language,
        "timezone": change_timezone,
        "fuseau": change_timezone,
    }
    change = changes.get(name)
    if change is None or not value:
        call.say(call.t("settings.how"))
        return
    if require_leader(call):
        change(call, value)


def change_threshold(call: CommandCall, value: str) -> None:
    if not value.isdigit() or not 3 <= int(value) <= 10:
        call.say(call.t("settings.bad_anonymity"))
        return
    saved(call, lambda session: set_threshold(session, call.team_id, int(value)), 0)


def change_language(call: CommandCall, value: str) -> None:
    language = normalise_language(value) if len(value) == 2 else None
    if language is None:
        call.say(call.t("settings.bad_language"))
        return
    saved(call, lambda session: set_language(session, call.team_id, language), 1)


def change_timezone(call: CommandCall, value: str) -> None:
    if not valid_zone(value):
        call.say(call.t("settings.bad_timezone", value=value[:60]))
        return
    saved(call, lambda session: set_timezone(session, call.team_id, value), 2)


def saved(call: CommandCall, write: Callable[[Session], None], line: int) -> None:
    with unit_of_work(call.deps.sessions) as session:
        write(session)
        current = workspace_settings(session, call.team_id)
    call.say(call.t("settings.saved", line=setting_lines(call, current)[line].replace("*", "")))


def register(router: Router) -> None:
    router.add(settings, "settings", "réglages", "reglages")
