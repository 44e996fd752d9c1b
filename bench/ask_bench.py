"""Measure the `/vpe ask` matcher on the labelled questions.

Usage (from the repository root):
    python bench/ask_bench.py                 # the matcher on dev: accuracy, rejection, timings
    python bench/ask_bench.py --compare       # round-6 variants table of bench/README.md (dev)
    python bench/ask_bench.py --folds         # cross-validation over the examples (round 6)
    python bench/ask_bench.py --blind tests/data/ask_blind7.toml   # aggregates only
    python bench/ask_bench.py --blind FILE --centroid   # the same with the round-6 matcher
    python bench/ask_bench.py --blind FILE --vectors    # ... with the second opinion (round 17)
    python bench/ask_bench.py --startup [--vectors]     # start-up and memory added

The matcher is the trained classifier (`bot/qa/matcher.py`); it was trained on dev, so its
dev figures are training figures: `bench/ask_compare.py` gives the cross-validated ones.
`--compare` and `--folds` measure the round-6 centroid matcher (`bot/qa/centroid.py`).

Prints top-1 accuracy on in-domain questions, the rejection rate on out-of-domain ones,
overall and per language, every confusion, and the median / p95 time of one `match` call
once loaded. Every question of tests/data/ask_labelled.toml is dev (tuned on).
`--blind FILE` scores a holdout nobody may read: it prints aggregate figures only (overall
and per language), never a question, an answer or a confusion, so that running it cannot
leak anything to tune on.
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

from bot.core.i18n import LANGS
from bot.qa.analysis import AnalysisOptions
from bot.qa.centroid import CentroidMatch as Match
from bot.qa.centroid import CentroidMatcher, MatchSettings
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.language import detect_language
from bot.qa.matcher import Matcher
from bot.qa.vectors import build_matcher

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "ask_labelled.toml"

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
    rerank_weight=0.0,
)
_NORMALISED = replace(_PLAIN, analysis=AnalysisOptions())
# From plain BM25 to the chosen settings one idea at a time, then ablations of the chosen
# settings. `compare` picks each variant's best threshold on dev and reports dev figures only:
# the blind holdout is never used to choose between variants.
VARIANTS: dict[str, MatchSettings] = {
    "A. BM25 per entry, plain words": replace(_PLAIN, scorer="entry_bm25"),
    "B. A + aliases, stems, typos, concepts": replace(_NORMALISED, scorer="entry_bm25"),
    "C. nearest example (cosine), plain words": replace(_PLAIN, scorer="nearest_example"),
    "D. C + aliases, stems, typos, concepts": replace(_NORMALISED, scorer="nearest_example"),
    "E. entry centroid (cosine), plain words": _PLAIN,
    "F. E + aliases, stems, typos, concepts": _NORMALISED,
    "G. F + char n-grams": replace(_NORMALISED, char_weight=_CHOSEN.char_weight),
    "H. G + anchor, off-topic rules, markers": replace(_CHOSEN, verbatim=False, rerank_weight=0.0),
    "I. H + verbatim shortcut": replace(_CHOSEN, rerank_weight=0.0),
    "J. I + naive Bayes re-ranking (chosen)": _CHOSEN,
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
    "chosen, no near-miss markers": replace(
        _CHOSEN, analysis=AnalysisOptions(near_miss_markers=False)
    ),
    "chosen, no frame-verb rule": replace(_CHOSEN, analysis=AnalysisOptions(frame_verbs=False)),
    "chosen, no subject-role term": replace(_CHOSEN, analysis=AnalysisOptions(subject_role=False)),
    "chosen, no naive Bayes re-ranking": replace(_CHOSEN, rerank_weight=0.0),
    "chosen, re-ranking weight 0.2": replace(_CHOSEN, rerank_weight=0.2),
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


def evaluate(matcher: Matcher | CentroidMatcher, items: list[Labelled]) -> Result:
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


def timings(
    matcher: Matcher | CentroidMatcher, items: list[Labelled], rounds: int = 5
) -> tuple[float, float]:
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


def report(kb: KnowledgeBase, items: list[Labelled]) -> None:
    matcher = Matcher(kb)
    for name, subset in (
        ("dev", items),
        *((lang, [i for i in items if i.lang == lang]) for lang in LANGS),
    ):
        result = evaluate(matcher, subset)
        inside = sum(1 for i in subset if i.expected)
        print(
            f"{name:4} top-1 accuracy {result.accuracy:.3f} ({inside} in domain)  "
            f"rejection {result.rejection:.3f} ({len(subset) - inside} out of domain)  "
            f"language {1 - len(result.lang_errors) / len(subset):.3f}"
        )
    result = evaluate(matcher, items)
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
    """Print the variants table: each variant at its best threshold on dev, dev figures and
    10-fold top-1 over the examples at that threshold (no holdout is used to choose)."""
    print("| variant | threshold | dev acc | dev rej | 10-fold top-1 | median ms |")
    print("|---|---|---|---|---|---|")
    for name, settings in VARIANTS.items():
        matcher = CentroidMatcher(kb, replace(settings, threshold=0.0))
        matches = [(i, matcher.match(i.question)) for i in items]
        best = max(THRESHOLDS, key=lambda t: (sum(_accept(matches, t)), -abs(t - 0.2)))
        cells = [f"{value:.3f}" for value in _accept(matches, best)]
        rows, rejected, confused = _folds(kb, replace(settings, threshold=best))
        cells.append(f"{(rows - len(rejected) - len(confused)) / rows:.3f}")
        median, _ = timings(matcher, items, rounds=1)
        print(f"| {name} | {best:.2f} | {' | '.join(cells)} | {median:.2f} |")


def folds(kb: KnowledgeBase, k: int = 10) -> None:
    """Hold out every k-th example in turn; match it against a matcher built on the rest."""
    rows, rejected, confused = _folds(kb, _CHOSEN, k)
    right = rows - len(rejected) - len(confused)
    print(
        f"{k}-fold over {rows} examples: top-1 {right / rows:.3f}  "
        f"(rejected {len(rejected)}, another entry {len(confused)})"
    )
    for entry_id, question, got in confused:
        print(f"  {question!r}: {entry_id} -> {got}")


def _folds(
    kb: KnowledgeBase, settings: MatchSettings, k: int = 10
) -> tuple[int, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """How many examples, which are rejected and which find another entry, k-fold."""
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
        matcher = CentroidMatcher(KnowledgeBase(entries), settings)
        for n, (entry_id, _, _, question) in enumerate(rows):
            if n % k != fold:
                continue
            match = matcher.match(question)
            if match.entry is None:
                rejected.append((entry_id, question))
            elif match.entry.id != entry_id:
                confused.append((entry_id, question, match.entry.id))
    return len(rows), rejected, confused


def blind(kb: KnowledgeBase, path: Path, centroid: bool = False, vectors: bool = False) -> None:
    """Score a blind holdout and print aggregate figures only (see the module docstring).

    Nothing here may print a question, an expected or found entry, or a score per question:
    the holdout stays blind only as long as its mistakes cannot be read.
    """
    items = load_labelled(path)
    matcher = CentroidMatcher(kb) if centroid else build_matcher(kb, vectors=vectors)
    rows = [("all", items), *((lang, [i for i in items if i.lang == lang]) for lang in LANGS)]
    for name, subset in rows:
        if not subset:
            continue
        result = evaluate(matcher, subset)
        inside = sum(1 for i in subset if i.expected)
        # As the bot answers: where the text tells nothing ("delivery?"), the asker's language.
        answered = sum(detect_language(i.question, default=i.lang) == i.lang for i in subset)
        print(
            f"{path.name} {name:3} top-1 accuracy {result.accuracy:.3f} ({inside} in domain)  "
            f"rejection {result.rejection:.3f} ({len(subset) - inside} out of domain)  "
            f"language {1 - len(result.lang_errors) / len(subset):.3f} "
            f"(answered in the asker's {answered / len(subset):.3f})"
        )
    median, p95 = timings(matcher, items)
    print(f"match time: median {median:.2f} ms, p95 {p95:.2f} ms")
    if isinstance(matcher, Matcher) and matcher.second is not None:
        asked = sum(matcher.match(i.question).vectors for i in items) / len(items)
        print(f"second opinion asked for {asked:.0%} of the questions")


_STARTUP = """
import json, sys, time
def rss():
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) / 1024
before = rss()
start = time.perf_counter()
from bot.qa.knowledge import load_knowledge
if sys.argv[1] == "centroid":
    from bot.qa.centroid import CentroidMatcher
    matcher = CentroidMatcher(load_knowledge())
elif sys.argv[1] == "vectors":
    from bot.qa.vectors import build_matcher
    matcher = build_matcher(load_knowledge(), vectors=True)
else:
    from bot.qa.matcher import Matcher
    matcher = Matcher(load_knowledge())
ready = time.perf_counter() - start
built = rss()
for question in json.loads(sys.stdin.read()):
    matcher.match(question)
print(json.dumps({"startup_s": ready, "built_mb": built - before, "after_mb": rss() - before}))
"""


def startup(items: list[Labelled], runs: int = 5, vectors: bool = False) -> None:
    """Start-up (imports, knowledge base, model, index) and the memory the Q&A adds to a
    process, each matcher in fresh interpreters; medians of `runs`."""
    import json
    import subprocess

    questions = json.dumps([item.question for item in items])
    for name in ("classifier", "vectors") if vectors else ("classifier", "centroid"):
        results = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", _STARTUP, name],
                input=questions,  # on stdin: too long for one argument (128 KB)
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parents[1],
            )
            results.append(json.loads(out.stdout))
        pick = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(
            f"{name:10} start-up {pick['startup_s']:.2f} s  memory added: "
            f"{pick['built_mb']:.1f} MB once built, {pick['after_mb']:.1f} MB after "
            f"{len(items)} questions (medians of {runs})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="print the variants table")
    parser.add_argument("--folds", action="store_true", help="cross-validate the examples")
    parser.add_argument(
        "--blind", type=Path, metavar="FILE", help="score a blind holdout: aggregates only"
    )
    parser.add_argument(
        "--centroid", action="store_true", help="with --blind: the round-6 matcher instead"
    )
    parser.add_argument(
        "--startup", action="store_true", help="start-up time and memory added, both matchers"
    )
    parser.add_argument(
        "--vectors", action="store_true", help="with --blind or --startup: the second opinion"
    )
    args = parser.parse_args(argv)
    kb = load_knowledge()
    if args.blind:
        blind(kb, args.blind, args.centroid, args.vectors)
        return 0
    items = load_labelled()
    if args.startup:
        startup(items, vectors=args.vectors)
        return 0
    if args.folds:
        folds(kb)
    elif args.compare:
        compare(kb, items)
    else:
        report(kb, items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
