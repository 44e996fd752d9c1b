"""Normalisation helpers and typo correction, on their own."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.qa.analysis import _PHRASE_CHUNKS, AnalysisOptions, Analyzer
from bot.qa.lexicon import CONCEPTS, FRAME, MARKERS, PHRASES
from bot.qa.scoring import NaiveBayes
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


def test_clean_removes_emoji_codes_and_plain_text_mentions() -> None:
    assert clean("hey @vpebot who owns hiring? :pray: :+1:").split() == [
        "hey",
        "who",
        "owns",
        "hiring?",
    ]
    assert "a@b.com" in clean("write to a@b.com")  # an address is not a mention


def test_an_unknown_verb_right_after_who_is_a_frame_word() -> None:
    analyzer = Analyzer(["who owns delivery?", "qui gère le delivery ?"])
    assert analyzer.analyse("who negotiates delivery?").words == ("who", "does", "delivery")
    assert analyzer.analyse("who should negotiate delivery?").words == ("who", "does", "delivery")
    assert analyzer.analyse("qui négocie le delivery ?").words == ("qui", "does", "delivery")
    # A known verb stays, and a noun after "who is" is not a verb.
    assert analyzer.analyse("who owns delivery?").words == ("who", "owns", "delivery")
    assert "coffee" in analyzer.analyse("who is the coffee guy?").words
    options = AnalysisOptions(frame_verbs=False)
    assert "negotiates" in Analyzer(["who owns delivery?"], options).analyse("who negotiates").words


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("what does the CTO do?", "@cto"),
        ("à quoi sert un VP Engineering ?", "@vpe"),
        ("the CTO and the VPE relationship?", "@pair"),
        ("VPE vs CTO?", "@pair"),
        ("que fait le CTO si on a un VPE ?", "@cto"),  # not side by side: the CTO is the subject
        ("who owns delivery?", None),
    ],
)
def test_the_role_a_question_is_about_is_a_term(text: str, subject: str | None) -> None:
    terms = Analyzer([]).analyse(text).terms
    assert [t for t in terms if t.startswith("@")] == ([subject] if subject else [])
    assert not any(
        t.startswith("@")
        for t in Analyzer([], AnalysisOptions(subject_role=False)).analyse(text).terms
    )


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("who is our CTO?", "xname"),
        ("qui est le CTO de notre boîte ?", "xname"),
        ("what's the VPE's email?", "xname"),
        ("how many engineers do we have?", "xfact"),
        ("combien on a levé ?", "xfact"),
        ("when is the next release?", "xfact"),
        ("c'est quand la prochaine mise en prod ?", "xfact"),
        ("who approved this pull request?", "xfact"),
        ("what's our tech stack?", "xfact"),
        ("who is on call tonight?", "xnow"),
        ("can you book a 1:1 with the VPE?", "xrequest"),
    ],
)
def test_questions_asking_for_a_fact_carry_a_marker(text: str, marker: str) -> None:
    assert marker in Analyzer([]).analyse(text).words


@pytest.mark.parametrize(
    "text",
    [
        "who owns the delivery dates?",
        "at how many developers should we get a VPE?",
        "when should we hire a VP Engineering?",
        "qui a le dernier mot sur l'architecture ?",
        "quand est-ce qu'on recrute un VPE ?",
        "what is the CTO's job?",
    ],
)
def test_ownership_questions_carry_no_marker(text: str) -> None:
    assert not set(Analyzer([]).analyse(text).words) & MARKERS


def test_markers_are_never_known_words() -> None:
    analyzer = Analyzer(["xfact xname xnow xrequest"])
    assert all(marker not in analyzer._speller for marker in MARKERS)
    assert not analyzer.analyse("xfact").anchored  # not a topic typed on its own


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "who is our CTO?",
                "how many engineers do we have?",
                "qui a le dernier mot sur les choix d'archi ?",
                "is code review a CTO decision?",
                "who do the team leads report to?",
                "hey @bot quick question: who owns delivery? :pray:",
                "le recrutement est-il porté par le VPE ?",
            ]
        ),
    )
)
def test_grouped_phrase_rewrites_give_the_same_text_as_one_by_one(text: str) -> None:
    folded = fold(clean(text))
    one_by_one = folded
    for pattern, replacement in PHRASES:
        one_by_one = pattern.sub(replacement, one_by_one)
    grouped = folded
    for any_of, group in _PHRASE_CHUNKS:
        if any_of.search(grouped):
            for pattern, replacement in group:
                grouped = pattern.sub(replacement, grouped)
    assert grouped == one_by_one


def test_naive_bayes_prefers_the_entry_whose_examples_use_the_terms() -> None:
    bayes = NaiveBayes(
        [("a", ["help", "vpe"]), ("a", ["worth", "vpe"]), ("b", ["vpe", "do"]), ("b", ["vpe"])],
        counts=lambda term: term != "do",
    )
    odds = bayes.posteriors(["help", "vpe"], ["a", "b"])
    assert odds["a"] > odds["b"]
    assert abs(sum(odds.values()) - 1.0) < 1e-9
    assert bayes.posteriors(["coffee"], ["a", "b"]) == {"a": 0.5, "b": 0.5}
    assert bayes.posteriors(["do"], ["a", "b"]) == {"a": 0.5, "b": 0.5}  # not counted
