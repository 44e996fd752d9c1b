"""The pulse schedule modal's submission: check every field, then save."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.modals import SCHEDULE_CALLBACK, metadata_text, read_metadata
from bot.blocks.time import slack_date
from bot.bootstrap import Deps, Services
from bot.core.cadence import CADENCES, next_slot
from bot.core.i18n import Lang, normalise_language
from bot.handlers.access import in_leadership, known_zone
from bot.handlers.listen import Interaction, on_submit
from bot.handlers.parsing import whole_number
from bot.handlers.routing import Command
from bot.handlers.settings import TIME
from bot.pulses.recurring import ScheduleSpec, cadence_of, save_schedule
from bot.storage.db import unit_of_work

log = logging.getLogger(__name__)
SLACK_ID = re.compile(r"[A-Z0-9]{1,32}")


def read_spec(values: object, items_known: set[str]) -> tuple[ScheduleSpec | None, dict[str, str]]:
    """The schedule the form describes, or the errors to show beside its fields.

    Slack sends each input as `{block_id: {"value": {...}}}`. A block left out or shaped
    otherwise (a forged or broken submission) reads as empty, so it gets the field's error
    rather than failing the request; choices Slack's own menus cannot send (a weekday of 9,
    a time of 25:61) are refused the same way.
    """

    def element(block: str) -> dict[str, Any]:
        state = values.get(block) if isinstance(values, dict) else None
        found = state.get("value") if isinstance(state, dict) else None
        return found if isinstance(found, dict) else {}

    def picked(block: str, kind: str) -> list[str]:
        chosen = element(block).get(kind)
        if not isinstance(chosen, list):
            return []
        if kind == "selected_options":
            chosen = [option.get("value") for option in chosen if isinstance(option, dict)]
        return list(dict.fromkeys(v for v in chosen if isinstance(v, str) and v))

    def single(block: str, kind: str = "selected_option") -> str:
        chosen = element(block).get(kind)
        if isinstance(chosen, dict):
            chosen = chosen.get("value")
        return chosen.strip() if isinstance(chosen, str) else ""

    def slack_ids(block: str, kind: str) -> list[str]:
        return [v for v in picked(block, kind) if SLACK_ID.fullmatch(v)]

    errors: dict[str, str] = {}
    audience = {
        "channels": slack_ids("channels", "selected_conversations"),
        "usergroups": slack_ids("groups", "selected_options"),
        "users": slack_ids("people", "selected_users"),
    }
    if not any(audience.values()):
        errors["channels"] = "need_audience"
    timezone = single("timezone", "value")
    if not known_zone(timezone):
        errors["timezone"] = "bad_timezone"
    days = whole_number(single("open_days", "value"), 14)
    if not days:
        errors["open_days"] = "bad_days"
    items = [item for item in picked("items", "selected_options") if item in items_known]
    if not items:
        errors["items"] = "need_items"
    # Slack's menus only send our own options: anything else was not picked from them.
    cadence, weekday = single("cadence"), whole_number(single("weekday"), 6)
    time_of_day = single("time", "selected_time") or "10:00"
    if cadence not in CADENCES:
        errors["cadence"] = "pick_one"
    if weekday is None:
        errors["weekday"] = "pick_one"
    if not TIME.match(time_of_day):
        errors["time"] = "pick_time"
    if errors or days is None or weekday is None:
        return None, errors
    language = normalise_language(single("language"))
    spec = ScheduleSpec(cadence, weekday, time_of_day, timezone, days, audience, items, language)
    return spec, {}


def submit(done: Interaction, ack: Ack) -> None:
    """Validate and save before answering Slack, so errors show in the modal."""
    deps, view = done.deps, done.body.get("view") or {}
    meta = read_metadata(view)
    lang: Lang = normalise_language(metadata_text(meta, "lang")) or "en"
    team_id, user_id = done.team_id, done.user_id

    def say(key: str) -> str:
        return deps.catalog.t(f"pulse.schedule_modal.{key}", lang)

    if not in_leadership(deps, done.client, team_id, user_id):
        ack(response_action="errors", errors={"channels": say("refused")})
        return
    known = {item.id for item in deps.pulse.items}
    state = view.get("state")
    spec, errors = read_spec(state.get("values") if isinstance(state, dict) else None, known)
    if spec is None:
        ack(response_action="errors", errors={k: say(v) for k, v in errors.items()})
        return
    now = deps.clock.now()
    with unit_of_work(deps.sessions) as session:
        schedule = save_schedule(session, team_id, spec, user_id, now)
        upcoming = next_slot(cadence_of(schedule), now)
    ack()
    confirm(deps, done.client, metadata_text(meta, "channel"), user_id, lang, spec, upcoming)


def register(app: App, services: Services) -> list[Command]:
    on_submit(app.view(SCHEDULE_CALLBACK), services, submit)
    return []


def confirm(
    deps: Deps,
    client: WebClient,
    channel: str,
    user_id: str,
    lang: Lang,
    spec: ScheduleSpec,
    upcoming: Any,
) -> None:
    t = deps.catalog.t
    text = t(
        "pulse.cmd.scheduled",
        lang,
        cadence=t(
            f"cadence.when.{spec.cadence}", lang, weekday=t(f"weekdays.{spec.weekday}", lang)
        ),
        time=spec.time_of_day,
        timezone=spec.timezone,
        open_for=t("pulse.cmd.days", lang, count=spec.open_days),
        statements=t("pulse.cmd.statements", lang, count=len(spec.items)),
        next=slack_date(upcoming, spec.timezone, lang) if upcoming else "—",
    )
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, text=text)
        return
    except SlackApiError:
        pass  # e.g. typed in a DM, where the bot cannot post an ephemeral message
    try:
        client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError as error:
        log.warning("a saved schedule could not be confirmed: %s", error.response.get("error"))
