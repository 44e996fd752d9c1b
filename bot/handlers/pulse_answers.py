"""Taps on a pulse message, the comment modal, and the CTO check-in."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.blocks.modals import COMMENT_BLOCK, COMMENT_CALLBACK, COMMENT_INPUT, render_comment_modal
from bot.blocks.pulse import (
    ANSWER_ACTION,
    CHECKIN_ACTION,
    COMMENT_ACTION,
    PulseView,
    render_checkin_dm,
    render_pulse_dm,
)
from bot.blocks.time import plain_date, slack_date
from bot.db import unit_of_work
from bot.deps import Deps
from bot.handlers.guard import answer_errors_privately
from bot.handlers.once import first_delivery
from bot.i18n import Lang, normalise_language
from bot.models import Pulse, PulseRecipient
from bot.pulses.answers import (
    AnswerRefused,
    check_respondent,
    my_answers,
    record_answer,
    record_checkin,
    record_comment,
)
from bot.workspace import workspace_settings

REFUSAL_KEYS = {
    "closed": "pulse.dm.closed",
    "not_asked": "pulse.dm.not_asked",
    "no_pulse": "pulse.dm.gone",
    "bad_item": "pulse.dm.gone",
    "bad_value": "pulse.dm.gone",
}


def parse_value(value: str) -> tuple[int, str, int]:
    """`pulse:item:value` from a button; AnswerRefused when it is not one of ours."""
    match = re.fullmatch(r"(\d{1,12}):([a-z_]{1,32}):(\d{1,3})", value or "")
    if match is None:
        raise AnswerRefused("no_pulse")
    return int(match.group(1)), match.group(2), int(match.group(3))


def register(app: App, deps: Deps) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def on_answer(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Record the tap, then redraw the person's message with their choices marked."""
        if not first_delivery(deps, body):
            return
        with answer_errors_privately(deps, body, client, respond):
            record_tap(deps, body, client, respond)

    def on_comment_button(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if not first_delivery(deps, body):
            return
        with answer_errors_privately(deps, body, client, respond):
            open_comment(deps, body, client, respond)

    def on_comment_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Saved before answering Slack, so a closed pulse can be reported in the modal."""
        save_comment(deps, ack, body, view)

    def after_comment(body: dict[str, Any], client: WebClient, view: dict[str, Any]) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        if meta.get("channel_id") and meta.get("message_ts"):
            container = {"channel_id": meta["channel_id"], "message_ts": meta["message_ts"]}
            redraw(deps, client, body | {"container": container}, int(meta["pulse"]))

    def on_checkin(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if not first_delivery(deps, body):
            return
        with answer_errors_privately(deps, body, client, respond):
            record_checkin_tap(deps, body, client, respond)

    app.action(re.compile(f"^{ANSWER_ACTION}:"))(ack=acknowledge, lazy=[on_answer])
    app.action(COMMENT_ACTION)(ack=acknowledge, lazy=[on_comment_button])
    app.view(COMMENT_CALLBACK)(ack=on_comment_submit, lazy=[after_comment])
    app.action(re.compile(f"^{CHECKIN_ACTION}:"))(ack=acknowledge, lazy=[on_checkin])


def record_tap(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    action = body["actions"][0]
    try:
        pulse_id, item, value = parse_value(action.get("value", ""))
        with unit_of_work(deps.sessions) as session:
            record_answer(
                session,
                deps.answer_key,
                team_id,
                pulse_id,
                user_id,
                item,
                value,
                tapped_at=tap_time(action),
            )
    except AnswerRefused as refused:
        refuse(deps, respond, team_id, user_id, refused.reason)
        return
    redraw(deps, client, body, pulse_id)


def tap_time(action: dict[str, Any]) -> float:
    """Slack's action_ts: when the tap happened, so that the last tap wins."""
    try:
        return float(action.get("action_ts") or 0)
    except ValueError:
        return 0.0


def open_comment(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    raw = body["actions"][0].get("value", "")
    pulse_id = int(raw) if raw.isdigit() and len(raw) < 12 else -1
    try:
        with unit_of_work(deps.sessions) as session:
            check_respondent(session, team_id, pulse_id, user_id)
            _, comment = my_answers(session, deps.answer_key, team_id, pulse_id, user_id)
            lang = recipient_language(session, pulse_id, user_id)
    except AnswerRefused as refused:
        refuse(deps, respond, team_id, user_id, refused.reason)
        return
    origin = {k: body["container"].get(k, "") for k in ("channel_id", "message_ts")}
    view = render_comment_modal(pulse_id, comment, deps.catalog, lang, origin)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_comment(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    if not first_delivery(deps, body):
        ack()
        return
    meta = json.loads(view.get("private_metadata") or "{}")
    text = view["state"]["values"][COMMENT_BLOCK][COMMENT_INPUT].get("value") or ""
    lang: Lang = normalise_language(meta.get("lang")) or "en"
    try:
        with unit_of_work(deps.sessions) as session:
            record_comment(
                session,
                deps.answer_key,
                body["team"]["id"],
                int(meta.get("pulse", -1)),
                body["user"]["id"],
                text,
            )
    except AnswerRefused:
        message = deps.catalog.t("pulse.comment_modal.closed", lang)
        ack(response_action="errors", errors={COMMENT_BLOCK: message})
        return
    except SQLAlchemyError:
        message = deps.catalog.t("errors.unavailable", lang)
        ack(response_action="errors", errors={COMMENT_BLOCK: message})
        return
    ack()


def record_checkin_tap(
    deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    try:
        pulse_id, field, value = parse_value(body["actions"][0].get("value", ""))
        with unit_of_work(deps.sessions) as session:
            pulse = session.get(Pulse, pulse_id)
            if pulse is None or pulse.checkin_user != user_id:
                raise AnswerRefused("not_asked")
            checkin = record_checkin(session, deps.pulse, team_id, pulse_id, field, value)
            chosen = {
                "operations": checkin.operations_share,
                "decisions": checkin.decisions_waiting,
            }
    except AnswerRefused as refused:
        refuse(deps, respond, team_id, user_id, refused.reason)
        return
    lang = deps.people.language(client, team_id, user_id)
    message = render_checkin_dm(pulse_id, deps.pulse, deps.catalog, lang, chosen)
    container = body["container"]
    client.chat_update(
        channel=container["channel_id"], ts=container["message_ts"], **message.as_kwargs()
    )


def recipient_language(session: Session, pulse_id: int, user_id: str) -> Lang:
    row = session.get(PulseRecipient, (pulse_id, user_id))
    return normalise_language(row.language if row else None) or "en"


def refuse(deps: Deps, respond: Respond, team_id: str, user_id: str, reason: str) -> None:
    """A polite private answer in the person's language: closed, not asked, or gone."""
    lang = deps.people.language(deps.clients.for_team(team_id), team_id, user_id)
    text = deps.catalog.t(REFUSAL_KEYS.get(reason, "pulse.dm.gone"), lang)
    respond(text=text, response_type="ephemeral", replace_original=False)


def redraw(deps: Deps, client: WebClient, body: dict[str, Any], pulse_id: int) -> None:
    """The person's pulse message again, with what they chose so far marked.

    Taps are handled in parallel, so a redraw may be overtaken by an older one; after
    updating, the answers are read again and the message redrawn until it shows the latest.
    """
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    container = body["container"]
    shown: PulseView | None = None
    for _ in range(3):
        view = pulse_view(deps, team_id, user_id, pulse_id)
        if view is None or view == shown:
            return
        message = render_pulse_dm(view, deps.pulse, deps.catalog)
        client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], **message.as_kwargs()
        )
        shown = view


def pulse_view(deps: Deps, team_id: str, user_id: str, pulse_id: int) -> PulseView | None:
    with unit_of_work(deps.sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        if pulse is None:
            return None
        answers, comment = my_answers(session, deps.answer_key, team_id, pulse_id, user_id)
        return PulseView(
            pulse_id=pulse_id,
            items=tuple(pulse.items),
            lang=recipient_language(session, pulse_id, user_id),
            closes=slack_date(pulse.closes_at, pulse.timezone),
            closes_plain=plain_date(pulse.closes_at, pulse.timezone),
            threshold=workspace_settings(session, team_id).threshold,
            answers=answers,
            comment=comment,
        )
