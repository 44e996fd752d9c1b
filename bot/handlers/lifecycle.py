"""Uninstalls and revoked tokens: tokens go at once, the workspace's data after a grace period."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.db import unit_of_work
from bot.deps import Deps
from bot.workspace import mark_uninstalled


def register(app: App, deps: Deps) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def on_uninstalled(body: dict[str, Any]) -> None:
        team_id, enterprise_id = body["team_id"], body.get("enterprise_id")
        if deps.installations is not None:
            deps.installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        with unit_of_work(deps.sessions) as session:
            mark_uninstalled(session, team_id, deps.clock.now())

    def on_tokens_revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        if deps.installations is None:
            return
        team_id, enterprise_id = body["team_id"], body.get("enterprise_id")
        tokens = event.get("tokens", {})
        if tokens.get("bot"):
            deps.installations.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        for user_id in tokens.get("oauth", []):
            deps.installations.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )

    app.event("app_uninstalled")(ack=acknowledge, lazy=[on_uninstalled])
    app.event("tokens_revoked")(ack=acknowledge, lazy=[on_tokens_revoked])
