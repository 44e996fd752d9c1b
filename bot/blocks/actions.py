"""Action plans: the list, the lines the digest and Home show, the modal, the owner's DM."""

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
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import Message, context, escaped, mrkdwn_sections, to_dicts, trend_arrow
from bot.core.i18n import Catalog, Lang, day
from bot.pulses.questions import PulseContent
from bot.pulses.results import PulseResults
from bot.team.actions import WHAT_LIMIT, Action, is_overdue

NEW_ACTION = "action_new"  # a button: opens the modal
STEP_ACTION = "action_from_step"  # a select of the verdict's next steps: opens it prefilled
DONE_ACTION = "action_done"  # a button beside an open action
ACTION_CALLBACK = "action_plan"
WHAT_BLOCK, OWNER_BLOCK, DUE_BLOCK, ITEM_BLOCK = "what", "owner", "due", "item"
VALUE = "value"
OPTION_TEXT = 75  # Slack's limit for an option's text


def action_line(plan: Action, today: date, catalog: Catalog, lang: Lang) -> str:
    """`#3` what · <@owner> · due 2027-01-15 (overdue)."""
    state = "done" if plan.status == "done" else "overdue" if is_overdue(plan, today) else "open"
    return catalog.t(
        f"actions.line_{state}",
        lang,
        id=str(plan.id),  # typed back in `/vpe action done 3`: never "1,234"
        what=escaped(plan.what),
        owner=f"<@{plan.owner}>" if plan.owner else "…",
        due=day(plan.due, lang),
    )


def summary_lines(plans: Sequence[Action], today: date, catalog: Catalog, lang: Lang) -> list[str]:
    """For the digest and App Home: counts, then each open action (overdue first)."""
    opened = [plan for plan in plans if plan.status == "open"]
    if not opened:
        return [catalog.t("actions.summary_none", lang)]
    late = [plan for plan in opened if is_overdue(plan, today)]
    if late:
        lines = [catalog.t("actions.summary", lang, open=len(opened), overdue=len(late))]
    else:  # "dont 0 en retard" reads wrong in French
        lines = [catalog.t("actions.summary_on_time", lang, open=len(opened))]
    ordered = late + [plan for plan in opened if plan not in late]
    return lines + [f"• {action_line(plan, today, catalog, lang)}" for plan in ordered[:10]]


def render_actions(plans: Sequence[Action], today: date, catalog: Catalog, lang: Lang) -> Message:
    """`/vpe actions`: open and overdue first, then done."""
    blocks: list[Block] = [HeaderBlock(text=catalog.t("actions.title", lang))]
    if not plans:
        text = catalog.t("actions.none", lang)
        blocks += mrkdwn_sections([text])
        return Message(text=text, blocks=to_dicts(blocks))
    lines = [action_line(plan, today, catalog, lang) for plan in plans[:40]]
    blocks += mrkdwn_sections(lines)
    blocks.append(context(catalog.t("actions.how", lang)))
    blocks.append(new_action_button(catalog, lang))
    text = "\n".join(lines).replace("*", "")
    return Message(text=text[:3000], blocks=to_dicts(blocks))


def new_action_button(catalog: Catalog, lang: Lang) -> ActionsBlock:
    return ActionsBlock(
        elements=[ButtonElement(text=catalog.t("actions.plan", lang), action_id=NEW_ACTION)]
    )


def step_select(steps: Sequence[tuple[str, str]], catalog: Catalog, lang: Lang) -> Block:
    """A select of the verdict's next steps (value, text), choosing one opens the modal
    with its words, beside the plain "Plan an action" button."""
    if not steps:
        return new_action_button(catalog, lang)
    options = [
        Option(value=value, text=text[: OPTION_TEXT - 1] + "…" if len(text) > OPTION_TEXT else text)
        for value, text in steps[:100]
    ]
    return ActionsBlock(
        elements=[
            StaticSelectElement(
                action_id=STEP_ACTION,
                placeholder=catalog.t("actions.from_step", lang),
                options=options,
            ),
            ButtonElement(text=catalog.t("actions.plan", lang), action_id=NEW_ACTION),
        ]
    )


def moved_lines(
    plans: Sequence[Action], results: PulseResults, catalog: Catalog, lang: Lang
) -> list[str]:
    """How each action's statement moved since it was planned, as far as results show it."""
    shown = {result.item.id: result for result in results.items if result.mean is not None}
    lines = []
    for plan in plans:
        if plan.item is None or plan.item not in shown:
            continue
        if plan.baseline is None or plan.baseline_pulse == results.pulse.id:
            continue
        now = shown[plan.item]
        if plan.baseline_pulse is not None and plan.baseline_pulse > results.pulse.id:
            continue  # planned after this pulse: nothing moved yet
        assert now.mean is not None
        delta = now.mean - plan.baseline
        arrow = trend_arrow(delta)
        lines.append(
            catalog.t(
                "actions.moved",
                lang,
                what=escaped(plan.what),
                statement=now.item.label[lang],
                before=float(plan.baseline),
                now=float(now.mean),
                arrow=arrow,
                # A reverse statement's average rises when things get worse: say so.
                reverse=catalog.t("results.reverse", lang) if now.item.reverse else "",
            )
        )
    return lines


def render_action_modal(
    content: PulseContent,
    catalog: Catalog,
    lang: Lang,
    what: str = "",
) -> dict[str, Any]:
    """What, who, by when, and optionally the statement it should move."""
    key = "actions.modal"
    items = [Option(value=item.id, text=item.label[lang][:OPTION_TEXT]) for item in content.items]
    view = View(
        type="modal",
        callback_id=ACTION_CALLBACK,
        title=catalog.t(f"{key}.title", lang),
        submit=catalog.t(f"{key}.submit", lang),
        close=catalog.t(f"{key}.close", lang),
        private_metadata=json.dumps({"lang": lang}),
        blocks=[
            InputBlock(
                block_id=WHAT_BLOCK,
                label=catalog.t(f"{key}.what", lang),
                element=PlainTextInputElement(
                    action_id=VALUE,
                    initial_value=what[:WHAT_LIMIT] or None,
                    max_length=WHAT_LIMIT,
                    multiline=True,
                ),
            ),
            InputBlock(
                block_id=OWNER_BLOCK,
                label=catalog.t(f"{key}.owner", lang),
                element=UserSelectElement(action_id=VALUE),
            ),
            InputBlock(
                block_id=DUE_BLOCK,
                label=catalog.t(f"{key}.due", lang),
                element=DatePickerElement(action_id=VALUE),
            ),
            InputBlock(
                block_id=ITEM_BLOCK,
                label=catalog.t(f"{key}.item", lang),
                optional=True,
                element=StaticSelectElement(action_id=VALUE, options=items),
            ),
        ],
    )
    view.validate_json()
    return view.to_dict()


def render_overdue_dm(plan: Action, catalog: Catalog, lang: Lang) -> Message:
    text = catalog.t(
        "actions.overdue_dm",
        lang,
        id=str(plan.id),
        what=escaped(plan.what),
        due=day(plan.due, lang),
    )
    done = ButtonElement(
        text=catalog.t("actions.mark_done", lang), action_id=DONE_ACTION, value=str(plan.id)
    )
    blocks = [*mrkdwn_sections([text]), ActionsBlock(elements=[done])]
    return Message(text=text, blocks=to_dicts(blocks))
