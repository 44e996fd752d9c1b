"""The pulse schedule modal's submission: check every field, then save."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.modals import SCHEDULE_CALLBACK
from bot.blocks.time import slack_date
from bot.db import unit_of_work
from bot.deps import Deps
from bot.handlers.once import first_delivery
from bot.i18n import Lang, normalise_language
from bot.leadership import is_leader
from bot.pulses.schedule_store import ScheduleSpec, cadence_of, save_schedule
from bot.schedules import CADENCES, next_slot
from bot.timeutil import valid_zone


def read_spec(
    values: dict[str, Any], items_known: set[str]
) -> tuple[ScheduleSpec | None, dict[str, str]]:
    """The schedule the form describes, or the errors to show beside its fields."""

    def picked(block: str, kind: str) -> list[str]:
        element = values.get(block, {}).get("value", {})
        if kind == "options":
            return [option["value"] for option in element.get("selected_options") or []]
        return list(element.get(kind) or [])

    def single(block: str, kind: str = "selected_option") -> str:
        element = values.get(block, {}).get("value", {})
        chosen = element.get(kind)
        return str(chosen.get("value") if isinstance(chosen, dict) else chosen or "")

    errors: dict[str, str] = {}
    audience = {
        "channels": picked("channels", "selected_conversations"),
        "usergroups": picked("groups", "options"),
        "users": picked("people", "selected_users"),
    }
    if not any(audience.values()):
        errors["channels"] = "need_audience"
    timezone = single("timezone", "value").strip()
    if not valid_zone(timezone):
        errors["timezone"] = "bad_timezone"
    days = single("open_days", "value")
    if not days.isdigit() or not 1 <= int(days) <= 14:
        errors["open_days"] = "bad_days"
    items = [item for item in picked("items", "options") if item in items_known]
    if not items:
        errors["items"] = "need_items"
    cadence, weekday = single("cadence"), single("weekday")
    time_of_day = single("time", "selected_time") or "10:00"
    if errors or cadence not in CADENCES or not weekday.isdigit():
        return None, errors or {"cadence": "need_audience"}
    language = normalise_language(single("language"))
    spec = ScheduleSpec(
        cadence, int(weekday), time_of_day, timezone, int(days), audience, items, language
    )
    return spec, {}


def register(app: App, deps: Deps) -> None:
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Validate and save before answering Slack, so errors show in the modal."""
        if not first_delivery(deps, body):
            ack()
            return
        meta = json.loads(view.get("private_metadata") or "{}")
        lang: Lang = normalise_language(meta.get("lang")) or "en"
        team_id, user_id = body["team"]["id"], body["user"]["id"]

        def say(key: str) -> str:
            return deps.catalog.t(f"pulse.schedule_modal.{key}", lang)

        person = deps.people.get(client, team_id, user_id)
        with unit_of_work(deps.sessions) as session:
            allowed = is_leader(session, team_id, person)
        if not allowed:
            ack(response_action="errors", errors={"channels": say("refused")})
            return
        known = {item.id for item in deps.pulse.items}
        spec, errors = read_spec(view["state"]["values"], known)
        if spec is None:
            ack(response_action="errors", errors={k: say(v) for k, v in errors.items()})
            return
        now = deps.clock.now()
        with unit_of_work(deps.sessions) as session:
            schedule = save_schedule(session, team_id, spec, user_id, now)
            upcoming = next_slot(cadence_of(schedule), now)
        ack()
        confirm(deps, client, meta.get("channel", ""), user_id, lang, spec, upcoming)

    app.view(SCHEDULE_CALLBACK)(on_submit)


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
        cadence=t(f"cadence.{spec.cadence}", lang),
        weekday=t(f"weekdays.{spec.weekday}", lang),
        time=spec.time_of_day,
        timezone=spec.timezone,
        days=spec.open_days,
        items=len(spec.items),
        next=slack_date(upcoming, spec.timezone) if upcoming else "—",
    )
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, text=text)
    except SlackApiError:
        client.chat_postMessage(channel=user_id, text=text)  # e.g. typed in a DM
