"""Similarity between a question and the knowledge-base entries (sparse vectors, stdlib only).

Three scorers share one interface, `scores(terms) -> {entry id: score in [0, 1]}`:
- `Centroid`: TF-IDF cosine against the average of an entry's example vectors (chosen).
- `NearestExample`: TF-IDF cosine against each example; an entry scores as its best one.
- `EntryBM25`: BM25 against one document per entry, scaled by the question's best case.
`NaiveBayes` is not a similarity: counted on the examples, it says which entry a question's
terms most likely come from, and the matcher uses it to re-rank its first few entries.
Terms the knowledge base never uses still weigh in the question's norm, so a question that is
mostly about something else ("who owns the coffee machine?") scores low.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

# How much a term counts relative to its idf (frame words such as "who" count less).
Factor = Callable[[str], float]
Indexed = Sequence[tuple[str, Sequence[str]]]  # (entry id, terms of one example)


class Scorer(Protocol):
    def scores(self, terms: Sequence[str]) -> dict[str, float]: ...


def _one(term: str) -> float:
    return 1.0


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


class _Weights:
    """idf x factor for known terms; unknown terms weigh `unknown_weight` x the highest idf,
    times `factor` and `unknown_factor` (everyday words the knowledge base never uses)."""

    def __init__(
        self,
        documents: Sequence[Sequence[str]],
        unknown: float,
        factor: Factor,
        unknown_factor: Factor = _one,
    ):
        count = len(documents)
        frequency = Counter(t for terms in documents for t in set(terms))
        self.idf = {t: math.log(1 + count / df) * factor(t) for t, df in frequency.items()}
        self._unknown = unknown * math.log(1 + count)
        self._factor = factor
        self._unknown_factor = unknown_factor

    def raw(self, terms: Sequence[str]) -> dict[str, float]:
        return {t: self.idf[t] if t in self.idf else self._unknown_weight(t) for t in set(terms)}

    def _unknown_weight(self, term: str) -> float:
        return self._unknown * self._factor(term) * self._unknown_factor(term)

    def query(self, terms: Sequence[str]) -> dict[str, float]:
        return _unit(self.raw(terms))


Key = TypeVar("Key")


class _ExampleVectors(Generic[Key]):
    """Each example as a unit TF-IDF vector, and the question weighted the same way; the
    scorers index vectors under their own keys (an entry, an example) as postings."""

    _postings: dict[str, list[tuple[Key, float]]]

    def __init__(
        self,
        examples: Indexed,
        unknown_weight: float,
        factor: Factor = _one,
        unknown_factor: Factor = _one,
    ):
        """Index `(entry id, terms)` pairs."""
        documents = [terms for _, terms in examples]
        self._weights = _Weights(documents, unknown_weight, factor, unknown_factor)
        self._vectors = [
            (entry_id, _unit({t: self._weights.idf[t] for t in set(terms)}))
            for entry_id, terms in examples
        ]
        self._index()

    def _index(self) -> None:
        """Build `_postings` (each scorer its own)."""

    def _dots(self, terms: Sequence[str]) -> dict[Key, float]:
        """The question's dot product with every vector that shares a term with it."""
        dots: dict[Key, float] = defaultdict(float)
        for term, weight in self._weights.query(terms).items():
            for key, key_weight in self._postings.get(term, ()):
                dots[key] += weight * key_weight
        return dots


class Centroid(_ExampleVectors[str]):
    """Cosine similarity to the centroid of each entry's (unit-length) example vectors.

    The centroid keeps a term heavy when most examples of the entry use it ("vpe" in the
    role questions), which a single nearest example cannot tell.
    """

    def _index(self) -> None:
        sums: dict[str, Counter[str]] = defaultdict(Counter)
        for entry_id, vector in self._vectors:
            sums[entry_id].update(vector)
        self._postings = defaultdict(list)
        for entry_id, total in sums.items():
            for term, weight in _unit(dict(total)).items():
                self._postings[term].append((entry_id, weight))

    def scores(self, terms: Sequence[str]) -> dict[str, float]:
        """Return the cosine similarity of the question to each entry that shares a term."""
        return dict(self._dots(terms))


class NearestExample(_ExampleVectors[int]):
    """Cosine similarity to the closest example of each entry."""

    def _index(self) -> None:
        self._owner = [entry_id for entry_id, _ in self._vectors]
        self._postings = defaultdict(list)
        for position, (_, vector) in enumerate(self._vectors):
            for term, weight in vector.items():
                self._postings[term].append((position, weight))

    def scores(self, terms: Sequence[str]) -> dict[str, float]:
        """Return each entry's best cosine similarity over its examples."""
        best: dict[str, float] = {}
        for position, dot in self._dots(terms).items():
            entry_id = self._owner[position]
            best[entry_id] = max(dot, best.get(entry_id, 0.0))
        return best


class EntryBM25:
    """BM25 over one document per entry (its examples together), scaled to [0, 1]."""

    def __init__(
        self,
        examples: Indexed,
        unknown_weight: float,
        factor: Factor = _one,
        unknown_factor: Factor = _one,
        k1: float = 1.2,
    ):
        """Merge the examples of each entry into one document and index them (b = 0.75)."""
        documents: dict[str, Counter[str]] = defaultdict(Counter)
        for entry_id, terms in examples:
            documents[entry_id].update(terms)
        merged = [list(doc) for doc in documents.values()]
        self._weights = _Weights(merged, unknown_weight, factor, unknown_factor)
        average = sum(sum(doc.values()) for doc in documents.values()) / len(documents)
        self._k1 = k1
        self._documents = {
            entry_id: (doc, k1 * (0.25 + 0.75 * sum(doc.values()) / average))
            for entry_id, doc in documents.items()
        }

    def scores(self, terms: Sequence[str]) -> dict[str, float]:
        """Return each entry's BM25 score divided by the best score the question could get."""
        weights = self._weights.raw(terms)
        ceiling = sum(weights.values()) * (self._k1 + 1)
        if not ceiling:
            return {}
        result: dict[str, float] = {}
        for entry_id, (doc, length) in self._documents.items():
            total = sum(
                w * doc[t] * (self._k1 + 1) / (doc[t] + length)
                for t, w in weights.items()
                if doc.get(t)
            )
            if total:
                result[entry_id] = total / ceiling
        return result


class NaiveBayes:
    """Multinomial naive Bayes over the examples' terms: which entry a set of terms comes from.

    A centroid averages an entry's examples, so a term that only a few of them use ("help"
    for why a VP Engineering matters, "technical" for their profile) weighs little next to
    the role name all of them share. Counting, per entry, how often each term occurs keeps
    that evidence, and the matcher uses it to re-rank its first few entries. Deterministic,
    and trained by counting (no model, no iterations).
    """

    def __init__(self, examples: Indexed, counts: Callable[[str], bool], alpha: float = 0.2):
        """Count the terms of `(entry id, terms)` pairs for which `counts(term)` holds (frame
        words do not: they say nothing about the entry); `alpha` is additive smoothing."""
        self._counts: dict[str, Counter[str]] = defaultdict(Counter)
        for entry_id, terms in examples:
            self._counts[entry_id].update(t for t in set(terms) if counts(t))
        self._vocabulary = frozenset(t for c in self._counts.values() for t in c)
        self._totals = {entry_id: sum(c.values()) for entry_id, c in self._counts.items()}
        self._alpha = alpha

    def posteriors(self, terms: Sequence[str], entry_ids: Sequence[str]) -> dict[str, float]:
        """Probability that the question comes from each of `entry_ids` rather than the
        others (uniform prior; terms no example uses are left out)."""
        known = [t for t in set(terms) if t in self._vocabulary]
        if not known or not entry_ids:
            return {entry_id: 1.0 / max(1, len(entry_ids)) for entry_id in entry_ids}
        size = self._alpha * len(self._vocabulary)
        likelihood = {
            entry_id: sum(
                math.log(
                    (self._counts[entry_id][t] + self._alpha)
                    / (self._totals.get(entry_id, 0) + size)
                )
                for t in known
            )
            for entry_id in entry_ids
        }
        top = max(likelihood.values())
        weights = {entry_id: math.exp(value - top) for entry_id, value in likelihood.items()}
        total = sum(weights.values())
        return {entry_id: weight / total for entry_id, weight in weights.items()}
