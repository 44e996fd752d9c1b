"""`/vpe forget me` (after a confirmation) and `/vpe export` (leadership)."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, simple, to_dicts
from bot.bootstrap import Services
from bot.core.i18n import normalise_language
from bot.handlers.listen import Interaction, on
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.privacy.erasure import forget_person
from bot.privacy.export import export_rows, to_csv
from bot.pulses.outbox import delivered_messages
from bot.storage.db import forget_freed_pages, unit_of_work
from bot.team.workspace import workspace_settings

log = logging.getLogger(__name__)
FORGET_ACTION, CANCEL_ACTION = "forget_me", "forget_cancel"


def forget(call: CommandCall) -> None:
    """Ask for confirmation; the button does the erasing."""
    if len(call.command.args) != 1:
        call.say(call.t("forget.usage"))
        return
    question = call.t("forget.confirm")
    erase = ButtonElement(
        text=call.t("forget.yes"),
        action_id=FORGET_ACTION,
        style="danger",
        confirm=ConfirmObject(
            title=call.t("forget.dialog_title"),
            text=call.t("forget.dialog_text"),
            confirm=call.t("forget.yes"),
            deny=call.t("forget.no"),
        ),
    )
    cancel = ButtonElement(text=call.t("forget.no"), action_id=CANCEL_ACTION)
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=question)),
        ActionsBlock(elements=[erase, cancel]),
    ]
    call.reply(Message(text=question, blocks=to_dicts(blocks)))


def export(call: CommandCall) -> None:
    """A CSV of aggregated results, sent by DM to the leader who asked."""
    with unit_of_work(call.deps.sessions) as session:
        threshold = workspace_settings(session, call.team_id).threshold
        rows = export_rows(session, call.team_id, call.deps.pulse, threshold)
    if not rows:
        call.say(call.t("export.empty", threshold=threshold))
        return
    channel = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    call.client.files_upload_v2(
        channel=channel,
        content=to_csv(rows),
        filename="vpe-bot-pulse-results.csv",
        title="vpe-bot pulse results",
        initial_comment=call.t("export.comment"),
    )
    call.say(call.t("export.sent", threshold=threshold, rows=len(rows)))


def erase(done: Interaction) -> None:
    """The confirmation's button: erase, then say what went, then take the person's choices
    off their pulse messages (the messages stay, saying their answers were erased)."""
    lang, deps = done.lang(), done.deps
    with unit_of_work(deps.sessions) as session:
        messages = delivered_messages(session, done.team_id, done.user_id)
        report = forget_person(session, deps.answer_key, done.team_id, done.user_id)
    forget_freed_pages(deps.engine)
    kept = deps.catalog.t("forget.unlinked", lang, count=report.unlinked) if report.unlinked else ""
    gone = {
        name: deps.catalog.t(f"forget.{name}", lang, count=count)
        for name, count in vars(report).items()
        if name != "unlinked"
    }
    text = deps.catalog.t("forget.done", lang, **gone, unlinked=kept)
    done.respond(text=text, replace_original=True, response_type="ephemeral")
    for channel, ts, language in messages:
        erased = simple(deps.catalog.t("pulse.dm.erased", normalise_language(language) or lang))
        try:
            done.client.chat_update(channel=channel, ts=ts, **erased.as_kwargs())
        except (SlackApiError, OSError) as error:
            reason = error.response.get("error") if isinstance(error, SlackApiError) else error
            log.warning("an erased pulse message could not be redrawn: %s", reason)


def cancel(done: Interaction) -> None:
    done.respond(text=done.t("forget.cancelled"), replace_original=True)


def register(app: App, services: Services) -> list[Command]:
    on(app.action(FORGET_ACTION), services, erase, errors=False)
    on(app.action(CANCEL_ACTION), services, cancel, errors=False)
    return [
        Command(
            ("forget", "oublier"), (Subcommand("forget", ("me", "moi"), forget),), "forget.usage"
        ),
        Command(("export", "exporter"), (Subcommand("export", (), export, True),)),
    ]
