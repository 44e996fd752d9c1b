"""Map a free-text question to a knowledge-base entry, with how sure the bot is and what else
it could be about, so that no question ends in a dead end.

The question is analysed (`analysis.py`: Slack markup, accents, aliases, typos, stems), then a
trained topic model and an in-domain gate (`classifier.py`, trained by `training.py`) decide:

- **answer**: the gate is confident and so is the topic model;
- **unsure**: the gate is confident but the best topic is not far ahead: answer it and offer
  the next one or two ("Did you mean: Team management · Talent growth?");
- **nearby**: the question looks like one for the bot but matches nothing well: offer the
  three closest topics instead of a refusal;
- **out**: out of domain: say so briefly, still offering the three closest topics.

Phrasings a workspace taught (`/vpe ask teach`) come first, for that workspace only. With a
second opinion (`vectors.py`, opt-in), a question the trained model is unsure of is decided
by the model trained with sentence vectors instead.
Choice and figures: docs/decisions/0005-qa-matcher-v2.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from bot.core.i18n import LANGS, Lang
from bot.qa.analysis import Analyzer
from bot.qa.classifier import TopicModel
from bot.qa.knowledge import Entry, KnowledgeBase
from bot.qa.language import detect_language
from bot.qa.text import clean, fold

if TYPE_CHECKING:
    from bot.qa.classifier import Verdict
    from bot.qa.vectors import SecondOpinion

Kind = Literal["answer", "unsure", "nearby", "out"]
# What is read of a question: the longest real ones are a few hundred characters, and the
# analysis (typo correction above all) must cost little whatever someone pastes.
MAX_CHARS = 2000
# A taught phrasing's key (see `Matcher.key`) -> the entry id it was taught to find.
Taught = Mapping[frozenset[str], str]


@dataclass(frozen=True)
class MatchSettings:
    """Where the matcher draws its lines; the defaults are the ones measured (decision 0005)."""

    answer_at: float = 0.8  # the gate's in-domain probability from which the bot answers
    nearby_at: float = 0.15  # from here to `answer_at`: offer the closest topics, no refusal
    sure_at: float = 0.6  # a best topic this likely is answered without alternatives
    # An alternative is offered when its probability is at least this share of the best's.
    alternative_share: float = 0.2
    alternatives: int = 2
    closest: int = 3
    # With a second opinion: asked when the gate is from `vectors_from` and under
    # `vectors_until`, or when the best topic is under `sure_at` (dev: 8 % of questions).
    vectors_from: float = 0.15
    vectors_until: float = 0.95


@dataclass(frozen=True)
class Match:
    """The matcher's answer.

    `entry` is the topic to answer (None for `nearby` and `out`); `others` are the other
    topics to offer as buttons (the runner-ups when `unsure`, the closest three when
    `nearby` or `out`); `score` (0 to 1) is the answered topic's probability, or the gate's
    in-domain probability when nothing is answered; `taught` says a workspace's taught
    phrasing decided; `vectors` says the second opinion did.
    """

    entry: Entry | None
    lang: Lang
    score: float
    kind: Kind
    others: tuple[Entry, ...] = ()
    taught: bool = False
    vectors: bool = False


def build_analyzer(kb: KnowledgeBase) -> Analyzer:
    """The analyzer, its vocabulary built from every example and title (typos are corrected
    towards the words the knowledge base uses)."""
    texts = [q for e in kb.entries for lang in LANGS for q in e.examples[lang]]
    titles = [title for e in kb.entries for title in e.title.values()]
    return Analyzer(texts + titles)


class Matcher:
    """Question matcher over a knowledge base; build once, then call `match` per question."""

    def __init__(
        self,
        kb: KnowledgeBase,
        settings: MatchSettings | None = None,
        model: TopicModel | None = None,
        second: SecondOpinion | None = None,
    ) -> None:
        """Load the trained models and build the analyzer.

        Args:
            kb: the knowledge base (its entries must be the model's classes).
            settings: the thresholds; the measured defaults when omitted.
            model: the trained models; the shipped ones when omitted.
            second: the model with sentence vectors, for the questions `model` is unsure
                of; none when omitted.

        Raises:
            ValueError: a model does not know the same entries as the knowledge base.
        """
        self._kb = kb
        self.settings = settings or MatchSettings()
        self.model = model or TopicModel.load()
        self.second = second
        ids = {e.id for e in kb.entries}
        for trained in (self.model, *((second.model,) if second else ())):
            if {c for c in trained.classes if c} != ids:
                raise ValueError("ask model: its topics are not the knowledge base's; retrain it")
        self._analyzer = build_analyzer(kb)
        self._key = lru_cache(maxsize=4096)(self._words)
        owners: dict[frozenset[str], set[str]] = {}
        for entry in kb.entries:
            for lang in LANGS:
                for example in entry.examples[lang]:
                    owners.setdefault(self._words(example), set()).add(entry.id)
        # A question with the words of one example gets its entry (words that two entries'
        # examples share are no shortcut to either): the examples are taught phrasings too.
        self._examples: dict[frozenset[str], str] = {
            words: ids.pop() for words, ids in owners.items() if len(ids) == 1 and words
        }

    def key(self, text: str) -> frozenset[str]:
        """What a taught phrasing and a question must share to be the same question: their
        words once markup, case, accents, stop words and typos are set aside."""
        return self._key(text)

    def _words(self, text: str) -> frozenset[str]:
        return frozenset(self._analyzer.analyse(text[:MAX_CHARS]).words)

    def match(
        self,
        question: str,
        lang: Lang | None = None,
        default_lang: Lang = "en",
        taught: Taught | None = None,
    ) -> Match:
        """Find what a question is about.

        Args:
            question: free text as typed in Slack (mentions, typos, either language).
            lang: the language to answer in; detected from the question when None.
            default_lang: the language when `lang` is None and the question does not tell
                ("delivery?", "VPE ?"), e.g. the user's language.
            taught: this workspace's taught phrasings (`key` -> entry id); they win.

        Returns:
            The Match; its `kind` says whether to answer, offer alternatives or refuse.
        """
        lang = lang or detect_language(question, default_lang)
        text = question[:MAX_CHARS]
        analysis = self._analyzer.analyse(text)
        if not analysis.words:
            return Match(None, lang, 0.0, "out")
        key = frozenset(analysis.words)
        if taught:
            entry_id = taught.get(key)
            if entry_id is not None and entry_id in self._ids():
                return Match(self._kb.get(entry_id), lang, 1.0, "answer", taught=True)
        if key in self._examples:
            return Match(self._kb.get(self._examples[key]), lang, 1.0, "answer")
        folded = fold(clean(text))
        verdict = self.model.verdict(analysis, folded, self._analyzer.knows)
        vectors = False
        if self.second is not None and self._unsure(verdict):
            vector = self.second.embed(text)  # None: the vector model could not load
            if vector is not None:
                vectors = True
                verdict = self.second.model.verdict(analysis, folded, self._analyzer.knows, vector)
        ranked = [(self._kb.get(c), p) for c, p in verdict.ranked()]
        settings = self.settings
        closest = tuple(entry for entry, _ in ranked[: settings.closest])
        if verdict.in_domain < settings.answer_at:
            kind: Kind = "nearby" if verdict.in_domain >= settings.nearby_at else "out"
            return Match(None, lang, round(verdict.in_domain, 4), kind, closest, vectors=vectors)
        best, chance = ranked[0]
        others: tuple[Entry, ...] = ()
        if chance < settings.sure_at:
            others = tuple(
                entry
                for entry, p in ranked[1 : 1 + settings.alternatives]
                if p >= settings.alternative_share * chance
            )
        kind = "unsure" if others else "answer"
        return Match(best, lang, round(chance, 4), kind, others, vectors=vectors)

    def _unsure(self, verdict: Verdict) -> bool:
        """Whether the second opinion decides: the gate neither clearly out nor clearly in
        with a likely topic."""
        settings = self.settings
        if verdict.in_domain < settings.vectors_from:
            return False
        best = verdict.ranked()[0][1]
        return verdict.in_domain < settings.vectors_until or best < settings.sure_at

    def suggestions(self, lang: Lang, n: int = 3) -> tuple[str, ...]:
        """Example questions to offer when the question gives nothing to go on, one per entry.

        Deterministic: spreads the picks over the knowledge base (areas first) rather than
        taking the first entries, so the offer shows the range of topics.
        """
        pool = [*self._kb.areas(), *(e for e in self._kb.entries if e.owner is None)]
        if n <= 0 or not pool:
            return ()
        step = max(1, len(pool) // n)
        picked = [pool[i * step] for i in range(min(n, len(pool)))]
        return tuple(entry.examples[lang][0] for entry in picked)

    def _ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self._kb.entries)
