"""The commands `/vpe help` lists, read from content/commands.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.i18n import CONTENT_DIR, Lang


@dataclass(frozen=True)
class CommandDoc:
    usage: str
    usage_fr: str | None
    restricted: bool
    does: dict[Lang, str]

    def usage_in(self, lang: Lang) -> str:
        return self.usage_fr if lang == "fr" and self.usage_fr else self.usage


def load_command_docs(path: Path = CONTENT_DIR / "commands.toml") -> tuple[CommandDoc, ...]:
    with path.open("rb") as handle:
        rows = tomllib.load(handle)["command"]
    return tuple(
        CommandDoc(
            usage=row["usage"],
            usage_fr=row.get("usage_fr"),
            restricted=bool(row.get("restricted", False)),
            does={"en": row["en"], "fr": row["fr"]},
        )
        for row in rows
    )


@cache
def command_docs() -> tuple[CommandDoc, ...]:
    return load_command_docs()
