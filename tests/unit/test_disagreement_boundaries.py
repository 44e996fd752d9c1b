"""Where the digest says people and systems part ways, pinned at content/delivery.toml's lines:
a score exactly at `says_yes` says yes, exactly `says_no` does not say no, and a lead time
exactly half again as long (1.1 to 1.65 days) is rising."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.delivery.disagreement import disagreements
from bot.delivery.metrics import ORG, Delivery, Figures, ScopeDelivery
from bot.signals.history import PulsePoint

MONDAY = date(2026, 11, 2)


def figures(
    lead: float | None = None, completion: float | None = None, failure: float | None = None
) -> Figures:
    return Figures(None, lead, failure, None, 10, completion, None)


def delivery(
    leads: list[float] | None = None, completion: float | None = None, failure: float | None = None
) -> Delivery:
    weeks = tuple(
        (MONDAY - timedelta(weeks=len(leads or []) - n), figures(lead))
        for n, lead in enumerate(leads or [])
    )
    now = figures(leads[-1] if leads else None, completion, failure)
    return Delivery(ScopeDelivery(ORG, "org", weeks, now, {}, ()))


def said(**scores: float) -> list[PulsePoint]:
    return [PulsePoint(1, datetime(2026, 11, 27, tzinfo=UTC), 10, 8, True, dict(scores))]


def kinds(history: list[PulsePoint], figures_: Delivery) -> list[str]:
    return [found.kind for found in disagreements(history, figures_)]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(3.5, ["says_predictable"]), (3.49, []), (3.51, ["says_predictable"])],
)
def test_says_predictable_from_exactly_says_yes(score: float, expected: list[str]) -> None:
    assert kinds(said(predictability=score), delivery(completion=0.5)) == expected


@pytest.mark.parametrize(
    ("completion", "expected"), [(0.59, ["says_predictable"]), (0.6, []), (0.61, [])]
)
def test_sprints_under_completion_low_contradict(completion: float, expected: list[str]) -> None:
    assert kinds(said(predictability=4.0), delivery(completion=completion)) == expected


@pytest.mark.parametrize(("end", "rising"), [(1.65, True), (1.64, False), (1.66, True)])
def test_a_lead_time_half_again_as_long_is_rising(end: float, rising: bool) -> None:
    leads = [1.1, 1.2, 1.2, 1.3, 1.3, 1.4, end]  # span 6: seven weeks, first and last compared
    found = disagreements(said(predictability=4.0), delivery(leads, completion=0.9))
    assert [d.kind for d in found] == (["says_predictable"] if rising else [])
    if rising:
        assert (found[0].lead_start, found[0].lead_end) == (1.1, end)


def test_a_lead_time_needs_the_whole_span() -> None:
    six_weeks = [1.0, 1.2, 1.3, 1.4, 1.5, 3.0]
    assert kinds(said(predictability=4.0), delivery(six_weeks, completion=0.9)) == []


@pytest.mark.parametrize(
    ("score", "completion", "expected"),
    [
        (2.99, 0.8, ["says_unpredictable"]),
        (3.0, 0.8, []),
        (2.99, 0.79, []),
    ],
)
def test_says_unpredictable_below_says_no_with_steady_sprints(
    score: float, completion: float, expected: list[str]
) -> None:
    assert kinds(said(predictability=score), delivery(completion=completion)) == expected


@pytest.mark.parametrize(
    ("score", "failure", "expected"),
    [
        (3.5, 0.16, ["says_quality"]),
        (3.5, 0.15, []),
        (3.49, 0.16, []),
        (2.99, 0.05, ["says_poor_quality"]),
        (2.99, 0.06, []),
        (3.0, 0.05, []),
    ],
)
def test_quality_said_against_failed_changes(
    score: float, failure: float, expected: list[str]
) -> None:
    assert kinds(said(quality=score), delivery(failure=failure)) == expected


def test_no_figures_or_no_score_say_nothing() -> None:
    assert disagreements(said(predictability=4.0), None) == []
    assert disagreements(said(), delivery(completion=0.1, failure=0.9)) == []
    hidden = [PulsePoint(1, datetime(2026, 11, 27, tzinfo=UTC), 10, 3, False, {"quality": 4.0})]
    assert disagreements(hidden, delivery(failure=0.9)) == [], "a hidden pulse says nothing"
