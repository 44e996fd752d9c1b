"""The handover's use cases: propose and keep the plan, mark steps done, remind when due."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.blocks.handover import HandoverWords, render_due
from bot.core.i18n import Lang
from bot.ownership.assignments import Assignments, load_assignments
from bot.ownership.handover import (
    PlannedStep,
    Step,
    due_steps,
    handover_config,
    load_steps,
    propose_plan,
    save_plan,
)
from bot.signals.assess import RANK
from bot.slack.clients import for_each
from bot.slack.markers import marker
from bot.slack.sends import UnknownOutcome, post_once
from bot.storage.db import unit_of_work
from bot.storage.models import ScheduleRun
from bot.storage.slot_claims import claim_slot, complete_run, reclaim_unfinished

if TYPE_CHECKING:
    from bot.bootstrap import Deps
    from bot.services.digests import Digests

log = logging.getLogger(__name__)
KIND = "handover"


class Handovers:
    def __init__(self, deps: Deps, digests: Digests) -> None:
        self.deps, self.digests = deps, digests

    def words(self, lang: Lang) -> HandoverWords:
        return HandoverWords(self.deps.catalog, lang, self.deps.kb)

    def areas(self) -> list[str]:
        """The areas the VP Engineering owns by default, in the knowledge base's order."""
        return [entry.id for entry in self.deps.kb.areas() if entry.owner == "vp_engineering"]

    def proposal(self, team_id: str) -> list[PlannedStep]:
        """The plan the signals suggest, starting today."""
        assessment = self.digests.picture(team_id).assessment
        active = sorted(assessment.active(), key=lambda s: -RANK[s.severity or "low"])
        start = self.deps.clock.now().date()
        return propose_plan(self.areas(), [s.id for s in active], start, handover_config())

    def plan(self, team_id: str) -> tuple[list[Step], Assignments]:
        """The team's plan, proposed and saved the first time it is asked for."""
        with unit_of_work(self.deps.sessions) as session:
            steps = load_steps(session, team_id)
        if not steps:
            proposal = self.proposal(team_id)
            with unit_of_work(self.deps.sessions) as session:
                if not load_steps(session, team_id):
                    save_plan(session, team_id, proposal, self.deps.clock.now())
        with unit_of_work(self.deps.sessions) as session:
            return load_steps(session, team_id), load_assignments(session, team_id)

    def tick(self) -> None:
        """Steps whose day has come: each claimed once, then both people told by DM."""
        now = self.deps.clock.now()
        claimed: list[tuple[int, Step]] = []
        with unit_of_work(self.deps.sessions) as session:
            for step in due_steps(session, now.date()):
                slot = datetime.combine(step.due_on, time(), UTC)
                team_id = step.team_id
                run_id = claim_slot(session, team_id, KIND, step.id, slot, now, completed=False)
                if run_id is not None:
                    claimed.append((run_id, step))
            stale = timedelta(seconds=self.deps.settings.stale_claim_seconds)
            for run_id, _, _ in reclaim_unfinished(session, KIND, now, stale):
                step_id = session.scalar(
                    select(ScheduleRun.schedule_id).where(ScheduleRun.id == run_id)
                )
                claimed += [(run_id, s) for s in due_steps(session, now.date()) if s.id == step_id]
        for_each(claimed, lambda run: self.remind(*run), "a handover reminder")

    def remind(self, run_id: int, step: Step) -> None:
        with unit_of_work(self.deps.sessions) as session:
            team = load_assignments(session, step.team_id)
        cto, vpe = team.holder("cto"), team.holder("vp_engineering")
        client = self.deps.clients.for_team(step.team_id)
        for person in dict.fromkeys(p for p in (cto, vpe) if p):
            lang = self.deps.people.language(client, step.team_id, person)
            message = render_due(step, vpe, cto, self.words(lang))
            key = marker("handover", run_id)
            try:
                post_once(client, person, message.as_kwargs(), key, self.deps.clients.resend)
            except SlackApiError as error:
                log.warning("handover reminder not sent: %s", error.response.get("error"))
            except (UnknownOutcome, OSError) as error:  # still unknown, or refused
                log.warning("handover reminder not sent: %s", type(error).__name__)
        with unit_of_work(self.deps.sessions) as session:
            complete_run(session, run_id, self.deps.clock.now())
