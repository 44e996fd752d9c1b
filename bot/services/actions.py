"""Action plans as a use case: planning one, listing them, and telling owners once when late."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.actions import render_overdue_dm
from bot.pulses.lifecycle import closed_pulses
from bot.pulses.results import pulse_results
from bot.slack.clients import for_each
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse
from bot.team.actions import (
    Action,
    Baseline,
    actions_of,
    add_action,
    claim_overdue_notice,
    local_today,
    overdue_untold,
    release_overdue_notice,
    teams_with_open_actions,
)
from bot.team.workspace import workspace_settings

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)


class Actions:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def today(self, team_id: str) -> date:
        """Today in the workspace's zone (UTC until one is set)."""
        with unit_of_work(self.deps.sessions) as session:
            return local_today(session, team_id, self.deps.clock.now())

    def baseline(self, session: Session, team_id: str, item: str) -> Baseline:
        """The statement's average in the latest closed pulse, if results showed it."""
        pulses = closed_pulses(session, team_id, 1)
        if not pulses:
            return Baseline(None, None)
        threshold = workspace_settings(session, team_id).threshold
        found = pulse_results(session, self.deps.pulse, pulses[0], None, threshold)
        mean = next((r.mean for r in found.items if r.item.id == item), None)
        return Baseline(mean, pulses[0].id)

    def plan(
        self, team_id: str, what: str, owner: str, due: date, by: str, item: str | None
    ) -> int:
        """Record an action, with its statement's shown average as the baseline."""
        with unit_of_work(self.deps.sessions) as session:
            baseline = self.baseline(session, team_id, item) if item else None
            return add_action(
                session, team_id, what, owner, due, by, self.deps.clock.now(), item, baseline
            )

    def listing(self, team_id: str, include_done: bool = True) -> tuple[list[Action], date]:
        today = self.today(team_id)
        with unit_of_work(self.deps.sessions) as session:
            return actions_of(session, team_id, include_done), today

    def for_results(self, team_id: str) -> list[Action]:
        """The actions, each baseline read again from its pulse as results show it today:
        a figure a stricter threshold now hides is not shown through an action either."""
        plans, _ = self.listing(team_id)
        wanted = {plan.baseline_pulse for plan in plans if plan.baseline_pulse is not None}
        means: dict[tuple[int, str], float] = {}
        with unit_of_work(self.deps.sessions) as session:
            threshold = workspace_settings(session, team_id).threshold
            for pulse_id in wanted:
                pulse = session.get(Pulse, pulse_id)
                if pulse is None or pulse.team_id != team_id:
                    continue
                found = pulse_results(session, self.deps.pulse, pulse, None, threshold)
                for result in found.items:
                    if result.mean is not None:
                        means[(pulse_id, result.item.id)] = result.mean
        return [
            replace(plan, baseline=means.get((plan.baseline_pulse or 0, plan.item or "")))
            for plan in plans
        ]

    def tick(self) -> None:
        """Tell each owner once that an action went past its date."""
        with unit_of_work(self.deps.sessions) as session:
            teams = teams_with_open_actions(session)
        for_each(teams, self.tell_overdue, "overdue actions")

    def tell_overdue(self, team_id: str) -> int:
        today, now = self.today(team_id), self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            late = overdue_untold(session, team_id, today)
        told = 0
        for plan in late:
            with unit_of_work(self.deps.sessions) as session:
                if not claim_overdue_notice(session, plan.id, now):
                    continue  # another scheduler told them
            try:
                self._send(team_id, plan)
                told += 1
            except SlackApiError as error:
                # The owner left, or Slack refuses for good: asking again every hour won't help.
                log.warning("overdue action not sent: %s", error.response.get("error"))
            except OSError as error:
                log.warning("overdue action not sent: %s", type(error).__name__)
                with unit_of_work(self.deps.sessions) as session:
                    release_overdue_notice(session, plan.id)
        return told

    def _send(self, team_id: str, plan: Action) -> None:
        client = self.deps.clients.for_team(team_id)
        lang = self.deps.people.language(client, team_id, plan.owner)
        message = render_overdue_dm(plan, self.deps.catalog, lang)
        client.chat_postMessage(channel=plan.owner, **message.as_kwargs())
