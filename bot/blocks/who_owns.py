"""Answers to "who owns what?": the owner in this team first, then the explanation."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, context, mrkdwn_sections, to_dicts
from bot.blocks.people import mention, mentions
from bot.core.i18n import Catalog, Lang, day
from bot.ownership.assignments import Responsibility
from bot.ownership.who_owns import Answer
from bot.qa.feedback import Review
from bot.qa.knowledge import Entry, KnowledgeBase

SHARE_ACTION = "share_answer"
# A topic offered as a button ("did you mean", the closest topics): answered privately.
TOPIC_ACTION = "ask_topic"
TOPIC_ACTIONS = re.compile(rf"^{TOPIC_ACTION}_\d+$")
# 👍 / 👎 under an answer.
FEEDBACK_ACTIONS = re.compile(r"^ask_feedback_(up|down)$")
# A button's value holds at most 2,000 characters: the question is cut well before.
VALUE_QUESTION_CHARS = 1200
VALUE_LIMIT = 2000
ROLE_ARGS = {"cto": "cto", "vp_engineering": "vpe"}


def ownership_sentence(
    resp: Responsibility, entry: Entry, catalog: Catalog, lang: Lang, hints: bool = True
) -> str:
    """One sentence saying who owns the area here (or by default, when nobody is known)."""
    area = f"*{entry.title[lang]}*"
    people = mentions(resp.people, catalog, lang)
    role = catalog.t(f"roles.{resp.via}", lang) if resp.via else ""
    if resp.falls_to_cto:
        key = "falls_to_cto_named" if resp.people else "falls_to_cto"
        return catalog.t(f"ask.owner.{key}", lang, area=area, people=people)
    if resp.handover_due is not None:
        key = "handing_over_named" if resp.people else "handing_over"
        due = day(resp.handover_due, lang)
        return catalog.t(f"ask.owner.{key}", lang, area=area, people=people, date=due)
    if resp.assigned:
        key = "named_role" if resp.via else "named"
        return catalog.t(f"ask.owner.{key}", lang, area=area, people=people, role=role)
    if resp.vpe_vacant:
        key = "shared_no_vpe_named" if resp.people else "shared_no_vpe"
        return catalog.t(f"ask.owner.{key}", lang, area=area, people=people)
    if resp.via == "shared":
        if len(resp.people) == 2:
            cto, vpe = (mention(person) for person in resp.people)
            return catalog.t("ask.owner.shared_named", lang, area=area, cto=cto, vpe=vpe)
        return catalog.t("ask.owner.shared", lang, area=area)
    if resp.people:
        return catalog.t("ask.owner.named_role", lang, area=area, people=people, role=role)
    sentence = catalog.t("ask.owner.role", lang, area=area, role=role)
    if hints and resp.via in ROLE_ARGS:
        sentence += " " + catalog.t("ask.owner.hint", lang, role_arg=ROLE_ARGS[resp.via])
    return sentence


def escape(text: str) -> str:
    """User text shown in mrkdwn: no mention, link or formatting can hide in it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def topic_buttons(topics: Sequence[Entry], lang: Lang) -> list[ButtonElement]:
    """One button per topic; a tap answers privately with that topic's answer."""
    return [
        ButtonElement(
            text=entry.title[lang][:75],
            action_id=f"{TOPIC_ACTION}_{n}",
            value=json.dumps({"topic": entry.id, "lang": lang}),
        )
        for n, entry in enumerate(topics)
    ]


def feedback_buttons(answer: Answer, catalog: Catalog) -> list[ButtonElement]:
    """👍 / 👎: the value carries the question (cut) so a 👎 can be reviewed, never the asker."""
    assert answer.entry is not None
    question = answer.question[:VALUE_QUESTION_CHARS]
    while True:
        value = json.dumps(
            {"topic": answer.entry.id, "lang": answer.lang, "q": question}, ensure_ascii=False
        )
        if len(value) <= VALUE_LIMIT:
            break
        question = question[: len(question) - (len(value) - VALUE_LIMIT)]  # quotes, escapes
    return [
        ButtonElement(
            text=catalog.t(f"ask.feedback.{way}", answer.lang),
            action_id=f"ask_feedback_{way}",
            value=value,
        )
        for way in ("up", "down")
    ]


def render_answer(
    answer: Answer,
    kb: KnowledgeBase,
    catalog: Catalog,
    *,
    share: bool = False,
    hints: bool = True,
    shared_by: str | None = None,
    rate: bool = True,
) -> Message:
    """The answer as a message.

    `share` adds a button to post it in the channel; `rate` the 👍 / 👎 buttons (when the
    answer comes from a question). When the matcher was unsure, the next topics are offered
    as buttons ("Did you mean: …"). No answer: the closest topics as buttons, or example
    questions when the question gave nothing to go on.
    """
    if answer.entry is None:
        return render_no_match(answer, catalog)
    entry, lang = answer.entry, answer.lang
    owner = (
        ownership_sentence(answer.responsibility, entry, catalog, lang, hints)
        if answer.responsibility
        else None
    )
    related = " · ".join(kb.get(other).title[lang] for other in entry.related)
    footer = [catalog.t("ask.related", lang, topics=related)] if related else []
    footer.append(
        catalog.t("ask.shared_by", lang, person=mention(shared_by))
        if shared_by
        else catalog.t("ask.another", lang)
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=part))
        for part in (owner, entry.answer[lang])
        if part
    ]
    text = " ".join(part for part in (owner, entry.answer[lang]) if part)
    if answer.others and not shared_by:
        titles = " · ".join(other.title[lang] for other in answer.others)
        blocks.append(context(catalog.t("ask.did_you_mean", lang)))
        blocks.append(ActionsBlock(elements=topic_buttons(answer.others, lang)))
        text += " " + catalog.t("ask.did_you_mean_text", lang, topics=titles)
    blocks.append(context("  |  ".join(footer)))
    buttons: list[ButtonElement] = []
    if share:
        value = json.dumps({"topic": entry.id, "lang": lang})
        buttons.append(
            ButtonElement(text=catalog.t("ask.share", lang), action_id=SHARE_ACTION, value=value)
        )
    if rate and answer.question and not shared_by:
        buttons.extend(feedback_buttons(answer, catalog))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return Message(text=text, blocks=to_dicts(blocks))


def render_no_match(answer: Answer, catalog: Catalog) -> Message:
    """Not answered: the closest topics as buttons ("nearby": it looked like a question for
    the bot; "out": not its area), or example questions when there is nothing to go on."""
    lang = answer.lang
    if answer.others:
        intro = catalog.t(f"ask.{'nearby' if answer.kind == 'nearby' else 'out'}", lang)
        titles = " · ".join(entry.title[lang] for entry in answer.others)
        blocks: list[Block] = [
            SectionBlock(text=MarkdownTextObject(text=intro)),
            ActionsBlock(elements=topic_buttons(answer.others, lang)),
            context(catalog.t("ask.no_match_footer", lang)),
        ]
        return Message(text=f"{intro} {titles}", blocks=to_dicts(blocks))
    intro = catalog.t("ask.no_match", lang)
    bullets = "\n".join(f"• {question}" for question in answer.suggestions)
    footer = catalog.t("ask.no_match_footer", lang)
    blocks = [SectionBlock(text=MarkdownTextObject(text=f"{intro}\n{bullets}")), context(footer)]
    text = f"{intro} {' / '.join(answer.suggestions)} — {footer}"
    return Message(text=text, blocks=to_dicts(blocks))


def render_review(review: Review, kb: KnowledgeBase, catalog: Catalog, lang: Lang) -> Message:
    """`/vpe ask review`: the refused and disliked questions, most recent first (never who
    asked), the ratings' totals, and how to teach a phrasing."""
    totals = catalog.t(
        "ask.review.totals",
        lang,
        refused=review.refused,
        disliked=review.disliked,
        liked=review.liked,
    )
    title = catalog.t("ask.review.title", lang)
    teach = catalog.t("ask.review.teach", lang)
    if not review.items:
        empty = catalog.t("ask.review.empty", lang)
        text = f"{title} {empty} {totals}"
        blocks = [SectionBlock(text=MarkdownTextObject(text=f"{title}\n{empty}")), context(totals)]
        return Message(text=text, blocks=to_dicts(blocks))
    lines = []
    for item in review.items:
        times = catalog.t("ask.review.times", lang, times=item.times) if item.times > 1 else ""
        if item.verdict == "refused" or item.topic is None:
            what = catalog.t("ask.review.refused", lang)
        else:
            topic = _title(kb, item.topic, lang)
            what = catalog.t("ask.review.disliked", lang, topic=topic)
        lines.append(f"• “{escape(item.question)}” — {what}{times}")
    footer = "  |  ".join((totals, teach))
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=title)),
        *mrkdwn_sections(lines),
        context(footer),
    ]
    text = " ".join([title, *lines, totals, teach])
    return Message(text=text, blocks=to_dicts(blocks))


def _title(kb: KnowledgeBase, topic: str, lang: Lang) -> str:
    try:
        return kb.get(topic).title[lang]
    except KeyError:
        return topic
