"""A team's own scores at the boundaries of content/signals.toml: under the line at every one
of its last `trend.pulses` pulses (medium), or falling over them beyond the noise (low); and how
a team's sign combines with the organisation's in one signal and in the verdict.

The cases read their thresholds from the configuration, so each pins the rule as written there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from bot.signals.assess import FallingScore, Inputs, LowScore, SignalResult, TeamScore, assess
from bot.signals.history import PulsePoint
from bot.signals.rules import signals_config
from tests.unit.test_signals_assess import active, inputs, weeks

CONFIG = signals_config()
PULSES = CONFIG.trend_pulses
BELOW = CONFIG.signals["chaotic_delivery"].number("below")
HIGH_BELOW = CONFIG.signals["chaotic_delivery"].number("high_below")
FEW = 8  # answers a pulse: a fall of 1.0 is within the noise (2·√(2/8) = 1.0)
MANY = 200  # a fall of 0.3 is beyond it (2·√(2/200) = 0.2)


def team(*scores: float, dimension: str = "predictability", answers: int = FEW) -> list[PulsePoint]:
    return weeks([{dimension: score} for score in scores], answers)


def without(points: Sequence[PulsePoint], dimension: str, *at: int) -> list[PulsePoint]:
    """The pulses, with `dimension` not shown at the positions `at` (too few answers)."""
    return [
        replace(p, scores={k: v for k, v in p.scores.items() if k != dimension}) if n in at else p
        for n, p in enumerate(points)
    ]


def signal(case: Inputs, signal_id: str = "chaotic_delivery") -> SignalResult:
    return next(s for s in assess(case, CONFIG).signals if s.id == signal_id)


def test_the_configuration_reads_as_its_comments_say() -> None:
    assert (PULSES, CONFIG.trend_min_drop, BELOW, HIGH_BELOW) == (3, 0.3, 3.0, 2.5)


# Under the line: every one of the last PULSES scores below 3, whatever their average.


@pytest.mark.parametrize(
    ("scores", "average"),
    [
        ((2.99, 2.99, 2.99), 2.99),  # just under, every time
        ((2.0, 2.99, 2.5), 2.5),
        ((1.0, 1.0, 1.0), 1.0),  # far under is still medium: a team's sign is never high
        ((3.5, 2.9, 2.9, 2.9), 2.9),  # only the last three count
        ((2.9, 2.9, 2.9, 2.9, 2.9), 2.9),
    ],
)
def test_a_team_under_the_line_at_every_pulse(scores: tuple[float, ...], average: float) -> None:
    found = signal(inputs(teams={"Payments": team(*scores)}))
    assert (found.active, found.severity) == (True, "medium")
    assert found.evidence == (TeamScore("Payments", "predictability", average, PULSES),)


@pytest.mark.parametrize(
    "scores",
    [
        (BELOW, 2.9, 2.9),  # exactly 3 once is not under the line
        (2.9, BELOW, 2.9),
        (2.9, 2.9, BELOW),
        (2.9, 2.9, 3.5),
        (2.9, 2.9),  # two pulses are not enough
        (2.9,),
        (2.9, 2.9, 2.9, 3.5),  # the latest is fine again
    ],
)
def test_a_team_not_under_the_line_at_every_pulse(scores: tuple[float, ...]) -> None:
    assert signal(inputs(teams={"Payments": team(*scores)})) == SignalResult(
        "chaotic_delivery", False
    )


def test_the_average_is_shown_to_two_decimals() -> None:
    found = signal(inputs(teams={"Payments": team(2.2, 2.1, 2.05)}))
    assert found.evidence == (TeamScore("Payments", "predictability", 2.12, PULSES),), (
        "(2.2 + 2.1 + 2.05) / 3 = 2.1166…"
    )
    found = signal(inputs(teams={"Payments": team(2.91, 2.9, 2.9)}))
    assert found.evidence[0].score == 2.9  # type: ignore[union-attr]


def test_pulses_without_the_dimension_are_skipped_not_counted() -> None:
    gap = without(team(2.9, 2.8, 3.5, 2.7), "predictability", 2)
    assert signal(inputs(teams={"Payments": gap})).evidence == (
        TeamScore("Payments", "predictability", 2.8, PULSES),
    )
    short = without(team(2.9, 2.8, 2.7), "predictability", 1)
    assert not signal(inputs(teams={"Payments": short})).active


def test_a_dimension_the_team_lacks_does_not_hide_the_next_one() -> None:
    """Predictability hidden in the team's pulses; its priority stability still counts."""
    points = without(team(2.8, 2.8, 2.8, dimension="priority_stability"), "predictability", 0, 1, 2)
    found = signal(inputs(teams={"Payments": points}))
    assert found.evidence == (TeamScore("Payments", "priority_stability", 2.8, PULSES),)
    assert found.severity == "medium"


# Falling: down at every step by 0.3 or more in total, beyond the noise for its answers.


@pytest.mark.parametrize(
    ("scores", "start", "end"),
    [
        ((3.9, 3.75, 3.6), 3.9, 3.6),  # exactly the minimum drop
        ((4.5, 4.0, 3.8, 3.5), 4.0, 3.5),  # over the last three pulses only
        ((3.5, 3.2, 2.9), 3.5, 2.9),  # ends below the line: falling, not under at every pulse
    ],
)
def test_a_falling_team_is_a_low_sign(scores: tuple[float, ...], start: float, end: float) -> None:
    found = signal(inputs(teams={"Web": team(*scores, answers=MANY)}))
    assert (found.active, found.severity) == (True, "low")
    assert found.evidence == (TeamScore("Web", "predictability", end, PULSES, start),)


@pytest.mark.parametrize(
    ("scores", "answers"),
    [
        ((3.9, 3.75, 3.61), MANY),  # 0.29
        ((3.9, 3.9, 3.5), MANY),  # flat for one step
        ((3.9, 3.6), MANY),
        ((4.0, 3.9, 3.8, 3.7), MANY),  # 0.2 over the last three
        ((4.2, 3.7, 3.2), FEW),  # a fall of 1.0 within the noise of eight answers
    ],
)
def test_a_team_that_is_not_falling(scores: tuple[float, ...], answers: int) -> None:
    assert not signal(inputs(teams={"Web": team(*scores, answers=answers)})).active


def test_a_team_under_the_line_and_falling_is_named_once_as_under_the_line() -> None:
    found = signal(inputs(teams={"Web": team(2.9, 2.6, 2.3, answers=MANY)}))
    assert found.evidence == (TeamScore("Web", "predictability", 2.6, PULSES),)
    assert found.severity == "medium"


# Teams and the organisation in one signal: the worst severity, the organisation's evidence
# first, then the teams' by name.


ORG_FALLING = weeks([{"predictability": s} for s in (3.9, 3.75, 3.6)])  # low
ORG_LOW = weeks([{}, {}, {"predictability": 2.9}])  # medium
ORG_VERY_LOW = weeks([{}, {}, {"predictability": HIGH_BELOW}])  # high
TEAM_LOW = team(2.9, 2.9, 2.9)  # medium
TEAM_FALLING = team(3.9, 3.75, 3.6, answers=MANY)  # low


@pytest.mark.parametrize(
    ("history", "teams", "severity"),
    [
        (ORG_FALLING, {"Api": TEAM_LOW}, "medium"),
        (ORG_LOW, {"Api": TEAM_FALLING}, "medium"),
        (ORG_VERY_LOW, {"Api": TEAM_LOW}, "high"),
        (ORG_VERY_LOW, {"Api": TEAM_FALLING}, "high"),
        (ORG_FALLING, {"Api": TEAM_FALLING}, "low"),
        (weeks([{}, {}, {}]), {"Api": TEAM_FALLING}, "low"),
        (weeks([{}, {}, {}]), {"Api": TEAM_FALLING, "Web": TEAM_LOW}, "medium"),
        (weeks([{}, {}, {}]), {"Api": TEAM_LOW, "Web": TEAM_FALLING}, "medium"),
    ],
)
def test_teams_and_the_organisation_take_the_worst_severity(
    history: list[PulsePoint], teams: dict[str, list[PulsePoint]], severity: str
) -> None:
    found = signal(inputs(history=history, teams=teams))
    assert (found.active, found.severity) == (True, severity)
    organisation = [type(e) for e in found.evidence if not isinstance(e, TeamScore)]
    assert organisation == [type(e) for e in signal(inputs(history=history)).evidence]
    assert [type(e) for e in found.evidence[: len(organisation)]] == organisation
    assert all(isinstance(e, LowScore | FallingScore) for e in found.evidence[: len(organisation)])
    assert [e.team for e in found.evidence[len(organisation) :]] == sorted(teams)  # type: ignore[union-attr]


def test_teams_are_named_in_order_whatever_order_they_come_in() -> None:
    found = signal(inputs(teams={"Web": TEAM_LOW, "Api": TEAM_FALLING, "Core": TEAM_LOW}))
    assert [(e.team, e.start) for e in found.evidence] == [  # type: ignore[union-attr]
        ("Api", 3.9),
        ("Core", None),
        ("Web", None),
    ]


def test_a_teams_sign_counts_toward_the_verdict_once_per_signal() -> None:
    one = inputs(teams={"Api": TEAM_LOW})
    assert (assess(one, CONFIG).verdict, assess(one, CONFIG).points) == ("watch", 2)
    falling = inputs(teams={"Api": TEAM_FALLING})
    assert (assess(falling, CONFIG).verdict, assess(falling, CONFIG).points) == ("watch", 1)
    several = inputs(teams={"Api": TEAM_LOW, "Web": TEAM_LOW, "Core": TEAM_LOW})
    assert assess(several, CONFIG).points == 2, "one signal, however many teams"
    tired = team(2.9, 2.9, 2.9, dimension="energy")
    two_signals = inputs(teams={"Api": TEAM_LOW, "Web": tired})
    assert active(two_signals) == {"chaotic_delivery": "medium", "losing_energy": "medium"}
    assert assess(two_signals, CONFIG).verdict == "act"
