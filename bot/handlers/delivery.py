"""`/vpe delivery` and `/vpe delivery sync`: delivery figures from GitHub and Linear."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.blocks import escaped
from bot.bootstrap import Services
from bot.delivery.store import sources
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.services.delivery import SyncOutcome
from bot.storage.db import unit_of_work

log = logging.getLogger(__name__)


def show_delivery(call: CommandCall) -> None:
    """The figures, their DORA tiers and their 12-week trends; the chart by DM."""
    message, chart = call.services.delivery.delivery_view(call.team_id, call.lang)
    call.reply(message)
    if chart is None:
        return
    try:
        channel = call.client.conversations_open(users=call.user_id)["channel"]["id"]
        call.client.files_upload_v2(
            channel=channel,
            content=chart,
            filename="delivery-lead-time.png",
            title=call.t("delivery.chart_title"),
        )
    except SlackApiError as error:  # the figures are already shown: the chart is extra
        log.warning("delivery chart not sent: %s", error.response.get("error"))


def sync_now(call: CommandCall) -> None:
    """Read every source now, then say how each went."""
    delivery = call.services.delivery
    delivery.env_sources(call.team_id)
    with unit_of_work(call.deps.sessions) as session:
        count = len(sources(session, call.team_id))
    if not count:
        call.say(call.t("delivery.sync.no_sources"))
        return
    call.say(call.t("delivery.sync.started", count=count))
    outcomes = delivery.sync_team(call.team_id)
    lines = call.t("fallback.separator").join(outcome_text(call, o) for o in outcomes)
    call.say(call.t("delivery.sync.done", lines=lines))


def outcome_text(call: CommandCall, outcome: SyncOutcome) -> str:
    name = escaped(outcome.name)
    if outcome.status == "failed":
        return call.t("delivery.sync.failed", name=name, error=escaped(outcome.error or ""))
    return call.t(f"delivery.sync.{outcome.status}", name=name)


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("delivery", "livraison"),
            (
                Subcommand("delivery.sync", ("sync", "synchroniser"), sync_now, True),
                Subcommand("delivery", (), show_delivery, True, alone=True),
            ),
            usage="delivery.sync.usage",
        )
    ]
