"""Each signal turns on from its own evidence and off when it goes; the verdict follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.blocks.signals import SignalWords
from bot.core.i18n import default_catalog
from bot.ownership.assignments import Assignments
from bot.pulses.questions import pulse_content
from bot.qa.knowledge import load_knowledge
from bot.signals.assess import Event, Inputs, OrgSize, TeamScore, assess
from bot.signals.history import CheckinPoint, PulsePoint
from bot.signals.rules import signals_config

TODAY = date(2026, 11, 26)
HEALTHY = {
    "predictability": 3.8,
    "priority_stability": 3.7,
    "cto_bottleneck": 3.6,
    "process_clarity": 3.9,
    "quality": 3.8,
    "energy": 3.9,
    "roadmap_link": 4.0,
}
CTO_ONLY = Assignments(holders={"cto": "UCTO"})


def weeks(scores: Sequence[dict[str, float]], answers: int = 200) -> list[PulsePoint]:
    """Weekly pulses; 200 answers each by default, so a fall of 0.3 is beyond the noise
    (2·√(2/200) = 0.2 points) and the verdict's own thresholds decide."""
    start = datetime(2026, 10, 5, 9, tzinfo=UTC)
    return [
        PulsePoint(n, start + timedelta(weeks=n), answers + 10, answers, True, {**HEALTHY, **s})
        for n, s in enumerate(scores)
    ]


def inputs(**changes: object) -> Inputs:
    base = Inputs(
        history=weeks([{}, {}, {}]),
        checkins=[],
        org=OrgSize(engineers=12, teams=2, managers=2),
        events=[],
        team=CTO_ONLY,
        areas=[("delivery", "vp_engineering"), ("tech_vision", "cto")],
        today=TODAY,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def active(result_inputs: Inputs) -> dict[str, str | None]:
    assessment = assess(result_inputs, signals_config())
    return {s.id: s.severity for s in assessment.signals if s.active}


def test_a_healthy_team_is_all_clear() -> None:
    assessment = assess(inputs(), signals_config())
    assert assessment.active() == ()
    assert (assessment.verdict, assessment.points) == ("all_clear", 0)
    assert assessment.steps[0] == ("all_clear", 0)


def checkins(*shares: int, decisions: int = 2) -> list[CheckinPoint]:
    start = datetime(2026, 10, 5, tzinfo=UTC)
    return [
        CheckinPoint(n, start + timedelta(weeks=n), share, decisions)
        for n, share in enumerate(shares)
    ]


def test_cto_drowning_from_check_ins_and_from_the_team() -> None:
    assert "cto_drowning" not in active(inputs(checkins=checkins(60, 35, 35)))
    assert active(inputs(checkins=checkins(35, 60, 60)))["cto_drowning"] == "medium"
    team_agrees = weeks([{}, {}, {"cto_bottleneck": 2.2}])
    both = inputs(checkins=checkins(60, 85, 60), history=team_agrees)
    assert active(both)["cto_drowning"] == "high"
    evidence = {
        type(e).__name__ for s in assess(both, signals_config()).active() for e in s.evidence
    }
    assert {"CheckinsEvidence", "LowScore"} <= evidence
    assert active(inputs(history=team_agrees))["cto_drowning"] == "medium"
    assert "cto_drowning" not in active(inputs(checkins=checkins(60, 60, 10, 35)))


@pytest.mark.parametrize(
    ("signal", "dimension"),
    [
        ("chaotic_delivery", "predictability"),
        ("chaotic_delivery", "priority_stability"),
        ("losing_energy", "energy"),
        ("processes_dont_scale", "process_clarity"),
    ],
)
def test_dimension_signals_low_high_and_falling(signal: str, dimension: str) -> None:
    assert active(inputs(history=weeks([{}, {}, {dimension: 2.9}])))[signal] == "medium"
    assert active(inputs(history=weeks([{}, {}, {dimension: 2.4}])))[signal] == "high"
    falling = weeks([{dimension: 3.9}, {dimension: 3.7}, {dimension: 3.5}])
    assert active(inputs(history=falling))[signal] == "low", "falling counts above the line"
    wobbling = weeks([{dimension: 3.9}, {dimension: 3.7}, {dimension: 3.8}])
    assert signal not in active(inputs(history=wobbling))
    tiny = weeks([{dimension: 3.9}, {dimension: 3.85}, {dimension: 3.8}])
    assert signal not in active(inputs(history=tiny)), "a drop under 0.3 is noise"
    recovered = weeks([{}, {dimension: 2.4}, {dimension: 3.6}])
    assert signal not in active(inputs(history=recovered)), "off when the evidence goes"


def test_strategic_events_within_six_months() -> None:
    def event(month: str, kind: str = "fundraising") -> list[Event]:
        return [Event(1, kind, month, "Series B")]

    assert active(inputs(events=event("2027-02")))["strategic_event"] == "high"
    assert active(inputs(events=event("2027-05", "international")))["strategic_event"] == "medium"
    assert "strategic_event" not in active(inputs(events=event("2027-07")))
    assert "strategic_event" not in active(inputs(events=event("2026-10"))), "past events"
    assert "strategic_event" not in active(inputs(events=event("2027-01", "offsite")))


def test_outgrown_only_without_a_vp_engineering() -> None:
    assert active(inputs(org=OrgSize(30, 3, 3)))["outgrown"] == "medium"
    assert active(inputs(org=OrgSize(45, 6, 6)))["outgrown"] == "high"
    assert active(inputs(org=OrgSize(12, 4, 2)))["outgrown"] == "medium", "four teams"
    assert "outgrown" not in active(inputs(org=OrgSize(20, 3, 3)))
    with_vpe = Assignments(holders={"cto": "UCTO", "vp_engineering": "UVPE"})
    assert "outgrown" not in active(inputs(org=OrgSize(45, 6, 6), team=with_vpe))


def test_the_verdict_follows_the_points() -> None:
    one = assess(inputs(events=[Event(1, "fundraising", "2027-02", "")]), signals_config())
    assert (one.verdict, one.points) == ("watch", 3)
    two = assess(
        inputs(events=[Event(1, "fundraising", "2027-02", "")], org=OrgSize(30, 4, 4)),
        signals_config(),
    )
    assert (two.verdict, two.points) == ("act", 5)
    assert [step[0] for step in two.steps] == ["strategic_event", "outgrown", "strategic_event"]


def test_with_a_vp_engineering_the_verdict_names_ownership_gaps() -> None:
    with_vpe = Assignments(holders={"vp_engineering": "UVPE"})
    assessment = assess(inputs(team=with_vpe), signals_config())
    assert assessment.has_vpe
    assert assessment.ownership_gaps == ("tech_vision",), "no CTO named: vision has no owner"


def test_a_fall_within_the_noise_for_its_answers_is_no_trend() -> None:
    """A fall of 0.4 over three pulses: beyond the noise with 60 answers each (margin 0.37),
    within it with 50 (margin 0.40, exactly), and with 8 (margin 1.0)."""
    steps = [{"predictability": 3.9}, {"predictability": 3.7}, {"predictability": 3.5}]
    assert active(inputs(history=weeks(steps, answers=60)))["chaotic_delivery"] == "low"
    assert "chaotic_delivery" not in active(inputs(history=weeks(steps, answers=50)))
    assert "chaotic_delivery" not in active(inputs(history=weeks(steps, answers=8)))


def test_a_team_under_the_line_for_three_pulses_is_named_with_its_evidence() -> None:
    """The organisation is healthy; Payments is not, and the signal says so by name."""
    payments = weeks([{"predictability": 2.2}, {"predictability": 2.1}, {"predictability": 2.0}], 8)
    search = weeks([{"energy": 3.9}, {"energy": 3.6}, {"energy": 3.2}], 6)  # within the noise
    assessment = assess(inputs(teams={"Payments": payments, "Search": search}), signals_config())
    chaotic = next(s for s in assessment.signals if s.id == "chaotic_delivery")
    assert chaotic.severity == "medium"
    assert chaotic.evidence == (TeamScore("Payments", "predictability", 2.1, 3),)
    words = SignalWords(
        default_catalog(), "en", signals_config(), pulse_content(), load_knowledge()
    )
    assert words.evidence(chaotic.evidence[0]) == (
        "Payments: Delivery predictability 2.1/5 over the last 3 pulses"
    )
    french = SignalWords(
        default_catalog(), "fr", signals_config(), pulse_content(), load_knowledge()
    )
    assert "2,1/5" in french.evidence(chaotic.evidence[0])
    assert "losing_energy" not in active(inputs(teams={"Search": search}))
    two = {"Payments": payments[1:]}
    assert "chaotic_delivery" not in active(inputs(teams=two)), "two pulses make no trend"
    falling = weeks([{"energy": 4.2}, {"energy": 3.5}, {"energy": 3.0}], 30)
    energy = next(
        s
        for s in assess(inputs(teams={"Web": falling}), signals_config()).signals
        if s.id == "losing_energy"
    )
    assert energy.severity == "low"
    assert energy.evidence == (TeamScore("Web", "energy", 3.0, 3, 4.2),)


def test_a_low_score_is_dated_by_its_pulse_close() -> None:
    """Results say "Pulse of Nov 26, closed Nov 29": the evidence names the close, so the
    two dates of one pulse never read as two pulses."""
    from bot.signals.assess import LowScore

    closed = datetime(2026, 11, 29, 17, tzinfo=UTC)
    low = LowScore("predictability", 2.4, closed)
    english = SignalWords(
        default_catalog(), "en", signals_config(), pulse_content(), load_knowledge()
    )
    french = SignalWords(
        default_catalog(), "fr", signals_config(), pulse_content(), load_knowledge()
    )
    assert english.evidence(low).endswith("2.4/5 in the pulse closed Nov 29")
    assert french.evidence(low).endswith("2,4/5 au pulse clos le 29 nov.")
