"""The App Home tab, and its settings button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View
from sqlalchemy import select

from bot.blocks import context
from bot.blocks.home import SETTINGS_ACTION, render_home
from bot.blocks.ownership import owner_lines
from bot.db import unit_of_work
from bot.deps import Deps
from bot.handlers.settings import problem_line, setting_lines, settings_how
from bot.leadership import is_leader
from bot.models import Pulse, PulseRecipient
from bot.ownership import load_assignments
from bot.slack.digests import Digests


def pulse_state(deps: Deps, team_id: str, user_id: str) -> str | None:
    """ "waiting" or "answered" for the open pulse this person received, else None."""
    with unit_of_work(deps.sessions) as session:
        row = session.execute(
            select(PulseRecipient.answered)
            .join(Pulse, Pulse.id == PulseRecipient.pulse_id)
            .where(
                Pulse.team_id == team_id,
                Pulse.status == "open",
                PulseRecipient.user_id == user_id,
                PulseRecipient.status == "sent",
            )
        ).first()
    if row is None:
        return None
    return "answered" if row[0] else "waiting"


def publish_home(
    deps: Deps, digests: Digests, client: WebClient, team_id: str, user_id: str
) -> None:
    lang = deps.people.language(client, team_id, user_id)
    person = deps.people.get(client, team_id, user_id)
    words = digests.words(lang)
    with unit_of_work(deps.sessions) as session:
        leader = is_leader(session, team_id, person)
        team = load_assignments(session, team_id)
    lines = owner_lines(deps.kb, team, deps.catalog, lang)
    leader_view, problem = None, None
    if leader:
        picture = digests.picture(team_id)
        leader_view = (list(picture.inputs.history), picture.assessment, picture.threshold)
        problem = problem_line(deps, team_id, lang)
    state = pulse_state(deps, team_id, user_id)
    view = render_home(words, lines, state, leader_view, problem)
    client.views_publish(user_id=user_id, view=view)


def register(app: App, deps: Deps, digests: Digests) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def on_home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        """Redrawn at each opening, so it is never stale."""
        if event.get("tab", "home") == "home":
            publish_home(deps, digests, client, body["team_id"], event["user"])

    def on_settings(body: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        lang = deps.people.language(client, team_id, user_id)
        lines = setting_lines(deps, team_id, lang)
        view = View(
            type="modal",
            title=deps.catalog.t("settings.title", lang),
            close=deps.catalog.t("pulse.schedule_modal.close", lang),
            blocks=[
                SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
                context(settings_how(deps, lang)),
            ],
        )
        client.views_open(trigger_id=body["trigger_id"], view=view.to_dict())

    app.event("app_home_opened")(ack=acknowledge, lazy=[on_home_opened])
    app.action(SETTINGS_ACTION)(ack=acknowledge, lazy=[on_settings])
