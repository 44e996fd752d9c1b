"""`/vpe help`: the list of commands."""

from __future__ import annotations

from bot.blocks.help import render_help
from bot.command_list import command_docs
from bot.handlers.router import CommandCall, Router


def show_help(call: CommandCall) -> None:
    """Usage message; names the word we did not understand, if any."""
    unknown = call.command.name if call.command.name not in ("", "help", "aide") else None
    call.reply(render_help(command_docs(), call.deps.catalog, call.lang, unknown=unknown))


def register(router: Router) -> None:
    router.add(show_help, "help", "aide", "")
