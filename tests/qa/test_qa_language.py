"""French or English, for the short questions people type."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.i18n import Lang
from bot.qa.language import detect_language


@pytest.mark.parametrize(
    "question",
    [
        "qui porte la vision technique ?",
        "qui gere le recrutement",
        "Qui est responsable du delivery ?",
        "le VP Engineering remplace-t-il le CTO ?",
        "c'est quoi un VPE ?",
        "quand recruter un VP Eng",
        "<@U123ABC> qui s'occupe de la qualité ?",
        "CTO ou VPE : qui fait quoi ?",
        # Unaccented, with the words both languages write alike or French borrows.
        "qui decide si on passe en kanban",
        "delivery en berne, qui s'en charge ?",
        "chaque EM a 14 reports directs maintenant",
        "team building qui organise",
        "onboarding des juniors owner ?",
        "on a un pb de prios, jsp qui tranche",
        "ki owns la roadmap",
        # Elided words count with their apostrophe; a plain French adjective tips a fragment.
        "l'onboarding owner ?",
        "vpe = nouveau cto ?",
        # Typed like a search: French nouns and verbs without accents, no question word.
        "vpe remplace cto",
        "innovation tech responsabilite cto vpe",
        "binome cto vpe fonctionnement",
    ],
)
def test_french_questions(question: str) -> None:
    assert detect_language(question) == "fr"


@pytest.mark.parametrize(
    "question",
    [
        "who owns delivery?",
        "does a VP Eng replace the CTO?",
        "<@U123ABC> who handles hiring?",
        "what's the difference between a CTO and a VPE?",
        "when should we hire a VP of Engineering",
        "who is responsible for the roadmap?",
        "who decides on microservices",
        "whos the go-to person for perf reviews",
        "who owns the team",
        # A lone letter is an initial, not a French elision.
        "tech watch / r&d experiments — owner?",
        "who runs the Q&A with the board",
        "I'd like to know who owns on-call",
    ],
)
def test_english_questions(question: str) -> None:
    assert detect_language(question) == "en"


@pytest.mark.parametrize("question", ["", "???", "CTO vs VPE", "delivery", "<@U123>"])
def test_unsure_means_english(question: str) -> None:
    assert detect_language(question) == "en"


def test_accents_alone_tip_the_balance() -> None:
    assert detect_language("délais ?") == "fr"


@pytest.mark.parametrize("question", ["delivery?", "VPE ?", "CTO vs VPE", "", "<@U123> roadmap"])
@pytest.mark.parametrize("default", ["en", "fr"])
def test_no_evidence_means_the_default(question: str, default: Lang) -> None:
    assert detect_language(question, default) == default
    assert detect_language(question, default=default) == default


@pytest.mark.parametrize(
    ("question", "lang"),
    [("who owns delivery?", "en"), ("qui gère le delivery ?", "fr"), ("délais ?", "fr")],
)
@pytest.mark.parametrize("default", ["en", "fr"])
def test_evidence_wins_over_the_default(question: str, lang: Lang, default: Lang) -> None:
    assert detect_language(question, default) == lang


@given(st.text(max_size=200))
def test_any_text_gets_one_of_the_two_languages(text: str) -> None:
    assert detect_language(text) in ("en", "fr")


def test_every_labelled_question_is_answered_in_its_writers_language() -> None:
    """As the bot answers: the text's evidence, else the asker's language ("delivery?",
    "CTO vs VPoE ?" tell nothing). Every set written so far, blind ones included."""
    sets = sorted((Path(__file__).parents[1] / "data").glob("ask_*.toml"))
    assert len(sets) >= 10
    wrong = [
        (path.name, item["question"])
        for path in sets
        for item in tomllib.loads(path.read_text(encoding="utf-8"))["question"]
        if detect_language(item["question"], default=item["lang"]) != item["lang"]
    ]
    assert not wrong
