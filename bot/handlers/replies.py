"""Replying to anonymous comments: leadership from results, the author from their DM."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot.blocks.modals import input_state, metadata_text, read_metadata
from bot.blocks.replies import (
    ANSWER,
    ANSWER_CALLBACK,
    REPLY_AGAIN,
    REPLY_BLOCK,
    REPLY_CALLBACK,
    REPLY_PICK,
    VALUE,
    render_reply_modal,
)
from bot.bootstrap import Services
from bot.core.i18n import Lang, normalise_language
from bot.handlers.access import in_leadership, require_leader
from bot.handlers.listen import Interaction, on, on_submit
from bot.handlers.parsing import whole_number
from bot.handlers.routing import Command
from bot.handlers.signals import SLACK_ID
from bot.pulses.replies import REPLY_LIMIT

log = logging.getLogger(__name__)
ID_MAX = 2**31 - 1


def comment_of(value: str) -> tuple[int, int] | None:
    """`pulse:position`, as this bot wrote it into a button or an option; None otherwise."""
    pulse_word, _, position_word = value.partition(":")
    pulse_id, position = whole_number(pulse_word, ID_MAX), whole_number(position_word, ID_MAX)
    if not pulse_id or position is None:
        return None
    return pulse_id, position


def clicked_value(done: Interaction) -> str:
    chosen = done.action.get("selected_option")
    if isinstance(chosen, dict):
        return str(chosen.get("value") or "")
    return str(done.action.get("value") or "")


def open_leader_modal(done: Interaction) -> None:
    """A comment picked in results, or "Reply" under an author's answer (leadership)."""
    call = done.as_command("results")
    if not require_leader(call):
        return
    replies, found = done.services.replies, comment_of(clicked_value(done))
    shown = found is not None and replies.shown_comment(done.team_id, *found) is not None
    reply = replies.thread_of(done.team_id, *found) if found and shown else None
    if reply is None:
        call.say(call.t("replies.not_shown"))
        return
    view = render_reply_modal(reply, REPLY_CALLBACK, {}, done.deps.catalog, call.lang)
    done.client.views_open(trigger_id=done.body["trigger_id"], view=view)


def open_author_modal(done: Interaction) -> None:
    """The author's "Answer" in the DM that brought leadership's reply.

    No lookup of the person here (their language is in the button): a lookup caches them,
    and that write would date their click."""
    words = clicked_value(done).split(":")
    found = comment_of(":".join(words[:2]))
    lang: Lang = normalise_language(words[3] if len(words) > 3 else None) or "en"
    leader = words[2] if len(words) > 2 and SLACK_ID.fullmatch(words[2]) else ""
    replies = done.services.replies
    reply = replies.thread_of(done.team_id, *found) if found else None
    if found is None or reply is None or not replies.is_author(done.team_id, done.user_id, *found):
        done.whisper(done.deps.catalog.t("replies.not_yours", lang))
        return
    meta = {"leader": leader}
    view = render_reply_modal(reply, ANSWER_CALLBACK, meta, done.deps.catalog, lang)
    done.client.views_open(trigger_id=done.body["trigger_id"], view=view)


def submitted(done: Interaction) -> tuple[dict[str, object], Lang, tuple[int, int] | None, str]:
    view = done.body.get("view") or {}
    meta = read_metadata(view)
    lang: Lang = normalise_language(metadata_text(meta, "lang")) or "en"
    text = str(input_state(view, REPLY_BLOCK, VALUE).get("value") or "").strip()
    return meta, lang, comment_of(metadata_text(meta, "comment")), text[:REPLY_LIMIT]


def submit_reply(done: Interaction, ack: Ack) -> None:
    """Leadership's reply: checked, acknowledged, then on its way to the author."""
    _, lang, found, text = submitted(done)
    t = done.deps.catalog.t
    replies = done.services.replies
    if not in_leadership(done.deps, done.client, done.team_id, done.user_id):
        ack(response_action="errors", errors={REPLY_BLOCK: t("replies.modal.refused", lang)})
        return
    if found is None or not replies.shown_comment(done.team_id, *found):
        ack(response_action="errors", errors={REPLY_BLOCK: t("replies.not_shown", lang)})
        return
    if not text:
        ack(response_action="errors", errors={REPLY_BLOCK: t("replies.modal.empty", lang)})
        return
    ack()
    replies.from_leadership(done.team_id, done.user_id, *found, text)
    tell(done, done.user_id, t("replies.sent", lang))


def submit_answer(done: Interaction, ack: Ack) -> None:
    """The author's answer: checked against the comment's token, then passed on, unnamed."""
    meta, lang, found, text = submitted(done)
    t = done.deps.catalog.t
    replies = done.services.replies
    if found is None or not replies.is_author(done.team_id, done.user_id, *found):
        ack(response_action="errors", errors={REPLY_BLOCK: t("replies.not_yours", lang)})
        return
    if not text:
        ack(response_action="errors", errors={REPLY_BLOCK: t("replies.modal.empty", lang)})
        return
    ack()
    leader = metadata_text(meta, "leader")
    replies.from_author(done.team_id, done.user_id, *found, text, leader)
    tell(done, done.user_id, t("replies.answered", lang))


def tell(done: Interaction, user_id: str, text: str) -> None:
    try:
        done.client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError as error:
        log.warning("a reply could not be confirmed: %s", error.response.get("error"))


def register(app: App, services: Services) -> list[Command]:
    on(app.action(REPLY_PICK), services, open_leader_modal)
    on(app.action(REPLY_AGAIN), services, open_leader_modal)
    on(app.action(ANSWER), services, open_author_modal)
    on_submit(app.view(REPLY_CALLBACK), services, submit_reply)
    on_submit(app.view(ANSWER_CALLBACK), services, submit_answer)
    return []
