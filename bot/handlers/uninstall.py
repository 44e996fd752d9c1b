"""Uninstalls and revoked tokens: tokens go at once, the workspace's data after a grace period."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services
from bot.handlers.listen import Interaction, on
from bot.handlers.routing import Command
from bot.storage.db import unit_of_work
from bot.team.workspace import mark_uninstalled


def on_uninstalled(done: Interaction) -> None:
    deps, enterprise_id = done.deps, done.context.enterprise_id
    if deps.installations is not None:
        deps.installations.delete_all(enterprise_id=enterprise_id, team_id=done.team_id)
    with unit_of_work(deps.sessions) as session:
        mark_uninstalled(session, done.team_id, deps.clock.now())


def on_tokens_revoked(done: Interaction) -> None:
    store, enterprise_id = done.deps.installations, done.context.enterprise_id
    if store is None:
        return
    tokens = done.event.get("tokens", {})
    if tokens.get("bot"):
        store.delete_bot(enterprise_id=enterprise_id, team_id=done.team_id)
    for user_id in tokens.get("oauth", []):
        store.delete_installation(
            enterprise_id=enterprise_id, team_id=done.team_id, user_id=user_id
        )


def register(app: App, services: Services) -> list[Command]:
    on(app.event("app_uninstalled"), services, on_uninstalled, errors=False)
    on(app.event("tokens_revoked"), services, on_tokens_revoked, errors=False)
    return []
