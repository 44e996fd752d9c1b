"""Answering "who owns what?": the matching topic, who owns that area in this team, and what
the team tells the bot back (ratings, refusals to review, phrasings leadership teaches)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import Lang
from bot.ownership.assignments import load_assignments
from bot.ownership.who_owns import Answer, answer_question, answer_topic
from bot.qa import feedback
from bot.qa.feedback import Review, Verdict
from bot.qa.knowledge import Entry
from bot.qa.text import fold
from bot.storage.db import unit_of_work

if TYPE_CHECKING:
    from bot.bootstrap import Deps


class Asking:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def answer(
        self, team_id: str, question: str, default_lang: Lang = "en", record: bool = True
    ) -> Answer:
        """Answer in the question's language; `default_lang` (the asker's) when it does not
        tell. A refused question is kept for leadership's review (without the asker) unless
        `record` is False (a mistyped command, say, is not a question)."""
        with unit_of_work(self.deps.sessions) as session:
            team = load_assignments(session, team_id)
            phrasings = feedback.taught(session, team_id)
        matcher = self.deps.matcher
        taught = {matcher.key(text): topic for text, topic in phrasings}
        answer = answer_question(matcher, question, team, default_lang=default_lang, taught=taught)
        if record and not answer.matched and question.strip():
            self.rate(team_id, "refused", question, answer.lang, None)
        return answer

    def topic(self, team_id: str, topic_id: str, lang: Lang) -> Answer:
        """The answer for a known topic (a shared answer, a topic button).

        Raises:
            KeyError: no such topic.
        """
        entry = self.deps.kb.get(topic_id)
        with unit_of_work(self.deps.sessions) as session:
            team = load_assignments(session, team_id)
        return answer_topic(entry, lang, team)

    def rate(
        self, team_id: str, verdict: Verdict, question: str, lang: Lang, topic: str | None
    ) -> None:
        """Keep a refusal or a 👍 / 👎 (never who asked or rated)."""
        with unit_of_work(self.deps.sessions) as session:
            feedback.record(session, team_id, verdict, question, lang, topic, self.deps.clock.now())

    def review(self, team_id: str) -> Review:
        """The refused and disliked questions of the last 90 days."""
        with unit_of_work(self.deps.sessions) as session:
            return feedback.review(session, team_id, self.deps.clock.now())

    def teach(self, team_id: str, question: str, topic: Entry) -> bool:
        """This workspace's questions with the words of `question` get `topic` from now on;
        True when the phrasing is new."""
        with unit_of_work(self.deps.sessions) as session:
            return feedback.teach(session, team_id, question, topic.id, self.deps.clock.now())

    def find_topic(self, word: str) -> Entry | None:
        """Any topic by id or title, in either language, forgiving case, spaces and accents."""
        wanted = _key(word)
        for entry in self.deps.kb.entries:
            if wanted in {_key(name) for name in (entry.id, *entry.title.values())}:
                return entry
        return None


def _key(text: str) -> str:
    return "".join(char if char.isalnum() else "_" for char in fold(text.strip())).strip("_")
