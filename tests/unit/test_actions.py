"""Action plans: when one is late, and what results say about its statement."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from bot.blocks.actions import moved_lines, summary_lines
from bot.core.i18n import default_catalog
from bot.pulses.questions import pulse_content
from bot.pulses.reporting import Disclosure
from bot.pulses.results import ItemResult, PulseResults
from bot.storage.models import Pulse
from bot.team.actions import Action, is_overdue, local_today
from bot.team.workspace import set_timezone

TODAY = date(2027, 1, 15)


def plan(due: date, status: str = "open", **extra: object) -> Action:
    return Action(1, "Freeze priorities", "U1", due, status, **extra)  # type: ignore[arg-type]


def test_an_action_is_late_from_the_day_after_its_date() -> None:
    assert not is_overdue(plan(TODAY), TODAY), "the due day itself is on time"
    assert is_overdue(plan(date(2027, 1, 14)), TODAY)
    assert not is_overdue(plan(date(2027, 1, 14), "done"), TODAY), "done is never late"


def test_today_is_the_workspaces_day(session: Session) -> None:
    late_evening = datetime(2027, 1, 14, 23, 30, tzinfo=UTC)
    assert local_today(session, "T1", late_evening) == date(2027, 1, 14)
    set_timezone(session, "T1", "Pacific/Auckland")
    assert local_today(session, "T1", late_evening) == date(2027, 1, 15)


def test_the_digest_counts_open_and_late_actions_in_both_languages() -> None:
    plans = [plan(date(2027, 1, 14)), plan(TODAY), plan(date(2027, 1, 1), "done")]
    catalog = default_catalog()
    english = summary_lines(plans, TODAY, catalog, "en")
    assert english[0] == "*Actions*: 2 open, 1 overdue"
    assert "*overdue*" in english[1], "the late one first"
    french = summary_lines(plans, TODAY, catalog, "fr")
    assert french[0] == "*Actions*\u00a0: 2 ouvertes, dont 1 en retard"
    assert summary_lines([], TODAY, catalog, "en") == ["*Actions*: none open."]


def results(pulse_id: int, mean: float | None) -> PulseResults:
    content = pulse_content()
    pulse = Pulse(id=pulse_id, team_id="T1", items=["predictability"])
    item = ItemResult(content.item("predictability"), 8, mean)
    shown = Disclosure(5, 10, True, True, True, None)
    return PulseResults(pulse, 8, 8, shown, (item,), None)


def test_results_say_how_the_statement_moved_only_with_both_figures_shown() -> None:
    catalog = default_catalog()
    tied = plan(TODAY, item="predictability", baseline=2.8, baseline_pulse=4)
    moved = moved_lines([tied], results(6, 3.4), catalog, "en")
    label = pulse_content().item("predictability").label["en"]
    assert moved == [f"📌 Freeze priorities: “{label}” 2.8 → 3.4 ▲ since it was planned"]
    assert moved_lines([tied], results(6, None), catalog, "en") == [], "hidden now: nothing"
    assert moved_lines([tied], results(4, 2.8), catalog, "en") == [], "the same pulse: no move"
    hidden_then = plan(TODAY, item="predictability", baseline=None, baseline_pulse=4)
    assert moved_lines([hidden_then], results(6, 3.4), catalog, "en") == []


def test_a_reverse_statement_s_move_says_that_agreeing_is_bad_news() -> None:
    catalog = default_catalog()
    content = pulse_content()
    pulse = Pulse(id=6, team_id="T1", items=["cto_bottleneck"])
    item = ItemResult(content.item("cto_bottleneck"), 8, 4.2)
    now = PulseResults(pulse, 8, 8, Disclosure(5, 10, True, True, True, None), (item,), None)
    tied = plan(TODAY, item="cto_bottleneck", baseline=3.5, baseline_pulse=4)
    english = moved_lines([tied], now, catalog, "en")[0]
    assert "3.5 → 4.2 ▲ (agreeing is bad news here) since it was planned" in english
    french = moved_lines([tied], now, catalog, "fr")[0]
    assert "3,5 → 4,2 ▲ (être d’accord est mauvais signe ici) depuis qu’elle a été" in french


def test_with_nothing_late_french_says_aucune_rather_than_dont_0() -> None:
    catalog = default_catalog()
    one, two = [plan(TODAY)], [plan(TODAY), plan(TODAY)]
    assert summary_lines(one, TODAY, catalog, "en")[0] == "*Actions*: 1 open, 0 overdue"
    french = summary_lines(one, TODAY, catalog, "fr")[0]
    assert french == "*Actions*\u00a0: 1 ouverte, aucune en retard"
    french = summary_lines(two, TODAY, catalog, "fr")[0]
    assert french == "*Actions*\u00a0: 2 ouvertes, aucune en retard"
