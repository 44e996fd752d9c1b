"""`/vpe sources`: the delivery sources, their last sync and error, and a form to add one."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import escaped
from bot.core.i18n import Catalog, Lang, day_and_time
from bot.core.times import aware
from bot.delivery.mapping import team_of
from bot.delivery.store import SourceRow

SOURCES_CALLBACK = "delivery_sources"
REMOVE_ACTION = "delivery_source_remove"
KINDS = ("github", "linear", "jira")


def render_sources_modal(
    sources: Sequence[SourceRow],
    catalog: Catalog,
    lang: Lang,
    can_add: bool,
    teams: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The list and the form; `teams` (name by key) are the teams a source may count for."""
    teams = teams or {}

    def t(key: str, **values: object) -> str:
        return catalog.t(f"delivery.sources.{key}", lang, **values)

    blocks: list[Block] = []
    for source in sources:
        at = source.last_sync_at
        synced = f"{day_and_time(aware(at), lang)} UTC" if at else "—"
        line = t(
            "row",
            kind=t(f"kind_{source.kind}"),
            name=escaped(source.name),
            team=escaped(team_of(source.team_name, teams) or t("org")),
            synced=synced,
        )
        if source.team_name and team_of(source.team_name, teams) is None:
            line += "\n" + t("unknown_team_note", team=escaped(source.team_name))
        if source.last_error:
            line += "\n" + t("error", error=escaped(source.last_error))
        if source.from_env:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=line + "\n" + t("from_env"))))
        else:
            remove = ButtonElement(
                text=t("remove"), action_id=REMOVE_ACTION, value=str(source.id), style="danger"
            )
            blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=remove))
    if not sources:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=t("none"))))
    if can_add:
        blocks += add_form(t, teams)
    else:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t("no_key"))]))
    view = View(
        type="modal",
        callback_id=SOURCES_CALLBACK,
        title=t("title"),
        submit=t("add") if can_add else None,
        close=t("close"),
        private_metadata=json.dumps({"lang": lang}),
        blocks=blocks,
    )
    view.validate_json()
    return view.to_dict()


def team_field(t: Any, teams: Mapping[str, str]) -> Block:
    """A choice among the teams of `/vpe teams`; without any, a line saying how to add one."""
    if not teams:
        return ContextBlock(elements=[MarkdownTextObject(text=t("no_teams"))])
    options = [Option(value=key, text=name[:75]) for key, name in sorted(teams.items())]
    return InputBlock(
        block_id="team",
        label=t("field_team"),
        hint=t("hint_team"),
        optional=True,
        element=StaticSelectElement(action_id="value", options=options[:100]),
    )


def add_form(t: Any, teams: Mapping[str, str]) -> list[Block]:
    kinds = [Option(value=kind, text=t(f"kind_{kind}")) for kind in KINDS]

    def text_input(block: str, optional: bool = False) -> InputBlock:
        return InputBlock(
            block_id=block,
            label=t(f"field_{block}"),
            hint=t(f"hint_{block}"),
            optional=optional,
            element=PlainTextInputElement(action_id="value", max_length=300),
        )

    return [
        InputBlock(
            block_id="kind",
            label=t("field_kind"),
            element=StaticSelectElement(action_id="value", options=kinds, initial_option=kinds[0]),
        ),
        text_input("name"),
        team_field(t, teams),
        text_input("token"),
        text_input("api_url", optional=True),
    ]
