"""Modals: scheduling the pulse, and the optional comment."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ConversationFilter,
    ConversationMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.core.cadence import CADENCES
from bot.core.i18n import Catalog, Lang
from bot.pulses.questions import PulseContent

SCHEDULE_CALLBACK = "pulse_schedule"
START_CALLBACK = "pulse_start"
COMMENT_CALLBACK = "pulse_comment"
COMMENT_BLOCK, COMMENT_INPUT = "comment", "comment_text"
ID_LIMIT = 2**31  # ids are INTEGER columns


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The private_metadata this bot wrote into a modal; {} when it is missing or not ours."""
    raw = view.get("private_metadata")
    try:
        meta = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def metadata_id(meta: dict[str, Any], key: str) -> int | None:
    """A database id kept in the metadata (written as a JSON number), else None."""
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < ID_LIMIT:
        return None
    return value


def metadata_text(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    return value if isinstance(value, str) else ""


def input_state(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """One input's state in a submitted modal, as Slack shapes it; {} when it is missing or
    shaped otherwise (a block left out, a string where an object belongs)."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    block = values.get(block_id) if isinstance(values, dict) else None
    element = block.get(action_id) if isinstance(block, dict) else None
    return element if isinstance(element, dict) else {}


def render_comment_modal(
    pulse_id: int, current: str | None, catalog: Catalog, lang: Lang, origin: dict[str, str]
) -> dict[str, Any]:
    key = "pulse.comment_modal"
    view = View(
        type="modal",
        callback_id=COMMENT_CALLBACK,
        title=catalog.t(f"{key}.title", lang),
        submit=catalog.t(f"{key}.submit", lang),
        close=catalog.t(f"{key}.close", lang),
        private_metadata=json.dumps({"pulse": pulse_id, "lang": lang, **origin}),
        blocks=[
            InputBlock(
                block_id=COMMENT_BLOCK,
                label=catalog.t(f"{key}.label", lang),
                optional=True,
                element=PlainTextInputElement(
                    action_id=COMMENT_INPUT,
                    multiline=True,
                    max_length=2000,
                    initial_value=current or None,
                    placeholder=catalog.t(f"{key}.placeholder", lang),
                ),
            )
        ],
    )
    view.validate_json()
    return view.to_dict()


def _options(pairs: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(value=value, label=label[:75]) for value, label in pairs]


def render_schedule_modal(
    content: PulseContent,
    catalog: Catalog,
    lang: Lang,
    *,
    timezone: str,
    usergroups: Sequence[tuple[str, str]],
    channel_id: str,
) -> dict[str, Any]:
    """All the schedule's settings in one modal; usergroups are (id, handle) pairs."""

    def t(key: str) -> str:
        return catalog.t(f"pulse.schedule_modal.{key}", lang)

    cadences = _options([(c, catalog.t(f"cadence.{c}", lang)) for c in CADENCES])
    days = _options([(str(d), catalog.t(f"weekdays.{d}", lang)) for d in range(7)])
    items = _options([(i.id, i.label[lang]) for i in content.items])
    defaults = [o for o in items if o.value in content.default_items()]
    languages = _options([("auto", t("language_auto")), ("en", "English"), ("fr", "Français")])
    blocks: list[Any] = [
        SectionBlock(text=MarkdownTextObject(text=t("intro"))),
        InputBlock(
            block_id="channels",
            label=t("channels"),
            optional=True,
            element=ConversationMultiSelectElement(
                action_id="value",
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            ),
        ),
    ]
    if usergroups:
        blocks.append(
            InputBlock(
                block_id="groups",
                label=t("groups"),
                optional=True,
                element=StaticMultiSelectElement(
                    action_id="value", options=_options([(g, f"@{h}") for g, h in usergroups[:100]])
                ),
            )
        )
    blocks += [
        InputBlock(
            block_id="people",
            label=t("people"),
            optional=True,
            element=UserMultiSelectElement(action_id="value"),
        ),
        _select("cadence", t("cadence"), cadences, cadences[0]),
        _select("weekday", t("weekday"), days, days[0]),
        InputBlock(
            block_id="time",
            label=t("time"),
            element=TimePickerElement(action_id="value", initial_time="10:00"),
        ),
        InputBlock(
            block_id="timezone",
            label=t("timezone"),
            element=PlainTextInputElement(action_id="value", initial_value=timezone),
        ),
        InputBlock(
            block_id="open_days",
            label=t("open_days"),
            element=NumberInputElement(
                action_id="value",
                is_decimal_allowed=False,
                initial_value="3",
                min_value="1",
                max_value="14",
            ),
        ),
        InputBlock(
            block_id="items",
            label=t("items"),
            element=StaticMultiSelectElement(
                action_id="value", options=items, initial_options=defaults
            ),
        ),
        _select("language", t("language"), languages, languages[0]),
    ]
    view = View(
        type="modal",
        callback_id=SCHEDULE_CALLBACK,
        title=t("title"),
        submit=t("submit"),
        close=t("close"),
        private_metadata=json.dumps({"channel": channel_id, "lang": lang}),
        blocks=blocks,
    )
    view.validate_json()
    return view.to_dict()


def _select(block_id: str, label: str, options: list[Option], initial: Option) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        element=StaticSelectElement(action_id="value", options=options, initial_option=initial),
    )


def render_start_modal(catalog: Catalog, lang: Lang, response_url: str) -> dict[str, Any]:
    """Pick who to ask, then the pulse starts with the default statements."""
    view = View(
        type="modal",
        callback_id=START_CALLBACK,
        title=catalog.t("digest.start_modal_title", lang),
        submit=catalog.t("digest.start_modal_submit", lang),
        close=catalog.t("pulse.schedule_modal.close", lang),
        private_metadata=json.dumps({"response_url": response_url, "lang": lang}),
        blocks=[
            InputBlock(
                block_id="channels",
                label=catalog.t("digest.start_modal_audience", lang),
                optional=True,
                element=ConversationMultiSelectElement(
                    action_id="value",
                    filter=ConversationFilter(
                        include=["public", "private"], exclude_bot_users=True
                    ),
                ),
            ),
            InputBlock(
                block_id="people",
                label=catalog.t("digest.start_modal_people", lang),
                optional=True,
                element=UserMultiSelectElement(action_id="value"),
            ),
        ],
    )
    view.validate_json()
    return view.to_dict()
