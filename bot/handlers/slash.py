"""The `/vpe` slash command: acknowledge at once, then route it and answer via response_url."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.bootstrap import Services
from bot.handlers.errors import answer_errors
from bot.handlers.listen import first_request
from bot.handlers.parsing import parse_command
from bot.handlers.routing import CommandCall, Router


def register(app: App, services: Services, router: Router) -> None:
    deps = services.deps

    def acknowledge(ack: Ack) -> None:
        ack()

    def run(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        """Parse the command, answer in the caller's language (once per invocation)."""
        if not first_request(deps, context, body):
            return
        team_id, user_id = context.team_id or "", context.user_id or ""
        lang = deps.people.language(client, team_id, user_id)
        call = CommandCall(
            team_id=team_id,
            user_id=user_id,
            channel_id=context.channel_id or "",
            command=parse_command(body.get("text", "")),
            lang=lang,
            client=client,
            respond=respond,
            services=services,
            router=router,
            trigger_id=body.get("trigger_id"),
        )
        with answer_errors(call.say, deps.catalog, lang):
            router.dispatch(call)

    app.command("/vpe")(ack=acknowledge, lazy=[run])
