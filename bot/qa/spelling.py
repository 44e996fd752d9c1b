"""Typo correction against the matcher's own vocabulary ("delivry" -> "delivery").

Uses a symmetric-delete index (the SymSpell idea): every vocabulary word is stored under
itself and each string obtained by deleting one letter, so a lookup only needs the deletes
of the misspelt word instead of a scan of the whole vocabulary.

The work is bounded whatever people type: the deletes of an n-letter word are n strings of
n - 1 letters, so a 40,000-letter word once cost 1.5 GB. A word longer than the longest
known word plus the edits allowed cannot be a typo of any of them and is not looked at; the
candidates scored per word are capped too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

# Short words are left alone: "cfo" is one letter away from "cto", "match" from "watch"; a
# single edit on a short word too often turns an unrelated word into a domain word.
MIN_LENGTH = 6
# Below this length a substitution counts as two edits, so only a missing, extra or swapped
# letter is forgiven: "delivry" -> "delivery", but French "ménage" is not "manage".
SUBSTITUTION_FREE = 8
LONG_WORD = 10  # from this length on, two edits are allowed
CACHE_SIZE = 4096  # questions come from users: keep memory bounded in a long-running bot
MAX_EDITS = 2  # the most edits forgiven (from LONG_WORD letters on)
# The vocabulary puts at most 6 known words one delete away from a misspelling; a word near
# hundreds of them is no typo worth guessing at, and scoring each costs an edit distance.
MAX_CANDIDATES = 32


class SpellingCorrector:
    """Maps an unknown word to the closest known word, when one is close enough."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        """Index the vocabulary; repeated words count as more frequent (tie-breaker)."""
        self._frequency = Counter(vocabulary)
        self._index: dict[str, set[str]] = defaultdict(set)
        for word in self._frequency:
            if len(word) >= MIN_LENGTH - 1:
                for key in {word, *_deletes(word)}:
                    self._index[key].add(word)
        self._cache: dict[str, str | None] = {}
        longest = max((len(word) for word in self._frequency), default=0)
        self._longest_typo = longest + MAX_EDITS

    def __contains__(self, word: object) -> bool:
        return word in self._frequency

    def correct(self, word: str) -> str | None:
        """Return the vocabulary word closest to `word`, or None when nothing is close enough.

        Args:
            word: a folded token that is not in the vocabulary.

        Returns:
            The correction, or None.
        """
        if word in self._frequency:
            return word
        if not MIN_LENGTH <= len(word) <= self._longest_typo:
            return None
        if word not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[word] = self._closest(word)
        return self._cache[word]

    def candidates(self, word: str) -> list[str]:
        """The known words sharing a delete with `word`: the first MAX_CANDIDATES in order."""
        found: set[str] = set(self._index.get(word, ()))
        for key in _deletes(word):
            found |= self._index.get(key, set())
        return sorted(found)[:MAX_CANDIDATES]

    def _closest(self, word: str) -> str | None:
        candidates = self.candidates(word)
        allowed = MAX_EDITS if len(word) >= LONG_WORD else 1
        substitution = 1 if len(word) >= SUBSTITUTION_FREE else 2
        # People rarely get the first letter wrong: "deplacement" is not a typo of
        # "replacement", whatever the edit distance says.
        scored = [
            (distance, -self._frequency[c], c)
            for c in candidates
            if c[0] == word[0] and (distance := edit_distance(word, c, substitution)) <= allowed
        ]
        return min(scored)[2] if scored else None


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str, substitution: int = 1) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps.

    Args:
        a: one word.
        b: the other word.
        substitution: the cost of replacing one letter by another (insertions, deletions
            and swaps of adjacent letters cost 1).

    Returns:
        The smallest total cost that turns `a` into `b`.
    """
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else substitution
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
