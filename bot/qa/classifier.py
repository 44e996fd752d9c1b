"""The trained part of `/vpe ask`: which topic a question is about, and whether to answer.

Two linear models, trained offline by `bot/qa/training.py` (scikit-learn, a development
dependency) and shipped as numbers in `content/ask_model.json.gz`, so that nothing is trained,
downloaded or imported from a machine-learning library at run time:

1. **Topic model**: multinomial logistic regression over 26 classes, the 25 knowledge-base
   entries and `OUT` (out of domain, trained on near misses). Its features are the analysed
   terms of the question (stems, concepts, role; single terms and pairs, see `analysis.py`)
   and the character 2- to 5-grams of its folded words, each block TF-IDF weighted
   (sublinear term frequency) and scaled to unit length.
2. **Gate**: binary logistic regression saying whether the question is in domain, from the
   topic model's probabilities (best topic, `OUT`), whether the question carries a near-miss
   marker, how many of its words the knowledge base never uses, whether it is anchored
   (asks who, names a role or engineering), the margin between the two likeliest topics and
   the question's length (a long situation may spread its probability over several topics
   and still be in domain). It is trained on cross-validated probabilities,
   so it learns how far to trust the topic model on questions it has not seen.

Inference is plain Python over a flat `array` of 16-bit weights, with a scale per feature:
about 200 features times 26 classes per question, well under a millisecond.

The second opinion (`content/ask_model_vectors.json.gz`, opt-in: `vectors.py`) is the same
two models trained with one more block of features, a sentence vector of the question; its
file carries that block's weights under "vectors".
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.core.content import CONTENT_DIR
from bot.qa.analysis import Analysis
from bot.qa.lexicon import MARKERS
from bot.qa.text import tokens

MODEL_PATH = CONTENT_DIR / "ask_model.json.gz"
VECTORS_MODEL_PATH = CONTENT_DIR / "ask_model_vectors.json.gz"
OUT = ""  # the class of out-of-domain questions (as in the labelled files)
CHAR_SIZES = (2, 3, 4, 5)
LONGEST_WORD = 40  # longer tokens are not words (a pasted hash, a run of letters): no n-grams
FORMAT = 3  # 3: topic weights as 16-bit integers and a scale per feature (2: ten gate inputs)
QUANTA = 32767  # the largest 16-bit integer: a row's largest weight
GATE_INPUTS = 9
Known = Callable[[str], bool]  # whether the knowledge base uses a word


def term_features(analysis: Analysis) -> Counter[str]:
    """Analysed terms, alone and in pairs of neighbours ("w:" block)."""
    terms = analysis.terms
    counts: Counter[str] = Counter(f"w:{t}" for t in terms)
    counts.update(f"w:{a} {b}" for a, b in pairwise(terms))
    return counts


def char_features(folded: str) -> Counter[str]:
    """Character n-grams of each folded word padded with spaces ("c:" block): typos, stems
    and words the analysis does not know still share most of their n-grams."""
    counts: Counter[str] = Counter()
    for word in tokens(folded):
        if len(word) > LONGEST_WORD:
            continue
        padded = f" {word} "
        for size in CHAR_SIZES:
            if size > len(padded):
                break
            counts.update(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return counts


def raw_features(analysis: Analysis, folded: str) -> Counter[str]:
    """Both blocks' counts, before weighting."""
    counts = term_features(analysis)
    counts.update(char_features(folded))
    return counts


def weigh(counts: Mapping[str, int], idf: Callable[[str], float | None]) -> dict[str, float]:
    """TF-IDF with sublinear term frequency, each block ("w:", "c:") scaled to unit length.
    Features the model does not know (`idf` gives None) are dropped."""
    weighted: dict[str, float] = {}
    norms: dict[str, float] = {}
    for feature, count in counts.items():
        factor = idf(feature)
        if factor is None:
            continue
        value = (1.0 + math.log(count)) * factor
        weighted[feature] = value
        norms[feature[:2]] = norms.get(feature[:2], 0.0) + value * value
    return {f: v / math.sqrt(norms[f[:2]]) for f, v in weighted.items()}


def pack_weights(rows: Sequence[Sequence[float]]) -> dict[str, str]:
    """The topic weights as the model file stores them: each feature's row of class weights
    as 16-bit integers times one 32-bit scale (the row's largest weight over 32,767), both
    little-endian, in base64. A weight moves by at most half a step, 1/65,534 of its row's
    largest; half the memory of 32-bit floats, and read at once instead of parsed."""
    scales = array("f", (max((abs(w) for w in row), default=0.0) / QUANTA for row in rows))
    packed = array(
        "h",
        (
            round(w / scale) if scale else 0
            for row, scale in zip(rows, scales, strict=True)
            for w in row
        ),
    )
    if sys.byteorder == "big":
        packed.byteswap()
        scales.byteswap()
    return {
        "rows": base64.b64encode(packed.tobytes()).decode("ascii"),
        "scales": base64.b64encode(scales.tobytes()).decode("ascii"),
    }


def unpack_weights(packed: Mapping[str, str]) -> tuple[array[int], array[float]]:
    """What `pack_weights` wrote: the integers, row after row, and each row's scale."""
    rows = array("h", base64.b64decode(packed["rows"]))
    scales = array("f", base64.b64decode(packed["scales"]))
    if sys.byteorder == "big":
        rows.byteswap()
        scales.byteswap()
    return rows, scales


def gate_inputs(
    probabilities: Sequence[float], out_index: int, analysis: Analysis, known: Known
) -> list[float]:
    """What the gate looks at, in its order (see the module docstring)."""
    best = max((p for i, p in enumerate(probabilities) if i != out_index), default=0.0)
    out = probabilities[out_index]
    words = analysis.words
    unknown = sum(1 for w in words if not known(w)) / max(1, len(words))
    marker = any(w in MARKERS for w in words)
    topics = sorted((p for i, p in enumerate(probabilities) if i != out_index), reverse=True)
    second = topics[1] if len(topics) > 1 else 0.0
    return [
        out,
        best,
        math.log(best + 1e-6),
        math.log(out + 1e-6),
        float(marker),
        unknown,
        float(analysis.anchored),
        best - second,
        (1.0 - best) * math.log(1 + len(words)),
    ]


@dataclass(frozen=True)
class Verdict:
    """The models' view of one question: every class's probability and the gate's."""

    probabilities: dict[str, float]  # class -> probability; OUT included
    in_domain: float  # the gate's probability that the question is in domain

    def ranked(self) -> list[tuple[str, float]]:
        """Topics (OUT excluded), most likely first; ties by id."""
        topics = [(c, p) for c, p in self.probabilities.items() if c != OUT]
        return sorted(topics, key=lambda item: (-item[1], item[0]))


class TopicModel:
    """The shipped models, loaded once; `verdict` per question."""

    def __init__(self, data: Mapping[str, Any], like: TopicModel | None = None) -> None:
        """Read a model as `bot/qa/training.py` writes it; `like`, a model trained on the
        same data, lends its feature tables (the second opinion's are the same: about 20 MB
        not held twice).

        Raises:
            ValueError: the data is not a model of this format.
        """
        if data.get("format") != FORMAT:
            raise ValueError(f"ask model: format {data.get('format')!r}, expected {FORMAT}")
        self.classes: tuple[str, ...] = tuple(data["classes"])
        self.digest: str = data["digest"]
        features: list[str] = data["features"]
        size = len(self.classes)
        self._weights, self._scales = unpack_weights(data["weights"])
        if (
            len(self._weights) != len(features) * size
            or len(self._scales) != len(features)
            or len(data["idf"]) != len(features)
            or len(data["gate"]["coefficients"]) != GATE_INPUTS
        ):
            raise ValueError("ask model: weights and features do not line up")
        self._index: dict[str, int]  # feature -> its row
        self._idf: array[float]  # by row
        if (
            like is not None
            and (like.digest, like.classes) == (self.digest, self.classes)
            and like._features() == features
        ):
            self._index, self._idf = like._index, like._idf
        else:
            self._index = {feature: n for n, feature in enumerate(features)}
            self._idf = array("f", data["idf"])
        self._intercepts: list[float] = list(data["intercepts"])
        self._gate: list[float] = list(data["gate"]["coefficients"])
        self._gate_intercept: float = data["gate"]["intercept"]
        self._out = self.classes.index(OUT)
        # The sentence-vector block of a second-opinion model: dimensions x classes.
        vectors = data.get("vectors")
        self.dimensions: int = vectors["dimensions"] if vectors else 0
        self._dense = array("f", vectors["weights"] if vectors else ())
        if len(self._dense) != self.dimensions * size:
            raise ValueError("ask model: the vector weights do not line up")

    @classmethod
    def load(cls, path: Path | None = None, like: TopicModel | None = None) -> TopicModel:
        """Load the model shipped in content/ (or another file)."""
        with gzip.open(path or MODEL_PATH, "rt", encoding="utf-8") as handle:
            return cls(json.load(handle), like)

    def _features(self) -> list[str]:
        return list(self._index)

    def _idf_of(self, feature: str) -> float | None:
        row = self._index.get(feature)
        return None if row is None else self._idf[row]

    def features(self, analysis: Analysis, folded: str) -> dict[str, float]:
        """The weighted features of one question."""
        return weigh(raw_features(analysis, folded), self._idf_of)

    def verdict(
        self,
        analysis: Analysis,
        folded: str,
        known: Known,
        vector: Sequence[float] | None = None,
    ) -> Verdict:
        """Every class's probability, and the gate's in-domain probability.

        `vector` is the question's sentence vector: required by a second-opinion model (one
        with `dimensions`), ignored by the others.

        Raises:
            ValueError: a second-opinion model was given no vector, or one of another size.
        """
        size = len(self.classes)
        scores = list(self._intercepts)
        weights, scales = self._weights, self._scales
        for feature, value in self.features(analysis, folded).items():
            row = self._index[feature]
            scaled = value * scales[row]
            offset = row * size
            for k in range(size):
                scores[k] += scaled * weights[offset + k]
        if self.dimensions:
            if vector is None or len(vector) != self.dimensions:
                raise ValueError(f"ask model: needs a vector of {self.dimensions} numbers")
            dense = self._dense
            for d, value in enumerate(vector):
                offset = d * size
                for k in range(size):
                    scores[k] += value * dense[offset + k]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probabilities = [e / total for e in exps]
        inputs = gate_inputs(probabilities, self._out, analysis, known)
        z = self._gate_intercept + sum(c * x for c, x in zip(self._gate, inputs, strict=True))
        in_domain = 1.0 / (1.0 + math.exp(-z))
        return Verdict(dict(zip(self.classes, probabilities, strict=True)), in_domain)
