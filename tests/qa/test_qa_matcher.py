"""The matcher as a user sees it: the right entry, or none when the question is off-domain."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.i18n import LANGS, Lang
from bot.qa.analysis import Analyzer
from bot.qa.centroid import CentroidMatcher, MatchSettings
from bot.qa.knowledge import KnowledgeBase, load_knowledge
from bot.qa.lexicon import MARKERS
from bot.qa.matcher import MAX_CHARS, Matcher
from bot.qa.text import clean, fold

LABELLED = Path(__file__).resolve().parents[1] / "data" / "ask_labelled.toml"
# The blind holdouts: scored in aggregate only, never read (see bench/README.md). Each is
# (file, split name, top-1 floor, rejection floor).
DATA = Path(__file__).resolve().parents[1] / "data"
# Floors sit about two points under the figures of bench/README.md (round 7), so that a
# regression fails while noise from a retrained model does not.
BLIND = [
    (DATA / "ask_holdout5.toml", "holdout5", 0.98, 0.99),
    (DATA / "ask_holdout6.toml", "holdout6", 0.97, 0.93),
    (DATA / "ask_blind7.toml", "blind7", 0.95, 0.96),
    (DATA / "ask_blind8.toml", "blind8", 0.97, 0.96),
    (DATA / "ask_blind9.toml", "blind9", 0.94, 0.96),
    (DATA / "ask_blind10.toml", "blind10", 0.96, 0.96),
    (DATA / "ask_blind11.toml", "blind11", 0.94, 0.94),
    (DATA / "ask_blind12.toml", "blind12", 0.96, 0.98),
    (DATA / "ask_blind13.toml", "blind13", 0.95, 0.96),
    (DATA / "ask_blind14.toml", "blind14", 0.95, 0.98),
    (DATA / "ask_blind15.toml", "blind15", 0.96, 0.98),
    (DATA / "ask_blind26.toml", "blind26", 0.97, 0.98),
    (DATA / "ask_blind27.toml", "blind27", 0.94, 0.98),
    (DATA / "ask_blind28.toml", "blind28", 0.98, 0.98),
    (DATA / "ask_blind29.toml", "blind29", 0.96, 0.96),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = tomllib.loads(LABELLED.read_text(encoding="utf-8"))["question"]
    return items


def found(matcher: Matcher, question: str) -> str | None:
    match = matcher.match(question)
    return match.entry.id if match.entry else None


@pytest.mark.parametrize(
    ("question", "expected", "lang"),
    [
        ("who owns delivery?", "delivery", "en"),
        ("qui porte la vision technique ?", "tech_vision", "fr"),
        ("does a VP Eng replace the CTO?", "replaces_cto", "en"),
        ("<@U123ABC> who owns delivry ?", "delivery", "en"),
        ("qui gere le recrutment tech", "hiring", "fr"),
        ("WHO IS IN CHARGE OF THE ROADMAP???", "deadlines_roadmap", "en"),
        ("what's the difference between a VPoE and a CTO?", "role_difference", "en"),
        ("what does a vice president engineering do?", "vpe_role", "en"),
        ("que fait le directeur technique ?", "cto_focus", "fr"),
        ("who owns hiring, the CTO or the VP of Engineering?", "hiring", "en"),
        ("quand faut-il embaucher un VPE ?", "when_to_hire", "fr"),
        ("qui gère la relation avec le conseil d'administration ?", "board", "fr"),
        ("how many engineers per EM?", "manager_layers", "en"),
    ],
)
def test_explicit_questions(matcher: Matcher, question: str, expected: str, lang: str) -> None:
    match = matcher.match(question)
    assert match.entry is not None
    assert match.entry.id == expected
    assert match.lang == lang
    assert 0.0 < match.score <= 1.0


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather?",
        "how do I reset my password?",
        "quelle heure est-il ?",
        "who won the football match?",
        "how do I write a for loop in Python?",
        "who owns the coffee machine?",
        "what does a CFO do?",
        "who is the CEO?",
        "qui est le PDG ?",
        "who hires salespeople?",
        "",
        "<@U123ABC>",
    ],
)
def test_out_of_domain_questions_get_no_entry(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).entry is None


def test_dev_questions_top1_accuracy_and_rejection(
    matcher: Matcher, labelled: list[dict[str, Any]]
) -> None:
    # Every labelled question is dev: the blind holdout lives in its own file and is judged
    # in aggregate only (test_blind_holdout_stays_above_its_floor, bench/ask_bench.py --blind).
    dev = [q for q in labelled if q["split"] == "dev"]
    inside = [q for q in dev if q["expected"]]
    outside = [q for q in dev if not q["expected"]]
    wrong_in = [q["question"] for q in inside if found(matcher, q["question"]) != q["expected"]]
    wrong_out = [q["question"] for q in outside if found(matcher, q["question"]) is not None]
    assert 1 - len(wrong_in) / len(inside) >= 0.95, wrong_in
    assert 1 - len(wrong_out) / len(outside) >= 0.95, wrong_out


@pytest.mark.parametrize(("path", "split", "top1", "rejects"), BLIND)
def test_blind_holdout_stays_above_its_floor(
    matcher: Matcher, path: Path, split: str, top1: float, rejects: float
) -> None:
    # The holdouts were written by people who never saw the matcher or the examples, and
    # nobody tuning reads them. This guard reports two numbers and nothing else (no
    # question, no expected or found entry), so that a failure cannot be tuned on; the
    # figures are in bench/README.md (`bench/ask_bench.py --blind` prints them).
    items = _blind_holdout(path)
    inside = [q for q in items if q["expected"]]
    outside = [q for q in items if not q["expected"]]
    accuracy = sum(found(matcher, q["question"]) == q["expected"] for q in inside) / len(inside)
    rejection = sum(found(matcher, q["question"]) is None for q in outside) / len(outside)
    accuracy, rejection = round(accuracy, 3), round(rejection, 3)
    assert accuracy >= top1
    assert rejection >= rejects


@pytest.mark.parametrize(("path", "split"), [(path, split) for path, split, _, _ in BLIND])
def test_blind_holdout_file_is_well_formed(kb: KnowledgeBase, path: Path, split: str) -> None:
    # Counts only: the questions themselves stay unread.
    items = _blind_holdout(path)
    ids = {entry.id for entry in kb.entries}
    assert len(items) >= 200
    assert all(q["split"] == split for q in items)
    assert all(q["lang"] in LANGS for q in items)
    assert all(q["expected"] in ids or q["expected"] == "" for q in items)
    assert sum(1 for q in items if not q["expected"]) >= 30
    assert {q["lang"] for q in items} == set(LANGS)


def _blind_holdout(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["question"]
    return items


def test_labelled_set_languages_are_detected(
    matcher: Matcher, labelled: list[dict[str, Any]]
) -> None:
    wrong = [q["question"] for q in labelled if matcher.match(q["question"]).lang != q["lang"]]
    assert len(wrong) <= len(labelled) * 0.02, wrong


def test_labelled_set_is_big_varied_and_split(
    kb: KnowledgeBase, labelled: list[dict[str, Any]]
) -> None:
    ids = {entry.id for entry in kb.entries}
    assert len(labelled) >= 120
    assert sum(1 for q in labelled if not q["expected"]) >= 30
    assert {q["expected"] for q in labelled if q["expected"]} == ids
    for lang in LANGS:
        assert sum(1 for q in labelled if q["lang"] == lang) >= len(labelled) * 0.4
        assert any(not q["expected"] for q in labelled if q["lang"] == lang)
    assert {q["split"] for q in labelled} == {"dev"}


def test_labelled_questions_are_not_copies_of_examples(
    kb: KnowledgeBase, labelled: list[dict[str, Any]]
) -> None:
    def key(text: str) -> str:
        return " ".join(fold(clean(text)).replace("?", " ").split())

    examples = {key(q) for e in kb.entries for lang in LANGS for q in e.examples[lang]}
    copies = [q["question"] for q in labelled if key(q["question"]) in examples]
    assert not copies


def test_every_example_finds_its_own_entry(matcher: Matcher, kb: KnowledgeBase) -> None:
    misses = [
        (entry.id, question)
        for entry in kb.entries
        for lang in LANGS
        for question in entry.examples[lang]
        if found(matcher, question) != entry.id
    ]
    assert not misses


def test_given_language_wins_over_detection(matcher: Matcher) -> None:
    match = matcher.match("who owns delivery?", lang="fr")
    assert match.lang == "fr"
    assert match.entry is not None
    assert match.entry.id == "delivery"
    assert matcher.match("who owns delivery?", lang="fr", default_lang="en").lang == "fr"


@pytest.mark.parametrize("default", ["en", "fr"])
def test_default_language_answers_questions_that_do_not_tell(
    matcher: Matcher, default: Lang
) -> None:
    match = matcher.match("delivery?", default_lang=default)
    assert match.lang == default
    assert match.entry is not None
    assert match.entry.id == "delivery"
    assert matcher.match("VPE ?", default_lang=default).lang == default
    assert matcher.match("qui gère le recrutement ?", default_lang=default).lang == "fr"
    assert matcher.match("who owns hiring?", default_lang=default).lang == "en"


def test_default_language_is_english(matcher: Matcher) -> None:
    assert matcher.match("delivery?").lang == "en"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("delivery?", "delivery"),
        ("recrutement", "hiring"),
        ("dette technique ?", "quality"),
        ("architecture", "architecture"),
        ("organigramme ?", "org_structure"),
    ],
)
def test_a_topic_typed_on_its_own_is_answered(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert found(matcher, question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is hiring the VPE's job or the CTO's?", "hiring"),
        ("est-ce au CTO de gérer la qualité ?", "quality"),
        ("c'est au VPE ou au CTO de tenir les délais ?", "deadlines_roadmap"),
        ("what does the VP Eng do about delivery?", "delivery"),
    ],
)
def test_roles_named_as_candidate_owners_do_not_hide_the_topic(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert found(matcher, question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "who handles customer complaints?",
        "qui gère les réclamations clients ?",
        "where is the CTO today?",
        "is the CTO in the office today?",
        "hello",
        "merci !",
    ],
)
def test_near_misses_about_roles_or_customers_get_no_entry(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).entry is None


@pytest.mark.parametrize(
    "question",
    [
        "when is the next release?",
        "how many engineers do we have?",
        "what's on the roadmap?",
        "combien on a levé ?",
        "who is our CTO?",
        "qui est notre CTO ?",
        "c'est quand la prochaine mise en prod ?",
        "combien de développeurs on a ?",
        "who approved this pull request?",
        "can you book a 1:1 with the VPE?",
        "what's the CTO's email?",
        "how much does a VP of Engineering earn?",
        "what's the first name of our VP Eng?",
        "write me a welcome message for our new CTO",
        "rédige-moi une annonce pour l'arrivée du VPE",
    ],
)
def test_near_misses_asking_for_a_fact_get_no_entry(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).entry is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is quality a VPE responsibility?", "quality"),
        ("la qualité est-elle gérée par le CTO ?", "quality"),
        ("is hiring owned by the CTO?", "hiring"),
        ("l'architecture, c'est le rôle du VPE ?", "architecture"),
        ("which role owns delivery?", "delivery"),
        ("lequel des deux gère le recrutement ?", "hiring"),
    ],
)
def test_a_role_offered_as_the_owner_leaves_the_topic_to_decide(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert found(matcher, question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("hey @vpebot who owns hiring? :pray:", "hiring"),
        ("hi team, quick question: who owns quality? thanks!", "quality"),
        ("ki gere le recrutement", "hiring"),
        ("petite question : qui gère la qualité ?", "quality"),
        ("who do I talk to about deadlines?", "deadlines_roadmap"),
        ("à qui je m'adresse pour le recrutement ?", "hiring"),
        ("who's the go-to person for architecture?", "architecture"),
        # French as typed in Slack: no apostrophe, "qqn", anglicised verbs, "les daily".
        ("qui doit gérer le moral des devs ? il est au plus bas", "team_management"),
        ("lequipe est demotivee, qui gere", "team_management"),
        ("les daily durent 1h, qui peut changer ca ?", "processes"),
        ("cest qui qui decide de larchi", "architecture"),
        ("qqn sait qui doit onboarder les nouveaux ?", "hiring"),
        ("retrogradation d'un manager, qui decide", "talent_growth"),
    ],
)
def test_slack_habits_and_other_ways_to_ask_who(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert found(matcher, question) == expected


@pytest.mark.parametrize(
    ("shorthand", "words"),
    [
        ("how many engs per mgr?", ("how", "many", "engineers", "per", "manager")),
        ("our stack in 3-5 yrs", ("stack", "longterm")),
        ("pb de prios ds l'equipe", ("probleme", "priorities", "equipe")),
        ("does anyone know who owns hiring?", ("who", "owns", "hiring")),
        ("à quoi bon un VPE ?", ("worth", "vpe")),
    ],
)
def test_slack_shorthand_reads_as_the_full_words(shorthand: str, words: tuple[str, ...]) -> None:
    assert Analyzer([]).analyse(shorthand).words == words


def test_no_example_reads_as_a_request_for_a_fact(matcher: Matcher, kb: KnowledgeBase) -> None:
    analyzer = Analyzer([])
    marked = [
        question
        for entry in kb.entries
        for lang in LANGS
        for question in entry.examples[lang]
        if set(analyzer.analyse(question).words) & MARKERS
    ]
    assert not marked


def test_reranking_only_reorders_answered_questions(kb: KnowledgeBase) -> None:
    plain = CentroidMatcher(kb, MatchSettings(rerank_weight=0.0))
    reranked = CentroidMatcher(kb, MatchSettings())
    for question in ("who owns delivery?", "what's the weather?", "how does a VPE help?"):
        assert (plain.match(question).entry is None) == (reranked.match(question).entry is None)
    assert reranked.match("what's the weather?").score == plain.match("what's the weather?").score


def test_verbatim_shortcut_needs_the_same_words(matcher: Matcher, kb: KnowledgeBase) -> None:
    example = kb.get("cto_focus").examples["en"][1]  # "what does a CTO do?"
    match = matcher.match(example.upper().replace("?", " ??"))
    assert match.entry is not None
    assert match.entry.id == "cto_focus"
    assert match.score == 1.0
    assert matcher.match("what does a CTO do in a startup?").score < 1.0


def test_suggestions_are_deterministic_varied_and_in_the_language(
    matcher: Matcher, kb: KnowledgeBase
) -> None:
    for lang in LANGS:
        offered = matcher.suggestions(lang)
        assert offered == matcher.suggestions(lang)
        assert len(offered) == 3
        owners = [next(e for e in kb.entries if q in e.examples[lang]) for q in offered]
        assert len({e.id for e in owners}) == 3
        assert all(found(matcher, q) == e.id for q, e in zip(offered, owners, strict=True))
    assert matcher.suggestions("fr")[0] == kb.get("delivery").examples["fr"][0]
    assert len(matcher.suggestions("en", 5)) == 5
    assert matcher.suggestions("en", 0) == ()
    assert len(matcher.suggestions("en", 100)) == len(kb.entries)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_well_formed_match(matcher: Matcher, text: str) -> None:
    match = matcher.match(text)
    assert match.lang in LANGS
    assert 0.0 <= match.score <= 1.0


def test_a_long_paste_is_read_up_to_its_first_characters(matcher: Matcher) -> None:
    # Whatever someone pastes, the matcher reads the first MAX_CHARS characters: the rest
    # cannot change the answer (nor make the analysis costly).
    alone = matcher.match("who owns delivery?")
    padded = matcher.match("who owns delivery?" + " " * MAX_CHARS + "what's the weather?")
    assert padded.entry == alone.entry
    assert padded.entry is not None
    assert matcher.match("a" * 40_000).entry is None
