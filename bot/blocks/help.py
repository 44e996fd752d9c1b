"""The `/vpe help` message."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.blocks import Message, context, mrkdwn_sections, to_dicts
from bot.command_list import CommandDoc
from bot.i18n import Catalog, Lang


def render_help(
    docs: Sequence[CommandDoc], catalog: Catalog, lang: Lang, unknown: str | None = None
) -> Message:
    """The usage message; `unknown` names a command we did not recognise."""
    intro = (
        catalog.t("help.unknown", lang, name=unknown[:60])
        if unknown
        else catalog.t("help.intro", lang)
    )
    lines = [
        f"`{doc.usage_in(lang)}`{' 🔒' if doc.restricted else ''} — {doc.does[lang]}"
        for doc in docs
    ]
    blocks: list[Block] = [
        HeaderBlock(text=catalog.t("help.title", lang)),
        SectionBlock(text=MarkdownTextObject(text=intro)),
        *mrkdwn_sections(lines),
        context(catalog.t("help.footer", lang)),
    ]
    plain = ", ".join(doc.usage_in(lang) for doc in docs)
    text = f"{intro} {catalog.t('help.fallback', lang, commands=plain)}"
    return Message(text=text, blocks=to_dicts(blocks))
