"""The round-6 matcher: TF-IDF centroids, hand-written rejection rules, naive Bayes re-ranking.

No longer what `/vpe ask` uses (see `bot/qa/matcher.py` and docs/decisions/0005-qa-matcher-v2.md):
kept so that `bench/ask_bench.py --compare` can measure it against the classifier, and because
its similarity is one of the signals the comparison tries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.core.i18n import LANGS, Lang
from bot.qa.analysis import CONCEPT_PREFIX, Analysis, AnalysisOptions, Analyzer
from bot.qa.knowledge import Entry, KnowledgeBase
from bot.qa.language import detect_language
from bot.qa.scoring import Centroid, EntryBM25, NaiveBayes, NearestExample, Scorer
from bot.qa.text import char_ngrams

_SCORERS: dict[str, type[Centroid | NearestExample | EntryBM25]] = {
    "centroid": Centroid,
    "nearest_example": NearestExample,
    "entry_bm25": EntryBM25,
}


@dataclass(frozen=True)
class MatchSettings:
    """How matching works. The defaults are the variant chosen by measurement (see
    docs/decisions/0002-qa-matching.md); `bench/ask_bench.py --compare` measures the others."""

    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    scorer: Literal["centroid", "nearest_example", "entry_bm25"] = "centroid"
    char_weight: float = 0.5  # share of character n-gram similarity in the score
    unknown_weight: float = 2.5  # weight of words the knowledge base never uses
    # An everyday word the knowledge base never uses ("become", "jamais") weighs this times
    # as much as an unknown topic word (see GENERIC in bot/qa/lexicon.py).
    generic_weight: float = 0.2
    frame_weight: float = 0.0  # weight of "who", "owns", "qui", "gère"... relative to idf
    concept_weight: float = 1.0  # weight of a "~concept" term relative to idf
    threshold: float = 0.15  # below this, the question is out of domain
    # A question whose words are those of one example (same words once case, accents,
    # punctuation, stop words and typos are set aside) gets that example's entry, even if
    # averaging over the entry's examples would rank another entry first.
    verbatim: bool = True
    margin: float = 0.0  # reject when the runner-up is closer than this to the winner
    # The first `rerank_top` entries are re-ranked by similarity + rerank_weight x the naive
    # Bayes probability among them; 0 switches it off. Whether to answer at all is still
    # decided on the similarity alone.
    rerank_weight: float = 0.1
    rerank_top: int = 3
    reject_off_topic: bool = True  # other departments' questions ("who hires salespeople?")
    require_anchor: bool = True  # reject questions that touch no anchor word (see lexicon)


@dataclass(frozen=True)
class CentroidMatch:
    """The matcher's answer.

    `entry` is None when the question is out of domain; `lang` is the language to answer in;
    `score` (0 to 1) is the answered entry's similarity; when the question is rejected, the
    best entry's, kept for logs.
    """

    entry: Entry | None
    lang: Lang
    score: float


class CentroidMatcher:
    """The round-6 question matcher; build once, then call `match` per question."""

    def __init__(self, kb: KnowledgeBase, settings: MatchSettings | None = None) -> None:
        """Index every example of every entry, in both languages.

        Args:
            kb: the knowledge base.
            settings: matching settings; the measured defaults when omitted.
        """
        self._kb = kb
        self.settings = settings or MatchSettings()
        texts = [(e.id, q) for e in kb.entries for lang in LANGS for q in e.examples[lang]]
        titles = [title for e in kb.entries for title in e.title.values()]
        self._analyzer = Analyzer([q for _, q in texts] + titles, self.settings.analysis)
        analysed = [(entry_id, self._analyzer.analyse(q)) for entry_id, q in texts]
        unknown = self.settings.unknown_weight
        words = [(entry_id, a.terms) for entry_id, a in analysed]
        grams = [(entry_id, char_ngrams(list(a.content))) for entry_id, a in analysed]
        scorer = _SCORERS[self.settings.scorer]
        self._scorers: tuple[Scorer, Scorer] = (
            scorer(words, unknown, self._factor, self._unknown_factor),
            scorer(grams, unknown),
        )
        self._bayes = NaiveBayes(words, lambda t: not self._analyzer.is_frame(t))
        owners: dict[tuple[str, ...], set[str]] = {}
        for entry_id, a in analysed:
            owners.setdefault(a.words, set()).add(entry_id)
        # Word sequences that two entries' examples share are no shortcut to either.
        self._verbatim = {key: ids.pop() for key, ids in owners.items() if len(ids) == 1}

    def match(
        self, question: str, lang: Lang | None = None, default_lang: Lang = "en"
    ) -> CentroidMatch:
        """Find the entry a question is about.

        Args:
            question: free text as typed in Slack (mentions, typos, either language).
            lang: the language to answer in; detected from the question when None.
            default_lang: the language to answer in when `lang` is None and the question
                does not tell ("delivery?", "VPE ?"), e.g. the user's or workspace's language.

        Returns:
            A Match whose entry is None when the question is out of domain.
        """
        lang = lang or detect_language(question, default_lang)
        analysis = self._analyzer.analyse(question)
        verbatim = self._verbatim.get(analysis.words) if self.settings.verbatim else None
        if verbatim is not None and analysis.words:
            return CentroidMatch(self._kb.get(verbatim), lang, 1.0)
        ranked = self._rank(self._scorers, analysis)
        if not ranked:
            return CentroidMatch(None, lang, 0.0)
        best, runner_up = ranked[0][1], (ranked[1][1] if len(ranked) > 1 else 0.0)
        rejected = (
            best < self.settings.threshold
            or best - runner_up < self.settings.margin
            or (self.settings.reject_off_topic and analysis.off_topic)
            or (self.settings.require_anchor and not analysis.anchored)
        )
        if rejected:
            return CentroidMatch(None, lang, round(best, 4))
        chosen_id, chosen = self._rerank(ranked, analysis)
        return CentroidMatch(self._kb.get(chosen_id), lang, round(chosen, 4))

    def suggestions(self, lang: Lang, n: int = 3) -> tuple[str, ...]:
        """Example questions to offer when nothing matched, one per entry.

        Deterministic: spreads the picks over the knowledge base (areas first) rather than
        taking the first entries, so the offer shows the range of topics.

        Args:
            lang: language of the suggestions.
            n: how many to return (at most one per entry).

        Returns:
            Up to `n` example questions from different entries.
        """
        pool = [*self._kb.areas(), *(e for e in self._kb.entries if e.owner is None)]
        if n <= 0 or not pool:
            return ()
        step = max(1, len(pool) // n)
        picked = [pool[i * step] for i in range(min(n, len(pool)))]
        return tuple(entry.examples[lang][0] for entry in picked)

    def _factor(self, term: str) -> float:
        if term.startswith(CONCEPT_PREFIX):
            return self.settings.concept_weight
        return self.settings.frame_weight if self._analyzer.is_frame(term) else 1.0

    def _unknown_factor(self, term: str) -> float:
        return self.settings.generic_weight if self._analyzer.is_generic(term) else 1.0

    def _rerank(self, ranked: list[tuple[str, float]], analysis: Analysis) -> tuple[str, float]:
        """The best of the first few entries once naive Bayes has had its say."""
        if not self.settings.rerank_weight:
            return ranked[0]
        top = ranked[: self.settings.rerank_top]
        odds = self._bayes.posteriors(analysis.terms, [entry_id for entry_id, _ in top])
        weight = self.settings.rerank_weight
        return max(top, key=lambda item: item[1] + weight * odds[item[0]])

    def _rank(self, scorers: tuple[Scorer, Scorer], analysis: Analysis) -> list[tuple[str, float]]:
        """Entries by blended word and character similarity, best first (ties by id)."""
        words = scorers[0].scores(analysis.terms)
        weight = self.settings.char_weight
        chars = scorers[1].scores(char_ngrams(list(analysis.content))) if weight else {}
        blended = {
            entry_id: (1 - weight) * words.get(entry_id, 0.0) + weight * chars.get(entry_id, 0.0)
            for entry_id in words.keys() | chars.keys()
        }
        return sorted(blended.items(), key=lambda item: (-item[1], item[0]))
