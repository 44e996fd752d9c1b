"""`/vpe sources`: list, add and remove delivery sources in a modal (leadership only).

Tokens typed here are encrypted at rest with TOKEN_ENCRYPTION_KEYS, like Slack
installation tokens; without that setting the modal lists sources but adds none.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.blocks.modals import input_state, metadata_text, read_metadata
from bot.blocks.sources import KINDS, REMOVE_ACTION, SOURCES_CALLBACK, render_sources_modal
from bot.bootstrap import Services
from bot.core.i18n import Lang, normalise_language
from bot.delivery.mapping import team_names
from bot.delivery.store import ensure_source, remove_source, source_rows
from bot.handlers.access import in_leadership
from bot.handlers.listen import Interaction, on, on_submit
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.storage.db import unit_of_work
from bot.team.teams import find_team

NAMES = {
    "github": re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}"),
    "linear": re.compile(r"[A-Za-z0-9_-]{1,20}"),
    "jira": re.compile(r"[A-Z][A-Z0-9_]{1,19}"),
}
URL = re.compile(r"https?://[^\s/]+(/\S*)?")


def modal(services: Services, team_id: str, lang: Lang) -> dict[str, Any]:
    deps = services.deps
    services.delivery.env_sources(team_id)
    with unit_of_work(deps.sessions) as session:
        rows = source_rows(session, team_id)
        teams = team_names(session, team_id)
    can_add = bool(deps.settings.token_encryption_keys)
    return render_sources_modal(rows, deps.catalog, lang, can_add, teams)


def open_sources(call: CommandCall) -> None:
    """The sources, their last sync and error, and the form to add one."""
    view = modal(call.services, call.team_id, call.lang)
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def read_source(view: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The source the form describes, or the errors to show beside its fields."""

    def text(block: str) -> str:
        value = input_state(view, block, "value").get("value")
        return value.strip() if isinstance(value, str) else ""

    def choice(block: str) -> str:
        chosen = input_state(view, block, "value").get("selected_option")
        value = chosen.get("value") if isinstance(chosen, dict) else ""
        return value if isinstance(value, str) else ""

    kind = choice("kind")
    fields = {
        "kind": kind if kind in KINDS else "",
        "name": text("name"),
        "team": choice("team")[:80],  # a team's key, from the teams of `/vpe teams`
        "token": text("token"),
        "api_url": text("api_url").rstrip("/"),
    }
    errors = {}
    if not fields["kind"]:
        errors["kind"] = "bad_kind"
    elif not NAMES[fields["kind"]].fullmatch(fields["name"]):
        errors["name"] = f"bad_name_{fields['kind']}"
    if not fields["token"] or len(fields["token"]) > 300 or " " in fields["token"]:
        errors["token"] = "bad_token"  # noqa: S105 - a message key
    if fields["api_url"] and not URL.fullmatch(fields["api_url"]):
        errors["api_url"] = "bad_url"
    if fields["kind"] == "jira":
        # Jira Cloud signs in with the account's email and an API token, on its own site.
        email, _, secret = fields["token"].partition(":")
        if "@" not in email or not secret:
            errors["token"] = "bad_jira_token"  # noqa: S105 - a message key
        if not fields["api_url"]:
            errors["api_url"] = "need_jira_url"
    return fields, errors


def add_source(done: Interaction, ack: Ack) -> None:
    """Check the form, encrypt the token, save, and show the list with the new source."""
    deps, view = done.deps, done.body.get("view") or {}
    lang: Lang = normalise_language(metadata_text(read_metadata(view), "lang")) or "en"

    def say(key: str) -> str:
        return deps.catalog.t(f"delivery.sources.{key}", lang)

    if not in_leadership(deps, done.client, done.team_id, done.user_id):
        ack(response_action="errors", errors={"name": say("refused")})
        return
    keys = deps.settings.token_encryption_keys
    fields, errors = read_source(view)
    if not keys:
        errors["token"] = "no_key_short"  # noqa: S105 - a message key
    if errors:
        ack(response_action="errors", errors={k: say(v) for k, v in errors.items()})
        return
    from bot.slack.installations import TokenCipher

    with unit_of_work(deps.sessions) as session:
        team = find_team(session, done.team_id, fields["team"]) if fields["team"] else None
        if fields["team"] and team is None:  # removed while the form was open
            ack(response_action="errors", errors={"team": say("unknown_team")})
            return
        ensure_source(
            session,
            done.team_id,
            fields["kind"],
            fields["name"],
            team.name if team else None,
            token=TokenCipher(keys).encrypt(fields["token"]),
            api_url=fields["api_url"] or None,
        )
    ack(response_action="update", view=modal(done.services, done.team_id, lang))


def remove(done: Interaction) -> None:
    """A source's Remove button: it goes with its weeks, and the list is drawn again."""
    if not in_leadership(done.deps, done.client, done.team_id, done.user_id):
        return
    value = str(done.action.get("value") or "")
    view = done.body.get("view") or {}
    if value.isdigit():
        with unit_of_work(done.deps.sessions) as session:
            remove_source(session, done.team_id, int(value))
    lang: Lang = normalise_language(metadata_text(read_metadata(view), "lang")) or done.lang()
    done.client.views_update(view_id=view.get("id"), view=modal(done.services, done.team_id, lang))


def register(app: App, services: Services) -> list[Command]:
    on_submit(app.view(SOURCES_CALLBACK), services, add_source)
    on(app.action(REMOVE_ACTION), services, remove)
    return [
        Command(
            ("sources",),
            (Subcommand("sources", (), open_sources, True, alone=True),),
            usage="delivery.sources.usage",
        )
    ]
