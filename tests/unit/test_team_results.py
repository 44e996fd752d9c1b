"""Per-team figures through the close: totals made from tokens, nothing else kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from bot.privacy.erasure import forget_person
from bot.pulses.answers import record_answer
from bot.pulses.by_team import Roster, team_results
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.pulses.questions import pulse_content
from bot.storage.models import Pulse, PulseTeam, PulseTeamMember, PulseTeamTally

KEY = b"k" * 32
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PEOPLE = [f"U{n}" for n in range(12)]
CONTENT = pulse_content()


def run_pulse(
    session: Session, teams: dict[str, list[str]], values: dict[str, int], days: int = 0
) -> Pulse:
    opened = NOW + timedelta(days=days)
    pulse = open_pulse(
        session,
        PulsePlan(
            team_id="T1",
            recipients=[Recipient(p, "en") for p in PEOPLE],
            items=["predictability"],
            opened_at=opened,
            closes_at=opened + timedelta(days=1),
            teams=[
                Roster(key, key.title(), "U0" if key == "a" else None, members)
                for key, members in teams.items()
            ],
        ),
    )
    for person in PEOPLE:
        mark_sent(session, pulse.id, person, f"D{person}", "1.0")
    for person, value in values.items():
        record_answer(session, KEY, "T1", pulse.id, person, "predictability", value)
    assert close_pulse(session, KEY, "T1", pulse.id, opened + timedelta(days=1))
    return pulse


def figures(session: Session, pulse: Pulse, k: int = 5) -> dict[str, tuple[str | None, object]]:
    teams = team_results(session, CONTENT, pulse, None, k)
    return {team.key: (team.hidden, team.items[0].mean) for team in teams}


def test_team_totals_are_made_at_the_close_and_kept_only_where_they_show(
    session: Session,
) -> None:
    """A: six people (one, U0, its manager); B: four; two people in no team. K = 5."""
    teams = {"a": PEOPLE[:6], "b": PEOPLE[6:10]}
    values = {p: 4 if p in teams["a"] else 2 for p in PEOPLE}
    values["U1"] = 5
    pulse = run_pulse(session, teams, values)
    assert figures(session, pulse) == {"a": (None, 4.17), "b": ("few", None)}
    kept = session.execute(select(PulseTeamTally.key, PulseTeamTally.value, PulseTeamTally.count))
    assert sorted(kept) == [("a", 4, 5), ("a", 5, 1)]
    stored = {column.name for column in inspect(PulseTeamTally).columns}
    assert "respondent" not in stored


def test_a_team_that_changed_by_fewer_than_k_within_days_is_hidden(session: Session) -> None:
    teams = {"x": PEOPLE[:6]}
    run_pulse(session, teams, dict.fromkeys(PEOPLE, 3))
    moved = {"x": PEOPLE[:7]}  # one more person in X three days later
    later = run_pulse(session, moved, dict.fromkeys(PEOPLE, 3), days=3)
    assert figures(session, later)["x"] == ("changed", None)
    much_later = run_pulse(session, teams, dict.fromkeys(PEOPLE, 3), days=10)
    assert figures(session, much_later)["x"] == (None, 3.0)


def test_a_higher_k_later_hides_team_figures_and_a_lower_one_shows_no_more(
    session: Session,
) -> None:
    teams = {"x": PEOPLE[:6], "y": PEOPLE[6:9]}
    pulse = run_pulse(session, teams, dict.fromkeys(PEOPLE, 4))
    assert figures(session, pulse) == {"x": (None, 4.0), "y": ("few", None)}
    assert figures(session, pulse, k=6)["x"] == ("few", None)
    assert figures(session, pulse, k=3)["y"] == ("few", None)


def test_forget_me_removes_a_person_from_team_rosters_and_as_manager(session: Session) -> None:
    teams = {"a": PEOPLE[:6], "b": PEOPLE[6:10]}
    run_pulse(session, teams, dict.fromkeys(PEOPLE, 4))
    forget_person(session, KEY, "T1", "U0")
    members = session.scalars(select(PulseTeamMember.user_id).where(PulseTeamMember.key == "a"))
    assert "U0" not in set(members)
    assert session.scalars(select(PulseTeam.manager_id).where(PulseTeam.key == "a")).one() is None
