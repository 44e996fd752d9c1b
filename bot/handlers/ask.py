"""Questions: `/vpe ask …`, `/vpe <question>`, direct messages and mentions of the bot."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.answering import Answer, answer_question, answer_topic
from bot.blocks.answer import SHARE_ACTION, render_answer
from bot.blocks.help import render_help
from bot.command_list import command_docs
from bot.commands import strip_mentions
from bot.db import unit_of_work
from bot.deps import Deps
from bot.handlers.once import first_delivery, forget_delivery
from bot.handlers.router import CommandCall, Router
from bot.i18n import Lang
from bot.ownership import load_assignments

log = logging.getLogger(__name__)


def answer_for(deps: Deps, team_id: str, question: str, default_lang: Lang = "en") -> Answer:
    """Answer in the question's language; `default_lang` (the asker's) when it does not tell."""
    with unit_of_work(deps.sessions) as session:
        team = load_assignments(session, team_id)
    return answer_question(deps.matcher, question, team, default_lang=default_lang)


def ask(call: CommandCall) -> None:
    """`/vpe ask <question>`: a private answer with a button to share it."""
    question = call.command.rest
    if not question.strip():
        call.say(call.t("ask.empty"))
        return
    answer = answer_for(call.deps, call.team_id, question, call.lang)
    call.reply(render_answer(answer, call.deps.kb, call.deps.catalog, share=answer.matched))


def ask_or_help(call: CommandCall) -> None:
    """Text that is not a subcommand: a question, or one unknown word (then: the help)."""
    answer = answer_for(call.deps, call.team_id, call.command.text, call.lang)
    if not answer.matched and not call.command.args:
        call.reply(render_help(command_docs(), call.deps.catalog, call.lang, call.command.name))
        return
    call.reply(render_answer(answer, call.deps.kb, call.deps.catalog, share=answer.matched))


def register(app: App, deps: Deps, router: Router) -> None:
    router.add(ask, "ask", "question", "demande")
    router.fallback = ask_or_help

    def acknowledge(ack: Ack) -> None:
        ack()

    def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        """A direct message to the bot."""
        if event.get("channel_type") == "im" and is_from_a_person(event):
            reply_to_event(deps, client, body, event, in_thread=False)

    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        """A mention in a channel: answered in a thread."""
        if is_from_a_person(event):
            reply_to_event(deps, client, body, event, in_thread=True)

    def share(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Post a private answer in the channel for everyone."""
        if first_delivery(deps, body):
            share_answer(deps, body, client, respond)

    app.event("message")(ack=acknowledge, lazy=[on_message])
    app.event("app_mention")(ack=acknowledge, lazy=[on_mention])
    app.action(SHARE_ACTION)(ack=acknowledge, lazy=[share])


def is_from_a_person(event: dict[str, Any]) -> bool:
    """Ignore other bots, our own messages, edits, joins and the like."""
    return not event.get("bot_id") and not event.get("subtype") and bool(event.get("user"))


def reply_to_event(
    deps: Deps, client: WebClient, body: dict[str, Any], event: dict[str, Any], in_thread: bool
) -> None:
    """Answer once per event, whatever Slack's retries: the first delivery claims it."""
    if not first_delivery(deps, body):
        return
    team_id = body["team_id"]
    try:
        lang = deps.people.language(client, team_id, event["user"])
        answer = answer_for(deps, team_id, strip_mentions(event.get("text", "")), lang)
        message = render_answer(answer, deps.kb, deps.catalog)
        thread = (event.get("thread_ts") or event["ts"]) if in_thread else None
        client.chat_postMessage(channel=event["channel"], thread_ts=thread, **message.as_kwargs())
    except Exception:
        # Not answered: let Slack's next retry try again rather than lose the question.
        forget_delivery(deps, body)
        raise


def share_answer(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    action = body["actions"][0]
    try:
        value = json.loads(action.get("value", ""))
        entry, lang = deps.kb.get(str(value["topic"])), value["lang"]
        if lang not in ("en", "fr"):
            raise ValueError(lang)
    except (ValueError, KeyError, TypeError):
        reader = deps.people.language(client, body["team"]["id"], body["user"]["id"])
        respond(text=deps.catalog.t("ask.share_gone", reader), response_type="ephemeral")
        return
    with unit_of_work(deps.sessions) as session:
        team = load_assignments(session, body["team"]["id"])
    message = render_answer(
        answer_topic(entry, lang, team), deps.kb, deps.catalog, shared_by=body["user"]["id"]
    )
    respond(response_type="in_channel", replace_original=False, **message.as_kwargs())
    respond(delete_original=True)
