"""`/vpe pulse …` and `/vpe results`: starting, scheduling, following and reading pulses."""

from __future__ import annotations

from datetime import timedelta

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.blocks.modals import render_schedule_modal
from bot.blocks.results import render_results, render_status
from bot.blocks.team_results import render_own_results, render_team_results, team_heatmap
from bot.blocks.time import plain_date, slack_date
from bot.bootstrap import Services
from bot.core.cadence import next_slot
from bot.handlers.access import timezone_for
from bot.handlers.parsing import parse_targets, whole_number
from bot.handlers.routing import Command, CommandCall, Subcommand, readable
from bot.handlers.share import share
from bot.privacy.export import comments_csv
from bot.pulses.by_team import latest_team_results, team_results
from bot.pulses.lifecycle import (
    AudienceTooClose,
    PulseAlreadyOpen,
    PulsePlan,
    closed_pulses,
    open_pulse_of,
    participation,
    recipients_of,
)
from bot.pulses.recurring import active_schedule, cadence_of, stop_schedule
from bot.pulses.reporting import TooClose, anonymity_rules, audience_note
from bot.pulses.results import PulseResults, pulse_results
from bot.services.pulse_sending import PulseSender
from bot.slack.audience import AudienceProblem, Targets
from bot.storage.db import unit_of_work
from bot.team.teams import managed_by
from bot.team.workspace import workspace_settings

DEFAULT_OPEN_DAYS = 3


def targets_typed(call: CommandCall) -> tuple[str, ...] | None:
    return call.command.args[1:] or None


def start_now(call: CommandCall) -> None:
    """`pulse now <#channel | @group | @person …>`."""
    try:
        start_targets(call, call.services.sender, parse_targets(call.command.args[1:]))
    except AudienceProblem as problem:
        call.say(call.t(problem.key, **problem.values))


def schedule(call: CommandCall) -> None:
    """`pulse schedule` opens the modal; `pulse schedule off` stops the schedule."""
    if len(call.command.args) > 1 and call.command.args[1].lower() in ("off", "stop", "arrêt"):
        with unit_of_work(call.deps.sessions) as session:
            stopped = stop_schedule(session, call.team_id)
        call.say(call.t("pulse.cmd.schedule_off" if stopped else "pulse.cmd.no_schedule"))
        return
    view = render_schedule_modal(
        call.deps.pulse,
        call.deps.catalog,
        call.lang,
        timezone=timezone_for(call),
        usergroups=usergroups(call),
        channel_id=call.channel_id,
    )
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def status(call: CommandCall) -> None:
    """Anyone may see the open pulse's counts (never names) and the next run."""
    now = call.deps.clock.now()
    with unit_of_work(call.deps.sessions) as session:
        pulse = open_pulse_of(session, call.team_id)
        counts = participation(session, pulse.id) if pulse else None
        asked = recipients_of(session, pulse.id) if pulse else []
        schedule = active_schedule(session, call.team_id)
        upcoming = next_slot(cadence_of(schedule), now) if schedule else None
    opened = slack_date(pulse.opened_at, pulse.timezone, call.lang) if pulse else None
    closes = slack_date(pulse.closes_at, pulse.timezone, call.lang) if pulse else None
    next_run = slack_date(upcoming, schedule.timezone, call.lang) if upcoming and schedule else None
    away = len(call.services.pulse_jobs.away(call.client, asked)) if asked else 0
    catalog = call.deps.catalog
    call.reply(render_status(opened, closes, counts, next_run, catalog, call.lang, away))


def close(call: CommandCall) -> None:
    """Close the open pulse now (its starter is told here, not by DM)."""
    with unit_of_work(call.deps.sessions) as session:
        pulse = open_pulse_of(session, call.team_id)
    if pulse is None or not call.services.pulse_jobs.close(call.team_id, pulse.id, notify=False):
        call.say(call.t("pulse.cmd.nothing_open"))
        return
    with unit_of_work(call.deps.sessions) as session:
        counts = participation(session, pulse.id)
    call.say(call.t("pulse.cmd.closed", answered=counts.answered, asked=counts.asked))


BY_TEAM = {
    ("by", "team"),
    ("by", "teams"),
    ("par", "équipe"),
    ("par", "equipe"),
    ("par", "équipes"),
}


def by_team(args: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The arguments without a trailing `by team` (`par équipe`), and whether it was there."""
    if tuple(word.lower() for word in args[-2:]) in BY_TEAM:
        return args[:-2], True
    return args, False


def how_far_back(call: CommandCall) -> int | None:
    """`results` alone is 0 (the latest); `results N` is N, either with `by team` after it;
    anything else is None."""
    args, _ = by_team(call.command.args)
    if not args:
        return 0
    return whole_number(args[0], 999) if len(args) == 1 else None


def comments_back(call: CommandCall) -> int | None:
    """`results comments` is 0 (the latest pulse); `results comments N` is N."""
    args = call.command.args[1:]
    if not args:
        return 0
    return whole_number(args[0], 999) if len(args) == 1 else None


def results(call: CommandCall) -> None:
    """`results [N]`: the latest closed pulse, or the Nth before it."""
    back = how_far_back(call) or 0
    if by_team(call.command.args)[1]:
        results_by_team(call)
        return
    found = results_of(call, back)
    if found is not None:
        plans = call.services.actions.for_results(call.team_id)
        call.reply(render_results(found, call.deps.catalog, call.lang, back, plans))


def results_by_team(call: CommandCall) -> None:
    """`results [N] by team`: each team's participation and the figures the rule allows."""
    back = how_far_back(call) or 0
    found = results_of(call, back)
    if found is None:
        return
    with unit_of_work(call.deps.sessions) as session:
        previous = closed_pulses(session, call.team_id, back + 2)[back + 1 :]
        threshold = workspace_settings(session, call.team_id).threshold
        teams = team_results(
            session, call.deps.pulse, found.pulse, previous[0] if previous else None, threshold
        )
    call.reply(render_team_results(found, teams, call.deps.catalog, call.lang))
    picture = team_heatmap(teams, call.deps.catalog, call.lang)
    if picture is not None:
        send_heatmap(call, picture, found.pulse.id)


def results_mine(call: CommandCall) -> None:
    """`results mine`: a manager's own teams in the latest closed pulse, above K only."""
    with unit_of_work(call.deps.sessions) as session:
        mine = managed_by(session, call.team_id, call.user_id)
        threshold = workspace_settings(session, call.team_id).threshold
        teams = latest_team_results(session, call.deps.pulse, call.team_id, threshold)
    if not mine:
        call.say(call.t("team_results.not_a_manager"))
        return
    own = [team for team in teams if team.key in mine]
    call.reply(render_own_results(own, threshold, call.deps.catalog, call.lang))


def send_heatmap(call: CommandCall, picture: bytes, pulse_id: int) -> None:
    """The heatmap by DM, as a PNG (an ephemeral answer cannot carry a file)."""
    channel = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    call.client.files_upload_v2(
        channel=channel,
        content=picture,
        filename=f"vpe-bot-pulse-{pulse_id}-teams.png",
        title=call.t("team_results.heatmap_title"),
    )
    call.say(call.t("team_results.heatmap_sent"))


def send_comments(call: CommandCall) -> None:
    """`results comments [N]`: every comment of that pulse, as a CSV file by DM."""
    found = results_of(call, comments_back(call) or 0)
    if found is None:
        return
    if found.comments is None:
        call.say(call.t("results.comments_hidden", threshold=found.threshold))
        return
    if not found.comments:
        call.say(call.t("results.no_comments"))
        return
    pulse = found.pulse
    channel = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    call.client.files_upload_v2(
        channel=channel,
        content=comments_csv(found.comments),
        filename=f"vpe-bot-pulse-{pulse.id}-comments.csv",
        title="vpe-bot pulse comments",
        initial_comment=call.t(
            "results.comments_file", date=plain_date(pulse.opened_at, pulse.timezone, call.lang)
        ),
    )
    call.say(call.t("results.comments_sent", count=len(found.comments)))


def results_of(call: CommandCall, back: int) -> PulseResults | None:
    """The results of the closed pulse `back` pulses before the latest; None after saying
    there is none."""
    with unit_of_work(call.deps.sessions) as session:
        pulses = closed_pulses(session, call.team_id, back + 2)
        if not pulses:
            call.say(call.t("results.none"))
            return None
        if back >= len(pulses):
            call.say(call.t("results.too_far", count=len(pulses), last=len(pulses) - 1))
            return None
        previous = pulses[back + 1] if back + 1 < len(pulses) else None
        threshold = workspace_settings(session, call.team_id).threshold
        return pulse_results(session, call.deps.pulse, pulses[back], previous, threshold)


def start_targets(call: CommandCall, sender: PulseSender, targets: Targets) -> None:
    """Open a pulse for these targets with the default statements, tell the caller, send it.

    Raises:
        AudienceProblem: a target cannot be used, or nobody is left to ask.
    """
    plan = sender.plan(
        call.client,
        call.team_id,
        targets,
        items=list(call.deps.pulse.default_items()),
        open_for=timedelta(days=DEFAULT_OPEN_DAYS),
        language=None,
        timezone=timezone_for(call),
        started_by=call.user_id,
    )
    try:
        pulse_id = sender.open(plan)
    except PulseAlreadyOpen as already:
        opened = slack_date(already.opened_at, already.timezone, call.lang)
        closes = slack_date(already.closes_at, already.timezone, call.lang)
        call.say(call.t("pulse.cmd.already_open", opened=opened, closes=closes))
        return
    except AudienceTooClose as refused:
        call.say(too_close_text(call, refused.close))
        return
    closes = slack_date(plan.closes_at, plan.timezone, call.lang)
    count, audience = len(plan.recipients), plan.audience_label
    started = call.t("pulse.cmd.started", count=count, audience=audience, closes=closes)
    call.say(" ".join([started, *counted_note(call, plan)]))
    sender.after_open(call.client, call.team_id, pulse_id)


def counted_note(call: CommandCall, plan: PulsePlan) -> list[str]:
    """Say at once when the audience cannot give full results (bot.pulses.reporting)."""
    counted = sum(1 for recipient in plan.recipients if recipient.counted)
    with unit_of_work(call.deps.sessions) as session:
        threshold = workspace_settings(session, call.team_id).threshold
    note = audience_note(counted, threshold)
    if note == "all":
        return []
    if note == "averages":
        floor = anonymity_rules().distribution_floor * threshold
        return [call.t("pulse.cmd.counted_averages", counted=counted, floor=floor)]
    key = "pulse.cmd.counted_few" if counted else "pulse.cmd.counted_none"
    return [call.t(key, counted=counted, threshold=threshold)]


def too_close_text(call: CommandCall, close: TooClose) -> str:
    with unit_of_work(call.deps.sessions) as session:
        threshold = workspace_settings(session, call.team_id).threshold
    difference = call.t("pulse.cmd.people", count=close.difference)
    return call.t(
        "pulse.cmd.too_close",
        date=slack_date(close.opened_at, close.timezone, call.lang),
        difference=difference,
        threshold=threshold,
        until=slack_date(close.until, close.timezone, call.lang),
    )


def usergroups(call: CommandCall) -> list[tuple[str, str]]:
    try:
        groups = call.client.usergroups_list()["usergroups"]
    except SlackApiError:
        return []  # no usergroups:read, or a plan without groups: the modal just omits them
    return [(group["id"], group["handle"]) for group in groups]


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("pulse", "sondage"),
            (
                Subcommand(
                    "pulse.now",
                    ("now", "maintenant"),
                    start_now,
                    True,
                    readable(targets_typed, "pulse.cmd.now_usage"),
                ),
                Subcommand("pulse.schedule", ("schedule", "planifier"), schedule, True),
                Subcommand("pulse.status", ("status", "état", "etat"), status),
                Subcommand("pulse.close", ("close", "clore"), close, True),
                Subcommand("pulse.share", ("share", "partager"), share, True),
            ),
            usage="pulse.cmd.usage",
        ),
        Command(
            ("results", "résultats", "resultats"),
            (
                Subcommand(
                    "results", (), results, True, readable(how_far_back, "results.bad_number")
                ),
                Subcommand(
                    "results.teams",
                    ("by", "par"),
                    results_by_team,
                    True,
                    readable(how_far_back, "results.bad_number"),
                ),
                Subcommand("results.mine", ("mine", "moi", "mes"), results_mine),
                Subcommand(
                    "results.comments",
                    ("comments", "commentaires"),
                    send_comments,
                    True,
                    readable(comments_back, "results.bad_number"),
                ),
            ),
        ),
    ]
