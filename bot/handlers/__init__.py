"""Slack adapters: acknowledge, parse, call the domain, render, send."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.handlers import ask, leaders, owners, roles, slash
from bot.handlers import help as help_handlers
from bot.handlers.router import Router


def register_all(app: App, deps: Deps) -> Router:
    router = Router(fallback=help_handlers.show_help)
    help_handlers.register(router)
    roles.register(router)
    owners.register(router)
    leaders.register(router)
    ask.register(app, deps, router)
    slash.register(app, deps, router)
    return router
