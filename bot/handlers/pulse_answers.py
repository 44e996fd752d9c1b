"""Taps on a pulse message, the comment modal, and the CTO check-in."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.blocks.modals import (
    COMMENT_BLOCK,
    COMMENT_CALLBACK,
    COMMENT_INPUT,
    ID_LIMIT,
    input_state,
    metadata_id,
    metadata_text,
    read_metadata,
    render_comment_modal,
)
from bot.blocks.pulse import (
    ANSWER_ACTION,
    CHECKIN_ACTION,
    COMMENT_ACTION,
    PulseView,
    render_checkin_dm,
    render_pulse_dm,
)
from bot.blocks.time import plain_date, slack_date
from bot.commands import whole_number
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

log = logging.getLogger(__name__)
REFUSAL_KEYS = {
    "closed": "pulse.dm.closed",
    "not_asked": "pulse.dm.not_asked",
    "no_pulse": "pulse.dm.gone",
    "bad_item": "pulse.dm.gone",
    "bad_value": "pulse.dm.gone",
}


def parse_value(value: object) -> tuple[int, str, int]:
    """`pulse:item:value` from a button; AnswerRefused when it is not one of ours.

    ASCII digits only (`\\d` would take "١٢"), and a pulse id an INTEGER column can hold.
    """
    text = value if isinstance(value, str) else ""
    match = re.fullmatch(r"([0-9]{1,10}):([a-z_]{1,32}):([0-9]{1,3})", text)
    if match is None or int(match.group(1)) >= ID_LIMIT:
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
        redraw_after_comment(deps, body, client, view)

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
    after_saving(deps, respond, team_id, user_id, lambda: redraw(deps, client, body, pulse_id))


def tap_time(action: dict[str, Any]) -> float:
    """Slack's action_ts: when the tap happened, so that the last tap wins."""
    try:
        return float(action.get("action_ts") or 0)
    except ValueError:
        return 0.0


def open_comment(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    raw = body["actions"][0].get("value")
    pulse_id = whole_number(raw, ID_LIMIT - 1) if isinstance(raw, str) else None
    pulse_id = -1 if pulse_id is None else pulse_id
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
    meta = read_metadata(view)
    typed = input_state(view, COMMENT_BLOCK, COMMENT_INPUT).get("value")
    text = typed if isinstance(typed, str) else ""
    lang: Lang = normalise_language(metadata_text(meta, "lang")) or "en"
    pulse_id = metadata_id(meta, "pulse") or -1
    try:
        with unit_of_work(deps.sessions) as session:
            record_comment(
                session, deps.answer_key, body["team"]["id"], pulse_id, body["user"]["id"], text
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
    after_saving(
        deps,
        respond,
        team_id,
        user_id,
        lambda: client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], **message.as_kwargs()
        ),
    )


def after_saving(
    deps: Deps, respond: Respond, team_id: str, user_id: str, show: Callable[[], object]
) -> None:
    """Redraw the message once the tap is saved. When Slack refuses the redraw (the message
    was deleted, a timeout after the retries…), the person still hears that it was saved:
    "something went wrong, nothing was changed" would be untrue."""
    try:
        show()
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else error
        log.warning("a saved tap could not be shown in its message: %s", reason)
        lang = deps.people.language(deps.clients.for_team(team_id), team_id, user_id)
        text = deps.catalog.t("pulse.checkin.saved", lang)
        respond(text=text, response_type="ephemeral", replace_original=False)


def redraw_after_comment(
    deps: Deps, body: dict[str, Any], client: WebClient, view: dict[str, Any]
) -> None:
    """Show "comment saved" in the pulse message the modal came from, if the comment counted.

    Nothing to redraw when the comment was refused (the modal says why), or when the
    metadata does not name a pulse and a message; a message Slack no longer has is logged.
    """
    meta = read_metadata(view)
    pulse_id = metadata_id(meta, "pulse")
    channel, ts = metadata_text(meta, "channel_id"), metadata_text(meta, "message_ts")
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    if pulse_id is None or not channel or not ts:
        return
    try:
        with unit_of_work(deps.sessions) as session:
            check_respondent(session, team_id, pulse_id, user_id)
    except AnswerRefused:
        return
    container = {"channel_id": channel, "message_ts": ts}
    try:
        redraw(deps, client, body | {"container": container}, pulse_id)
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else error
        log.warning("a saved comment could not be shown in its message: %s", reason)


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
