"""The pulse as a person receives it: one row of five buttons per statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, context, to_dicts
from bot.core.i18n import Catalog, Lang
from bot.pulses.questions import SCALE, CheckinQuestion, PulseContent

ANSWER_ACTION = "pulse_answer"
COMMENT_ACTION = "pulse_comment"
CHECKIN_ACTION = "cto_checkin"


@dataclass(frozen=True)
class PulseView:
    """What one person's pulse message shows."""

    pulse_id: int
    items: Sequence[str]
    lang: Lang
    closes: str  # already formatted for Slack
    closes_plain: str
    threshold: int
    answers: Mapping[str, int]
    comment: str | None = None


def pulse_block_prefix(pulse_id: int) -> str:
    """Every block of a pulse message starts with this (used to find a message already sent)."""
    return f"pulse-{pulse_id}-"


def render_pulse_dm(view: PulseView, content: PulseContent, catalog: Catalog) -> Message:
    lang, prefix = view.lang, pulse_block_prefix(view.pulse_id)
    intro = catalog.t("pulse.dm.intro", lang, threshold=view.threshold, closes=view.closes)
    blocks: list[Block] = [
        HeaderBlock(block_id=f"{prefix}header", text=catalog.t("pulse.dm.title", lang)),
        SectionBlock(block_id=f"{prefix}intro", text=MarkdownTextObject(text=intro)),
    ]
    for item_id in view.items:
        item = content.item(item_id)
        blocks.append(
            SectionBlock(
                block_id=f"{prefix}{item_id}-q",
                text=MarkdownTextObject(text=f"*{item.statement[lang]}*"),
            )
        )
        blocks.append(_scale_row(view, item_id, content.scale[lang]))
    comment_key = "pulse.dm.edit_comment" if view.comment else "pulse.dm.comment"
    blocks += [
        DividerBlock(block_id=f"{prefix}divider"),
        ActionsBlock(
            block_id=f"{prefix}comment",
            elements=[
                ButtonElement(
                    text=catalog.t(comment_key, lang),
                    action_id=COMMENT_ACTION,
                    value=str(view.pulse_id),
                )
            ],
        ),
        context(_progress(view, catalog)),
    ]
    fallback = catalog.t("pulse.dm.fallback", lang, count=len(view.items), closes=view.closes_plain)
    return Message(text=fallback, blocks=to_dicts(blocks))


def _scale_row(view: PulseView, item_id: str, labels: Sequence[str]) -> ActionsBlock:
    chosen = view.answers.get(item_id)
    buttons = []
    for value, label in zip(SCALE, labels, strict=True):
        button = ButtonElement(
            text=f"✓ {label}" if value == chosen else label,
            action_id=f"{ANSWER_ACTION}:{item_id}:{value}",
            value=f"{view.pulse_id}:{item_id}:{value}",
            style="primary" if value == chosen else None,
        )
        buttons.append(button)
    return ActionsBlock(block_id=f"{pulse_block_prefix(view.pulse_id)}{item_id}", elements=buttons)


def _progress(view: PulseView, catalog: Catalog) -> str:
    done = sum(1 for item in view.items if item in view.answers)
    parts = [
        catalog.t("pulse.dm.thanks", view.lang)
        if done == len(view.items)
        else catalog.t("pulse.dm.progress", view.lang, done=done, total=len(view.items))
    ]
    if view.comment:
        parts.append(catalog.t("pulse.dm.comment_saved", view.lang))
    parts.append(catalog.t("pulse.dm.comment_hint", view.lang))
    return " ".join(parts)


def render_checkin_dm(
    pulse_id: int,
    content: PulseContent,
    catalog: Catalog,
    lang: Lang,
    chosen: Mapping[str, int | None],
) -> Message:
    """The CTO's private check-in: two questions, one tap each."""
    prefix = f"checkin-{pulse_id}-"
    blocks: list[Block] = [
        HeaderBlock(block_id=f"{prefix}header", text=catalog.t("pulse.checkin.title", lang)),
        SectionBlock(
            block_id=f"{prefix}intro",
            text=MarkdownTextObject(text=catalog.t("pulse.checkin.intro", lang)),
        ),
    ]
    questions = (("operations", content.operations), ("decisions", content.decisions))
    for field, question in questions:
        text = catalog.t(f"pulse.checkin.{field}", lang)
        blocks.append(
            SectionBlock(block_id=f"{prefix}{field}-q", text=MarkdownTextObject(text=f"*{text}*"))
        )
        blocks.append(_checkin_row(pulse_id, field, question, lang, chosen.get(field)))
    if all(chosen.get(field) is not None for field, _ in questions):
        blocks.append(context(catalog.t("pulse.checkin.saved", lang)))
    return Message(text=catalog.t("pulse.checkin.fallback", lang), blocks=to_dicts(blocks))


def _checkin_row(
    pulse_id: int, field: str, question: CheckinQuestion, lang: Lang, chosen: int | None
) -> ActionsBlock:
    buttons = [
        ButtonElement(
            text=f"✓ {label}" if value == chosen else label,
            action_id=f"{CHECKIN_ACTION}:{field}:{value}",
            value=f"{pulse_id}:{field}:{value}",
            style="primary" if value == chosen else None,
        )
        for value, label in zip(question.values, question.labels[lang], strict=True)
    ]
    return ActionsBlock(block_id=f"checkin-{pulse_id}-{field}", elements=buttons)


def render_reminder(catalog: Catalog, lang: Lang, closes: str, closes_plain: str) -> Message:
    text = catalog.t("pulse.dm.reminder", lang, closes=closes)
    plain = catalog.t("pulse.dm.reminder", lang, closes=closes_plain)
    return Message(text=plain, blocks=to_dicts([SectionBlock(text=MarkdownTextObject(text=text))]))
