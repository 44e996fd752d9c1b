"""`/vpe ask` with its second opinion (on by default where installed): asked only when the
model is unsure, right more often on questions nobody tuned on, and refused at start-up with
what to do when it is switched on and its package is missing."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.core.config import ConfigError
from bot.qa.classifier import TopicModel
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.matcher import Match, Matcher, MatchSettings, build_analyzer
from bot.qa.text import clean, fold
from bot.qa.vectors import SecondOpinion, build_matcher, check_installed, load_embedder

DATA = Path(__file__).resolve().parents[1] / "data"
# The blind sets, scored with the second opinion: (file, top-1 floor, rejection floor), about
# two points under the figures of bench/README.md (round 17), aggregates only, as in
# test_qa_matcher.py. The sets written for the issue are all at 0.95 or more per language.
BLIND = [
    ("ask_holdout5.toml", 0.98, 0.98),
    ("ask_holdout6.toml", 0.97, 0.93),
    ("ask_blind7.toml", 0.98, 0.94),
    ("ask_blind8.toml", 0.96, 0.96),
    ("ask_blind9.toml", 0.96, 0.94),
    ("ask_blind10.toml", 0.97, 0.98),
    ("ask_blind11.toml", 0.97, 0.98),
    ("ask_blind12.toml", 0.98, 0.98),
    ("ask_blind13.toml", 0.97, 0.98),
    ("ask_blind14.toml", 0.97, 0.98),
    ("ask_blind15.toml", 0.97, 0.98),
    ("ask_blind26.toml", 0.97, 0.98),
    ("ask_blind27.toml", 0.95, 0.98),
    ("ask_blind28.toml", 0.98, 0.98),
    ("ask_blind29.toml", 0.97, 0.96),
]
# A question the shipped model is unsure of (its gate near the top of the band).
UNSURE = "honestly who is supposed to care that half the team is miserable"


class Counted:
    """The real embedder, counting the questions it was given."""

    def __init__(self) -> None:
        self.embed = load_embedder()
        self.asked: list[str] = []

    def __call__(self, text: str) -> Sequence[float]:
        self.asked.append(text)
        return self.embed(text)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def embedder() -> Counted:
    return Counted()


@pytest.fixture(scope="module")
def cascade(kb: KnowledgeBase, embedder: Counted) -> Matcher:
    return Matcher(kb, second=SecondOpinion(SecondOpinion.load().model, embedder))


@pytest.fixture(scope="module")
def alone(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


def ask(matcher: Matcher, embedder: Counted, question: str) -> tuple[Match, int]:
    before = len(embedder.asked)
    match = matcher.match(question)
    return match, len(embedder.asked) - before


def gate(kb: KnowledgeBase, question: str) -> tuple[float, float]:
    """The shipped model's own view: its gate, and its best topic's probability."""
    analyzer = build_analyzer(kb)
    verdict = TopicModel.load().verdict(
        analyzer.analyse(question), fold(clean(question)), analyzer.knows
    )
    return verdict.in_domain, verdict.ranked()[0][1]


@pytest.mark.parametrize(
    "question",
    [
        "who owns delivery?",  # the words of an example
        "qui est responsable du recrutement des ingénieurs ?",  # sure, in domain
        "what's the weather in Lyon tomorrow?",  # sure, out of domain
    ],
)
def test_a_question_the_model_is_sure_of_never_computes_a_vector(
    cascade: Matcher, alone: Matcher, embedder: Counted, question: str
) -> None:
    match, vectors = ask(cascade, embedder, question)
    assert vectors == 0
    assert not match.vectors
    assert match == alone.match(question)


def test_an_unsure_question_is_decided_with_its_vector(
    kb: KnowledgeBase, cascade: Matcher, alone: Matcher, embedder: Counted
) -> None:
    question = UNSURE
    in_domain, best = gate(kb, question)
    settings = cascade.settings
    assert settings.vectors_from <= in_domain
    assert in_domain < settings.vectors_until or best < settings.sure_at
    match, vectors = ask(cascade, embedder, question)
    assert vectors == 1
    assert match.vectors
    assert match.entry is not None
    assert match.entry.id == "team_management"


@pytest.mark.parametrize(
    ("move", "asked"),
    [
        # The band starts at the gate's value, inclusive.
        (lambda gate, best: {"vectors_from": gate}, 1),
        (lambda gate, best: {"vectors_from": math.nextafter(gate, 1.0)}, 0),
        # It ends before `vectors_until`: at the gate's value the gate alone asks nothing...
        (lambda gate, best: {"vectors_until": gate, "sure_at": best}, 0),
        (lambda gate, best: {"vectors_until": math.nextafter(gate, 1.0), "sure_at": best}, 1),
        # ... and a best topic under `sure_at` asks anyway.
        (lambda gate, best: {"vectors_until": gate, "sure_at": math.nextafter(best, 1.0)}, 1),
    ],
)
def test_the_band_is_where_the_settings_say(
    kb: KnowledgeBase,
    embedder: Counted,
    move: Callable[[float, float], dict[str, float]],
    asked: int,
) -> None:
    in_domain, best = gate(kb, UNSURE)
    settings = replace(MatchSettings(), **move(in_domain, best))
    matcher = Matcher(kb, settings, second=SecondOpinion(SecondOpinion.load().model, embedder))
    match, vectors = ask(matcher, embedder, UNSURE)
    assert vectors == asked
    assert match.vectors is bool(asked)


def test_a_vector_goes_only_with_a_model_trained_on_vectors(kb: KnowledgeBase) -> None:
    model = SecondOpinion.load().model
    analyzer = build_analyzer(kb)
    text = "who runs delivery?"
    with pytest.raises(ValueError, match="384"):
        model.verdict(analyzer.analyse(text), fold(clean(text)), analyzer.knows)
    with pytest.raises(ValueError, match="384"):
        model.verdict(analyzer.analyse(text), fold(clean(text)), analyzer.knows, [0.0] * 3)


@pytest.mark.parametrize(("name", "top1", "rejects"), BLIND)
def test_blind_set_with_the_second_opinion_stays_above_its_floor(
    cascade: Matcher, name: str, top1: float, rejects: float
) -> None:
    # Two numbers and nothing else, as for the shipped matcher (test_qa_matcher.py).
    items: list[dict[str, Any]] = tomllib.loads((DATA / name).read_text("utf-8"))["question"]
    inside = [q for q in items if q["expected"]]
    outside = [q for q in items if not q["expected"]]

    def found(question: str) -> str | None:
        match = cascade.match(question)
        return match.entry.id if match.entry else None

    accuracy = sum(found(q["question"]) == q["expected"] for q in inside) / len(inside)
    rejection = sum(found(q["question"]) is None for q in outside) / len(outside)
    assert round(accuracy, 3) >= top1
    assert round(rejection, 3) >= rejects


def test_without_the_package_the_bot_says_what_to_install(kb: KnowledgeBase) -> None:
    with pytest.raises(ConfigError) as refused:
        build_matcher(kb, vectors=True, package="vpe_bot_no_such_package")
    assert refused.value.variable == "ASK_VECTORS"
    assert "pip install 'vpe-bot[vectors]'" in str(refused.value)
    assert "or set it to off" in str(refused.value)
    with pytest.raises(ConfigError, match=r"vpe-bot\[vectors\]"):
        check_installed(True, package="vpe_bot_no_such_package")
    check_installed(False, package="vpe_bot_no_such_package")
    check_installed(None, package="vpe_bot_no_such_package")
    check_installed(True)


def test_vectors_are_on_where_installed_unless_switched_off(kb: KnowledgeBase) -> None:
    assert build_matcher(kb, vectors=None).second is not None
    assert build_matcher(kb, vectors=True).second is not None
    assert build_matcher(kb, vectors=False).second is None
    # Where the package cannot be installed, auto answers without it, and no error.
    assert build_matcher(kb, vectors=None, package="vpe_bot_no_such_package").second is None


def test_a_vector_model_that_does_not_load_leaves_the_first_models_answer(
    kb: KnowledgeBase,
    alone: Matcher,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # An installed package that is not the version the bot pins (here: no engine, and a
    # model file that is not one): the unsure question is still answered, as without the
    # second opinion, and the error is logged once, without the question.
    broken = tmp_path / "vpe_bot_broken_vectors"
    broken.mkdir()
    (broken / "__init__.py").write_text("")
    (broken / "e5-small-q4.bin").write_bytes(b"not a model")
    monkeypatch.syspath_prepend(str(tmp_path))
    matcher = Matcher(
        kb,
        second=SecondOpinion(SecondOpinion.load().model, load_embedder(broken.name)),
    )
    for _ in range(2):
        found = matcher.match(UNSURE)
        expected = alone.match(UNSURE)
        assert (found.entry, found.kind, found.others) == (
            expected.entry,
            expected.kind,
            expected.others,
        )
        assert found.entry is not None
        assert not found.vectors
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "no second opinion in this process" in errors[0].getMessage()
    assert "miserable" not in caplog.text
