"""The handover plan: its steps as a message, the modal that edits it, the reminder, and the
one-line progress the digest and the App Home show."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import Message, context, to_dicts
from bot.blocks.ownership import fallback_text
from bot.blocks.people import mention
from bot.core.i18n import Catalog, Lang, day
from bot.ownership.handover import PlannedStep, Step
from bot.qa.knowledge import KnowledgeBase

DONE_ACTION = "handover_done"
EDIT_ACTION = "handover_edit"
PLAN_CALLBACK = "handover_plan"
AREAS_BLOCK = "areas"


class HandoverWords:
    """The plan's sentences in one language."""

    def __init__(self, catalog: Catalog, lang: Lang, kb: KnowledgeBase) -> None:
        self.catalog, self.lang, self.kb = catalog, lang, kb

    def t(self, key: str, **values: object) -> str:
        return self.catalog.t(f"handover.{key}", self.lang, **values)

    def area(self, area: str) -> str:
        return self.kb.get(area).title[self.lang]

    def step_line(self, step: Step, today: date) -> str:
        if step.done_at is not None:
            when = day(step.done_at.date(), self.lang)
            return self.t("step_done", area=self.area(step.area), date=when)
        key = "step_late" if step.due_on < today else "step_open"
        return self.t(key, area=self.area(step.area), date=day(step.due_on, self.lang))

    def progress(self, steps: Sequence[Step], vpe: str | None, today: date) -> str | None:
        """One line: how far the handover is, and the next step; None without a plan."""
        if not steps:
            return None
        done = sum(1 for step in steps if step.done)
        who = mention(vpe) if vpe else self.catalog.t("roles.vp_engineering", self.lang)
        line = self.t("progress", vpe=who, done=done, total=len(steps))
        following = next((step for step in steps if not step.done), None)
        if following is None:
            return line + " " + self.t("progress_complete")
        return line + " " + self.t("progress_next", step=self.step_line(following, today))


def render_plan(
    steps: Sequence[Step], vpe: str, cto: str | None, words: HandoverWords, today: date
) -> Message:
    """The plan, a "Done" button per open step and one to edit the plan."""
    cto_name = mention(cto) if cto else words.catalog.t("roles.cto", words.lang)
    intro = words.t("intro", vpe=mention(vpe), cto=cto_name)
    blocks: list[Block] = [
        HeaderBlock(text=words.t("title")),
        SectionBlock(text=MarkdownTextObject(text=intro)),
    ]
    for step in steps[:40]:
        line = words.step_line(step, today)
        button = None
        if not step.done:
            button = ButtonElement(
                text=words.t("mark_done"), action_id=DONE_ACTION, value=step.area
            )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=button))
    blocks.append(
        ActionsBlock(
            elements=[ButtonElement(text=words.t("edit"), action_id=EDIT_ACTION, value="edit")]
        )
    )
    blocks.append(context(words.t("footer")))
    lines = [words.step_line(step, today) for step in steps]
    text = fallback_text(words.t("title"), lines, words.catalog, words.lang)
    return Message(text=text, blocks=to_dicts(blocks))


def render_plan_modal(
    steps: Sequence[Step],
    areas: Sequence[str],
    proposed: Sequence[PlannedStep],
    words: HandoverWords,
    metadata: dict[str, str],
) -> dict[str, Any]:
    """Which areas (a multiple choice), then each one's order and date."""
    current = {step.area: step for step in steps}
    suggested = {step.area: step.due_on for step in proposed}
    order = [step.area for step in steps] or [step.area for step in proposed]
    order += [area for area in areas if area not in order]
    options = [Option(value=area, text=words.area(area)) for area in order]
    chosen = [option for option in options if option.value in current] or options
    positions = [Option(value=str(n), text=str(n)) for n in range(1, len(order) + 1)]
    blocks: list[Block] = [
        InputBlock(
            block_id=AREAS_BLOCK,
            label=words.t("modal_areas"),
            element=StaticMultiSelectElement(
                action_id="value", options=options, initial_options=chosen
            ),
        )
    ]
    for number, area in enumerate(order, start=1):
        due = current[area].due_on if area in current else suggested.get(area)
        blocks.append(
            InputBlock(
                block_id=f"order:{area}",
                label=words.t("modal_order", area=words.area(area)),
                element=StaticSelectElement(
                    action_id="value", options=positions, initial_option=positions[number - 1]
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=f"due:{area}",
                label=words.t("modal_due", area=words.area(area)),
                element=DatePickerElement(
                    action_id="value", initial_date=due.isoformat() if due else None
                ),
            )
        )
    view = View(
        type="modal",
        callback_id=PLAN_CALLBACK,
        title=words.t("modal_title"),
        submit=words.t("modal_submit"),
        close=words.t("modal_close"),
        private_metadata=json.dumps(metadata),
        blocks=blocks,
    )
    view.validate_json()
    return view.to_dict()


def render_due(step: Step, vpe: str | None, cto: str | None, words: HandoverWords) -> Message:
    """The reminder both get when a step is due, with its "Done" button."""
    text = words.t(
        "due",
        area=words.area(step.area),
        date=day(step.due_on, words.lang),
        vpe=mention(vpe) if vpe else words.catalog.t("roles.vp_engineering", words.lang),
        cto=mention(cto) if cto else words.catalog.t("roles.cto", words.lang),
    )
    button = ButtonElement(text=words.t("mark_done"), action_id=DONE_ACTION, value=step.area)
    blocks = [SectionBlock(text=MarkdownTextObject(text=text), accessory=button)]
    return Message(text=text, blocks=to_dicts(blocks))
