"""What a pulse may show, decided once for every surface that shows it.

Results, the export, the digest, the Home tab and the signals all ask this module, so no
combination of them can show more than one of them alone.

The *effective group* of a pulse is the people asked whose answers nobody reading its results
can know. Left out of it: the person who started the pulse (or set up its schedule), the
people named one by one in its audience (whoever picks people can pick accomplices), and the
leadership team of the time (the results are theirs to read, and each knows their own
answer). Their answers count in the figures, but never make a pulse reportable: subtracting
every answer they could know still leaves at least K people.

The group is counted once, at the close (`bot.pulses.lifecycle.freeze_pulse`), and stored on
the pulse, so that what a pulse shows never changes afterwards, erasures included.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.content import CONTENT_DIR
from bot.storage.models import DEFAULT_THRESHOLD, Pulse, PulseRecipient, Workspace


@dataclass(frozen=True)
class AnonymityRules:
    """The product's choices, from content/anonymity.toml."""

    min_threshold: int
    max_threshold: int
    distribution_floor: int  # distributions need this many times K counted people asked
    repeat_window: timedelta


def load_anonymity_rules(path: Path = CONTENT_DIR / "anonymity.toml") -> AnonymityRules:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    rules = AnonymityRules(
        min_threshold=int(data["threshold"]["min"]),
        max_threshold=int(data["threshold"]["max"]),
        distribution_floor=int(data["floor"]["distributions"]),
        repeat_window=timedelta(days=int(data["repeat"]["window_days"])),
    )
    if not 2 <= rules.min_threshold <= rules.max_threshold or rules.distribution_floor < 1:
        raise ValueError(f"{path.name}: thresholds out of order")
    return rules


@cache
def anonymity_rules() -> AnonymityRules:
    return load_anonymity_rules()


def clamp_threshold(value: int, rules: AnonymityRules | None = None) -> int:
    """K stays within the bounds whatever is stored."""
    rules = rules or anonymity_rules()
    return max(rules.min_threshold, min(rules.max_threshold, value))


def team_threshold(session: Session, team_id: str) -> int:
    """The workspace's K (the default for a workspace not seen yet)."""
    workspace = session.get(Workspace, team_id)
    return clamp_threshold(workspace.anonymity_threshold if workspace else DEFAULT_THRESHOLD)


def known_people(
    named: Iterable[str], requester: str | None, leaders: Iterable[str]
) -> frozenset[str]:
    """The people whose answers the requester can know: never counted toward K."""
    return frozenset([*named, *leaders, *([requester] if requester else [])])


@dataclass(frozen=True)
class Group:
    """Who a closed pulse's figures rest on, counted at its close."""

    asked: int
    respondents: int
    counted_asked: int  # asked, minus the known people
    counted_respondents: int  # answered, minus the known people
    counted_commenters: int

    @property
    def known_respondents(self) -> int:
        return self.respondents - self.counted_respondents


def group_of(pulse: Pulse) -> Group:
    return Group(
        asked=pulse.asked or 0,
        respondents=pulse.respondents or 0,
        counted_asked=pulse.counted_asked or 0,
        counted_respondents=pulse.counted_respondents or 0,
        counted_commenters=pulse.counted_commenters or 0,
    )


@dataclass(frozen=True)
class Disclosure:
    """What may be shown of one closed pulse.

    `hidden` says why scores are hidden: "few" (fewer than K answered at all) or "known"
    (enough answered, but fewer than K of them count).
    """

    threshold: int
    floor: int  # counted people asked from which distributions show
    scores: bool
    distributions: bool
    comments: bool
    hidden: str | None


def disclosure(group: Group, threshold: int, rules: AnonymityRules | None = None) -> Disclosure:
    """The rule every surface applies to a closed pulse."""
    rules = rules or anonymity_rules()
    k = clamp_threshold(threshold, rules)
    floor = rules.distribution_floor * k
    scores = group.counted_respondents >= k
    hidden = None if scores else "few" if group.respondents < k else "known"
    return Disclosure(
        threshold=k,
        floor=floor,
        scores=scores,
        distributions=scores and group.counted_asked >= floor,
        comments=scores and group.counted_commenters >= k,
        hidden=hidden,
    )


def item_shown(group: Group, shown: Disclosure, answers: int) -> bool:
    """A statement's figures show when K of its answers come from counted people.

    Which statements the known people answered is not kept: each is assumed to have answered
    every statement, so a statement shows only when it would with all their answers removed.
    """
    return shown.scores and answers - group.known_respondents >= shown.threshold


def audience_note(counted_asked: int, threshold: int, rules: AnonymityRules | None = None) -> str:
    """What a pulse opened for this audience can show at best: "none", "averages" or "all"."""
    rules = rules or anonymity_rules()
    k = clamp_threshold(threshold, rules)
    if counted_asked < k:
        return "none"
    return "averages" if counted_asked < rules.distribution_floor * k else "all"


@dataclass(frozen=True)
class TooClose:
    """A recent pulse whose audience differs from the new one by fewer than K people."""

    opened_at: datetime
    timezone: str
    difference: int
    until: datetime


def too_close(
    session: Session,
    team_id: str,
    audience: Collection[str],
    opened_at: datetime,
    threshold: int,
    rules: AnonymityRules | None = None,
) -> TooClose | None:
    """The latest pulse opened within the repeat window whose audience differs from
    `audience` by 1 to K-1 people (subtracting the two would single them out); None if none.
    """
    rules = rules or anonymity_rules()
    k = clamp_threshold(threshold, rules)
    recent = session.scalars(
        select(Pulse)
        .where(Pulse.team_id == team_id, Pulse.opened_at > opened_at - rules.repeat_window)
        .order_by(Pulse.opened_at.desc(), Pulse.id.desc())
    )
    wanted = set(audience)
    for pulse in recent:
        asked = set(
            session.scalars(
                select(PulseRecipient.user_id).where(PulseRecipient.pulse_id == pulse.id)
            )
        )
        difference = len(wanted ^ asked)
        if 0 < difference < k:
            return TooClose(
                pulse.opened_at, pulse.timezone, difference, pulse.opened_at + rules.repeat_window
            )
    return None


@dataclass(frozen=True)
class Asked:
    """One person a pulse reached, as the close sees them: never stored in this form."""

    teams: frozenset[str]
    counted: bool
    items: frozenset[str]  # the statements they answered; empty when they did not answer
    manages: frozenset[str] = frozenset()  # teams they manage: they read those teams' results

    def counts_for(self, team: str) -> bool:
        """Whether the person counts toward K in this team's figures."""
        return self.counted and team not in self.manages


@dataclass(frozen=True)
class TeamsShown:
    """What may be shown of each team of one closed pulse.

    `hidden[team]`: "few" or "known" (below K, as for a whole pulse), "changed" (a pulse of
    the last days asked nearly the same team), "complement" (the team is large enough, but
    its figures with the others' would give a smaller group away), or None.
    `items[team]`: the statements whose figures show for that team.
    """

    groups: dict[str, Group]
    hidden: dict[str, str | None]
    items: dict[str, frozenset[str]]


def team_group(people: Iterable[Asked], team: str) -> Group:
    members = [person for person in people if team in person.teams]
    answered = [person for person in members if person.items]
    return Group(
        asked=len(members),
        respondents=len(answered),
        counted_asked=sum(1 for person in members if person.counts_for(team)),
        counted_respondents=sum(1 for person in answered if person.counts_for(team)),
        counted_commenters=0,
    )


def teams_shown(
    people: Collection[Asked],
    teams: Collection[str],
    items: Iterable[str],
    threshold: int,
    changed: Collection[str] = (),
    rules: AnonymityRules | None = None,
) -> TeamsShown:
    """Which team figures of a pulse may be shown, decided once at its close.

    A team first needs what a whole pulse needs (K counted respondents, and K counted
    answers to a statement once its known respondents are set aside). Then, statement by
    statement, complementary suppression: the shown teams and the whole organisation (always
    taken as shown, since other surfaces show it) split the respondents into groups of
    people who belong to exactly the same shown figures. Adding and subtracting shown
    figures can isolate any such group, and nothing finer, so each must hold no answer at
    all or K counted ones; while one does not, the smallest shown team is hidden too.
    """
    k = clamp_threshold(threshold, rules)
    groups = {team: team_group(people, team) for team in teams}
    hidden: dict[str, str | None] = {}
    for team, group in groups.items():
        rule = disclosure(group, k, rules)
        hidden[team] = rule.hidden if not rule.scores else "changed" if team in changed else None
    candidates = [team for team in teams if hidden[team] is None]
    shown_items: dict[str, set[str]] = {team: set() for team in teams}
    lost: set[str] = set()
    respondents = [person for person in people if person.items]
    for item in items:
        visible = [
            team
            for team in candidates
            if _answers(respondents, team, item) - groups[team].known_respondents >= k
        ]
        while visible and _lone_group(respondents, frozenset(visible), item, k):
            smallest = min(visible, key=lambda t: (groups[t].counted_respondents, t))
            visible.remove(smallest)
            lost.add(smallest)
        for team in visible:
            shown_items[team].add(item)
    for team in candidates:
        if not shown_items[team] and team in lost:
            hidden[team] = "complement"
    return TeamsShown(groups, hidden, {team: frozenset(shown_items[team]) for team in teams})


def _answers(respondents: Iterable[Asked], team: str, item: str) -> int:
    return sum(1 for person in respondents if team in person.teams and item in person.items)


def _lone_group(respondents: Iterable[Asked], visible: frozenset[str], item: str, k: int) -> bool:
    """Whether the shown figures for `item` can isolate a group with 1 to K-1 counted answers."""
    groups: dict[frozenset[str], list[int]] = {}
    for person in respondents:
        answers_known = groups.setdefault(person.teams & visible, [0, 0])
        answers_known[0] += item in person.items
        answers_known[1] += not person.counted or bool(person.manages)
    return any(answers and answers - known < k for answers, known in groups.values())
