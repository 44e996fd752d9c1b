"""Questions: `/vpe ask …`, `/vpe <question>`, direct messages and mentions of the bot; the
topic buttons and 👍 / 👎 under answers; `/vpe ask review` and `/vpe ask teach` (leadership)."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from bot.blocks.help import render_help
from bot.blocks.who_owns import (
    FEEDBACK_ACTIONS,
    SHARE_ACTION,
    TOPIC_ACTIONS,
    escape,
    render_answer,
    render_review,
)
from bot.bootstrap import Services
from bot.core import limits
from bot.handlers.help import help_rows
from bot.handlers.listen import Interaction, on, release
from bot.handlers.parsing import strip_mentions
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.qa.feedback import Verdict


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
    """Text that is not a subcommand: a question, or one unknown word (then: the help, and
    the word is not kept as a refused question)."""
    if limits.over(call.command.text, limits.QUESTION):
        call.say(call.t("limits.question", limit=limits.QUESTION))
        return
    record = bool(call.command.args)
    answer = call.services.asking.answer(call.team_id, call.command.text, call.lang, record)
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


def review(call: CommandCall) -> None:
    """`/vpe ask review` (leadership): refused and disliked questions, never who asked."""
    found = call.services.asking.review(call.team_id)
    call.reply(render_review(found, call.deps.kb, call.deps.catalog, call.lang))


def teach_form(call: CommandCall) -> bool:
    """`teach "<question>" <topic>`: at least a question and a topic; else the usage."""
    if len(call.command.args) >= 3:
        return True
    call.say(call.t("ask.teach.usage", topics=_topic_ids(call)))
    return False


def teach(call: CommandCall) -> None:
    """`/vpe ask teach "<question>" <topic>` (leadership): this workspace's questions with
    those words get that topic from now on. Other workspaces are not affected."""
    *words, named = call.command.args[1:]
    question = " ".join(words).strip()
    topic = call.services.asking.find_topic(named)
    if topic is None:
        call.say(call.t("ask.teach.unknown_topic", topic=named[:80], topics=_topic_ids(call)))
        return
    if not call.deps.matcher.key(question):
        call.say(call.t("ask.teach.usage", topics=_topic_ids(call)))
        return
    new = call.services.asking.teach(call.team_id, question, topic)
    key = "ask.teach.learned" if new else "ask.teach.relearned"
    call.say(call.t(key, question=escape(question[:200]), title=topic.title[call.lang]))


def _topic_ids(call: CommandCall) -> str:
    """The topics as the reader knows them: their titles, quoted as the command takes them."""
    titles = (entry.title[call.lang] for entry in call.deps.kb.entries)
    return ", ".join(f'`"{title}"`' if " " in title else f"`{title}`" for title in titles)


def _button_value(done: Interaction) -> dict[str, Any]:
    """A topic or rating button's value; ValueError when it is not one of ours."""
    value = json.loads(done.action.get("value", ""))
    if not isinstance(value, dict) or value.get("lang") not in ("en", "fr"):
        raise ValueError("not a button of ours")
    done.deps.kb.get(str(value["topic"]))  # KeyError: no such topic
    return value


def pick_topic(done: Interaction) -> None:
    """A topic button ("did you mean", the closest topics): that topic's answer, privately."""
    try:
        value = _button_value(done)
        answer = done.services.asking.topic(done.team_id, str(value["topic"]), value["lang"])
    except (ValueError, KeyError, TypeError):
        done.whisper(done.t("ask.topic_gone"))
        return
    message = render_answer(answer, done.deps.kb, done.deps.catalog, share=True)
    done.respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())


def rate_answer(done: Interaction) -> None:
    """👍 / 👎 under an answer: kept without the person; a 👎 keeps the question for review."""
    try:
        value = _button_value(done)
        question = str(value.get("q", ""))
    except (ValueError, KeyError, TypeError):
        done.whisper(done.t("ask.feedback_gone"))
        return
    liked = done.action.get("action_id") == "ask_feedback_up"
    verdict: Verdict = "liked" if liked else "disliked"
    lang = value["lang"]
    done.services.asking.rate(done.team_id, verdict, question, lang, str(value["topic"]))
    done.whisper(done.t("ask.thanks_up" if liked else "ask.thanks_down"))


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
    on(app.action(TOPIC_ACTIONS), services, pick_topic)
    on(app.action(FEEDBACK_ACTIONS), services, rate_answer)
    # `/vpe ask <question>` keeps working for any question that does not start with one of
    # the verbs below.
    return [
        Command(
            ("ask", "question", "demande"),
            (
                Subcommand("ask", (), ask),
                Subcommand("ask.review", ("review", "revue"), review, restricted=True),
                Subcommand(
                    "ask.teach", ("teach", "apprends"), teach, restricted=True, check=teach_form
                ),
            ),
        )
    ]
