"""Signals from a history stored in the database: aggregates, K, and the six signals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.ownership.assignments import set_role_holder
from bot.pulses.questions import pulse_content
from bot.qa.knowledge import load_knowledge
from bot.signals.evaluate import assess_vpe_need
from bot.signals.facts import add_event, events, remove_event, set_org_fact
from bot.signals.history import recent_pulses
from bot.signals.rules import signals_config
from tests.support.history import seed_pulse

START = datetime(2026, 9, 7, 9, tzinfo=UTC)
PEOPLE = [f"U{n}" for n in range(8)]
TODAY = date(2026, 11, 26)


def healthy(**low: list[int]) -> dict[str, list[int]]:
    base = {
        "predictability": [4] * 8,
        "priorities": [4] * 8,
        "cto_bottleneck": [2] * 8,
        "process_clarity": [4] * 8,
        "energy": [4] * 8,
    }
    return {**base, **low}


def active(session: Session, team: str = "T1") -> set[str]:
    _, assessment = assess_vpe_need(
        session, team, pulse_content(), load_knowledge(), signals_config(), 5, TODAY
    )
    return {signal.id for signal in assessment.active()}


def test_scores_come_from_database_aggregates_and_respect_k(session: Session) -> None:
    seed_pulse(session, "T1", START, healthy(energy=[2, 2, 3, 2, 2, 3]), PEOPLE)
    seed_pulse(session, "T1", START + timedelta(weeks=1), {"energy": [1, 1]}, PEOPLE)
    history = recent_pulses(session, "T1", pulse_content(), 5)
    assert [point.visible for point in history] == [True, False]
    assert history[0].scores["energy"] == 2.33
    assert history[0].scores["cto_bottleneck"] == 4.0, "reverse-scored: 2 agreed -> 4 healthy"
    assert history[1].scores == {}, "two answers: nothing used"
    assert "losing_energy" in active(session)


def test_each_signal_from_its_own_evidence_then_off(session: Session) -> None:
    for week in range(3):
        seed_pulse(session, "T1", START + timedelta(weeks=week), healthy(), PEOPLE)
    assert active(session) == set()
    week = 3
    for dimension, signal in (
        ("predictability", "chaotic_delivery"),
        ("energy", "losing_energy"),
        ("process_clarity", "processes_dont_scale"),
        ("cto_bottleneck", "cto_drowning"),
    ):
        low = [2] * 8 if dimension != "cto_bottleneck" else [5] * 8
        seed_pulse(
            session, "T1", START + timedelta(weeks=week), healthy(**{dimension: low}), PEOPLE
        )
        assert active(session) == {signal}, dimension
        seed_pulse(session, "T1", START + timedelta(weeks=week + 1), healthy(), PEOPLE)
        assert active(session) == set(), f"{dimension} recovered"
        week += 2
    now = datetime(2026, 11, 26, tzinfo=UTC)
    event_id = add_event(session, "T1", "fundraising", "2027-03", "Series B", "UA", now)
    assert active(session) == {"strategic_event"}
    assert [e.label for e in events(session, "T1")] == ["Series B"]
    assert remove_event(session, "T1", event_id)
    set_org_fact(session, "T1", "engineers", 32, "UA", now)
    assert active(session) == {"outgrown"}
    set_role_holder(session, "T1", "vp_engineering", "UVPE", "UA", now)
    assert active(session) == set(), "a VP Engineering in the roles"


def test_cto_check_ins_drive_the_cto_signal(session: Session) -> None:
    for week, share in enumerate((35, 60, 85)):
        seed_pulse(
            session, "T1", START + timedelta(weeks=week), healthy(), PEOPLE, checkin=(share, 3)
        )
    assert active(session) == {"cto_drowning"}
    for week in range(3, 6):
        seed_pulse(session, "T1", START + timedelta(weeks=week), healthy(), PEOPLE, checkin=(10, 1))
    assert active(session) == set()


def test_workspaces_do_not_mix(session: Session) -> None:
    seed_pulse(session, "T1", START, healthy(energy=[1] * 8), PEOPLE)
    seed_pulse(session, "T2", START, healthy(), PEOPLE)
    assert "losing_energy" in active(session, "T1")
    assert active(session, "T2") == set()
