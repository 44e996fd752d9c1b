"""The decision report: gather the facts, draw the PDF, send it by DM."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.digest import digest_chart
from bot.blocks.ownership import owner_lines
from bot.blocks.report import MENTION, render_report_pdf
from bot.core.i18n import Lang
from bot.ownership.assignments import load_assignments
from bot.signals.report import decision_facts
from bot.storage.db import unit_of_work
from bot.storage.models import Workspace
from bot.team.workspace import workspace_settings

if TYPE_CHECKING:
    from bot.bootstrap import Deps
    from bot.services.digests import Digests


class DecisionReports:
    def __init__(self, deps: Deps, digests: Digests) -> None:
        self.deps, self.digests = deps, digests

    def build(
        self, client: WebClient, team_id: str, weeks: int, reader: Lang = "en"
    ) -> tuple[bytes, Lang]:
        """The PDF in the workspace's language (the `reader`'s when the workspace has none),
        and that language."""
        deps = self.deps
        with unit_of_work(deps.sessions) as session:
            settings = workspace_settings(session, team_id)
            row = session.get(Workspace, team_id)
            hire_months = row.hire_months if row else 4
            facts = decision_facts(
                session,
                team_id,
                deps.pulse,
                deps.kb,
                self.digests.config,
                settings.threshold,
                hire_months,
                deps.clock.now(),
                weeks,
            )
            team = load_assignments(session, team_id)
        lang: Lang = settings.language or reader
        words = self.digests.words(lang)
        lines = owner_lines(deps.kb, team, deps.catalog, lang)
        people = {match for line in lines for match in MENTION.findall(line)}
        chart = digest_chart(facts.inputs.history, words)
        pdf = render_report_pdf(facts, words, lines, self.names(client, people), chart)
        return pdf, lang

    @staticmethod
    def names(client: WebClient, user_ids: set[str]) -> dict[str, str]:
        """How people read in print: their Slack name, else their id."""
        names = {}
        for user_id in sorted(user_ids):
            try:
                user = client.users_info(user=user_id)["user"]
            except SlackApiError:
                continue
            profile = user.get("profile") or {}
            name = profile.get("display_name") or user.get("real_name") or user.get("name")
            if name:
                names[user_id] = str(name)
        return names
