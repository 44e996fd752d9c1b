from pathlib import Path

import pytest

from bot.core.i18n import LANGS, default_catalog, load_catalog, normalise_language


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
