"""The App Home tab, and its settings button."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.blocks import context
from bot.blocks.home import SETTINGS_ACTION
from bot.bootstrap import Services
from bot.handlers.access import in_leadership
from bot.handlers.listen import Interaction, on
from bot.handlers.routing import Command
from bot.services.settings_summary import setting_lines, settings_how


def on_home_opened(done: Interaction) -> None:
    """Redrawn at each opening, so it is never stale."""
    if done.event.get("tab", "home") == "home":
        done.services.home.publish(done.client, done.team_id, done.user_id)


def on_settings(done: Interaction) -> None:
    """The Home tab's settings button: the settings, in a modal (what needs attention too,
    for leadership: anyone can send this click)."""
    deps, lang = done.deps, done.lang()
    leader = in_leadership(deps, done.client, done.team_id, done.user_id)
    view = View(
        type="modal",
        title=deps.catalog.t("settings.title", lang),
        close=deps.catalog.t("pulse.schedule_modal.close", lang),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text="\n".join(setting_lines(deps, done.team_id, lang, leader))
                )
            ),
            context(settings_how(deps, lang)),
        ],
    )
    done.client.views_open(trigger_id=done.body["trigger_id"], view=view.to_dict())


def register(app: App, services: Services) -> list[Command]:
    on(app.event("app_home_opened"), services, on_home_opened, errors=False)
    on(app.action(SETTINGS_ACTION), services, on_settings, errors=False)
    return []
