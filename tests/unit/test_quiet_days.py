"""Quiet days: holidays move a slot to the next working day; Slack statuses say who is away."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.team.directory import ensure_workspace
from bot.team.quiet_days import (
    QuietDays,
    add_holiday,
    away_rule,
    country_code,
    quiet_days,
    quiet_days_of,
    set_holiday_country,
)

CHRISTMAS = datetime(2026, 12, 25, 9, 0, tzinfo=UTC)  # a Friday, 10:00 in Paris
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_a_slot_on_a_holiday_moves_to_the_same_time_on_the_next_working_day() -> None:
    quiet = QuietDays(frozenset({date(2026, 12, 25), date(2026, 12, 28)}), None)
    moved = quiet.shifted(CHRISTMAS, "Europe/Paris")
    # Saturday and Sunday are not working days, Monday the 28th is a holiday too.
    assert moved.astimezone(UTC) == datetime(2026, 12, 29, 9, 0, tzinfo=UTC)
    plain = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    assert quiet.shifted(plain, "Europe/Paris") == plain, "the day before stays"


def test_the_day_is_the_schedules_local_day() -> None:
    quiet = QuietDays(frozenset({date(2026, 12, 25)}), None)
    # 23:30 UTC on the 24th is already the 25th in Paris.
    late = datetime(2026, 12, 24, 23, 30, tzinfo=UTC)
    assert quiet.shifted(late, "Europe/Paris") != late
    assert quiet.shifted(late, "UTC") == late


def test_a_countrys_public_holidays_count_once_chosen() -> None:
    assert country_code("fr") == "FR"
    assert country_code("XX") is None
    french = QuietDays(frozenset(), "FR")
    assert french.is_holiday(date(2027, 5, 1))
    assert french.is_holiday(date(2027, 7, 14))
    assert not french.is_holiday(date(2027, 7, 15))
    assert not QuietDays(frozenset(), None).is_holiday(date(2027, 7, 14))


@pytest.mark.parametrize(
    ("emoji", "text", "expires", "away"),
    [
        (":palm_tree:", "", 0, True),
        ("", "Vacationing", 0, True),
        ("", "OOO until Monday", 0, True),
        ("", "Out-of-office, back on the 4th", 0, True),
        ("", "En congé jusqu'au 5", 0, True),
        (":calendar:", "In a meeting", 0, False),
        ("", "Officer of the watch", 0, False),
        ("", "Zoom", 0, False),
        (":palm_tree:", "", int(NOW.timestamp()) - 60, False),  # expired a minute ago
        (":palm_tree:", "", int(NOW.timestamp()) + 60, True),
    ],
)
def test_who_counts_as_away(emoji: str, text: str, expires: int, away: bool) -> None:
    assert away_rule().is_away(emoji, text, expires, NOW) is away


def test_the_clocks_pass_reads_every_workspaces_holidays_as_each_alone(session: Session) -> None:
    """One read for all the workspaces due at a minute gives each its own days, no other's."""
    add_holiday(session, "T1", date(2026, 12, 25))
    add_holiday(session, "T1", date(2026, 12, 28))
    add_holiday(session, "T2", date(2026, 12, 24))
    set_holiday_country(session, "T2", "FR")
    ensure_workspace(session, "T3")  # nothing chosen
    teams = {"T1", "T2", "T3", "T4"}  # T4: not even a workspace row yet
    together = quiet_days_of(session, teams)
    assert together == {team: quiet_days(session, team) for team in teams}
    assert together["T1"] == QuietDays(frozenset({date(2026, 12, 25), date(2026, 12, 28)}), None)
    assert together["T2"] == QuietDays(frozenset({date(2026, 12, 24)}), "FR")
    assert together["T3"] == together["T4"] == QuietDays(frozenset(), None)
    assert quiet_days_of(session, set()) == {}
