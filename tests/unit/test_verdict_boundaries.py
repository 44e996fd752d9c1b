"""The verdict at its own boundaries: every threshold of content/signals.toml, met exactly and
missed by the smallest step, and the combinations that make the verdict.

The cases read their numbers from the configuration, so each pins the rule as written there
("at least", "or less", "from"), not a copy of today's values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.core.content import CONTENT_DIR
from bot.ownership.assignments import Assignments
from bot.signals.assess import (
    ComingEvent,
    Event,
    FallingScore,
    Inputs,
    LowScore,
    OrgSize,
    OrgSizeEvidence,
    assess,
    months_until,
)
from bot.signals.history import CheckinPoint, PulsePoint
from bot.signals.rules import SIGNALS, load_signals_config, signals_config
from tests.unit.test_signals_assess import TODAY, active, checkins, inputs, weeks

CONFIG = signals_config()
DIMENSIONS = [
    ("chaotic_delivery", "predictability"),
    ("chaotic_delivery", "priority_stability"),
    ("losing_energy", "energy"),
    ("processes_dont_scale", "process_clarity"),
]
STEP = 0.01  # the precision scores are kept and shown with


def number(signal: str, name: str) -> float:
    return CONFIG.signals[signal].number(name)


def verdict(case: Inputs) -> tuple[str, int]:
    assessment = assess(case, CONFIG)
    return assessment.verdict, assessment.points


def latest_only(dimension: str, score: float) -> Inputs:
    return inputs(history=weeks([{}, {}, {dimension: score}]))


def trend(dimension: str, *scores: float) -> Inputs:
    return inputs(history=weeks([{dimension: score} for score in scores]))


def test_the_configuration_reads_as_its_comments_say() -> None:
    """The boundaries the tests below are about, as content/signals.toml states them."""
    assert (CONFIG.trend_pulses, CONFIG.trend_min_drop) == (3, 0.3)
    assert (CONFIG.watch_from, CONFIG.act_from) == (1, 4)
    assert CONFIG.points == {"low": 1, "medium": 2, "high": 3}
    assert number("chaotic_delivery", "below") == 3.0
    assert number("chaotic_delivery", "high_below") == 2.5
    assert number("cto_drowning", "bottleneck_below") == 2.5
    assert number("outgrown", "engineers_from") == 25
    assert number("cto_drowning", "operations_from") == 50


# Trends: "lost at least 0.3 in total", "went down at every step over three pulses".


@pytest.mark.parametrize(("signal", "dimension"), DIMENSIONS)
def test_a_drop_of_exactly_the_minimum_over_three_pulses_is_falling(
    signal: str, dimension: str
) -> None:
    assert active(trend(dimension, 3.9, 3.75, 3.6))[signal] == "low"
    assert active(trend(dimension, 3.5, 3.35, 3.2))[signal] == "low"
    assert signal not in active(trend(dimension, 3.9, 3.75, 3.61)), "0.29 is not enough"


@pytest.mark.parametrize(
    ("scores", "is_falling"),
    [
        ((3.9, 3.75, 3.6), True),
        ((4.0, 3.85, 3.7), True),
        ((3.3, 3.15, 3.0), True),
        ((3.9, 3.9, 3.5), False),  # flat for one step: not down at every step
        ((3.9, 3.5, 3.5), False),
        ((3.9, 3.95, 3.5), False),
        ((3.9, 3.6), False),  # two pulses are not a trend
        ((3.0, 3.9, 3.7, 3.5), True),  # only the last three count
        ((4.0, 3.9, 3.8, 3.7), False),  # 0.2 over the last three, 0.3 over four
    ],
)
def test_falling_means_down_at_every_step_and_by_the_minimum(
    scores: Sequence[float], is_falling: bool
) -> None:
    found = active(trend("energy", *scores)).get("losing_energy")
    assert found == ("low" if is_falling else None)


def test_a_pulse_without_the_dimension_does_not_break_the_trend_or_hide_the_latest_score() -> None:
    hidden = weeks([{"energy": 3.9}, {"energy": 3.75}, {"energy": 3.6}, {}])
    hidden[-1] = PulsePoint(9, hidden[-1].closed_at, 10, 2, False, {})
    assert active(inputs(history=hidden))["losing_energy"] == "low"
    low_then_hidden = weeks([{}, {"energy": 2.4}, {}])
    low_then_hidden[-1] = PulsePoint(9, low_then_hidden[-1].closed_at, 10, 2, False)
    assert active(inputs(history=low_then_hidden))["losing_energy"] == "high"


@pytest.mark.parametrize(
    ("few_at", "is_falling"),
    [
        (None, True),  # 200 answers each: a fall of 0.4 is beyond the noise (margin 0.2)
        (0, False),  # 8 answers in the first pulse: margin 2·√(1/8 + 1/200) ≈ 0.72
        (2, False),  # 8 answers in the latest pulse
        (1, True),  # the middle pulse's answers do not enter the noise
    ],
)
def test_the_noise_of_a_fall_uses_the_answers_to_that_dimension_first_and_last(
    few_at: int | None, is_falling: bool
) -> None:
    """The answers behind the dimension's own score, not everyone who answered the pulse."""
    history = weeks([{"energy": s} for s in (3.9, 3.7, 3.5)])
    if few_at is not None:
        history[few_at] = replace(history[few_at], answers={"energy": 8})
    assert active(inputs(history=history)).get("losing_energy") == ("low" if is_falling else None)
    teams = active(inputs(teams={"Web": history}))
    assert teams.get("losing_energy") == ("low" if is_falling else None)


def test_a_lower_minimum_drop_in_the_configuration_is_followed() -> None:
    looser = replace(CONFIG, trend_min_drop=0.2)
    # 400 answers a pulse: a fall of 0.2 is beyond the noise (2·√(2/400) ≈ 0.14 points).
    case = inputs(history=weeks([{"energy": s} for s in (3.9, 3.8, 3.7)], answers=400))
    assert "losing_energy" not in {s.id for s in assess(case, CONFIG).active()}
    assert {s.id: s.severity for s in assess(case, looser).active()}["losing_energy"] == "low"
    longer = replace(CONFIG, trend_pulses=4)
    assert "losing_energy" not in {
        s.id for s in assess(trend("energy", 3.9, 3.75, 3.6), longer).active()
    }


# Low scores: "below 3" is medium, "2.5 or less" is high.


@pytest.mark.parametrize(("signal", "dimension"), DIMENSIONS)
def test_low_scores_at_their_boundaries(signal: str, dimension: str) -> None:
    below, high_below = number(signal, "below"), number(signal, "high_below")
    assert signal not in active(latest_only(dimension, below)), "exactly 3.0 is not below 3"
    assert active(latest_only(dimension, round(below - STEP, 2)))[signal] == "medium"
    assert active(latest_only(dimension, round(high_below + STEP, 2)))[signal] == "medium"
    assert active(latest_only(dimension, high_below))[signal] == "high", "2.5 or less"
    assert active(latest_only(dimension, 1.0))[signal] == "high"


@pytest.mark.parametrize(("signal", "dimension"), DIMENSIONS)
def test_low_and_falling_together(signal: str, dimension: str) -> None:
    both = trend(dimension, 3.5, 3.2, 2.9)
    assert active(both)[signal] == "high", "below the line and falling: high"
    found = next(s for s in assess(both, CONFIG).active() if s.id == signal)
    assert [type(e) for e in found.evidence] == [LowScore, FallingScore]
    low = next(e for e in found.evidence if isinstance(e, LowScore))
    assert (low.dimension, low.score) == (dimension, 2.9)
    fall = next(e for e in found.evidence if isinstance(e, FallingScore))
    assert [score for _, score in fall.series] == [3.5, 3.2, 2.9]
    assert active(trend(dimension, 3.2, 2.9, 2.6))[signal] == "high"
    assert active(trend(dimension, 3.5, 3.4, 2.9))[signal] == "high", "falling by 0.6"
    assert active(trend(dimension, 3.5, 3.0, 2.99))[signal] == "high", "falling to just below"


def test_falling_alone_shows_only_the_trend_as_evidence() -> None:
    found = next(
        s
        for s in assess(trend("energy", 3.9, 3.75, 3.6), CONFIG).active()
        if s.id == "losing_energy"
    )
    assert [type(e) for e in found.evidence] == [FallingScore]
    medium = next(
        s for s in assess(latest_only("energy", 2.9), CONFIG).active() if s.id == "losing_energy"
    )
    assert [type(e) for e in medium.evidence] == [LowScore]
    assert medium.evidence[0] == LowScore("energy", 2.9, medium.evidence[0].at)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("predictability", "priority_stability", "expected"),
    [
        (2.4, 2.9, "high"),  # the worst wins, whichever dimension comes first
        (2.9, 2.4, "high"),
        (2.9, 3.5, "medium"),
        (3.5, 2.9, "medium"),
        (2.9, 2.9, "medium"),
        (2.4, 2.4, "high"),
        (3.5, 3.5, None),
    ],
)
def test_several_dimensions_of_one_signal_take_the_worst_severity(
    predictability: float, priority_stability: float, expected: str | None
) -> None:
    case = inputs(
        history=weeks(
            [{}, {}, {"predictability": predictability, "priority_stability": priority_stability}]
        )
    )
    assert active(case).get("chaotic_delivery") == expected


def test_a_falling_dimension_and_a_low_one_in_the_same_signal() -> None:
    history = weeks(
        [
            {"predictability": 3.9, "priority_stability": 3.5},
            {"predictability": 3.75, "priority_stability": 3.5},
            {"predictability": 3.6, "priority_stability": 2.9},
        ]
    )
    found = next(s for s in assess(inputs(history=history), CONFIG).active())
    assert (found.id, found.severity) == ("chaotic_delivery", "medium")
    assert {type(e).__name__: e.dimension for e in found.evidence} == {  # type: ignore[union-attr]
        "FallingScore": "predictability",
        "LowScore": "priority_stability",
    }
    history = weeks(
        [
            {"predictability": 3.5, "priority_stability": 3.9},
            {"predictability": 3.5, "priority_stability": 3.75},
            {"predictability": 2.4, "priority_stability": 3.6},
        ]
    )
    assert active(inputs(history=history))["chaotic_delivery"] == "high", "low comes first"


def test_several_signals_moving_at_once_add_up() -> None:
    case = inputs(history=weeks([{}, {}, {"predictability": 2.9, "energy": 2.4}]))
    assert active(case) == {"chaotic_delivery": "medium", "losing_energy": "high"}
    assert verdict(case) == ("act", 5)


# The verdict: from 1 point "watch", from 4 points "act".


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([{}, {}, {}], ("all_clear", 0)),
        ([{"energy": 3.9}, {"energy": 3.75}, {"energy": 3.6}], ("watch", 1)),  # one low sign
        ([{}, {}, {"energy": 2.9}], ("watch", 2)),
        ([{"energy": 3.9}, {"energy": 3.75}, {"energy": 3.6, "predictability": 2.9}], ("watch", 3)),
        ([{}, {}, {"energy": 2.4}], ("watch", 3)),
        ([{}, {}, {"energy": 2.9, "predictability": 2.9}], ("act", 4)),  # two medium signs
        (  # one high sign with a low one
            [{"energy": 3.9}, {"energy": 3.75}, {"energy": 3.6, "predictability": 2.4}],
            ("act", 4),
        ),
        ([{}, {}, {"energy": 2.4, "predictability": 2.4}], ("act", 6)),
    ],
)
def test_the_verdict_at_its_boundaries(
    history: list[dict[str, float]], expected: tuple[str, int]
) -> None:
    assert verdict(inputs(history=weeks(history))) == expected


def test_the_verdict_follows_the_configured_boundaries() -> None:
    two_medium = inputs(history=weeks([{}, {}, {"energy": 2.9, "predictability": 2.9}]))
    assert assess(two_medium, replace(CONFIG, act_from=5)).verdict == "watch"
    one_low = trend("energy", 3.9, 3.75, 3.6)
    assert assess(one_low, replace(CONFIG, watch_from=2)).verdict == "all_clear"
    heavier = replace(CONFIG, points={"low": 2, "medium": 2, "high": 3})
    assert assess(one_low, heavier).points == 2


# The CTO: half the week on operations in two of the last three check-ins; 75% or 6
# decisions waiting in the latest makes it high; the team's "2.5 or less"; the team's trend.


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ((50, 50, 10), "medium"),  # exactly half the week, twice
        ((49, 50, 10), None),
        ((10, 50, 50), "medium"),
        ((50, 49, 49), None),
        ((50, 10, 10), None),  # once is a launch week
        ((60, 60, 10, 10), None),  # only the last three check-ins count
        ((10, 60, 10, 60), "medium"),
    ],
)
def test_the_ctos_own_view_at_half_the_week(shares: tuple[int, ...], expected: str | None) -> None:
    assert active(inputs(checkins=checkins(*shares))).get("cto_drowning") == expected


@pytest.mark.parametrize(
    ("shares", "decisions", "expected"),
    [
        ((10, 50, 75), 2, "high"),  # 75% in the latest check-in
        ((10, 50, 74), 2, "medium"),
        ((10, 75, 50), 2, "medium"),  # only the latest check-in counts for overload
        ((10, 50, 50), 6, "high"),  # six decisions waiting
        ((10, 50, 50), 5, "medium"),
        ((35, 35, 90), 9, None),  # overloaded once without two heavy weeks: a launch week
    ],
)
def test_cto_overload_at_its_boundaries(
    shares: tuple[int, ...], decisions: int, expected: str | None
) -> None:
    case = inputs(checkins=checkins(*shares, decisions=decisions))
    assert active(case).get("cto_drowning") == expected


def test_only_the_latest_check_in_decisions_count() -> None:
    many_before = checkins(60, 60, decisions=9) + checkins(60, decisions=1)
    many_before = [
        CheckinPoint(
            n, many_before[0].at.replace(day=5 + 7 * n), c.operations_share, c.decisions_waiting
        )
        for n, c in enumerate(many_before)
    ]
    assert active(inputs(checkins=many_before))["cto_drowning"] == "medium"


def test_check_ins_without_a_share_are_left_out() -> None:
    rows = checkins(60, 60, 60)
    rows[1] = CheckinPoint(rows[1].pulse_id, rows[1].at, None, 9)
    assert active(inputs(checkins=rows))["cto_drowning"] == "medium"
    blank = [CheckinPoint(r.pulse_id, r.at, None, 9) for r in rows]
    assert "cto_drowning" not in active(inputs(checkins=blank))
    evidence = assess(inputs(checkins=checkins(10, 60, 80)), CONFIG).active()[0].evidence
    assert [row[1] for row in evidence[0].rows] == [10, 60, 80]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(2.5, "medium"), (2.51, None), (2.0, "medium"), (3.6, None)],
)
def test_the_teams_view_of_the_cto_at_two_and_a_half(score: float, expected: str | None) -> None:
    assert active(latest_only("cto_bottleneck", score)).get("cto_drowning") == expected


def test_the_cto_signal_is_high_when_the_cto_and_the_team_agree() -> None:
    team = weeks([{}, {}, {"cto_bottleneck": 2.5}])
    assert active(inputs(checkins=checkins(50, 50, 10), history=team))["cto_drowning"] == "high"
    not_team = weeks([{}, {}, {"cto_bottleneck": 2.51}])
    assert active(inputs(checkins=checkins(50, 50, 10), history=not_team))["cto_drowning"] == (
        "medium"
    )
    assert active(inputs(checkins=checkins(49, 10, 80), history=team))["cto_drowning"] == (
        "medium"
    ), "overload without the CTO's own view does not raise the team's view"


def test_a_cto_trend_alone() -> None:
    case = trend("cto_bottleneck", 3.9, 3.75, 3.6)
    found = assess(case, CONFIG).active()
    assert [(s.id, s.severity) for s in found] == [("cto_drowning", "medium")]
    assert [type(e) for e in found[0].evidence] == [FallingScore]
    assert verdict(case) == ("watch", 2)
    assert "cto_drowning" not in active(trend("cto_bottleneck", 3.9, 3.75, 3.61))
    low_and_falling = assess(trend("cto_bottleneck", 3.1, 2.8, 2.5), CONFIG).active()[0]
    assert [type(e) for e in low_and_falling.evidence] == [LowScore, FallingScore]
    assert low_and_falling.severity == "medium"


# Strategic events: within six months, within three months high; this month counts.


def event(month: str, kind: str = "fundraising", event_id: int = 1) -> Event:
    return Event(event_id, kind, month, f"{kind} {month}")


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2026-10", None),  # last month: past
        ("2026-11", "high"),  # this month
        ("2027-02", "high"),  # exactly three months
        ("2027-03", "medium"),
        ("2027-05", "medium"),  # exactly six months
        ("2027-06", None),
        ("someday", None),
    ],
)
def test_strategic_events_at_their_boundaries(month: str, expected: str | None) -> None:
    assert active(inputs(events=[event(month)])).get("strategic_event") == expected


@pytest.mark.parametrize("kind", ["fundraising", "international", "restructuring"])
def test_each_strategic_kind_counts(kind: str) -> None:
    assert active(inputs(events=[event("2027-01", kind)]))["strategic_event"] == "high"


def test_two_strategic_events_the_soonest_decides() -> None:
    far, near = event("2027-05", event_id=1), event("2027-01", "international", 2)
    for order in ([far, near], [near, far]):
        found = assess(inputs(events=order), CONFIG).active()[0]
        assert (found.id, found.severity) == ("strategic_event", "high")
        assert [(e.month, e.months) for e in found.evidence] == [  # type: ignore[union-attr]
            ("2027-01", 2),
            ("2027-05", 6),
        ]
        assert found.evidence[0] == ComingEvent(
            "international", "2027-01", "international 2027-01", 2
        )
    offsite = event("2027-01", "offsite", 3)
    assert active(inputs(events=[offsite, far]))["strategic_event"] == "medium"
    past = event("2026-09", event_id=4)
    assert active(inputs(events=[past, far]))["strategic_event"] == "medium"


def test_months_until() -> None:
    assert months_until("2026-11", TODAY) == 0
    assert months_until("2027-01", TODAY) == 2
    assert months_until("2026-12", date(2026, 1, 31)) == 11
    assert months_until("2025-11", TODAY) == -12
    assert months_until("2027", TODAY) is None
    assert months_until("2027-xx", TODAY) is None


# The organisation's size: 25 engineers, 4 teams or 4 managers; 40 engineers or 6 teams high.


@pytest.mark.parametrize(
    ("org", "expected"),
    [
        (OrgSize(25, 1, 1), "medium"),
        (OrgSize(24, 3, 3), None),
        (OrgSize(39, 3, 3), "medium"),
        (OrgSize(40, 1, 1), "high"),
        (OrgSize(10, 4, 1), "medium"),
        (OrgSize(10, 5, 3), "medium"),
        (OrgSize(10, 6, 3), "high"),
        (OrgSize(10, 1, 4), "medium"),
        (OrgSize(10, 1, 9), "medium"),  # managers never make it high
        (OrgSize(None, None, 4), "medium"),
        (OrgSize(None, 6, None), "high"),
        (OrgSize(), None),
    ],
)
def test_outgrown_at_its_boundaries(org: OrgSize, expected: str | None) -> None:
    assert active(inputs(org=org)).get("outgrown") == expected


def test_outgrown_evidence_keeps_unknown_facts_unknown() -> None:
    found = assess(inputs(org=OrgSize(None, 6, None)), CONFIG).active()[0]
    assert found.evidence[0].engineers is None  # type: ignore[union-attr]
    assert (found.evidence[0].teams, found.evidence[0].managers) == (6, None)  # type: ignore[union-attr]


# Next steps: most severe first, in the signals' order, at most three.


def test_next_steps_most_severe_first_then_second_steps() -> None:
    case = inputs(
        history=weeks([{}, {}, {"energy": 2.9, "process_clarity": 2.4}]),
        events=[event("2027-05")],
    )
    steps = assess(case, CONFIG).steps
    assert steps == (("processes_dont_scale", 0), ("losing_energy", 0), ("strategic_event", 0))
    two = assess(inputs(history=weeks([{}, {}, {"energy": 2.9, "predictability": 2.9}])), CONFIG)
    assert two.steps == (("chaotic_delivery", 0), ("losing_energy", 0), ("chaotic_delivery", 1))
    one = assess(latest_only("energy", 2.9), CONFIG)
    assert one.steps == (("losing_energy", 0), ("losing_energy", 1))
    clear = assess(inputs(), CONFIG)
    assert clear.steps == (("all_clear", 0), ("all_clear", 1))
    assert assess(case, replace(CONFIG, max_steps=2)).steps == (
        ("processes_dont_scale", 0),
        ("losing_energy", 0),
    )
    assert assess(inputs(), replace(CONFIG, max_steps=1)).steps == (("all_clear", 0),)


def test_a_vp_engineering_in_the_roles() -> None:
    with_vpe = Assignments(holders={"cto": "UCTO", "vp_engineering": "UVPE"})
    assessment = assess(inputs(team=with_vpe, org=OrgSize(45, 6, 6)), CONFIG)
    assert assessment.has_vpe
    assert assessment.active() == ()
    assert assessment.ownership_gaps == ()
    assert not assess(inputs(), CONFIG).has_vpe
    assert assess(inputs(), CONFIG).ownership_gaps == ("delivery",)


def test_the_shipped_configuration_loads_and_a_missing_signal_is_named(tmp_path: Path) -> None:
    text = (CONTENT_DIR / "signals.toml").read_text(encoding="utf-8")
    broken = tmp_path / "signals.toml"
    broken.write_text(text.replace('id = "outgrown"', 'id = "other"'), encoding="utf-8")
    with pytest.raises(ValueError, match="signals missing: outgrown"):
        load_signals_config(broken)
    assert load_signals_config() == CONFIG


# What callers read beside the verdict: every signal, on or off, with its own evidence.


def test_every_signal_is_reported_off_by_its_own_id() -> None:
    """The announcements (bot.signals.facts.record_signal_change) read each signal's state."""
    signals = assess(inputs(org=OrgSize(45, 6, 6)), CONFIG).signals
    assert [s.id for s in signals] == list(SIGNALS)
    assert [s.active for s in signals] == [s.id == "outgrown" for s in signals]
    off = assess(inputs(), CONFIG).signals
    assert [s.id for s in off] == list(SIGNALS)
    assert all(s.active is False and s.severity is None and s.evidence == () for s in off)


def test_no_history_at_all_is_all_clear() -> None:
    assert verdict(inputs(history=[])) == ("all_clear", 0)


def test_the_evidence_names_the_pulse_the_low_score_comes_from() -> None:
    history = weeks([{}, {"energy": 2.4}, {"energy": 2.9}])
    found = assess(inputs(history=history), CONFIG).active()[0]
    assert found.evidence == (LowScore("energy", 2.9, history[-1].closed_at),)


def test_check_ins_are_evidence_only_when_they_say_something() -> None:
    team = weeks([{}, {}, {"cto_bottleneck": 2.4}])
    found = assess(inputs(checkins=checkins(10, 10, 10), history=team), CONFIG).active()[0]
    assert [type(e) for e in found.evidence] == [LowScore], "calm check-ins are not evidence"


def test_outgrown_evidence_carries_every_figure() -> None:
    found = assess(inputs(org=OrgSize(30, 3, 5)), CONFIG).active()[0]
    assert found.evidence == (OrgSizeEvidence(30, 3, 5),)


def test_two_events_in_the_same_month() -> None:
    same = [event("2027-01", event_id=1), event("2027-01", "international", 2)]
    found = assess(inputs(events=same), CONFIG).active()[0]
    assert [e.kind for e in found.evidence] == ["fundraising", "international"]  # type: ignore[union-attr]


def test_a_named_owner_closes_an_ownership_gap() -> None:
    named = Assignments(holders={"cto": "UCTO"}, owners={"delivery": "UDAN"})
    assert assess(inputs(team=named), CONFIG).ownership_gaps == ()


def test_every_missing_signal_is_named(tmp_path: Path) -> None:
    text = (CONTENT_DIR / "signals.toml").read_text(encoding="utf-8")
    text = text.replace('id = "outgrown"', 'id = "x"').replace('id = "cto_drowning"', 'id = "y"')
    broken = tmp_path / "signals.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"signals missing: cto_drowning, outgrown$"):
        load_signals_config(broken)
