"""Turn a question into the terms the matcher compares: the same steps for examples and users."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.qa.lexicon import (
    CONCEPTS,
    ENGINEERING,
    FRAME,
    GENERIC,
    OTHER_FUNCTIONS,
    OWNERSHIP,
    PHRASES,
    QUESTION,
    STOPWORDS,
)
from bot.qa.spelling import SpellingCorrector
from bot.qa.text import clean, fold, stem, tokens

CONCEPT_PREFIX = "~"
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
        vocabulary = [w for text in corpus for w in self._content_words(text)]
        # Lexicon words are known words too: never "correct" them into something else.
        lexicon = [w for words in CONCEPTS.values() for w in words.split()]
        known = [*vocabulary, *lexicon, *FRAME, *ENGINEERING, *OTHER_FUNCTIONS]
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
        words = tuple(self._correct(w) for w in self._content_words(text))
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
        unique = tuple(dict.fromkeys(terms))
        return Analysis(words, content, unique, other and not engineering, anchored)

    def is_frame(self, term: str) -> bool:
        """Whether a term comes from a frame word ("who", "owns", "qui", "gère")."""
        return term in self._frame

    def is_generic(self, term: str) -> bool:
        """Whether a term comes from an everyday word ("become", "jamais"): it only matters
        for terms the knowledge base never uses."""
        return term in self._generic

    def _content_words(self, text: str) -> list[str]:
        folded = fold(clean(text))
        if self.options.aliases:
            for pattern, replacement in PHRASES:
                folded = pattern.sub(replacement, folded)
        return [w for w in tokens(folded) if len(w) > 1 and w not in STOPWORDS]

    def _correct(self, word: str) -> str:
        if not self.options.spelling or word in self._speller:
            return word
        return self._speller.correct(word) or word

    def _stem(self, word: str) -> str:
        return stem(word) if self.options.stemming else word
