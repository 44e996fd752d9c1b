"""Results of a pulse: counts, means, distributions and changes, as bot.pulses.reporting allows."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulses.questions import SCALE, PulseContent, PulseItem
from bot.pulses.reporting import Disclosure, Group, disclosure, group_of, item_shown
from bot.storage.models import Pulse, PulseComment, PulseTally


@dataclass(frozen=True)
class ItemResult:
    """One statement's result: the numbers are None where the rule hides them, and the
    distribution is None as well below the audience floor."""

    item: PulseItem
    count: int
    mean: float | None = None
    score: float | None = None
    distribution: tuple[int, ...] | None = None
    change: float | None = None
    before_count: int | None = None  # the answers behind the previous figure, for the noise


@dataclass(frozen=True)
class PulseResults:
    pulse: Pulse
    asked: int
    respondents: int
    shown: Disclosure
    items: tuple[ItemResult, ...]
    comments: tuple[str, ...] | None  # None: hidden (fewer than K counted commenters)

    @property
    def threshold(self) -> int:
        return self.shown.threshold

    @property
    def visible(self) -> bool:
        return self.shown.scores


def item_counts(
    session: Session, team_id: str, pulse_ids: Iterable[int]
) -> dict[int, dict[str, dict[int, int]]]:
    """pulse -> item -> value -> number of answers, from the tallies frozen at the close."""
    rows = session.execute(
        select(PulseTally.pulse_id, PulseTally.item, PulseTally.value, PulseTally.count).where(
            PulseTally.team_id == team_id, PulseTally.pulse_id.in_(list(pulse_ids))
        )
    )
    counts: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for pulse_id, item, value, count in rows:
        counts[pulse_id][item][value] = count
    return counts


def summarise(
    item: PulseItem, values: dict[int, int], group: Group, shown: Disclosure
) -> ItemResult:
    """One statement's figures, or only its count where the rule hides them."""
    count = sum(values.values())
    if not item_shown(group, shown, count):
        return ItemResult(item, count)
    mean = sum(value * n for value, n in values.items()) / count
    distribution = tuple(values.get(value, 0) for value in SCALE) if shown.distributions else None
    return ItemResult(item, count, round(mean, 2), round(item.score(mean), 2), distribution)


def pulse_results(
    session: Session,
    content: PulseContent,
    pulse: Pulse,
    previous: Pulse | None,
    threshold: int,
) -> PulseResults:
    """Results of the closed `pulse`, with changes since `previous`, as far as the rule allows.

    A change needs the previous pulse's figure to be shown too: otherwise the change and
    today's average would give it away.
    """
    ids = [pulse.id] + ([previous.id] if previous else [])
    counts = item_counts(session, pulse.team_id, ids)
    group = group_of(pulse)
    shown = disclosure(group, threshold)
    before_group = group_of(previous) if previous else None
    before_shown = disclosure(before_group, threshold) if before_group else None
    items = []
    for item_id in pulse.items:
        item = content.item(item_id)
        now = summarise(item, counts[pulse.id].get(item_id, {}), group, shown)
        if previous and before_group and before_shown and now.mean is not None:
            values = counts[previous.id].get(item_id, {})
            before = summarise(item, values, before_group, before_shown)
            if before.mean is not None:
                change = round(now.mean - before.mean, 2)
                now = dataclasses.replace(now, change=change, before_count=before.count)
        items.append(now)
    return PulseResults(
        pulse=pulse,
        asked=group.asked,
        respondents=group.respondents,
        shown=shown,
        items=tuple(items),
        comments=frozen_comments(session, pulse) if shown.comments else None,
    )


def frozen_comments(session: Session, pulse: Pulse) -> tuple[str, ...]:
    """The comments in the order the close shuffled them into: the same on every read."""
    texts = session.scalars(
        select(PulseComment.text)
        .where(PulseComment.team_id == pulse.team_id, PulseComment.pulse_id == pulse.id)
        .order_by(PulseComment.position, PulseComment.respondent)
    )
    return tuple(texts)
