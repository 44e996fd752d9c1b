"""`/vpe report [weeks]`: the decision report as a PDF, by DM."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services
from bot.handlers.parsing import whole_number
from bot.handlers.routing import Command, CommandCall, Subcommand

DEFAULT_WEEKS, MAX_WEEKS = 12, 104


def weeks_of(call: CommandCall) -> int | None:
    args = call.command.args
    if not args:
        return DEFAULT_WEEKS
    weeks = whole_number(args[0], MAX_WEEKS) if len(args) == 1 else None
    return weeks if weeks else None


def weeks_given(call: CommandCall) -> bool:
    if weeks_of(call) is not None:
        return True
    call.say(call.t("report.usage"))
    return False


def report(call: CommandCall) -> None:
    """Build the PDF and upload it to the caller's DM."""
    weeks = weeks_of(call) or DEFAULT_WEEKS
    pdf, lang = call.services.reports.build(call.client, call.team_id, weeks, call.lang)
    channel = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    call.client.files_upload_v2(
        channel=channel,
        content=pdf,
        filename=f"vpe-bot-decision-report-{call.deps.clock.now().date().isoformat()}.pdf",
        title=call.deps.catalog.t("report.title", lang),
        initial_comment=call.t("report.comment"),
    )
    call.say(call.t("report.sent", weeks=weeks))


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("report", "rapport"),
            (Subcommand("report", (), report, True, weeks_given),),
        )
    ]
