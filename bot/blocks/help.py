"""The `/vpe help` message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.blocks import Message, context, escaped, mrkdwn_sections, to_dicts
from bot.core.i18n import Catalog, Lang, escape_placeholders
from bot.core.limits import ECHO


@dataclass(frozen=True)
class HelpRow:
    usage: str
    does: str
    restricted: bool


def render_help(
    rows: Sequence[HelpRow], catalog: Catalog, lang: Lang, unknown: str | None = None
) -> Message:
    """The usage message; `unknown` names a command we did not recognise."""
    intro = (
        catalog.t("help.unknown", lang, name=escaped(unknown, ECHO))
        if unknown
        else catalog.t("help.intro", lang)
    )
    lines = [
        f"`{escape_placeholders(row.usage)}`{' 🔒' if row.restricted else ''} — "
        f"{escape_placeholders(row.does)}"
        for row in rows
    ]
    blocks: list[Block] = [
        HeaderBlock(text=catalog.t("help.title", lang)),
        SectionBlock(text=MarkdownTextObject(text=intro)),
        *mrkdwn_sections(lines),
        context(catalog.t("help.footer", lang)),
    ]
    plain = ", ".join(escape_placeholders(row.usage) for row in rows)
    text = f"{intro} {catalog.t('help.fallback', lang, commands=plain)}"
    return Message(text=text, blocks=to_dicts(blocks))
