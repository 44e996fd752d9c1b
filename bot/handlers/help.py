"""`/vpe help`: every declared subcommand, with its row from content/commands.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from slack_bolt import App

from bot.blocks.help import HelpRow, render_help
from bot.bootstrap import Services
from bot.core.content import CONTENT_DIR
from bot.core.i18n import LANGS, Lang, typeset
from bot.handlers.routing import Command, CommandCall, Subcommand


@dataclass(frozen=True)
class CommandDoc:
    id: str
    usage: str
    usage_fr: str | None
    does: dict[Lang, str]


def load_command_docs(path: Path = CONTENT_DIR / "commands.toml") -> tuple[CommandDoc, ...]:
    with path.open("rb") as handle:
        rows = tomllib.load(handle)["command"]
    return tuple(
        CommandDoc(
            id=row["id"],
            usage=row["usage"],
            usage_fr=row.get("usage_fr"),
            does={lang: typeset(row[lang], lang) for lang in LANGS},
        )
        for row in rows
    )


@cache
def command_docs() -> tuple[CommandDoc, ...]:
    return load_command_docs()


def help_rows(subcommands: Sequence[Subcommand], lang: Lang) -> list[HelpRow]:
    """The help's rows in content order, each marked 🔒 when its subcommands are."""
    locked = {sub.help for sub in subcommands if sub.restricted}
    declared = {sub.help for sub in subcommands}
    return [
        HelpRow(
            usage=(doc.usage_fr if lang == "fr" and doc.usage_fr else doc.usage),
            does=doc.does[lang],
            restricted=doc.id in locked,
        )
        for doc in command_docs()
        if doc.id in declared
    ]


def show_help(call: CommandCall) -> None:
    """Usage message; names the word we did not understand, if any."""
    unknown = call.command.name if call.command.name not in ("", "help", "aide") else None
    rows = help_rows(call.router.subcommands(), call.lang)
    call.reply(render_help(rows, call.deps.catalog, call.lang, unknown=unknown))


def register(app: App, services: Services) -> list[Command]:
    return [Command(("help", "aide", ""), (Subcommand("help", (), show_help),))]
