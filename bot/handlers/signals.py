"""`/vpe signals`, `/vpe digest now`, and the digest's buttons."""

from __future__ import annotations

import re

from slack_bolt import App, Respond
from slack_sdk.errors import SlackApiError

from bot.blocks.digest import RESULTS_ACTION, START_ACTION
from bot.blocks.modals import (
    START_CALLBACK,
    input_state,
    metadata_text,
    read_metadata,
    render_start_modal,
)
from bot.bootstrap import Services
from bot.handlers.access import require_leader
from bot.handlers.errors import answer_errors
from bot.handlers.listen import Interaction, on
from bot.handlers.pulse import start_targets
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.slack.audience import AudienceProblem, Targets
from bot.slack.response_url import DirectMessage
from bot.storage.db import unit_of_work
from bot.team.digest_schedule import leadership_channel

SLACK_ID = re.compile(r"[A-Z0-9]{1,32}")
URLS = ("https://", "http://")


def signals(call: CommandCall) -> None:
    """The verdict, every signal with its evidence, the next steps."""
    call.reply(call.services.digests.signals_message(call.team_id, call.lang))


def digest_now(call: CommandCall) -> None:
    """`digest now`: post it to the leadership channel, or here until one is set."""
    with unit_of_work(call.deps.sessions) as session:
        channel = leadership_channel(session, call.team_id)
    target = channel or call.channel_id
    try:
        call.services.digests.post_digest(call.client, call.team_id, target, call.lang)
    except SlackApiError as error:
        if error.response.get("error") in ("not_in_channel", "channel_not_found"):
            call.say(call.t("digest.not_in_channel", channel=target))
            return
        raise
    call.say(call.t("digest.posted", channel=target) if channel else call.t("digest.no_channel"))


def see_results(done: Interaction) -> None:
    """The digest's "See results": the results command, answered privately."""
    call = done.as_command("results")
    call.router.dispatch(call)


def start_pulse(done: Interaction) -> None:
    """The digest's "Start a pulse": a modal to pick who to ask (leadership)."""
    call = done.as_command("pulse now")
    if require_leader(call):
        view = render_start_modal(done.deps.catalog, call.lang, done.body.get("response_url", ""))
        done.client.views_open(trigger_id=done.body["trigger_id"], view=view)


def start_from_modal(done: Interaction) -> None:
    """Start a pulse for the audience picked in the digest's modal (leadership only).

    The answer goes to the response_url of the digest button that opened the modal (by DM
    when the modal carries none). Ids not shaped as Slack's are left out of the audience.
    """
    view = done.body.get("view") or {}

    def picked(block: str, kind: str) -> list[str]:
        chosen = input_state(view, block, "value").get(kind)
        ids = chosen if isinstance(chosen, list) else []
        return list(dict.fromkeys(i for i in ids if isinstance(i, str) and SLACK_ID.fullmatch(i)))

    url = metadata_text(read_metadata(view), "response_url")
    respond = (
        Respond(response_url=url)
        if url.startswith(URLS)
        else DirectMessage(done.client, done.user_id)
    )
    call = done.as_command("pulse now", respond)
    with answer_errors(call.say, done.deps.catalog, call.lang):
        if not require_leader(call):
            return
        targets = Targets(
            picked("channels", "selected_conversations"), [], picked("people", "selected_users")
        )
        try:
            start_targets(call, done.services.sender, targets)
        except AudienceProblem as problem:
            call.say(call.t(problem.key, **problem.values))


def register(app: App, services: Services) -> list[Command]:
    on(app.action(RESULTS_ACTION), services, see_results)
    on(app.action(START_ACTION), services, start_pulse)
    on(app.view(START_CALLBACK), services, start_from_modal, errors=False)
    return [
        Command(("signals", "signaux"), (Subcommand("signals", (), signals, True),)),
        Command(
            ("digest",),
            (Subcommand("digest", ("now", "maintenant"), digest_now, True),),
            usage="digest_cmd.usage",
        ),
    ]
