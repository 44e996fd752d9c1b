"""The knowledge base file and its loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.i18n import LANGS
from bot.qa.knowledge import KnowledgeBase, load_knowledge

REQUIRED = {
    "vp_engineering": [
        "delivery",
        "deadlines_roadmap",
        "team_management",
        "talent_growth",
        "hiring",
        "processes",
        "quality",
        "org_structure",
    ],
    "shared": ["architecture"],
    "cto": ["tech_vision", "board", "fundraising", "innovation", "tech_spokesperson"],
    None: [
        "role_difference",
        "replaces_cto",
        "when_to_hire",
        "early_stage",
        "risks_without",
        "vpe_role",
        "value",
    ],
}

VALID_ENTRY = """
[[entry]]
id = "{id}"
owner = "cto"
related = [{related}]
[entry.en]
title = "Title"
answer = "An answer."
examples = ["who owns it?"]
[entry.fr]
title = "Titre"
answer = "Une réponse."
examples = ["qui s'en occupe ?"]
"""


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "knowledge.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("owner", "entry_id"),
    [(owner, entry_id) for owner, ids in REQUIRED.items() for entry_id in ids],
)
def test_required_entry_exists_with_its_default_owner(
    kb: KnowledgeBase, owner: str | None, entry_id: str
) -> None:
    assert kb.get(entry_id).owner == owner


def test_every_entry_is_complete_in_both_languages(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        for lang in LANGS:
            assert entry.title[lang].strip(), (entry.id, lang)
            assert len(entry.answer[lang]) <= 600, (entry.id, lang)
            sentences = len(re.findall(r"[.!?](?:\s|$)", entry.answer[lang]))
            assert 2 <= sentences <= 4, (entry.id, lang, sentences)
            assert len(entry.examples[lang]) >= 6, (entry.id, lang)
            assert len(set(entry.examples[lang])) == len(entry.examples[lang]), entry.id


def test_french_content_keeps_its_accents(kb: KnowledgeBase) -> None:
    french = " ".join(e.answer["fr"] for e in kb.entries)
    for word in ("équipes", "qualité", "stratégie", "être", "à"):
        assert word in french


def test_related_entries_exist_and_are_two_or_three(kb: KnowledgeBase) -> None:
    ids = {entry.id for entry in kb.entries}
    for entry in kb.entries:
        assert 2 <= len(entry.related) <= 3, entry.id
        assert set(entry.related) <= ids - {entry.id}, entry.id


def test_when_to_hire_lists_the_three_signs_and_points_at_signals(kb: KnowledgeBase) -> None:
    for lang in LANGS:
        assert "/vpe signals" in kb.get("when_to_hire").answer[lang]


def test_areas_are_the_owned_entries_in_file_order(kb: KnowledgeBase) -> None:
    areas = kb.areas()
    assert [e.id for e in areas] == [e.id for e in kb.entries if e.owner is not None]
    assert areas[0].id == "delivery"
    assert all(e.owner is not None for e in areas)


def test_get_unknown_id_raises_key_error(kb: KnowledgeBase) -> None:
    with pytest.raises(KeyError):
        kb.get("no_such_entry")


def test_loads_a_valid_file_from_a_given_path(tmp_path: Path) -> None:
    text = VALID_ENTRY.format(id="a", related='"b"') + VALID_ENTRY.format(id="b", related='"a"')
    kb = load_knowledge(write(tmp_path, text))
    assert [e.id for e in kb.entries] == ["a", "b"]
    assert kb.get("a").examples["fr"] == ("qui s'en occupe ?",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entry = [", "not valid TOML"),
        ("title = 'x'", "no [[entry]]"),
        (VALID_ENTRY.format(id="a", related="").replace('"cto"', '"cfo"'), "owner 'cfo'"),
        (VALID_ENTRY.format(id="a", related='"ghost"'), "unknown id(s) ['ghost']"),
        (VALID_ENTRY.format(id="a", related="") * 2, "duplicate entry id 'a'"),
        (VALID_ENTRY.format(id="a", related='"a"'), "lists itself"),
        (VALID_ENTRY.format(id="a", related="").split("[entry.fr]")[0], "missing [entry.fr]"),
        (VALID_ENTRY.format(id="a", related="").replace('title = "Titre"\n', ""), "'title'"),
        (VALID_ENTRY.format(id="a", related="").replace("Une réponse.", " "), "'answer'"),
        (
            VALID_ENTRY.format(id="a", related="").replace('["who owns it?"]', "[]"),
            "'examples' must be a non-empty list",
        ),
        (VALID_ENTRY.format(id=" ", related=""), "'id' must be a non-empty string"),
    ],
)
def test_invalid_files_are_rejected_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        load_knowledge(path)
    assert str(path) in str(caught.value)


def test_error_names_the_entry_and_the_language(tmp_path: Path) -> None:
    text = VALID_ENTRY.format(id="delivery", related="").replace('title = "Titre"\n', "")
    with pytest.raises(ValueError, match=r"entry 'delivery' \[fr\]: 'title'"):
        load_knowledge(write(tmp_path, text))
