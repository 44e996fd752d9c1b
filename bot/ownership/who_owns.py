"""Answering a question: the matching entry, and who owns that area in this team."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.i18n import Lang
from bot.ownership.assignments import Assignments, Responsibility, who_owns
from bot.qa.knowledge import Entry, KnowledgeBase
from bot.qa.matcher import Kind, Matcher, Taught
from bot.qa.text import fold


@dataclass(frozen=True)
class Answer:
    """What to tell the asker: an entry and its owner here, the other topics to offer as
    buttons, or example questions when the question gave nothing to go on.

    `kind` comes from the matcher: "answer", "unsure" (answered, with `others` as "did you
    mean"), "nearby" (no answer, the closest topics in `others`) or "out" (not the bot's
    area; the closest topics in `others`). `question` is what was asked, for the 👍 / 👎
    buttons.
    """

    lang: Lang
    entry: Entry | None
    responsibility: Responsibility | None = None
    suggestions: tuple[str, ...] = ()
    others: tuple[Entry, ...] = ()
    kind: Kind = "answer"
    question: str = ""

    @property
    def matched(self) -> bool:
        return self.entry is not None


def answer_question(
    matcher: Matcher,
    question: str,
    team: Assignments,
    lang: Lang | None = None,
    default_lang: Lang = "en",
    taught: Taught | None = None,
) -> Answer:
    """Match `question` and resolve its owner with the team's own assignments.

    Args:
        matcher: the question matcher.
        question: free text, in English or French.
        team: role holders and area owners (empty outside a workspace).
        lang: force the answer language; detected from the question when None.
        default_lang: the language when the question does not tell (e.g. "delivery?").
        taught: the workspace's taught phrasings (see `Matcher.match`).
    """
    match = matcher.match(question, lang, default_lang, taught)
    if match.entry is None:
        suggestions = () if match.others else matcher.suggestions(match.lang)
        return Answer(
            lang=match.lang,
            entry=None,
            suggestions=suggestions,
            others=match.others,
            kind=match.kind,
            question=question,
        )
    answer = answer_topic(match.entry, match.lang, team)
    return replace(answer, others=match.others, kind=match.kind, question=question)


def answer_topic(entry: Entry, lang: Lang, team: Assignments) -> Answer:
    """The answer for a known entry (a shared answer, a topic button)."""
    owner = None if entry.owner is None else who_owns(entry.id, entry.owner, team)
    return Answer(lang=lang, entry=entry, responsibility=owner)


def find_area(kb: KnowledgeBase, word: str) -> Entry | None:
    """An area by id or title in either language, forgiving case, spaces and accents."""
    wanted = _fold(word)
    for entry in kb.areas():
        names = {entry.id, *entry.title.values()}
        if wanted in {_fold(name) for name in names}:
            return entry
    return None


def _fold(text: str) -> str:
    """An area name as an id: "Qualité " -> "qualite", "Tech vision" -> "tech_vision"."""
    return "".join(char if char.isalnum() else "_" for char in fold(text.strip())).strip("_")
