"""Answers to "who owns what?": the owner in this team first, then the explanation."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, context, to_dicts
from bot.blocks.people import mention, mentions
from bot.core.i18n import Catalog, Lang
from bot.ownership.assignments import Responsibility
from bot.ownership.who_owns import Answer
from bot.qa.knowledge import Entry, KnowledgeBase

SHARE_ACTION = "share_answer"
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
    if resp.assigned:
        key = "named_role" if resp.via else "named"
        return catalog.t(f"ask.owner.{key}", lang, area=area, people=people, role=role)
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


def render_answer(
    answer: Answer,
    kb: KnowledgeBase,
    catalog: Catalog,
    *,
    share: bool = False,
    hints: bool = True,
    shared_by: str | None = None,
) -> Message:
    """The answer as a message; `share` adds a button to post it in the channel."""
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
    blocks.append(context("  |  ".join(footer)))
    if share:
        value = json.dumps({"topic": entry.id, "lang": lang})
        button = ButtonElement(
            text=catalog.t("ask.share", lang), action_id=SHARE_ACTION, value=value
        )
        blocks.append(ActionsBlock(elements=[button]))
    text = " ".join(part for part in (owner, entry.answer[lang]) if part)
    return Message(text=text, blocks=to_dicts(blocks))


def render_no_match(answer: Answer, catalog: Catalog) -> Message:
    """ "I can answer questions like…" with three suggestions."""
    lang = answer.lang
    intro = catalog.t("ask.no_match", lang)
    bullets = "\n".join(f"• {question}" for question in answer.suggestions)
    footer = catalog.t("ask.no_match_footer", lang)
    blocks = [SectionBlock(text=MarkdownTextObject(text=f"{intro}\n{bullets}")), context(footer)]
    text = f"{intro} {' / '.join(answer.suggestions)} — {footer}"
    return Message(text=text, blocks=to_dicts(blocks))
