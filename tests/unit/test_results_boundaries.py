"""The disclosure rule and pulse results at their edges: the rules file, K exactly, the
audience floor, changes next to a hidden statement, and the repeat window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.core.content import CONTENT_DIR
from bot.pulses.answers import record_answer
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.pulses.questions import pulse_content
from bot.pulses.reporting import (
    AnonymityRules,
    Group,
    anonymity_rules,
    audience_note,
    clamp_threshold,
    disclosure,
    group_of,
    load_anonymity_rules,
    team_threshold,
    too_close,
)
from bot.pulses.results import PulseResults, pulse_results
from bot.storage.models import Pulse, PulseRecipient, Workspace
from tests.unit.test_pulse_history_paths import KEY, Plan, everyone, run

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# Rules unlike the shipped ones, to tell "the rules given" from "the shipped rules".
LOOSE = AnonymityRules(
    min_threshold=2, max_threshold=20, distribution_floor=3, repeat_window=timedelta(days=2)
)


def rules_file(tmp_path: Path, **changes: str) -> Path:
    text = (CONTENT_DIR / "anonymity.toml").read_text(encoding="utf-8")
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    path = tmp_path / "anonymity.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_rules_file_is_read_field_by_field() -> None:
    read = load_anonymity_rules()
    assert read == AnonymityRules(3, 10, 2, timedelta(days=6))
    assert read == anonymity_rules()


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({"min_=_3": "min = 2"}, True),  # two is the least K can be
        ({"min_=_3": "min = 1"}, False),
        ({"min_=_3": "min = 10"}, True),  # min may equal max
        ({"min_=_3": "min = 11"}, False),
        ({"distributions_=_2": "distributions = 1"}, True),
        ({"distributions_=_2": "distributions = 0"}, False),
    ],
)
def test_the_rules_file_is_checked(tmp_path: Path, changes: dict[str, str], valid: bool) -> None:
    path = rules_file(tmp_path, **changes)
    if valid:
        assert load_anonymity_rules(path).min_threshold in (2, 3, 10)
    else:
        with pytest.raises(ValueError, match=r"^anonymity\.toml: thresholds out of order$"):
            load_anonymity_rules(path)


def test_the_rules_given_are_the_rules_applied() -> None:
    assert clamp_threshold(2, LOOSE) == 2
    assert clamp_threshold(15, LOOSE) == 15
    shown = disclosure(Group(6, 2, 6, 2, 2), 2, LOOSE)
    assert (shown.threshold, shown.floor, shown.scores, shown.comments) == (2, 6, True, True)
    assert shown.distributions
    assert not disclosure(Group(5, 2, 5, 2, 2), 2, LOOSE).distributions, "floor is 3 K"
    assert audience_note(2, 2, LOOSE) == "averages"
    assert audience_note(6, 2, LOOSE) == "all"


def test_exactly_k_people_asked_can_show_averages() -> None:
    assert audience_note(2, 3) == "none"
    assert audience_note(3, 3) == "averages"
    assert audience_note(5, 3) == "averages"
    assert audience_note(6, 3) == "all"


@pytest.mark.parametrize(
    ("respondents", "known", "hidden"),
    [(2, 0, "few"), (3, 1, "known"), (3, 0, None), (4, 2, "known")],
)
def test_why_scores_are_hidden_at_k(respondents: int, known: int, hidden: str | None) -> None:
    shown = disclosure(Group(12, respondents, 12 - known, respondents - known, 0), 3)
    assert shown.hidden == hidden
    assert shown.floor == 6


def test_a_pulse_not_yet_counted_has_a_group_of_nobody() -> None:
    assert group_of(Pulse(team_id="T1", status="open", items=[])) == Group(0, 0, 0, 0, 0)


def test_the_workspace_threshold(session: Session) -> None:
    assert team_threshold(session, "TNEW") == 5, "a workspace not seen yet: the default"
    session.add(Workspace(team_id="TK", anonymity_threshold=50))
    session.flush()
    assert team_threshold(session, "TK") == 10, "clamped to the bounds"


# Results next to hidden statements and other pulses.


def results(session: Session, pulse_id: int, previous_id: int | None, k: int = 5) -> PulseResults:
    pulse, previous = session.get(Pulse, pulse_id), None
    if previous_id is not None:
        previous = session.get(Pulse, previous_id)
    assert pulse is not None
    return pulse_results(session, pulse_content(), pulse, previous, k)


def test_no_change_next_to_a_statement_hidden_this_time(session: Session) -> None:
    people = [f"U{n:02d}" for n in range(10)]
    before = run(session, Plan(0, answers=everyone(people[:8]), energy=everyone(people[:8])))
    after = run(session, Plan(1, answers=everyone(people[:6], 2), energy=everyone(people[:2])))
    shown = results(session, after, before)
    assert (shown.items[0].mean, shown.items[0].change) == (2.0, -2.0)
    energy = shown.items[1]
    assert (energy.item.id, energy.count, energy.mean, energy.change) == ("energy", 2, None, None)


def test_a_change_carries_the_previous_pulses_answer_count_for_the_noise(
    session: Session,
) -> None:
    """The "within noise for N answers" note rests on the fewer of the two counts: the
    previous pulse's count must travel with the change, not this pulse's."""
    people = [f"U{n:02d}" for n in range(10)]
    before = run(session, Plan(0, answers=everyone(people[:9], 3)))
    after = run(session, Plan(1, answers=everyone(people[:6], 4)))
    item = results(session, after, before).items[0]
    assert (item.count, item.change, item.before_count) == (6, 1.0, 9)
    steady = run(session, Plan(2, answers=everyone(people[:7], 4)))
    assert results(session, steady, after).items[0].before_count == 6


def test_a_statement_the_previous_pulse_did_not_ask(session: Session) -> None:
    people = [f"U{n:02d}" for n in range(6)]
    opened = NOW
    first = open_pulse(
        session,
        PulsePlan("T1", [Recipient(p, "en") for p in people], ["energy"], opened, opened),
    )
    for person in people:
        mark_sent(session, first.id, person, f"D{person}", "1.0")
    close_pulse(session, KEY, "T1", first.id, opened)
    later = NOW + timedelta(weeks=1)
    second = open_pulse(
        session,
        PulsePlan("T1", [Recipient(p, "en") for p in people], ["predictability"], later, later),
    )
    for person in people:
        mark_sent(session, second.id, person, f"D{person}", "1.0")
        record_answer(session, KEY, "T1", second.id, person, "predictability", 4)
    close_pulse(session, KEY, "T1", second.id, later)
    shown = results(session, second.id, first.id)
    assert (shown.items[0].mean, shown.items[0].change) == (4.0, None)


def test_averages_without_distributions_below_the_audience_floor(session: Session) -> None:
    six = [f"U{n:02d}" for n in range(6)]
    pulse = run(session, Plan(0, people=six, answers=everyone(six)))
    shown = results(session, pulse, None)
    item = shown.items[0]
    assert (item.count, item.mean, item.score, item.distribution) == (6, 4.0, 4.0, None)
    hidden = results(session, pulse, None, k=7)
    assert (hidden.items[0].item.id, hidden.items[0].count) == ("predictability", 6)
    assert hidden.items[0].mean is None


# The repeat window: which recent pulse refuses a new audience.


def closed(session: Session, team: str, people: list[str], opened: datetime, tz: str) -> Pulse:
    """A past pulse stored as it is, whatever the window would have said of it then."""
    pulse = Pulse(
        team_id=team,
        status="closed",
        items=["energy"],
        timezone=tz,
        opened_at=opened,
        closes_at=opened,
        closed_at=opened,
    )
    session.add(pulse)
    session.flush()
    session.add_all(
        PulseRecipient(pulse_id=pulse.id, team_id=team, user_id=p, language="en") for p in people
    )
    session.flush()
    return pulse


def test_the_latest_recent_pulse_is_the_one_named(session: Session) -> None:
    team = [f"U{n}" for n in range(8)]
    closed(session, "T1", team[:7], NOW - timedelta(days=1), "Europe/Paris")  # opened later
    closed(session, "T1", team[:6], NOW - timedelta(days=3), "UTC")  # created later
    found = too_close(session, "T1", team, NOW, 5)
    assert found is not None
    assert (found.opened_at, found.timezone, found.difference) == (
        NOW - timedelta(days=1),
        "Europe/Paris",
        1,
    )
    assert found.until == NOW - timedelta(days=1) + timedelta(days=6)


def test_pulses_opened_at_the_same_moment_the_last_created_is_named(session: Session) -> None:
    team = [f"U{n}" for n in range(8)]
    closed(session, "T1", team[:7], NOW - timedelta(days=1), "UTC")
    closed(session, "T1", team[:6], NOW - timedelta(days=1), "UTC")
    found = too_close(session, "T1", team, NOW, 5)
    assert found is not None
    assert found.difference == 2


def test_the_repeat_window_and_its_edges(session: Session) -> None:
    team = [f"U{n}" for n in range(8)]
    closed(session, "T2", team[:7], NOW - timedelta(days=1), "UTC")
    assert too_close(session, "T1", team, NOW, 5) is None, "another workspace's pulse"
    closed(session, "T1", team[:7], NOW - timedelta(days=6), "UTC")
    assert too_close(session, "T1", team, NOW, 5) is None, "exactly the window ago: outside"
    assert too_close(session, "T1", team, NOW - timedelta(seconds=1), 5) is not None
    assert too_close(session, "T1", team, NOW, 5, LOOSE) is None, "the rules given: two days"
    assert too_close(session, "T1", team[:7], NOW - timedelta(seconds=1), 5) is None, "same"


def test_the_repeat_window_uses_the_k_of_the_rules_given(session: Session) -> None:
    team = [f"U{n}" for n in range(8)]
    closed(session, "T3", team[:6], NOW - timedelta(days=1), "UTC")
    assert too_close(session, "T3", team, NOW, 2) is not None, "K is at least 3: 2 differ"
    assert too_close(session, "T3", team, NOW, 2, LOOSE) is None, "K can be 2 here"
