"""Slack adapters: acknowledge, parse, call a service or the domain, render, send.

Every module has the same `register(app, services)`: it wires its listeners and returns the
`/vpe` subcommands it declares. `register_all` gathers them into one router.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.bootstrap import Services
from bot.handlers import (
    actions,
    ask,
    delivery,
    handover,
    home,
    leaders,
    org,
    owners,
    privacy,
    pulse,
    pulse_taps,
    replies,
    report,
    roles,
    schedule_modal,
    settings,
    signals,
    slash,
    sources,
    teams,
    uninstall,
)
from bot.handlers import help as help_handlers
from bot.handlers.access import require_leader
from bot.handlers.routing import Router

MODULES = (
    help_handlers,
    ask,
    roles,
    owners,
    leaders,
    pulse,
    pulse_taps,
    schedule_modal,
    settings,
    signals,
    delivery,
    sources,
    org,
    handover,
    report,
    teams,
    privacy,
    home,
    uninstall,
    actions,
    replies,
)


def register_all(app: App, services: Services) -> Router:
    """Every listener, and the router for `/vpe`: text that is no command is a question."""
    commands = [command for module in MODULES for command in module.register(app, services)]
    router = Router(commands, fallback=ask.ask_or_help, lock=require_leader)
    slash.register(app, services, router)

    def share_router(context: BoltContext, next: Callable[[], Any]) -> Any:
        """Buttons that stand for a command find the router in Bolt's context."""
        context["router"] = router
        return next()

    app.use(share_router)
    return router
