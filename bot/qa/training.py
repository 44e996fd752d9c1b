"""Train the `/vpe ask` models and write `content/ask_model.json.gz` (run by hand, offline).

    python -m bot.qa.training          # after changing examples, dev questions or analysis
    python -m bot.qa.training --check  # exit 1 when the shipped model is out of date

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
from bot.qa.classifier import FORMAT, MODEL_PATH, OUT, gate_inputs, raw_features, weigh
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.matcher import build_analyzer
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


def _matrix(counts: Sequence[Counter[str]], idf: dict[str, float], index: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    data: list[float] = []
    columns: list[int] = []
    pointers = [0]
    for c in counts:
        for feature, value in weigh(c, idf).items():
            data.append(value)
            columns.append(index[feature])
        pointers.append(len(data))
    return csr_matrix((data, columns, pointers), shape=(len(counts), len(index)))


def _fit(counts: Sequence[Counter[str]], labels: Sequence[str]) -> tuple[Any, dict[str, float]]:
    from sklearn.linear_model import LogisticRegression

    idf = idf_of(counts)
    index = {f: n for n, f in enumerate(idf)}
    model = LogisticRegression(C=TOPIC_C, max_iter=5000)
    model.fit(_matrix(counts, idf, index), list(labels))
    return model, idf


def _probabilities(model: Any, idf: dict[str, float], counts: Sequence[Counter[str]]) -> Any:
    index = {f: n for n, f in enumerate(idf)}
    return model.predict_proba(_matrix(counts, idf, index))


def train(kb: KnowledgeBase, labelled: Path = LABELLED) -> dict[str, Any]:
    """Fit both models and return the file's content."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    analyzer = build_analyzer(kb)
    rows = training_rows(kb, labelled)
    counts = row_counts(analyzer, rows)
    labels = [r.label for r in rows]
    model, idf = _fit(counts, labels)
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
        fold_model, fold_idf = _fit([counts[n] for n in chosen], [labels[n] for n in chosen])
        held = [dev[i] for i in test_at]
        probabilities = _probabilities(fold_model, fold_idf, [counts[n] for n in held])
        fold_classes = [str(c) for c in fold_model.classes_]
        for n, row_probabilities in zip(held, probabilities, strict=True):
            by_class = dict(zip(fold_classes, row_probabilities, strict=True))
            ordered = [float(by_class.get(c, 0.0)) for c in classes]
            analysis = analyzer.analyse(rows[n].text)
            inputs[n] = gate_inputs(ordered, out_index, analysis, analyzer.knows)
    gate = LogisticRegression(C=GATE_C, max_iter=5000)
    gate.fit([inputs[n] for n in dev], [labels[n] != OUT for n in dev])

    features = list(idf)
    weights = model.coef_.T  # features x classes
    return {
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
        "weights": [float(f"{w:.{DIGITS}g}") for row in weights for w in row],
        "intercepts": [float(f"{b:.{DIGITS}g}") for b in model.intercept_],
        "gate": {
            "coefficients": [float(c) for c in gate.coef_[0]],
            "intercept": float(gate.intercept_[0]),
        },
    }


def write(data: dict[str, Any], path: Path = MODEL_PATH) -> None:
    # mtime=0: the same model gives the same bytes.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(data, separators=(",", ":")).encode())


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
        with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
            shipped = json.load(handle)["digest"]
        current = shipped == current_digest(kb)
        print("up to date" if current else "out of date: run python -m bot.qa.training")
        return 0 if current else 1
    data = train(kb)
    write(data)
    print(f"wrote {MODEL_PATH}: {len(data['features'])} features x {len(data['classes'])} classes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
