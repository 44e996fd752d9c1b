"""How people are written in messages: Slack mentions, which render as names."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.i18n import Catalog, Lang


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def mentions(user_ids: Sequence[str], catalog: Catalog, lang: Lang) -> str:
    """`<@A>`, `<@A> and <@B>`, `<@A>, <@B> and <@C>` (in the message's language)."""
    written = [mention(user_id) for user_id in user_ids]
    if len(written) <= 1:
        return "".join(written)
    return ", ".join(written[:-1]) + catalog.t("roles.and", lang) + written[-1]
