"""The App Home tab: drawn afresh for the person who opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.blocks.home import render_home
from bot.blocks.ownership import owner_lines
from bot.ownership.assignments import load_assignments
from bot.pulses.outbox import pulse_state
from bot.services.digests import Digests
from bot.services.handover_progress import handover_progress
from bot.services.settings_summary import problem_line
from bot.storage.db import unit_of_work
from bot.team.leaders import is_leader

if TYPE_CHECKING:
    from bot.bootstrap import Deps


class HomeTab:
    def __init__(self, deps: Deps, digests: Digests) -> None:
        self.deps, self.digests = deps, digests

    def publish(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Everyone sees the ownership map, their pulse and the actions they own;
        leadership also the picture and every open action."""
        deps = self.deps
        lang = deps.people.language(client, team_id, user_id)
        person = deps.people.current(client, team_id, user_id)
        with unit_of_work(deps.sessions) as session:
            leader = is_leader(session, team_id, person)
            team = load_assignments(session, team_id)
            state = pulse_state(session, deps.answer_key, team_id, user_id)
        lines = owner_lines(deps.kb, team, deps.catalog, lang)
        leader_view, problem, actions = None, None, []
        if leader:
            picture = self.digests.picture(team_id)
            leader_view = (list(picture.inputs.history), picture.assessment, picture.threshold)
            problem = problem_line(deps, team_id, lang)
            actions = self.digests.action_lines(team_id, lang)
        else:
            actions = self.digests.action_lines(team_id, lang, owner=user_id)
        progress = handover_progress(deps, team_id, lang)
        words = self.digests.words(lang)
        view = render_home(words, lines, state, leader_view, problem, progress, actions)
        client.views_publish(user_id=user_id, view=view)
