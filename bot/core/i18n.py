"""Copy in English and French, loaded from content/ and rendered by key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from bot.core.content import CONTENT_DIR

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")


# `<area>` in our own copy is a placeholder for the reader, not Slack markup: Slack would try
# to read it as a link. Slack's own forms (`<#C…>`, `<@U…>`, `<!here>`, `<https://…>`) stay.
_PLACEHOLDER = re.compile(r"<(?![#@!]|https?:|mailto:)([^<>{}]*)>")


def escape_placeholders(text: str) -> str:
    """Our copy's `<placeholder>` written as Slack must receive it: `&lt;placeholder&gt;`."""
    return _PLACEHOLDER.sub(r"&lt;\1&gt;", text)


class Catalog:
    """Every user-facing sentence, by dotted key, in both languages."""

    def __init__(self, messages: Mapping[str, Mapping[Lang, Any]]) -> None:
        self._messages = messages

    def t(self, key: str, lang: Lang, /, **values: object) -> str:
        """The sentence `key` in `lang`, with `{placeholders}` filled from `values`."""
        text = self._messages[key][lang]
        if not isinstance(text, str):
            raise TypeError(f"message {key} is not a sentence")
        text = escape_placeholders(text)
        return text.format_map(values) if values else text

    def raw(self, key: str, lang: Lang) -> Any:
        """A structured entry (a list or table) as written in the content file."""
        return self._messages[key][lang]

    def message_keys(self) -> tuple[str, ...]:
        return tuple(self._messages)


def normalise_language(value: str | None) -> Lang | None:
    """'fr-FR', 'fr', 'FR' -> 'fr'; anything we do not speak -> None."""
    if not value:
        return None
    code = value.strip().lower()[:2]
    for lang in LANGS:
        if code == lang:
            return lang
    return None


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, dict[Lang, Any]]:
    found: dict[str, dict[Lang, Any]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and set(value) == set(LANGS):
            found[key] = {lang: value[lang] for lang in LANGS}
        elif isinstance(value, Mapping):
            found.update(_flatten(value, key + "."))
        else:
            raise ValueError(f"{key}: every message needs an 'en' and an 'fr' version")
    return found


def load_catalog(directory: Path = CONTENT_DIR) -> Catalog:
    """Read every content/messages*.toml file; raise ValueError on a message missing a language."""
    messages: dict[str, dict[Lang, Any]] = {}
    for path in sorted(directory.glob("messages*.toml")):
        with path.open("rb") as handle:
            for key, value in _flatten(tomllib.load(handle)).items():
                if key in messages:
                    raise ValueError(f"{path.name}: message {key} is defined twice")
                messages[key] = value
    return Catalog(messages)


@cache
def default_catalog() -> Catalog:
    return load_catalog()
