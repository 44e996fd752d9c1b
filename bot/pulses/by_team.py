"""A pulse's figures per team: who was in each team when it was sent, and what each team's
figures may show, decided once at the close (bot.pulses.reporting.teams_shown).

Answers never carry a team. At the close the bot, which holds the key, matches each team's
members to their respondent tokens, counts the team's answers, keeps only the tallies the
rule lets it show, and deletes the answers (bot.pulses.lifecycle.freeze_pulse): what stays
is one total per team, statement and value, for teams and statements with K counted answers
that no combination of shown figures can split into a smaller group.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.pulses.noise import beyond_noise
from bot.pulses.questions import PulseContent, PulseItem
from bot.pulses.reporting import (
    Asked,
    Group,
    anonymity_rules,
    clamp_threshold,
    team_threshold,
    teams_shown,
)
from bot.pulses.respondents import respondent_token
from bot.pulses.results import ItemResult
from bot.storage.models import (
    Pulse,
    PulseAnswer,
    PulseRecipient,
    PulseTeam,
    PulseTeamMember,
    PulseTeamTally,
)


@dataclass(frozen=True)
class Roster:
    """A team's members among a pulse's recipients, read from Slack when it was sent."""

    key: str
    name: str
    manager_id: str | None
    members: Sequence[str]


def record_rosters(session: Session, pulse: Pulse, rosters: Sequence[Roster]) -> None:
    """Keep who was in which team with the pulse (who was asked, never what they answered)."""
    for roster in rosters:
        session.add(
            PulseTeam(
                pulse_id=pulse.id,
                key=roster.key,
                team_id=pulse.team_id,
                name=roster.name,
                manager_id=roster.manager_id,
            )
        )
        session.add_all(
            PulseTeamMember(pulse_id=pulse.id, key=roster.key, user_id=uid, team_id=pulse.team_id)
            for uid in dict.fromkeys(roster.members)
        )


def freeze_teams(session: Session, key: bytes, pulse: Pulse) -> None:
    """Count each team's figures of a pulse being closed, before its answers go."""
    members = session.execute(
        select(PulseTeamMember.key, PulseTeamMember.user_id).where(
            PulseTeamMember.pulse_id == pulse.id
        )
    ).all()
    if not members:
        return
    teams_of: dict[str, set[str]] = defaultdict(set)
    for team, user_id in members:
        teams_of[user_id].add(team)
    answers: dict[str, dict[str, int]] = defaultdict(dict)
    for token, item, value in session.execute(
        select(PulseAnswer.respondent, PulseAnswer.item, PulseAnswer.value).where(
            PulseAnswer.pulse_id == pulse.id
        )
    ):
        answers[token][item] = value
    manages: dict[str, set[str]] = defaultdict(set)
    for team, manager in session.execute(
        select(PulseTeam.key, PulseTeam.manager_id).where(PulseTeam.pulse_id == pulse.id)
    ):
        if manager:
            manages[manager].add(team)
    people: list[Asked] = []
    values: list[tuple[frozenset[str], dict[str, int]]] = []
    delivered = select(PulseRecipient.user_id, PulseRecipient.counted).where(
        PulseRecipient.pulse_id == pulse.id, PulseRecipient.status == "sent"
    )
    for user_id, counted in session.execute(delivered):
        given = answers.get(respondent_token(key, pulse.team_id, pulse.id, user_id), {})
        teams = frozenset(teams_of.get(user_id, ()))
        people.append(
            Asked(teams, bool(counted), frozenset(given), frozenset(manages.get(user_id, ())))
        )
        values.append((teams, given))
    threshold = team_threshold(session, pulse.team_id)
    keys = sorted({team for team, _ in members})
    changed = changed_teams(session, pulse, teams_of, threshold)
    shown = teams_shown(people, keys, pulse.items, threshold, changed)
    for team in keys:
        _store(session, pulse, team, shown.groups[team], shown.hidden[team], threshold)
        for item in sorted(shown.items[team]):
            counts: dict[int, int] = defaultdict(int)
            for teams, given in values:
                if team in teams and item in given:
                    counts[given[item]] += 1
            for value, count in sorted(counts.items()):
                session.execute(
                    insert(PulseTeamTally).values(
                        pulse_id=pulse.id,
                        key=team,
                        item=item,
                        value=value,
                        team_id=pulse.team_id,
                        count=count,
                    )
                )


def _store(
    session: Session, pulse: Pulse, team: str, group: Group, hidden: str | None, threshold: int
) -> None:
    session.execute(
        update(PulseTeam)
        .where(PulseTeam.pulse_id == pulse.id, PulseTeam.key == team)
        .values(
            asked=group.asked,
            respondents=group.respondents,
            counted_asked=group.counted_asked,
            counted_respondents=group.counted_respondents,
            threshold=threshold,
            hidden=hidden,
        )
    )


def changed_teams(
    session: Session, pulse: Pulse, teams_of: dict[str, set[str]], threshold: int
) -> set[str]:
    """Teams whose members differ by 1 to K-1 people from the same team in a pulse opened in
    the repeat window before this one: subtracting the two would single those people out."""
    since = pulse.opened_at - anonymity_rules().repeat_window
    recent = select(Pulse.id).where(
        Pulse.team_id == pulse.team_id,
        Pulse.id != pulse.id,
        Pulse.opened_at > since,
        Pulse.opened_at <= pulse.opened_at,
    )
    before: dict[tuple[int, str], set[str]] = defaultdict(set)
    for pulse_id, team, user_id in session.execute(
        select(PulseTeamMember.pulse_id, PulseTeamMember.key, PulseTeamMember.user_id).where(
            PulseTeamMember.pulse_id.in_(recent)
        )
    ):
        before[(pulse_id, team)].add(user_id)
    now: dict[str, set[str]] = defaultdict(set)
    for user_id, teams in teams_of.items():
        for team in teams:
            now[team].add(user_id)
    k = clamp_threshold(threshold)
    return {
        team
        for (_, team), earlier in before.items()
        if team in now and 0 < len(earlier ^ now[team]) < k
    }


@dataclass(frozen=True)
class TeamResult:
    """One team's figures for a pulse; `items` hold None where the rule hides them."""

    key: str
    name: str
    manager_id: str | None
    asked: int
    respondents: int
    hidden: str | None
    items: tuple[ItemResult, ...]

    @property
    def visible(self) -> bool:
        return self.hidden is None


def team_results(
    session: Session,
    content: PulseContent,
    pulse: Pulse,
    previous: Pulse | None,
    threshold: int,
) -> list[TeamResult]:
    """Each team's participation and shown figures for the closed `pulse`, with changes
    since `previous` where both pulses show the team's figure, largest team first."""
    ids = [pulse.id] + ([previous.id] if previous else [])
    tallies: dict[tuple[int, str, str], dict[int, int]] = defaultdict(dict)
    for pulse_id, team, item_id, value, count in session.execute(
        select(
            PulseTeamTally.pulse_id,
            PulseTeamTally.key,
            PulseTeamTally.item,
            PulseTeamTally.value,
            PulseTeamTally.count,
        ).where(PulseTeamTally.team_id == pulse.team_id, PulseTeamTally.pulse_id.in_(ids))
    ):
        tallies[(pulse_id, team, item_id)][value] = count
    k = clamp_threshold(threshold)
    rows = session.scalars(select(PulseTeam).where(PulseTeam.pulse_id.in_(ids)))
    frozen = {(row.pulse_id, row.key): row for row in rows}
    found = []
    for (pulse_id, team), row in frozen.items():
        if pulse_id != pulse.id:
            continue
        raised = row.threshold is None or k > row.threshold
        hidden = row.hidden or ("few" if raised else None)
        before = frozen.get((previous.id, team)) if previous else None
        items = []
        for item_id in pulse.items:
            item = content.item(item_id)
            values = tallies.get((pulse.id, team, item_id)) if hidden is None else None
            result = _average(item, values)
            if result.mean is not None and previous and before and before.threshold:
                old = tallies.get((previous.id, team, item_id))
                if old and k <= before.threshold and before.hidden is None:
                    was = _average(item, old)
                    if was.mean is not None:
                        change = round(result.mean - was.mean, 2)
                        result = dataclasses.replace(result, change=change, before_count=was.count)
            items.append(result)
        found.append(
            TeamResult(
                key=team,
                name=row.name,
                manager_id=row.manager_id,
                asked=row.asked or 0,
                respondents=row.respondents or 0,
                hidden=hidden,
                items=tuple(items),
            )
        )
    return sorted(found, key=lambda t: (-t.asked, t.key))


def _average(item: PulseItem, values: dict[int, int] | None) -> ItemResult:
    if not values:
        return ItemResult(item, 0)
    count = sum(values.values())
    mean = sum(value * n for value, n in values.items()) / count
    return ItemResult(item, count, round(mean, 2), round(item.score(mean), 2))


def health_change(result: ItemResult) -> float | None:
    """The change in health (a reverse statement's agreement going up is health going down)."""
    if result.change is None:
        return None
    return -result.change if result.item.reverse else result.change


def falling_items(team: TeamResult) -> list[ItemResult]:
    """The team's statements whose health fell by more than the noise since the last pulse."""
    falls = []
    for result in team.items:
        change = health_change(result)
        if change is None or change >= 0 or result.before_count is None:
            continue
        if beyond_noise(change, result.count, result.before_count):
            falls.append(result)
    return falls


def latest_team_results(
    session: Session, content: PulseContent, team_id: str, threshold: int
) -> list[TeamResult]:
    """Each team's figures for the latest closed pulse (none before the first)."""
    pulses = list(
        session.scalars(
            select(Pulse)
            .where(Pulse.team_id == team_id, Pulse.status == "closed")
            .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
            .limit(2)
        )
    )
    if not pulses:
        return []
    previous = pulses[1] if len(pulses) > 1 else None
    return team_results(session, content, pulses[0], previous, threshold)
