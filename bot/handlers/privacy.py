"""`/vpe forget me` (after a confirmation) and `/vpe export` (leadership)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, to_dicts
from bot.db import unit_of_work
from bot.deps import Deps
from bot.handlers.access import require_leader
from bot.handlers.once import first_delivery
from bot.handlers.router import CommandCall, Router
from bot.privacy import export_rows, forget_person, to_csv
from bot.workspace import workspace_settings

FORGET_ACTION, CANCEL_ACTION = "forget_me", "forget_cancel"


def forget(call: CommandCall) -> None:
    """Ask for confirmation; the button does the erasing."""
    if [arg.lower() for arg in call.command.args] not in (["me"], ["moi"]):
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
    if not require_leader(call):
        return
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


def register(app: App, deps: Deps, router: Router) -> None:
    router.add(forget, "forget", "oublier")
    router.add(export, "export", "exporter")

    def acknowledge(ack: Ack) -> None:
        ack()

    def on_forget(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if not first_delivery(deps, body):
            return
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        lang = deps.people.language(client, team_id, user_id)
        with unit_of_work(deps.sessions) as session:
            report = forget_person(session, deps.answer_key, team_id, user_id)
        text = deps.catalog.t("forget.done", lang, **vars(report))
        respond(text=text, replace_original=True, response_type="ephemeral")

    def on_cancel(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        lang = deps.people.language(client, body["team"]["id"], body["user"]["id"])
        respond(text=deps.catalog.t("forget.cancelled", lang), replace_original=True)

    app.action(FORGET_ACTION)(ack=acknowledge, lazy=[on_forget])
    app.action(CANCEL_ACTION)(ack=acknowledge, lazy=[on_cancel])
