"""`/vpe pulse share [a line]`: the latest closed pulse's summary, back to those it asked."""

from __future__ import annotations

import re

from slack_sdk.errors import SlackApiError

from bot.blocks import Message
from bot.blocks.share import render_share
from bot.blocks.time import plain_date
from bot.core.limits import SHARE_LINE, over
from bot.handlers.routing import CommandCall
from bot.pulses.by_team import team_results
from bot.pulses.lifecycle import closed_pulses
from bot.pulses.results import pulse_results
from bot.storage.db import unit_of_work
from bot.team.teams import list_teams
from bot.team.workspace import workspace_settings

CHANNEL = re.compile(r"<#(C[A-Z0-9]{1,31})(?:\|[^>]*)?>")


def leadership_line(call: CommandCall) -> str:
    """Everything typed after `share`, as typed."""
    rest = call.command.rest.strip()
    return rest.split(maxsplit=1)[1].strip() if len(rest.split(maxsplit=1)) > 1 else ""


def share(call: CommandCall) -> None:
    """Post the summary to the pulse's channels, and each team's own to its channel."""
    line = leadership_line(call)
    if over(line, SHARE_LINE):
        call.say(call.t("limits.share_line", limit=SHARE_LINE, length=len(line)))
        return
    posts = summaries(call, line)
    if posts is None:
        return
    if not posts:
        call.say(call.t("share.no_channel"))
        return
    posted = []
    for channel, message in posts:
        try:
            call.client.chat_postMessage(channel=channel, **message.as_kwargs())
            posted.append(f"<#{channel}>")
        except SlackApiError:
            call.say(call.t("share.not_in", channel=f"<#{channel}>"))
    if posted:
        call.say(call.t("share.posted", date=shared_date(call), channels=", ".join(posted)))


def summaries(call: CommandCall, line: str) -> list[tuple[str, Message]] | None:
    """(channel, summary) for every channel the latest closed pulse can be shared to."""
    with unit_of_work(call.deps.sessions) as session:
        pulses = closed_pulses(session, call.team_id, 2)
        if not pulses:
            call.say(call.t("results.none"))
            return None
        settings = workspace_settings(session, call.team_id)
        k, lang = settings.threshold, settings.language or call.lang
        pulse, previous = pulses[0], (pulses[1] if len(pulses) > 1 else None)
        whole = pulse_results(session, call.deps.pulse, pulse, previous, k)
        teams = team_results(session, call.deps.pulse, pulse, previous, k)
        sources = {
            team.key: team.source_id
            for team in list_teams(session, call.team_id)
            if team.source_kind == "channel"
        }
        label = pulse.audience_label
    catalog = call.deps.catalog
    posts = [
        (
            channel,
            render_share(
                catalog.t("share.title", lang),
                whole.respondents,
                whole.asked,
                whole.items if whole.visible else (),
                k,
                line,
                catalog,
                lang,
            ),
        )
        for channel in dict.fromkeys(CHANNEL.findall(label))
    ]
    for team in teams:
        if team.key in sources:
            title = catalog.t("share.team_title", lang, team=team.name)
            items = team.items if team.visible else ()
            summary = render_share(
                title, team.respondents, team.asked, items, k, line, catalog, lang
            )
            posts.append((sources[team.key], summary))
    return posts


def shared_date(call: CommandCall) -> str:
    with unit_of_work(call.deps.sessions) as session:
        pulses = closed_pulses(session, call.team_id, 1)
        return plain_date(pulses[0].opened_at, pulses[0].timezone, call.lang) if pulses else ""
