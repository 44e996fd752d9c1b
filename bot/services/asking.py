"""Answering "who owns what?": the matching topic, and who owns that area in this team."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import Lang
from bot.ownership.assignments import load_assignments
from bot.ownership.who_owns import Answer, answer_question, answer_topic
from bot.storage.db import unit_of_work

if TYPE_CHECKING:
    from bot.bootstrap import Deps


class Asking:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def answer(self, team_id: str, question: str, default_lang: Lang = "en") -> Answer:
        """Answer in the question's language; `default_lang` (the asker's) when it does not
        tell."""
        with unit_of_work(self.deps.sessions) as session:
            team = load_assignments(session, team_id)
        return answer_question(self.deps.matcher, question, team, default_lang=default_lang)

    def topic(self, team_id: str, topic_id: str, lang: Lang) -> Answer:
        """The answer for a known topic (a shared answer, a button's suggestion).

        Raises:
            KeyError: no such topic.
        """
        entry = self.deps.kb.get(topic_id)
        with unit_of_work(self.deps.sessions) as session:
            team = load_assignments(session, team_id)
        return answer_topic(entry, lang, team)
