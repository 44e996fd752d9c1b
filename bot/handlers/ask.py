"""Questions: `/vpe ask …`, `/vpe <question>`, direct messages and mentions of the bot."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from bot.blocks.help import render_help
from bot.blocks.who_owns import SHARE_ACTION, render_answer
from bot.bootstrap import Services
from bot.core import limits
from bot.handlers.help import help_rows
from bot.handlers.listen import Interaction, on, release
from bot.handlers.parsing import strip_mentions
from bot.handlers.routing import Command, CommandCall, Subcommand


def ask(call: CommandCall) -> None:
    """`/vpe ask <question>`: a private answer with a button to share it."""
    question = call.command.rest
    if not question.strip():
        call.say(call.t("ask.empty"))
        return
    if limits.over(question, limits.QUESTION):
        call.say(call.t("limits.question", limit=limits.QUESTION))
        return
    answer = call.services.asking.answer(call.team_id, question, call.lang)
    call.reply(render_answer(answer, call.deps.kb, call.deps.catalog, share=answer.matched))


def ask_or_help(call: CommandCall) -> None:
    """Text that is not a subcommand: a question, or one unknown word (then: the help)."""
    if limits.over(call.command.text, limits.QUESTION):
        call.say(call.t("limits.question", limit=limits.QUESTION))
        return
    answer = call.services.asking.answer(call.team_id, call.command.text, call.lang)
    if not answer.matched and not call.command.args:
        rows = help_rows(call.router.subcommands(), call.lang)
        call.reply(render_help(rows, call.deps.catalog, call.lang, call.command.name))
        return
    call.reply(render_answer(answer, call.deps.kb, call.deps.catalog, share=answer.matched))


def is_from_a_person(event: dict[str, Any]) -> bool:
    """Ignore other bots, our own messages, edits, joins and the like."""
    return not event.get("bot_id") and not event.get("subtype") and bool(event.get("user"))


def direct_message(body: dict[str, Any]) -> bool:
    event = body.get("event") or {}
    return event.get("channel_type") == "im" and is_from_a_person(event)


def mention(body: dict[str, Any]) -> bool:
    return is_from_a_person(body.get("event") or {})


def reply_in_dm(done: Interaction) -> None:
    reply_to_event(done, in_thread=False)


def reply_in_thread(done: Interaction) -> None:
    reply_to_event(done, in_thread=True)


def reply_to_event(done: Interaction, in_thread: bool) -> None:
    """Answer once per event; when the answer cannot be posted, let Slack's retry try again."""
    event = done.event
    try:
        question = strip_mentions(event.get("text", ""))
        if limits.over(question, limits.QUESTION):
            too_long(done, in_thread)
            return
        answer = done.services.asking.answer(done.team_id, question, done.lang())
        message = render_answer(answer, done.deps.kb, done.deps.catalog)
        thread = (event.get("thread_ts") or event["ts"]) if in_thread else None
        done.client.chat_postMessage(
            channel=event["channel"], thread_ts=thread, **message.as_kwargs()
        )
    except Exception:
        release(done.deps, done.context, done.body)
        raise


def too_long(done: Interaction, in_thread: bool) -> None:
    """Tell the asker what fits: in the DM, or privately beside the thread of a mention."""
    event = done.event
    text = done.t("limits.question", limit=limits.QUESTION)
    if not in_thread:
        done.client.chat_postMessage(channel=event["channel"], text=text)
        return
    done.client.chat_postEphemeral(
        channel=event["channel"],
        user=done.user_id,
        thread_ts=event.get("thread_ts") or event["ts"],
        text=text,
    )


def share_answer(done: Interaction) -> None:
    """Post a private answer in the channel for everyone."""
    try:
        value = json.loads(done.action.get("value", ""))
        topic, lang = str(value["topic"]), value["lang"]
        if lang not in ("en", "fr"):
            raise ValueError(lang)
        answer = done.services.asking.topic(done.team_id, topic, lang)
    except (ValueError, KeyError, TypeError):
        done.respond(text=done.t("ask.share_gone"), response_type="ephemeral")
        return
    message = render_answer(answer, done.deps.kb, done.deps.catalog, shared_by=done.user_id)
    done.respond(response_type="in_channel", replace_original=False, **message.as_kwargs())
    done.respond(delete_original=True)


def register(app: App, services: Services) -> list[Command]:
    on(app.event("message"), services, reply_in_dm, errors=False, when=direct_message)
    on(app.event("app_mention"), services, reply_in_thread, errors=False, when=mention)
    on(app.action(SHARE_ACTION), services, share_answer, errors=False)
    return [Command(("ask", "question", "demande"), (Subcommand("ask", (), ask),))]
