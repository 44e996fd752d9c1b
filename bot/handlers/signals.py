"""`/vpe signals`, `/vpe digest now`, and the digest's buttons."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookResponse

from bot.blocks.digest import RESULTS_ACTION, START_ACTION
from bot.blocks.modals import (
    START_CALLBACK,
    input_state,
    metadata_text,
    read_metadata,
    render_start_modal,
)
from bot.commands import parse_command
from bot.db import unit_of_work
from bot.deps import Deps
from bot.digests import leadership_channel
from bot.handlers.access import require_leader
from bot.handlers.guard import answer_errors
from bot.handlers.once import first_delivery
from bot.handlers.pulse import start_targets
from bot.handlers.router import CommandCall, Router
from bot.slack.audience import AudienceProblem, Targets
from bot.slack.digests import Digests
from bot.slack.pulses import PulseSender

log = logging.getLogger(__name__)
SLACK_ID = re.compile(r"[A-Z0-9]{1,32}")
URLS = ("https://", "http://")


class SignalCommands:
    def __init__(self, digests: Digests) -> None:
        self.digests = digests

    def signals(self, call: CommandCall) -> None:
        """The verdict, every signal with its evidence, the next steps (leadership)."""
        if require_leader(call):
            call.reply(self.digests.signals_message(call.team_id, call.lang))

    def digest(self, call: CommandCall) -> None:
        """`digest now`: post it to the leadership channel, or here until one is set."""
        if not call.command.args or call.command.args[0].lower() not in ("now", "maintenant"):
            call.say(call.t("digest_cmd.usage"))
            return
        if not require_leader(call):
            return
        with unit_of_work(call.deps.sessions) as session:
            channel = leadership_channel(session, call.team_id)
        target = channel or call.channel_id
        try:
            self.digests.post_digest(call.client, call.team_id, target, call.lang)
        except SlackApiError as error:
            if error.response.get("error") in ("not_in_channel", "channel_not_found"):
                call.say(call.t("digest.not_in_channel", channel=target))
                return
            raise
        call.say(
            call.t("digest.posted", channel=target) if channel else call.t("digest.no_channel")
        )


def register(app: App, deps: Deps, router: Router, digests: Digests, sender: PulseSender) -> None:
    commands = SignalCommands(digests)
    router.add(commands.signals, "signals", "signaux")
    router.add(commands.digest, "digest")

    def acknowledge(ack: Ack) -> None:
        ack()

    def see_results(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """The digest's "See results": the results command, answered privately."""
        if not first_delivery(deps, body):
            return
        call = button_call(deps, body, client, respond, "results")
        router.route("results")(call)

    def start_pulse(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """The digest's "Start a pulse": a modal to pick who to ask."""
        if not first_delivery(deps, body):
            return
        call = button_call(deps, body, client, respond, "pulse now")
        if require_leader(call):
            view = render_start_modal(deps.catalog, call.lang, body.get("response_url", ""))
            client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_start_submit(ack: Ack) -> None:
        ack()

    def start_submitted(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        if first_delivery(deps, body):
            start_from_modal(deps, sender, body, view, client)

    app.action(RESULTS_ACTION)(ack=acknowledge, lazy=[see_results])
    app.action(START_ACTION)(ack=acknowledge, lazy=[start_pulse])
    app.view(START_CALLBACK)(ack=on_start_submit, lazy=[start_submitted])


def button_call(
    deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond, text: str
) -> CommandCall:
    """A button press read as the command it stands for, answered privately."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    return CommandCall(
        team_id=team_id,
        user_id=user_id,
        channel_id=(body.get("channel") or {}).get("id", ""),
        command=parse_command(text),
        lang=deps.people.language(client, team_id, user_id),
        client=client,
        respond=respond,
        deps=deps,
        trigger_id=body.get("trigger_id"),
    )


def start_from_modal(
    deps: Deps, sender: PulseSender, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Start a pulse for the audience picked in the digest's modal (leadership only).

    The answer goes to the response_url of the digest button that opened the modal (by DM
    when the modal carries none). Ids not shaped as Slack's are left out of the audience.
    """

    def picked(block: str, kind: str) -> list[str]:
        chosen = input_state(view, block, "value").get(kind)
        ids = chosen if isinstance(chosen, list) else []
        return list(dict.fromkeys(i for i in ids if isinstance(i, str) and SLACK_ID.fullmatch(i)))

    meta = read_metadata(view)
    url = metadata_text(meta, "response_url")
    user_id = body["user"]["id"]
    respond = Respond(response_url=url) if url.startswith(URLS) else DirectMessage(client, user_id)
    call = button_call(deps, body, client, respond, "pulse now")
    with answer_errors(call.say, deps.catalog, call.lang):
        if not require_leader(call):
            return
        targets = Targets(
            picked("channels", "selected_conversations"), [], picked("people", "selected_users")
        )
        try:
            start_targets(call, sender, targets)
        except AudienceProblem as problem:
            call.say(call.t(problem.key, **problem.values))


class DirectMessage(Respond):
    """`respond` for a modal that carries no response_url: the answer goes by DM (and when
    Slack refuses even that, a warning in the log is all that can be done)."""

    def __init__(self, client: WebClient, user_id: str) -> None:
        super().__init__(response_url=None)
        self._client, self._user_id = client, user_id

    def __call__(
        self, text: str | dict[str, Any] = "", *args: Any, **kwargs: Any
    ) -> WebhookResponse:
        message = text if isinstance(text, dict) else {"text": text, "blocks": kwargs.get("blocks")}
        try:
            self._client.chat_postMessage(
                channel=self._user_id,
                text=str(message.get("text") or ""),
                blocks=message.get("blocks"),
            )
        except SlackApiError as error:
            reason = str(error.response.get("error"))
            log.warning("an answer could not be sent by DM either: %s", reason)
            return WebhookResponse(url="", status_code=404, body=reason, headers={})
        return WebhookResponse(url="", status_code=200, body="ok", headers={})
