"""Turn a question into the terms the matcher compares: the same steps for examples and users."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.qa.lexicon import (
    CONCEPTS,
    ENGINEERING,
    FRAME,
    GENERIC,
    MARKERS,
    OTHER_FUNCTIONS,
    OWNERSHIP,
    PHRASES,
    QUESTION,
    STOPWORDS,
)
from bot.qa.spelling import SpellingCorrector
from bot.qa.text import clean, fold, stem, tokens

CONCEPT_PREFIX = "~"
# The word after "who" / "qui" (past a modal: "who should", "qui doit") is the verb of the
# question's frame: "who *negotiates* scope?", "qui *fixe* les règles ?". When the knowledge
# base never uses it, it is read as a frame word rather than as an unknown topic. In English
# it must look like a verb: a third person "-s" right after "who", any word after a modal.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH_MODALS = _words("should would could can will must shall might may")
_FRENCH_MODALS = _words("doit doivent devrait va vont peut peuvent pourrait")
_SKIPPED = _words(
    "actually really usually typically generally ultimately normally also "
    "se nous vous me te le la les lui leur en"
)
FRAME_VERB = "does"  # the frame word an unknown verb of the frame becomes


def _chunks(
    size: int = 12,
) -> tuple[tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]], ...]:
    """The phrase rewrites in groups, each with one regex that finds whether any of the group
    would match. Most texts match few rewrites, so a group whose regex finds nothing is
    skipped: the result is the same (if nothing in the group matches before it runs, no
    rewrite of the group changes the text) for a fraction of the calls."""
    groups = [PHRASES[i : i + size] for i in range(0, len(PHRASES), size)]
    return tuple(
        (re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in group)), group)
        for group in groups
    )


_PHRASE_CHUNKS = _chunks()
# A question made of this many words or fewer, all of them known and none of them a question
# word ("delivery?", "recrutement", "dette technique ?"), is a topic typed on its own.
TOPIC_ONLY_WORDS = 4


@dataclass(frozen=True)
class AnalysisOptions:
    """Which normalisation steps run (each can be switched off to measure its effect)."""

    aliases: bool = True
    spelling: bool = True
    stemming: bool = True
    # "replace": a word of a concept group becomes the group's term; "add": both are kept.
    concepts: Literal["replace", "add", "off"] = "replace"
    # A topic typed on its own ("delivery?", "recrutement") counts as an anchor.
    topic_only: bool = True
    # An unknown verb right after "who" / "qui" is a frame word, not an unknown topic.
    frame_verbs: bool = True
    # A term for the role the question is about: the first one named ("what does a *CTO* do
    # once we have a VPE?"), or both when they come as a pair ("CTO and VPE relationship").
    subject_role: bool = True
    # Marker words for questions that ask for a fact, a name or a date ("who is our CTO?",
    # "when is the next release?"); off, they are dropped (to measure what they bring).
    near_miss_markers: bool = True


@dataclass(frozen=True)
class Analysis:
    """A question reduced to comparable parts."""

    words: tuple[str, ...]  # folded words, typos corrected, before stemming
    # The words that are neither frame words ("who", "owns", "qui") nor everyday words the
    # knowledge base never uses ("become", "jamais"): what the character n-grams compare.
    content: tuple[str, ...]
    terms: tuple[str, ...]  # stems, or "~concept" terms for words of a concept group
    off_topic: bool  # names another department and nothing about engineering
    # Asks who does something, names a role or engineering, or is a bare known topic.
    anchored: bool


class Analyzer:
    """Normalises text; knows the vocabulary so it can correct typos towards it."""

    def __init__(self, corpus: Iterable[str], options: AnalysisOptions | None = None) -> None:
        """Build the vocabulary from `corpus` (the knowledge-base examples and titles)."""
        self.options = options or AnalysisOptions()
        # The corpus is analysed again right after (to index it): keep its words once.
        self._corpus_words = {text: self._content_words(text) for text in corpus}
        vocabulary = [w for words, _ in self._corpus_words.values() for w, _ in words]
        # Lexicon words are known words too: never "correct" them into something else.
        lexicon = [w for words in CONCEPTS.values() for w in words.split()]
        known = [*vocabulary, *lexicon, *FRAME, *ENGINEERING, *OTHER_FUNCTIONS]
        # A marker ("xfact": see bot/qa/lexicon.py) is never a known word.
        known = [w for w in known if w not in MARKERS]
        self._speller = SpellingCorrector(known)
        self._concepts = {
            self._stem(word): CONCEPT_PREFIX + concept
            for concept, words in CONCEPTS.items()
            for word in words.split()
        }
        self._frame = frozenset(self._stem(word) for word in FRAME)
        self._generic = frozenset(self._stem(word) for word in GENERIC)

    def analyse(self, text: str) -> Analysis:
        """Normalise a question or an example into words and terms."""
        found, subject = self._corpus_words.get(text) or self._content_words(text)
        words = tuple(
            FRAME_VERB if verb and corrected not in self._speller else corrected
            for word, verb in found
            for corrected in (self._correct(word),)
        )
        terms: list[str] = []
        mode = self.options.concepts
        for word in words:
            stemmed = self._stem(word)
            concept = self._concepts.get(stemmed) if mode != "off" else None
            if concept is None or mode == "add":
                terms.append(stemmed)
            if concept is not None:
                terms.append(concept)
        other = any(w in OTHER_FUNCTIONS for w in words)
        engineering = any(w in ENGINEERING for w in words)
        topic_only = (
            self.options.topic_only
            and 0 < len(words) <= TOPIC_ONLY_WORDS
            and not any(w in FRAME or w in QUESTION for w in words)
            and all(w in self._speller for w in words)
        )
        anchored = engineering or topic_only or any(w in OWNERSHIP for w in words)
        content = tuple(
            w for w in words if w not in FRAME and not (w in GENERIC and w not in self._speller)
        )
        if self.options.subject_role and subject:
            terms.append(SUBJECT_PREFIX + subject)
        unique = tuple(dict.fromkeys(terms))
        return Analysis(words, content, unique, other and not engineering, anchored)

    def knows(self, word: str) -> bool:
        """Whether the knowledge base (or the lexicon) uses this folded word."""
        return word in self._speller

    def is_frame(self, term: str) -> bool:
        """Whether a term comes from a frame word ("who", "owns", "qui", "gère")."""
        return term in self._frame

    def is_generic(self, term: str) -> bool:
        """Whether a term comes from an everyday word ("become", "jamais"): it only matters
        for terms the knowledge base never uses."""
        return term in self._generic

    def _content_words(self, text: str) -> tuple[list[tuple[str, bool]], str | None]:
        """The words that count, each with whether it is the verb right after "who"/"qui",
        and the role the question is about (see `_subject_role`)."""
        folded = fold(clean(text))
        if self.options.aliases:
            for any_of, group in _PHRASE_CHUNKS:
                if any_of.search(folded):
                    for pattern, replacement in group:
                        folded = pattern.sub(replacement, folded)
        words: list[tuple[str, bool]] = []
        raw = tokens(folded)
        asker: str | None = None  # "who" or "qui" when the next word may be the frame verb
        modal = False
        for word in raw:
            verb = False
            if word in ("who", "qui"):
                asker, modal = word, False
            elif asker is not None:
                modals = _ENGLISH_MODALS if asker == "who" else _FRENCH_MODALS
                if word in modals:
                    modal = True
                    continue
                if word in _SKIPPED:
                    continue
                english_verb = modal or (word.endswith("s") and not word.endswith("ss"))
                verb = self.options.frame_verbs and (
                    len(word) > 2 and word not in STOPWORDS and (asker == "qui" or english_verb)
                )
                asker = None
            if word in MARKERS and not self.options.near_miss_markers:
                continue
            # Numbers ("35 devs", "in 3 years") say nothing about the topic.
            if len(word) > 1 and word not in STOPWORDS and not word.isdigit():
                words.append((word, verb))
        return words, _subject_role(raw)

    def _correct(self, word: str) -> str:
        if not self.options.spelling or word in self._speller:
            return word
        return self._speller.correct(word) or word

    def _stem(self, word: str) -> str:
        return stem(word) if self.options.stemming else word


_ROLES = ("cto", "vpe")
# What may stand between two roles named as a pair: "the CTO and the VPE", "CTO vs VPE".
_PAIR_JOINERS = _words("and et the le la l a an un une vs versus du au our notre")
SUBJECT_PREFIX = "@"


def _subject_role(raw: list[str]) -> str | None:
    """ "cto" or "vpe" for the first role a question names, "pair" when the other role follows
    it straight away ("the CTO and the VPE", "VPE vs CTO"); None when it names neither.

    Role-centric entries share most of their words ("what does a VP Eng do?", "what does a
    CTO do?", "à quoi sert un VPE ?"): which role the question is about is what tells them
    apart, and a bag of words does not keep it.
    """
    for index, word in enumerate(raw):
        if word in _ROLES:
            for following in raw[index + 1 : index + 4]:
                if following in _ROLES and following != word:
                    return "pair"
                if following not in _PAIR_JOINERS:
                    break
            return word
    return None
