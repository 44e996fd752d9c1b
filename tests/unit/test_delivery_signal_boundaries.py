""" "Deliveries are slipping" at its own boundaries: lead time half again longer (three times
is high), more than 30% of changes failed, three of the last four sprints under the share of
content/delivery.toml; and the same lead time cited beside a team's low pulse score.

The figures are built in memory (the systems' side is tested in test_delivery.py); the cases
read their thresholds from the configuration, so each pins the rule as written there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Literal

import pytest

from bot.delivery.metrics import Delivery, Figures, ScopeDelivery, delivery_config
from bot.signals.assess import (
    FailureRate,
    Inputs,
    MetricRise,
    SignalResult,
    SprintsUnder,
    TeamScore,
    assess,
)
from bot.signals.rules import signals_config
from tests.unit.test_signals_assess import TODAY, active, inputs, weeks

CONFIG = signals_config()
SPEC = CONFIG.signals["deliveries_slipping"]
SPAN = int(SPEC.number("span"))
RISE = SPEC.number("lead_rise")
RISE_HIGH = SPEC.number("lead_rise_high")
MIN_DAYS = SPEC.number("lead_min_days")
FAILURE = SPEC.number("failure_above")
SPRINTS = int(SPEC.number("sprints"))
NEEDED = int(SPEC.number("sprints_needed"))
UNDER = delivery_config().sprint_under
WINDOW = delivery_config().window_weeks
STEADY = [2.0] * (SPAN + 1)
ORG_NAME = "Acme"


def figures(lead: float | None = None, failure: float | None = None) -> Figures:
    return Figures(1.0, lead, failure, None, 3, None, None)


def scope(
    leads: Sequence[float | None] = STEADY,
    failure: float | None = None,
    ratios: Sequence[float] = (),
    name: str = ORG_NAME,
) -> ScopeDelivery:
    """A scope's complete weeks, oldest first, ending the week before TODAY's."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    rows = tuple(
        (monday - timedelta(weeks=len(leads) - n), figures(lead)) for n, lead in enumerate(leads)
    )
    kind: Literal["org", "team"] = "org" if name == ORG_NAME else "team"
    return ScopeDelivery(
        name, kind, rows, figures(leads[-1] if leads else None, failure), {}, tuple(ratios)
    )


def rising(
    start: float | None, end: float | None, before: Sequence[float] = ()
) -> list[float | None]:
    """`start` exactly SPAN weeks before the last week, `end` in the last, flat between."""
    return [*before, start, *[start] * (SPAN - 1), end]


def slipping(org: ScopeDelivery | None, *teams: ScopeDelivery, **changes: object) -> SignalResult:
    case = inputs(delivery=Delivery(org, tuple(teams)), **changes)
    return next(s for s in assess(case, CONFIG).signals if s.id == "deliveries_slipping")


def test_the_configuration_reads_as_its_comments_say() -> None:
    assert (SPAN, RISE, RISE_HIGH, MIN_DAYS) == (6, 1.5, 3.0, 1.0)
    assert (FAILURE, SPRINTS, NEEDED) == (0.30, 4, 3)
    assert (UNDER, WINDOW) == (0.6, 4)


# Without figures from the systems the signal stays off.


def test_no_figures_no_organisation_and_steady_figures_are_all_off() -> None:
    off = SignalResult("deliveries_slipping", False)
    assert slipping(None) == off
    assert next(s for s in assess(inputs(), CONFIG).signals if s.id == off.id) == off
    assert slipping(scope()) == off
    assert assess(inputs(delivery=Delivery(scope())), CONFIG).verdict == "all_clear"


# Lead time: half again longer over SPAN weeks, ending at a day or more.


@pytest.mark.parametrize(
    ("start", "end", "rose"),
    [
        (2.0, 2.0 * RISE, True),  # exactly half again
        (2.0, 2.0 * RISE + 0.01, True),
        (2.0, 2.0 * RISE - 0.01, False),
        (2.0, 1.0, False),  # shorter
        (MIN_DAYS / 2, MIN_DAYS, True),  # ends at exactly a day
        (MIN_DAYS / 2, MIN_DAYS - 0.01, False),  # twice as long, but under a day
        (0.2, 0.9, False),
    ],
)
def test_lead_time_rise_at_its_boundaries(start: float, end: float, rose: bool) -> None:
    result = slipping(scope(rising(start, end)))
    if rose:
        assert result == SignalResult(
            "deliveries_slipping",
            True,
            "medium" if end < start * RISE_HIGH else "high",
            (MetricRise("lead_time", ORG_NAME, start, end, SPAN),),
        )
    else:
        assert not result.active
        assert result.evidence == ()


@pytest.mark.parametrize(
    ("end", "severity"),
    [
        (1.0 * RISE_HIGH, "high"),
        (1.0 * RISE_HIGH + 0.01, "high"),
        (1.0 * RISE_HIGH - 0.01, "medium"),
    ],
)
def test_three_times_longer_is_high_on_its_own(end: float, severity: str) -> None:
    result = slipping(scope(rising(1.0, end)))
    assert (result.severity, len(result.evidence)) == (severity, 1)
    points = CONFIG.points[severity]
    assert assess(inputs(delivery=Delivery(scope(rising(1.0, end)))), CONFIG).points == points


@pytest.mark.parametrize("start", [0.4, 0.8, 1.1, 1.3, 2.2])
def test_half_again_and_three_times_read_on_the_two_decimals_lead_times_are_kept_with(
    start: float,
) -> None:
    """1.1 to 1.65 days is half again, though 1.1 × 1.5 is 1.6500000000000001 in floats."""
    half_again, three_times = round(start * RISE, 2), round(start * RISE_HIGH, 2)
    assert half_again < start * RISE or three_times < start * RISE_HIGH  # the floats overshoot
    if half_again >= MIN_DAYS:
        assert slipping(scope(rising(start, half_again))).evidence == (
            MetricRise("lead_time", ORG_NAME, start, half_again, SPAN),
        )
        assert slipping(scope(rising(start, half_again))).severity == "medium"
        assert not slipping(scope(rising(start, round(half_again - 0.01, 2)))).active
    assert slipping(scope(rising(start, three_times))).severity == "high"
    assert slipping(scope(rising(start, round(three_times - 0.01, 2)))).severity == "medium"


def test_the_rise_is_measured_over_exactly_span_weeks() -> None:
    # Longer histories: only the week SPAN weeks before the last counts as the start.
    assert slipping(scope(rising(2.0, 3.0, before=[9.0, 9.0]))).evidence == (
        MetricRise("lead_time", ORG_NAME, 2.0, 3.0, SPAN),
    )
    assert not slipping(scope([1.0, *rising(2.0, 2.9)])).active, "not from the week before"
    assert not slipping(scope([2.0] * (SPAN - 1) + [3.0])).active, "SPAN weeks: nothing to compare"
    gap = [2.0, None, *[2.0] * (SPAN - 2), 3.0]  # a week between without changes
    assert slipping(scope(gap)).evidence == (MetricRise("lead_time", ORG_NAME, 2.0, 3.0, SPAN),)
    spiky = [2.0] + [9.0] * (SPAN - 1) + [3.0]  # a spike between does not matter
    assert slipping(scope(spiky)).evidence == (MetricRise("lead_time", ORG_NAME, 2.0, 3.0, SPAN),)


@pytest.mark.parametrize(
    "leads",
    [
        rising(None, 3.0),
        rising(2.0, None),
        rising(0.0, 3.0),
        rising(2.0, 0.0),
        [],
    ],
)
def test_a_week_without_a_lead_time_is_no_rise(leads: list[float | None]) -> None:
    assert slipping(scope(leads)) == SignalResult("deliveries_slipping", False)


# Failed changes: above 30% over the window.


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(FAILURE, False), (FAILURE + 0.01, True), (FAILURE - 0.01, False), (1.0, True), (None, False)],
)
def test_change_failure_above_the_line(rate: float | None, shown: bool) -> None:
    result = slipping(scope(failure=rate))
    if shown:
        assert rate is not None
        assert result == SignalResult(
            "deliveries_slipping", True, "medium", (FailureRate(ORG_NAME, rate, WINDOW),)
        )
    else:
        assert result == SignalResult("deliveries_slipping", False)


# Sprints: NEEDED of the last SPRINTS under the share.


@pytest.mark.parametrize(
    ("ratios", "under"),
    [
        ([UNDER - 0.01, 0.9, UNDER - 0.1, 0.1], 3),  # three of four, just under
        ([0.9, 0.1, 0.1, 0.1], 3),
        ([0.1, 0.1, 0.1, 0.1], 4),
        ([0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 4),  # of the last four only
        ([UNDER, 0.9, 0.1, 0.1], 0),  # exactly the share is not under
        ([0.1, 0.1, 0.9, 0.9, 0.1, 0.1], 0),  # only two of the last four
        ([0.1, 0.1, 0.1], 0),  # fewer sprints than SPRINTS
        ([], 0),
    ],
)
def test_sprints_short_of_plan_at_their_boundaries(ratios: list[float], under: int) -> None:
    result = slipping(scope(ratios=ratios))
    if under:
        assert result == SignalResult(
            "deliveries_slipping", True, "medium", (SprintsUnder(ORG_NAME, under, SPRINTS, UNDER),)
        )
    else:
        assert result == SignalResult("deliveries_slipping", False)


# Severity: one figure alone is medium, two together are high; the verdict adds them.


def test_two_figures_together_are_high() -> None:
    both = scope(rising(2.0, 3.0), failure=FAILURE + 0.01)
    result = slipping(both)
    assert result.severity == "high"
    assert result.evidence == (
        MetricRise("lead_time", ORG_NAME, 2.0, 3.0, SPAN),
        FailureRate(ORG_NAME, FAILURE + 0.01, WINDOW),
    )
    three = scope(rising(2.0, 3.0), failure=0.5, ratios=[0.1] * SPRINTS)
    assert [type(e) for e in slipping(three).evidence] == [MetricRise, FailureRate, SprintsUnder]
    assert slipping(three).severity == "high"
    sprints_and_failures = scope(failure=0.5, ratios=[0.1] * SPRINTS)
    assert slipping(sprints_and_failures).severity == "high"
    assert active(inputs(delivery=Delivery(both))) == {"deliveries_slipping": "high"}


def test_one_figure_is_watch_and_adds_to_another_sign_for_act() -> None:
    alone = inputs(delivery=Delivery(scope(failure=0.5)))
    assert (assess(alone, CONFIG).verdict, assess(alone, CONFIG).points) == ("watch", 2)
    with_low_energy = replace(alone, history=weeks([{}, {}, {"energy": 2.9}]))
    assert (assess(with_low_energy, CONFIG).verdict, assess(with_low_energy, CONFIG).points) == (
        "act",
        4,
    )


# A team's low score cites that team's rising lead time, never changing the severity.


LOW = [{"predictability": 2.2}, {"predictability": 2.1}, {"predictability": 2.0}]


def chaotic(case: Inputs) -> SignalResult:
    return next(s for s in assess(case, CONFIG).signals if s.id == "chaotic_delivery")


def test_a_low_team_cites_its_own_rising_lead_time() -> None:
    payments = scope(rising(2.0, 3.0), name="Payments")
    case = inputs(teams={"payments": weeks(LOW, 8)}, delivery=Delivery(None, (payments,)))
    found = chaotic(case)
    assert found.severity == "medium", "a citation: the severity stays the pulse's"
    assert found.evidence == (
        TeamScore("payments", "predictability", 2.1, 3),
        MetricRise("lead_time", "Payments", 2.0, 3.0, SPAN),
    )
    assert active(case) == {"chaotic_delivery": "medium"}, "the org has no figures: not slipping"


def test_a_team_lead_time_is_cited_only_when_it_rose_as_the_signal_counts_a_rise() -> None:
    low = {"Payments": weeks(LOW, 8)}
    for leads, cited in (
        (rising(2.0, 2.0 * RISE), True),
        (rising(2.0, 2.0 * RISE - 0.01), False),
        (rising(1.1, round(1.1 * RISE, 2)), True),  # 1.65 days: half again, on two decimals
        (rising(MIN_DAYS / 2, MIN_DAYS - 0.01), False),
        (rising(None, 3.0), False),
    ):
        payments = scope(leads, name="Payments")
        evidence = chaotic(inputs(teams=low, delivery=Delivery(None, (payments,)))).evidence
        assert [type(e) for e in evidence] == [TeamScore, *([MetricRise] if cited else [])]


def test_only_teams_named_by_a_pulse_score_are_cited_once_each_in_order() -> None:
    both_low = weeks([{"predictability": 2.2, "priority_stability": 2.2}] * 3, 8)
    figures_of = tuple(
        scope(rising(2.0, end), name=name)
        for name, end in (("Web", 4.0), ("Api", 3.0), ("Search", 5.0))
    )
    case = inputs(
        teams={"Web": both_low, "Api": weeks(LOW, 8)}, delivery=Delivery(None, figures_of)
    )
    rises = [e for e in chaotic(case).evidence if isinstance(e, MetricRise)]
    assert rises == [
        MetricRise("lead_time", "Api", 2.0, 3.0, SPAN),
        MetricRise("lead_time", "Web", 2.0, 4.0, SPAN),
    ], "teams in their order, Web once for its two low dimensions, Search has no low score"
    assert [e.team for e in chaotic(case).evidence if isinstance(e, TeamScore)] == [
        "Api",
        "Web",
        "Web",
    ]


def test_other_signals_do_not_cite_delivery_figures() -> None:
    tired = weeks([{"energy": 2.2}, {"energy": 2.1}, {"energy": 2.0}], 8)
    payments = scope(rising(2.0, 3.0), name="Payments")
    case = inputs(teams={"Payments": tired}, delivery=Delivery(None, (payments,)))
    energy = next(s for s in assess(case, CONFIG).signals if s.id == "losing_energy")
    assert energy.evidence == (TeamScore("Payments", "energy", 2.1, 3),)


def test_the_team_citation_follows_the_configuration() -> None:
    quiet = replace(
        CONFIG,
        signals={
            **CONFIG.signals,
            "chaotic_delivery": replace(
                CONFIG.signals["chaotic_delivery"],
                params={**CONFIG.signals["chaotic_delivery"].params, "team_delivery": False},
            ),
        },
    )
    payments = scope(rising(2.0, 3.0), name="Payments")
    case = inputs(teams={"Payments": weeks(LOW, 8)}, delivery=Delivery(None, (payments,)))
    found = next(s for s in assess(case, quiet).signals if s.id == "chaotic_delivery")
    assert found.evidence == (TeamScore("Payments", "predictability", 2.1, 3),)
