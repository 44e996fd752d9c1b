"""Replies to anonymous comments: the pick in results, the modal, and the two-way messages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import Message, escaped, mrkdwn_sections, to_dicts
from bot.core.i18n import Catalog, Lang
from bot.pulses.replies import REPLY_LIMIT, ThreadMessage

REPLY_PICK = "comment_reply_pick"  # the select under the comments in results
REPLY_AGAIN = "comment_reply_again"  # leadership's button under the author's answer
ANSWER = "comment_answer_open"  # the author's button under leadership's reply
REPLY_CALLBACK, ANSWER_CALLBACK = "comment_reply", "comment_answer"
REPLY_BLOCK, VALUE = "reply", "value"
OPTION_TEXT = 75
QUOTE = 600  # how much of the comment a message quotes


@dataclass(frozen=True)
class Reply:
    """A comment (by its pulse and position) and the thread under it so far."""

    pulse_id: int
    position: int
    comment: str
    messages: tuple[ThreadMessage, ...]

    @property
    def key(self) -> str:
        return f"{self.pulse_id}:{self.position}"


def quoted(text: str, limit: int = QUOTE) -> str:
    return f"> {escaped(' '.join(text.split()), limit)}"


def reply_select(
    comments: Sequence[str], pulse_id: int, catalog: Catalog, lang: Lang
) -> Block | None:
    """Pick one of the comments shown to reply to it (the author gets it by DM)."""
    if not comments:
        return None
    options = []
    for position, comment in enumerate(comments[:100]):
        words = " ".join(comment.split()) or "…"
        text = words if len(words) <= OPTION_TEXT else words[: OPTION_TEXT - 1] + "…"
        options.append(Option(value=f"{pulse_id}:{position}", text=text))
    select = StaticSelectElement(
        action_id=REPLY_PICK, placeholder=catalog.t("replies.pick", lang), options=options
    )
    return ActionsBlock(elements=[select])


def thread_lines(reply: Reply, catalog: Catalog, lang: Lang) -> list[str]:
    lines = [quoted(reply.comment)]
    for message in reply.messages:
        who = catalog.t("replies.author" if message.from_author else "replies.leadership", lang)
        lines.append(f"*{who}* {escaped(message.text)}")
    return lines


def render_reply_modal(
    reply: Reply, callback: str, meta: dict[str, str], catalog: Catalog, lang: Lang
) -> dict[str, Any]:
    """The thread so far, and a box for the next message."""
    key = "replies.modal"
    view = View(
        type="modal",
        callback_id=callback,
        title=catalog.t(f"{key}.title", lang),
        submit=catalog.t(f"{key}.submit", lang),
        close=catalog.t(f"{key}.close", lang),
        private_metadata=json.dumps({"lang": lang, "comment": reply.key, **meta}),
        blocks=[
            *mrkdwn_sections(thread_lines(reply, catalog, lang)[-20:]),
            InputBlock(
                block_id=REPLY_BLOCK,
                label=catalog.t(
                    f"{key}.author_label" if callback == ANSWER_CALLBACK else f"{key}.label", lang
                ),
                element=PlainTextInputElement(
                    action_id=VALUE, multiline=True, max_length=REPLY_LIMIT
                ),
            ),
        ],
    )
    view.validate_json()
    return view.to_dict()


def render_reply_for_author(reply: Reply, leader_id: str, catalog: Catalog, lang: Lang) -> Message:
    """The author's DM: leadership replied to their anonymous comment; they may answer."""
    intro = catalog.t("replies.to_author", lang)
    lines = [
        intro,
        *thread_lines(reply, catalog, lang)[-20:],
        catalog.t("replies.still_anon", lang),
    ]
    button = ButtonElement(
        text=catalog.t("replies.answer", lang),
        action_id=ANSWER,
        value=f"{reply.key}:{leader_id}:{lang}",
    )
    blocks = [*mrkdwn_sections(lines), ActionsBlock(elements=[button])]
    latest = reply.messages[-1].text if reply.messages else ""
    return Message(text=f"{intro} {escaped(latest, 300)}", blocks=to_dicts(blocks))


def render_answer_for_leadership(reply: Reply, catalog: Catalog, lang: Lang) -> Message:
    """For leadership: the author answered; never who they are."""
    intro = catalog.t("replies.to_leadership", lang)
    lines = [intro, *thread_lines(reply, catalog, lang)[-20:]]
    button = ButtonElement(
        text=catalog.t("replies.reply", lang), action_id=REPLY_AGAIN, value=reply.key
    )
    blocks = [*mrkdwn_sections(lines), ActionsBlock(elements=[button])]
    latest = reply.messages[-1].text if reply.messages else ""
    return Message(text=f"{intro} {escaped(latest, 300)}", blocks=to_dicts(blocks))
