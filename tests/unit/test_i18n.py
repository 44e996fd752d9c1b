from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.i18n import (
    LANGS,
    day,
    day_and_time,
    default_catalog,
    load_catalog,
    month_day,
    normalise_language,
    number,
    percent,
)


def test_every_message_exists_in_both_languages() -> None:
    catalog = default_catalog()
    assert catalog.message_keys(), "no messages loaded"
    for key in catalog.message_keys():
        for lang in LANGS:
            assert catalog.raw(key, lang), f"{key} is empty in {lang}"


def test_a_message_missing_a_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "messages.toml").write_text('[greet]\nen = "hello"\n')
    with pytest.raises(ValueError, match="greet"):
        load_catalog(tmp_path)


def test_placeholders_are_filled() -> None:
    assert "`frobnicate`" in default_catalog().t("help.unknown", "fr", name="frobnicate")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr-FR", "fr"),
        ("fr-CA", "fr"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("de-DE", None),
        (None, None),
    ],
)
def test_slack_locales_map_to_our_languages(value: str | None, expected: str | None) -> None:
    assert normalise_language(value) == expected


def write_messages(tmp_path: Path, body: str) -> Path:
    (tmp_path / "messages.toml").write_text(body, encoding="utf-8")
    return tmp_path


PLURAL = """
[n]
answers.en = { one = "{count} answer", other = "{count} answers" }
answers.fr = { one = "{count} réponse", other = "{count} réponses" }
days.en = { by = "days", one = "open one day", other = "open {days} days" }
days.fr = { by = "days", one = "ouvert {days} jour", other = "ouvert {days} jours" }
"""


@pytest.mark.parametrize(
    ("count", "english", "french"),
    [
        (0, "0 answers", "0 réponse"),
        (1, "1 answer", "1 réponse"),
        (2, "2 answers", "2 réponses"),
        (12345, "12,345 answers", "12\u202f345 réponses"),
        (2_000_000, "2,000,000 answers", "2\u202f000\u202f000 réponses"),
    ],
)
def test_plural_forms_follow_cldr(tmp_path: Path, count: int, english: str, french: str) -> None:
    catalog = load_catalog(write_messages(tmp_path, PLURAL))
    assert catalog.t("n.answers", "en", count=count) == english
    assert catalog.t("n.answers", "fr", count=count) == french


def test_a_plural_table_may_be_chosen_by_another_placeholder(tmp_path: Path) -> None:
    catalog = load_catalog(write_messages(tmp_path, PLURAL))
    assert catalog.t("n.days", "en", days=1) == "open one day"
    assert catalog.t("n.days", "en", days=0) == "open 0 days"
    assert catalog.t("n.days", "fr", days=0) == "ouvert 0 jour"


def test_a_missing_plural_form_is_refused(tmp_path: Path) -> None:
    body = (
        '[n]\nx.en = { one = "{count} a", other = "{count} b" }\nx.fr = { other = "{count} c" }\n'
    )
    with pytest.raises(ValueError, match=r"n\.x\.fr: plural form\(s\) one missing"):
        load_catalog(write_messages(tmp_path, body))


def test_a_placeholder_in_one_language_only_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="greet"):
        load_catalog(write_messages(tmp_path, '[greet]\nen = "hi {name}"\nfr = "salut"\n'))


def test_a_plural_form_missing_a_placeholder_is_refused(tmp_path: Path) -> None:
    body = (
        '[n]\nx.en = { one = "{count} by {who}", other = "{count} by {who}" }\n'
        'x.fr = { one = "{count} par", other = "{count} par {who}" }\n'
    )
    with pytest.raises(ValueError, match=r"n\.x\.fr\.one: placeholders differ \(who\)"):
        load_catalog(write_messages(tmp_path, body))


def test_the_other_form_must_show_its_count(tmp_path: Path) -> None:
    body = (
        '[n]\nx.en = { one = "one", other = "many" }\nx.fr = { one = "un", other = "plusieurs" }\n'
    )
    with pytest.raises(ValueError, match="count"):
        load_catalog(write_messages(tmp_path, body))


def test_numbers_percentages_and_dates_are_written_the_readers_way() -> None:
    moment = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert number(3.46, "fr", 1) == "3,5"
    assert number(3.46, "en", 1) == "3.5"
    assert percent(0.85, "fr") == "85\u202f%"
    assert percent(0.85, "en") == "85%"
    assert day_and_time(moment, "fr") == "28 nov. 2026, 10:00"
    assert day_and_time(moment, "en") == "Nov 28, 2026, 10:00\u202fAM"


def test_the_first_of_a_month_reads_premier_in_french() -> None:
    first = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    assert day(first, "fr") == "1er févr. 2027"
    assert month_day(first, "fr") == "1er févr."
    assert day_and_time(first, "fr") == "1er févr. 2027, 09:00"
    assert day(first, "en") == "Feb 1, 2027"
    assert day(datetime(2027, 2, 11, tzinfo=UTC), "fr") == "11 févr. 2027"
    assert day(datetime(2027, 2, 21, tzinfo=UTC), "fr") == "21 févr. 2027"
