"""Taps on a pulse message, the comment modal, and the CTO check-in."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
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
from bot.bootstrap import Deps, Services
from bot.core import limits
from bot.core.i18n import Lang, normalise_language
from bot.handlers.listen import Interaction, on, on_submit
from bot.handlers.parsing import whole_number
from bot.handlers.routing import Command
from bot.pulses.answers import (
    AnswerRefused,
    check_respondent,
    my_answers,
    record_answer,
    record_checkin,
    record_comment,
)
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseRecipient
from bot.team.workspace import workspace_settings

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


def record_tap(done: Interaction) -> None:
    """Record the tap, then redraw the person's message with their choices marked."""
    deps, team_id, user_id = done.deps, done.team_id, done.user_id
    try:
        pulse_id, item, value = parse_value(done.action.get("value", ""))
        with unit_of_work(deps.sessions) as session:
            record_answer(
                session,
                deps.answer_key,
                team_id,
                pulse_id,
                user_id,
                item,
                value,
                tapped_at=tap_time(done.action),
            )
    except AnswerRefused as refused:
        refuse(done, refused.reason)
        return
    after_saving(done, lambda: redraw(done, container_of(done.body), pulse_id))


def tap_time(action: dict[str, Any]) -> float:
    """Slack's action_ts: when the tap happened, so that the last tap wins."""
    try:
        return float(action.get("action_ts") or 0)
    except ValueError:
        return 0.0


def open_comment(done: Interaction) -> None:
    """The comment button: a modal with the person's comment so far."""
    deps, team_id, user_id = done.deps, done.team_id, done.user_id
    raw = done.action.get("value")
    pulse_id = whole_number(raw, ID_LIMIT - 1) if isinstance(raw, str) else None
    pulse_id = -1 if pulse_id is None else pulse_id
    try:
        with unit_of_work(deps.sessions) as session:
            check_respondent(session, team_id, pulse_id, user_id)
            _, comment = my_answers(session, deps.answer_key, team_id, pulse_id, user_id)
            lang = recipient_language(session, pulse_id, user_id)
    except AnswerRefused as refused:
        refuse(done, refused.reason)
        return
    view = render_comment_modal(pulse_id, comment, deps.catalog, lang, container_of(done.body))
    done.client.views_open(trigger_id=done.body["trigger_id"], view=view)


def save_comment(done: Interaction, ack: Ack) -> None:
    """Saved before answering Slack, so a closed pulse can be reported in the modal."""
    deps, view = done.deps, done.body.get("view") or {}
    meta = read_metadata(view)
    typed = input_state(view, COMMENT_BLOCK, COMMENT_INPUT).get("value")
    text = typed if isinstance(typed, str) else ""
    lang: Lang = normalise_language(metadata_text(meta, "lang")) or "en"
    if limits.over(text.strip(), limits.COMMENT):
        length = len(text.strip())
        message = deps.catalog.t("limits.comment", lang, limit=limits.COMMENT, length=length)
        ack(response_action="errors", errors={COMMENT_BLOCK: message})
        return
    pulse_id = metadata_id(meta, "pulse") or -1
    try:
        with unit_of_work(deps.sessions) as session:
            record_comment(session, deps.answer_key, done.team_id, pulse_id, done.user_id, text)
    except AnswerRefused:
        message = deps.catalog.t("pulse.comment_modal.closed", lang)
        ack(response_action="errors", errors={COMMENT_BLOCK: message})
        return
    except SQLAlchemyError:
        message = deps.catalog.t("errors.unavailable", lang)
        ack(response_action="errors", errors={COMMENT_BLOCK: message})
        return
    ack()


def record_checkin_tap(done: Interaction) -> None:
    """The CTO's check-in: one tap per question, the message redrawn with the choices."""
    deps, team_id, user_id = done.deps, done.team_id, done.user_id
    try:
        pulse_id, field, value = parse_value(done.action.get("value", ""))
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
        refuse(done, refused.reason)
        return
    message = render_checkin_dm(pulse_id, deps.pulse, deps.catalog, done.lang(), chosen)
    where = container_of(done.body)
    after_saving(
        done,
        lambda: done.client.chat_update(
            channel=where["channel_id"], ts=where["message_ts"], **message.as_kwargs()
        ),
    )


def container_of(body: dict[str, Any]) -> dict[str, str]:
    """The message a click came from: its channel and timestamp."""
    container = body.get("container") or {}
    return {key: str(container.get(key, "")) for key in ("channel_id", "message_ts")}


def after_saving(done: Interaction, show: Callable[[], object]) -> None:
    """Redraw the message once the tap is saved. When Slack refuses the redraw (the message
    was deleted, a timeout after the retries…), the person still hears that it was saved:
    "something went wrong, nothing was changed" would be untrue."""
    try:
        show()
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else error
        log.warning("a saved tap could not be shown in its message: %s", reason)
        done.whisper(done.t("pulse.checkin.saved"))


def redraw_after_comment(done: Interaction) -> None:
    """Show "comment saved" in the pulse message the modal came from, if the comment counted.

    Nothing to redraw when the comment was refused (the modal says why), or when the
    metadata does not name a pulse and a message; a message Slack no longer has is logged.
    """
    meta = read_metadata(done.body.get("view") or {})
    pulse_id = metadata_id(meta, "pulse")
    channel, ts = metadata_text(meta, "channel_id"), metadata_text(meta, "message_ts")
    if pulse_id is None or not channel or not ts:
        return
    try:
        with unit_of_work(done.deps.sessions) as session:
            check_respondent(session, done.team_id, pulse_id, done.user_id)
    except AnswerRefused:
        return
    try:
        redraw(done, {"channel_id": channel, "message_ts": ts}, pulse_id)
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else error
        log.warning("a saved comment could not be shown in its message: %s", reason)


def recipient_language(session: Session, pulse_id: int, user_id: str) -> Lang:
    row = session.get(PulseRecipient, (pulse_id, user_id))
    return normalise_language(row.language if row else None) or "en"


def refuse(done: Interaction, reason: str) -> None:
    """A polite private answer in the person's language: closed, not asked, or gone."""
    done.whisper(done.t(REFUSAL_KEYS.get(reason, "pulse.dm.gone")))


# Redraws of one message in this process go one at a time (several taps on one message
# arrive together); other processes' redraws are caught by reading the answers again.
_REDRAWING: dict[tuple[str, str], threading.Lock] = {}
_REDRAWING_GUARD = threading.Lock()
REDRAWS = 5  # updates one tap may make while other taps keep changing the answers


def _message_lock(channel: str, ts: str) -> threading.Lock:
    with _REDRAWING_GUARD:
        if len(_REDRAWING) > 10_000:  # old messages' locks: nobody waits on them any more
            _REDRAWING.clear()
        return _REDRAWING.setdefault((channel, ts), threading.Lock())


def redraw(done: Interaction, where: dict[str, str], pulse_id: int) -> None:
    """The person's pulse message again, with what they chose so far marked.

    Taps are handled in parallel, so a redraw may be overtaken by an older one; after each
    update the answers are read again, and the message redrawn until a read finds nothing
    newer than what it shows (at most REDRAWS updates for one tap).
    """
    channel, ts = where["channel_id"], where["message_ts"]
    with _message_lock(channel, ts):
        shown: PulseView | None = None
        for _ in range(REDRAWS):
            view = pulse_view(done.deps, done.team_id, done.user_id, pulse_id)
            if view is None or view == shown:
                return
            message = render_pulse_dm(view, done.deps.pulse, done.deps.catalog)
            done.client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
            shown = view


def pulse_view(deps: Deps, team_id: str, user_id: str, pulse_id: int) -> PulseView | None:
    with unit_of_work(deps.sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        if pulse is None:
            return None
        answers, comment = my_answers(session, deps.answer_key, team_id, pulse_id, user_id)
        lang = recipient_language(session, pulse_id, user_id)
        return PulseView(
            pulse_id=pulse_id,
            items=tuple(pulse.items),
            lang=lang,
            closes=slack_date(pulse.closes_at, pulse.timezone, lang),
            closes_plain=plain_date(pulse.closes_at, pulse.timezone, lang),
            threshold=workspace_settings(session, team_id).threshold,
            answers=answers,
            comment=comment,
        )


def register(app: App, services: Services) -> list[Command]:
    on(app.action(re.compile(f"^{ANSWER_ACTION}:")), services, record_tap)
    on(app.action(COMMENT_ACTION), services, open_comment)
    on_submit(app.view(COMMENT_CALLBACK), services, save_comment, then=redraw_after_comment)
    on(app.action(re.compile(f"^{CHECKIN_ACTION}:")), services, record_checkin_tap)
    return []
