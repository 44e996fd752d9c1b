"""Routing `/vpe <subcommand>` to the function that handles it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks import Message
from bot.commands import Command
from bot.deps import Deps
from bot.i18n import Lang


@dataclass
class CommandCall:
    """One `/vpe` invocation, parsed, with what a subcommand needs to answer it."""

    team_id: str
    user_id: str
    channel_id: str
    command: Command
    lang: Lang
    client: WebClient
    respond: Respond
    deps: Deps
    trigger_id: str | None = None

    def reply(self, message: Message) -> None:
        """Answer privately (ephemeral) to the person who typed the command."""
        self.respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )

    def say(self, text: str) -> None:
        """A plain private answer."""
        self.respond(text=text, response_type="ephemeral", replace_original=False)

    def t(self, key: str, **values: Any) -> str:
        return self.deps.catalog.t(key, self.lang, **values)


Subcommand = Callable[[CommandCall], None]


class Router:
    """Subcommands by name; anything else goes to the fallback (help, or a question)."""

    def __init__(self, fallback: Subcommand) -> None:
        self._routes: dict[str, Subcommand] = {}
        self.fallback = fallback

    def add(self, handler: Subcommand, *names: str) -> None:
        for name in names:
            self._routes[name] = handler

    def route(self, name: str) -> Subcommand:
        return self._routes.get(name, self.fallback)

    def names(self) -> tuple[str, ...]:
        return tuple(self._routes)
