"""Measure the `/vpe ask` matcher on the labelled questions.

Usage (from the repository root):
    python bench/ask_bench.py                 # chosen settings: accuracy, rejection, timings
    python bench/ask_bench.py --split dev     # only the questions used while tuning
    python bench/ask_bench.py --compare       # the variants table of bench/README.md
    python bench/ask_bench.py --folds         # cross-validation over the examples

Prints top-1 accuracy on in-domain questions, the rejection rate on out-of-domain ones,
per split, every confusion, and the median / p95 time of one `match` call once loaded.
`--folds` needs no labelled question at all: it holds out a tenth of the knowledge-base
examples at a time and checks that the matcher still finds their entry from the others,
which says how well the examples generalise without spending the holdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from bot.qa.analysis import AnalysisOptions
from bot.qa.knowledge import LANGS, KnowledgeBase, load_knowledge
from bot.qa.matcher import Match, Matcher, MatchSettings

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "ask_labelled.toml"
SPLITS = ("dev", "holdout4")
HOLDOUT = SPLITS[-1]  # the current holdout: evaluated once, at the end of a tuning round

_BARE = AnalysisOptions(aliases=False, spelling=False, stemming=False, concepts="off")
_CHOSEN = MatchSettings()
# Plain variants: no normalisation, no character n-grams, no rejection rule but the threshold.
_PLAIN = replace(
    _CHOSEN,
    analysis=_BARE,
    char_weight=0.0,
    reject_off_topic=False,
    require_anchor=False,
    verbatim=False,
)
_NORMALISED = replace(_PLAIN, analysis=AnalysisOptions())
# From plain BM25 to the chosen settings one idea at a time, then ablations of the chosen
# settings. `compare` picks each variant's best threshold on dev, then applies it to holdout.
VARIANTS: dict[str, MatchSettings] = {
    "A. BM25 per entry, plain words": replace(_PLAIN, scorer="entry_bm25"),
    "B. A + aliases, stems, typos, concepts": replace(_NORMALISED, scorer="entry_bm25"),
    "C. nearest example (cosine), plain words": replace(_PLAIN, scorer="nearest_example"),
    "D. C + aliases, stems, typos, concepts": replace(_NORMALISED, scorer="nearest_example"),
    "E. entry centroid (cosine), plain words": _PLAIN,
    "F. E + aliases, stems, typos, concepts": _NORMALISED,
    "G. F + char n-grams": replace(_NORMALISED, char_weight=_CHOSEN.char_weight),
    "H. G + anchor and off-topic rules": replace(_CHOSEN, verbatim=False),
    "I. H + verbatim shortcut (chosen)": _CHOSEN,
    "chosen, BM25 per entry instead": replace(_CHOSEN, scorer="entry_bm25"),
    "chosen, nearest example instead": replace(_CHOSEN, scorer="nearest_example"),
    "chosen, no concepts": replace(_CHOSEN, analysis=AnalysisOptions(concepts="off")),
    "chosen, concepts added not replaced": replace(
        _CHOSEN, analysis=AnalysisOptions(concepts="add"), concept_weight=0.5
    ),
    "chosen, no typo correction": replace(_CHOSEN, analysis=AnalysisOptions(spelling=False)),
    "chosen, no char n-grams": replace(_CHOSEN, char_weight=0.0),
    "chosen, unknown words weigh 1x": replace(_CHOSEN, unknown_weight=1.0),
    "chosen, frame words weigh 0.5": replace(_CHOSEN, frame_weight=0.5),
    "chosen, margin 0.05 to runner-up": replace(_CHOSEN, margin=0.05),
    "chosen, no topic-only anchor": replace(_CHOSEN, analysis=AnalysisOptions(topic_only=False)),
    "chosen, everyday words weigh as unknown words": replace(_CHOSEN, generic_weight=1.0),
}
THRESHOLDS = [step / 100 for step in range(2, 61)]


@dataclass(frozen=True)
class Labelled:
    question: str
    lang: str
    expected: str
    split: str


@dataclass(frozen=True)
class Result:
    accuracy: float
    rejection: float
    confusions: list[tuple[Labelled, str]]
    lang_errors: list[tuple[Labelled, str]]


def load_labelled(path: Path = LABELLED) -> list[Labelled]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Labelled(q["question"], q["lang"], q["expected"], q["split"]) for q in data["question"]]


def evaluate(matcher: Matcher, items: list[Labelled]) -> Result:
    """Top-1 accuracy (in domain), rejection rate (out of domain), and every mistake."""
    inside = [item for item in items if item.expected]
    outside = [item for item in items if not item.expected]
    confusions: list[tuple[Labelled, str]] = []
    lang_errors: list[tuple[Labelled, str]] = []
    for item in items:
        match = matcher.match(item.question)
        got = match.entry.id if match.entry else ""
        if got != item.expected:
            confusions.append((item, f"{got or '(none)'} {match.score:.2f}"))
        if match.lang != item.lang:
            lang_errors.append((item, match.lang))
    wrong_in = sum(1 for item, _ in confusions if item.expected)
    wrong_out = sum(1 for item, _ in confusions if not item.expected)
    accuracy = 1 - wrong_in / len(inside) if inside else 1.0
    rejection = 1 - wrong_out / len(outside) if outside else 1.0
    return Result(accuracy, rejection, confusions, lang_errors)


def timings(matcher: Matcher, items: list[Labelled], rounds: int = 5) -> tuple[float, float]:
    """Median and p95 of one `match` call, in milliseconds, after a warm-up round."""
    for item in items:
        matcher.match(item.question)
    samples = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            matcher.match(item.question)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def report(kb: KnowledgeBase, items: list[Labelled], splits: tuple[str, ...]) -> None:
    matcher = Matcher(kb)
    for split in (*splits, "all") if len(splits) > 1 else splits:
        subset = [i for i in items if split in ("all", i.split)]
        result = evaluate(matcher, subset)
        inside = sum(1 for i in subset if i.expected)
        print(
            f"{split:8} top-1 accuracy {result.accuracy:.3f} ({inside} in domain)  "
            f"rejection {result.rejection:.3f} ({len(subset) - inside} out of domain)  "
            f"language {1 - len(result.lang_errors) / len(subset):.3f}"
        )
    result = evaluate(matcher, [i for i in items if i.split in splits])
    print("\nconfusions (expected -> got score):")
    for item, got in result.confusions:
        print(f"  [{item.split}] {item.question!r}: {item.expected or '(none)'} -> {got}")
    for item, lang in result.lang_errors:
        print(f"  [{item.split}] language of {item.question!r}: {item.lang} -> {lang}")
    median, p95 = timings(matcher, items)
    print(f"\nmatch time: median {median:.2f} ms, p95 {p95:.2f} ms ({len(items)} questions x 5)")


def _accept(matches: list[tuple[Labelled, Match]], threshold: float) -> tuple[float, float]:
    """Accuracy and rejection if answers scoring below `threshold` were rejected."""
    inside = [(i, m) for i, m in matches if i.expected]
    outside = [(i, m) for i, m in matches if not i.expected]
    right = sum(
        1 for i, m in inside if m.entry and m.entry.id == i.expected and m.score >= threshold
    )
    rejected = sum(1 for _, m in outside if m.entry is None or m.score < threshold)
    return right / len(inside), rejected / len(outside)


def compare(kb: KnowledgeBase, items: list[Labelled]) -> None:
    """Print the variants table: threshold chosen on dev, then applied to the holdout."""
    print(
        f"| variant | threshold | dev acc | dev rej | {HOLDOUT} acc | {HOLDOUT} rej | median ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, settings in VARIANTS.items():
        matcher = Matcher(kb, replace(settings, threshold=0.0))
        matches = {
            split: [(i, matcher.match(i.question)) for i in items if i.split == split]
            for split in SPLITS
        }
        best = max(THRESHOLDS, key=lambda t: (sum(_accept(matches["dev"], t)), -abs(t - 0.2)))
        cells = [f"{value:.3f}" for split in SPLITS for value in _accept(matches[split], best)]
        median, _ = timings(matcher, items, rounds=1)
        print(f"| {name} | {best:.2f} | {' | '.join(cells)} | {median:.2f} |")


def folds(kb: KnowledgeBase, k: int = 10) -> None:
    """Hold out every k-th example in turn; match it against a matcher built on the rest."""
    rows = [
        (entry.id, lang, index, question)
        for entry in kb.entries
        for lang in LANGS
        for index, question in enumerate(entry.examples[lang])
    ]
    rejected: list[tuple[str, str]] = []
    confused: list[tuple[str, str, str]] = []
    for fold in range(k):
        held = {(e, lang, i) for n, (e, lang, i, _) in enumerate(rows) if n % k == fold}
        entries = tuple(
            replace(
                entry,
                examples={
                    lang: tuple(
                        q
                        for i, q in enumerate(entry.examples[lang])
                        if (entry.id, lang, i) not in held
                    )
                    for lang in LANGS
                },
            )
            for entry in kb.entries
        )
        matcher = Matcher(KnowledgeBase(entries))
        for n, (entry_id, _, _, question) in enumerate(rows):
            if n % k != fold:
                continue
            match = matcher.match(question)
            if match.entry is None:
                rejected.append((entry_id, question))
            elif match.entry.id != entry_id:
                confused.append((entry_id, question, match.entry.id))
    right = len(rows) - len(rejected) - len(confused)
    print(
        f"{k}-fold over {len(rows)} examples: top-1 {right / len(rows):.3f}  "
        f"(rejected {len(rejected)}, another entry {len(confused)})"
    )
    for entry_id, question, got in confused:
        print(f"  {question!r}: {entry_id} -> {got}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, help="only this split (default: both)")
    parser.add_argument("--compare", action="store_true", help="print the variants table")
    parser.add_argument("--folds", action="store_true", help="cross-validate the examples")
    args = parser.parse_args(argv)
    kb = load_knowledge()
    items = load_labelled()
    if args.folds:
        folds(kb)
    elif args.compare:
        compare(kb, items)
    else:
        report(kb, items, (args.split,) if args.split else SPLITS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
