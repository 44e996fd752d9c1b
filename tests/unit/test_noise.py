"""Noise-aware changes and the participation warning, on every results surface."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks.digest import dimension_lines, participation_line
from bot.blocks.results import item_line, share_line
from bot.blocks.signals import SignalWords
from bot.blocks.team_results import falling_lines, team_section
from bot.core.i18n import default_catalog
from bot.pulses.by_team import TeamResult
from bot.pulses.noise import beyond_noise, low_participation, noise_margin
from bot.pulses.questions import pulse_content
from bot.pulses.results import ItemResult
from bot.qa.knowledge import load_knowledge
from bot.signals.history import PulsePoint
from bot.signals.rules import signals_config

CONTENT = pulse_content()
CATALOG = default_catalog()
PREDICTABILITY = CONTENT.item("predictability")


def test_the_margin_is_two_standard_errors_of_a_difference_of_averages() -> None:
    assert noise_margin(6, 6) == pytest.approx(1.155, abs=0.001)
    assert noise_margin(50, 50) == pytest.approx(0.4)
    assert not beyond_noise(-0.4, 6, 6)
    assert beyond_noise(-0.9, 30, 30)  # margin 0.52
    assert not beyond_noise(0.40, 50, 50)  # at the margin: still noise
    assert beyond_noise(0.41, 50, 50)


def test_participation_warns_under_sixty_percent_and_not_at_it() -> None:
    assert low_participation(5, 9)  # 56%
    assert not low_participation(6, 10)  # 60%
    assert not low_participation(0, 0)
    assert "⚠️" in share_line(5, 9, CATALOG, "en", "results.participation")
    assert "(56%)" in share_line(5, 9, CATALOG, "en", "results.participation")
    assert share_line(6, 10, CATALOG, "en", "results.participation") == "*6/10 answered* (60%)"
    assert "⚠️" in share_line(5, 9, CATALOG, "fr", "results.participation")


def test_results_say_when_a_change_is_within_the_noise_for_its_answers() -> None:
    small = ItemResult(PREDICTABILITY, 6, 3.1, 3.1, None, -0.4, 6)
    line = item_line(small, 5, CATALOG, "en")
    assert "▼ 0.4 since the last pulse, within noise for 6 answers" in line
    large = ItemResult(PREDICTABILITY, 30, 3.1, 3.1, None, -0.9, 30)
    line = item_line(large, 5, CATALOG, "en")
    assert "▼ 0.9 since the last pulse" in line
    assert "noise" not in line


def test_team_lines_show_rate_scores_and_noise() -> None:
    items = (ItemResult(PREDICTABILITY, 6, 2.6, 2.6, None, -0.4, 6),)
    team = TeamResult("payments", "Payments", None, 8, 6, None, items)
    section = team_section(team, 5, CATALOG, "en")
    assert "*Payments* · 6/8 answered (75%)" in section
    assert "2.6/5 ▼0.4, within noise for 6 answers" in section
    quiet = TeamResult("search", "Search", None, 10, 5, "few", items)
    assert "⚠️" in team_section(quiet, 5, CATALOG, "en")


def test_the_digest_and_home_lines_carry_the_noise_and_the_rate() -> None:
    words = SignalWords(CATALOG, "en", signals_config(), CONTENT, load_knowledge())
    start = datetime(2026, 10, 5, 9, tzinfo=UTC)
    history = [
        PulsePoint(n, start + timedelta(weeks=n), 10, 6, True, {"predictability": score})
        for n, score in enumerate((3.5, 3.1))
    ]
    line = next(line for line in dimension_lines(history, words) if "predictab" in line.lower())
    assert "▼0.4, within noise for 6 answers" in line
    assert "6/10 answered* (60%)" in participation_line(history, words, 5)


def test_the_digest_names_a_falling_team_with_french_punctuation_in_french() -> None:
    items = (ItemResult(PREDICTABILITY, 8, 2.0, 2.0, None, -1.5, 8),)
    team = TeamResult("payments", "Payments", None, 8, 8, None, items)
    (french,) = falling_lines([team], CATALOG, "fr")
    assert french.startswith("• *Payments*\u00a0: ")
    (english,) = falling_lines([team], CATALOG, "en")
    assert english.startswith("• *Payments*: ")


@pytest.mark.parametrize("hidden", ["few", "complement", "changed"])
def test_a_hidden_team_s_reason_is_a_whole_sentence(hidden: str) -> None:
    items = (ItemResult(PREDICTABILITY, 6, None, None, None, None, 6),)
    team = TeamResult("search", "Search", None, 8, 6, hidden, items)
    for lang in ("en", "fr"):
        reason = team_section(team, 5, CATALOG, lang).splitlines()[-1]
        assert reason.endswith("."), reason
