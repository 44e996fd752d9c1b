"""The rule every surface applies, at its boundaries (bot.pulses.reporting)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.pulses.lifecycle import AudienceTooClose, PulsePlan, Recipient, open_pulse
from bot.pulses.reporting import (
    Group,
    anonymity_rules,
    audience_note,
    disclosure,
    item_shown,
    known_people,
)
from bot.storage.models import Pulse, Workspace

K = 3
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def group(asked: int, respondents: int, known: int = 0, commenters: int = 0) -> Group:
    return Group(asked, respondents, asked - known, respondents - known, commenters)


def test_the_shipped_rules() -> None:
    rules = anonymity_rules()
    assert (rules.min_threshold, rules.max_threshold, rules.distribution_floor) == (3, 10, 2)
    assert rules.repeat_window == timedelta(days=6)


@pytest.mark.parametrize(
    ("respondents", "known", "scores", "hidden"),
    [(2, 0, False, "few"), (3, 0, True, None), (5, 3, False, "known"), (6, 3, True, None)],
)
def test_scores_need_k_answers_nobody_can_know(
    respondents: int, known: int, scores: bool, hidden: str | None
) -> None:
    shown = disclosure(group(12, respondents, known), K)
    assert (shown.scores, shown.hidden) == (scores, hidden)


@pytest.mark.parametrize(("asked", "distributions"), [(5, False), (6, True)])
def test_distributions_need_twice_k_counted_people_asked(asked: int, distributions: bool) -> None:
    assert disclosure(group(asked, 3), K).distributions is distributions
    assert audience_note(asked, K) == ("all" if distributions else "averages")


def test_known_people_asked_do_not_count_toward_the_floor() -> None:
    assert not disclosure(group(7, 6, known=2), K).distributions  # 5 counted asked
    assert disclosure(group(8, 6, known=2), K).distributions
    assert audience_note(2, K) == "none"


def test_a_statement_shows_only_with_every_known_answer_taken_away() -> None:
    mixed = group(12, 6, known=2)
    shown = disclosure(mixed, K)
    assert not item_shown(mixed, shown, 4), "4 answers, 2 perhaps known: 2 left"
    assert item_shown(mixed, shown, 5)


def test_comments_need_k_commenters_nobody_can_know() -> None:
    assert not disclosure(group(12, 6, known=1, commenters=2), K).comments
    assert disclosure(group(12, 6, known=1, commenters=3), K).comments


def test_the_requester_named_people_and_leaders_are_known() -> None:
    assert known_people(["U1"], "U9", ["U5"]) == {"U1", "U5", "U9"}
    assert known_people([], None, []) == frozenset()


def plan(people: list[str], opened: datetime) -> PulsePlan:
    return PulsePlan(
        "T1", [Recipient(p, "en") for p in people], ["energy"], opened, opened + timedelta(days=1)
    )


def test_a_pulse_within_the_window_must_ask_the_same_people_or_k_more(session: Session) -> None:
    session.add(Workspace(team_id="T1", anonymity_threshold=K))
    team = [f"U{n}" for n in range(8)]
    first = open_pulse(session, plan(team, NOW))
    first.status = "closed"
    almost = NOW + timedelta(days=6) - timedelta(minutes=1)
    with pytest.raises(AudienceTooClose) as refused:
        open_pulse(session, plan(team[:-2], almost))
    assert refused.value.close.difference == 2
    assert refused.value.close.until == NOW + timedelta(days=6)
    same = open_pulse(session, plan(team, almost))
    same.status = "closed"
    wider = open_pulse(session, plan([*team, "U8", "U9", "U10"], almost + timedelta(minutes=1)))
    wider.status = "closed"
    later = NOW + timedelta(days=12, minutes=1)
    assert open_pulse(session, plan(team[:-1], later)) is not None, "outside the window"
    assert session.query(Pulse).count() == 4
