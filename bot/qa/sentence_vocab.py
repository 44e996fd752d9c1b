"""Which word pieces the smaller sentence-vector model keeps (offline, `bot/qa/training.py`).

The package's engine splits a text into pieces as SentencePiece's unigram model does: each
character normalised by the model's own map, runs of spaces collapsed, a space before the
text and every space written as "▁", then the split whose pieces' scores sum highest
(Viterbi), an unknown character scoring 10 under the lowest piece. This module makes the same
split in Python, so that it can list the pieces a set of texts uses; a test checks it against
the engine (`e5_token_count`, and vectors bit for bit).

Kept: the pieces of every training question and knowledge-base text, and of the most frequent
English and French words (the `wordfreq` package, a development dependency), each as typed
and capitalised. A split only uses pieces inside the text, so a text whose pieces are all
kept is split, and embedded, exactly as by the full model.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path

from bot.qa.sentence_model import PIECES_PATH, SPECIALS, ModelFile

SPACE = "\u2581"
QUERY = "query: "  # the prefix the engine puts before a question
UNKNOWN_PENALTY = 10.0
FREQUENT_WORDS = 20_000  # per language (round 18: 20,000 and 50,000 score the same)
LANGUAGES = ("en", "fr")


class Splitter:
    """The engine's split of a text into pieces, for choosing which pieces to keep."""

    def __init__(self, model: ModelFile) -> None:
        self._ids = {model.piece(i): i for i in range(model.pieces)}
        self._scores = model.scores
        self._unknown = model.specials[3]
        self._longest = max(len(p) for p in self._ids)
        self._unknown_score = min(model.scores) - UNKNOWN_PENALTY
        self._normal = _normaliser(model)

    def normalise(self, text: str) -> str:
        out = "".join(self._normal.get(c, c) for c in text)
        while "  " in out:
            out = out.replace("  ", " ")
        return (out if out.startswith(" ") else " " + out).replace(" ", SPACE)

    def split(self, text: str) -> list[int]:
        """The pieces of `text`, as indices into the model file (unknown: the <unk> piece)."""
        s = self.normalise(text)
        n = len(s)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (start, piece; -1 unknown)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                index = self._ids.get(s[i:end])
                if index is not None and index != self._unknown:
                    score = best[i] + self._scores[index]
                    if score > best[end]:
                        best[end], back[end] = score, (i, index)
            unknown = best[i] + self._unknown_score
            if unknown > best[i + 1]:
                best[i + 1], back[i + 1] = unknown, (i, -1)
        pieces: list[int] = []
        at = n
        while at > 0:
            start, index = back[at]
            pieces.append(self._unknown if index < 0 else index)
            at = start
        return pieces[::-1]


def _normaliser(model: ModelFile) -> dict[str, str]:
    """The model's per-character normalisation map (from the file's own table)."""
    start, end = model.normalizer
    data = bytes(model.data[start:end])
    count = int.from_bytes(data[:4], "little", signed=True)
    table: dict[str, str] = {}
    at = 8
    for _ in range(count):
        code = int.from_bytes(data[at : at + 4], "little")
        outs = data[at + 4]
        at += 5
        table[chr(code)] = "".join(
            chr(int.from_bytes(data[at + 4 * k : at + 4 * k + 4], "little")) for k in range(outs)
        )
        at += 4 * outs
    return table


def frequent_words(count: int = FREQUENT_WORDS) -> list[str]:
    """The `count` most frequent words of each language, as typed and capitalised."""
    import wordfreq  # development dependency

    words: list[str] = []
    for lang in LANGUAGES:
        for word in wordfreq.top_n_list(lang, count, wordlist="large"):
            words += [word, word.capitalize()]
    return words


def choose(model: ModelFile, texts: Iterable[str], words: Iterable[str]) -> list[int]:
    """The pieces the texts (as questions) and the words (alone) use, and the model's
    special pieces and its lowest-scored one (`ModelFile.smaller` keeps them); sorted."""
    splitter = Splitter(model)
    keep = set(range(SPECIALS)) | {model.lowest()}
    for text in texts:
        keep.update(splitter.split(QUERY + text))
    for word in words:
        keep.update(splitter.split(word))
    return sorted(keep)


def write(model: ModelFile, keep: Iterable[int], digest: str, path: Path = PIECES_PATH) -> None:
    """The piece list, with the digest of the training data it was chosen from."""
    data = {"digest": digest, "pieces": [[i, model.piece(i)] for i in keep]}
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
