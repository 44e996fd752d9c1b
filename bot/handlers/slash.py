"""The `/vpe` slash command: acknowledge at once, then do the work and answer via response_url."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands import parse_command
from bot.deps import Deps
from bot.handlers.guard import answer_errors
from bot.handlers.once import first_delivery
from bot.handlers.router import CommandCall, Router


def register(app: App, deps: Deps, router: Router) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def run(body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        """Parse the command, answer in the caller's language (once per invocation)."""
        if not first_delivery(deps, body):
            return
        team_id, user_id = body["team_id"], body["user_id"]
        lang = deps.people.language(client, team_id, user_id)
        command = parse_command(body.get("text", ""))
        call = CommandCall(
            team_id=team_id,
            user_id=user_id,
            channel_id=body.get("channel_id", ""),
            command=command,
            lang=lang,
            client=client,
            respond=respond,
            deps=deps,
            trigger_id=body.get("trigger_id"),
        )
        with answer_errors(call.say, deps.catalog, lang):
            router.route(command.name)(call)

    app.command("/vpe")(ack=acknowledge, lazy=[run])
