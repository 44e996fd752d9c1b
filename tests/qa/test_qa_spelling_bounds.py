"""Typo correction has bounded cost whatever a person types (issue 13, item 1).

A single 40,000-letter word used to cost a worker 1.5 GB and seconds: the corrector built
every one-letter deletion of it (40,000 strings of 40,000 letters). Memory is what is
measured here (tracemalloc's peak), not time: the bound is in what the code may hold.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest

from bot.qa.knowledge import load_knowledge
from bot.qa.matcher import Matcher
from bot.qa.spelling import MAX_CANDIDATES, SpellingCorrector

MB = 2**20


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge())


def peak_memory(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("letters", [40_000, 4_000, 400, 40])
def test_a_huge_word_costs_little_memory(matcher: Matcher, letters: int) -> None:
    word = ("delivery" * (letters // 8 + 1))[:letters]
    question = f"who owns {word}?"
    peak = peak_memory(lambda: matcher.match(question, None, "en"))
    # Linear in the question's length (its character n-grams), never quadratic: the
    # deletes of a 4,000-letter word alone would be 16 MB, of a 40,000-letter one 1.6 GB.
    assert peak < 2 * MB + 200 * letters, f"{peak / MB:.1f} MB for one {letters}-letter word"


def test_a_word_far_longer_than_any_known_word_is_not_looked_at() -> None:
    corrector = SpellingCorrector(["delivery", "management"])
    assert corrector.correct("managementt") == "management", "one letter over: still a typo"
    assert corrector.correct("d" + "elivery" * 5000) is None
    peak = peak_memory(lambda: corrector.correct("m" + "anagement" * 5000))
    assert peak < 200_000, "nothing built from it"


def test_the_candidates_examined_are_capped() -> None:
    """A vocabulary where one misspelling is a deletion away from hundreds of known words:
    only the first MAX_CANDIDATES (in a fixed order) are scored."""
    known = [f"pla{chr(97 + a)}{chr(97 + b)}et" for a in range(26) for b in range(26)]
    corrector = SpellingCorrector(known)
    examined = corrector.candidates("plaaet")  # one delete from 51 known words
    assert len(examined) == MAX_CANDIDATES
    assert examined == sorted(examined), "the same ones every time"
    assert corrector.correct("plaaet") in examined
