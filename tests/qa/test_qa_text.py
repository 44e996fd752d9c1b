"""Normalisation helpers and typo correction, on their own."""

from __future__ import annotations

import pytest

from bot.qa.analysis import AnalysisOptions, Analyzer
from bot.qa.lexicon import CONCEPTS, FRAME
from bot.qa.spelling import SpellingCorrector, edit_distance
from bot.qa.text import char_ngrams, clean, fold, stem, tokens


def test_clean_removes_slack_markup_and_keeps_link_labels() -> None:
    text = "<@U123ABC> <!here> see <https://x.example/a|the doc> in <#C1|general> &amp; more"
    assert clean(text).split() == ["see", "the", "doc", "in", "&", "more"]


def test_fold_strips_accents_case_and_curly_quotes() -> None:
    assert fold("Qualité, ÉQUIPE, l’œuvre") == "qualite, equipe, l'oeuvre"


def test_tokens_split_elisions() -> None:
    assert tokens("qu'est-ce que l'architecture ?") == [
        "qu",
        "est",
        "ce",
        "que",
        "l",
        "architecture",
    ]


@pytest.mark.parametrize(
    "forms",
    [
        ("process", "processes"),
        ("quality", "qualite", "qualites"),
        ("recruiting", "recruit", "recruits"),
        ("manager", "managers", "management", "manage"),
        ("strategy", "strategie"),
        ("devs", "dev"),
    ],
)
def test_stem_brings_forms_together(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


def test_char_ngrams_pad_words() -> None:
    assert char_ngrams(["cto"], (3,)) == [" ct", "cto", "to "]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("delivery", "delivery", 0), ("delivry", "delivery", 1), ("roadmpa", "roadmap", 1)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


def test_substitutions_can_cost_two() -> None:
    assert edit_distance("menage", "manage") == 1
    assert edit_distance("menage", "manage", substitution=2) == 2


def test_corrector_fixes_typos_of_known_words_only() -> None:
    corrector = SpellingCorrector(["delivery", "recrutement", "management", "manage", "cto"])
    assert corrector.correct("delivry") == "delivery"
    assert corrector.correct("recrutment") == "recrutement"
    assert corrector.correct("mangement") == "management"
    assert corrector.correct("delivery") == "delivery"
    assert corrector.correct("cfo") is None  # short words are never corrected
    assert corrector.correct("menage") is None  # French "ménage" is not "manage"
    assert corrector.correct("weather") is None


def test_corrector_keeps_the_first_letter() -> None:
    corrector = SpellingCorrector(["replacement", "delivery"])
    assert corrector.correct("remplacement") is None or corrector.correct("remplacement")[0] == "r"
    assert corrector.correct("deplacement") is None  # French "déplacement" is not a typo
    assert corrector.correct("elivery") is None


def test_analyzer_rewrites_role_aliases() -> None:
    analyzer = Analyzer([])
    for text in ("VP Eng", "VPoE", "VP of Engineering", "vice-président engineering", "VPE"):
        assert analyzer.analyse(text).words == ("vpe",), text
    for text in ("CTO", "chief technology officer", "directeur technique", "directrice tech"):
        assert analyzer.analyse(text).words == ("cto",), text


def test_analyzer_flags_anchors_and_other_departments() -> None:
    analyzer = Analyzer([])
    assert not analyzer.analyse("how do I fix this bug?").anchored
    assert analyzer.analyse("who fixes bugs?").anchored
    assert analyzer.analyse("who hires salespeople?").off_topic
    assert not analyzer.analyse("as CEO, who should own delivery: CTO or VPE?").off_topic


def test_a_known_topic_on_its_own_is_an_anchor() -> None:
    analyzer = Analyzer(["who owns delivery?", "qui gère la roadmap ?"])
    assert analyzer.analyse("delivery?").anchored
    assert analyzer.analyse("roadmap et delivery").anchored
    assert analyzer.analyse("recrutement").anchored  # a concept word counts as known
    assert not analyzer.analyse("when is the delivery?").anchored  # a question word
    assert not analyzer.analyse("coffee?").anchored  # unknown
    assert not analyzer.analyse("delivery of the coffee machine").anchored
    options = AnalysisOptions(topic_only=False)
    assert not Analyzer(["who owns delivery?"], options).analyse("delivery?").anchored


def test_everyday_words_the_examples_never_use_leave_the_content() -> None:
    analyzer = Analyzer(["who owns delivery?"])
    analysis = analyzer.analyse("who will never become the owner of delivery?")
    assert analysis.content == ("delivery",)
    assert analyzer.is_generic("never")
    assert not analyzer.is_generic("delivery")
    assert "coffee" in analyzer.analyse("who owns the coffee?").content


def test_roles_offered_as_a_choice_become_one_frame_word() -> None:
    analyzer = Analyzer([])
    for text in (
        "the CTO or the VPE?",
        "the VPE's job or the CTO's?",
        "est-ce au CTO de",
        "c'est au VPE ou au CTO de",
    ):
        assert analyzer.analyse(text).words == ("eitherrole",), text
    assert analyzer.analyse("what does the CTO do?").words == ("what", "cto")


def test_each_word_belongs_to_one_concept_and_frame_words_to_none() -> None:
    owner: dict[str, str] = {}
    for concept, words in CONCEPTS.items():
        for word in words.split():
            assert owner.setdefault(stem(word), concept) == concept, (word, concept)
    assert not {stem(word) for word in FRAME} & set(owner)
