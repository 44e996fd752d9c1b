"""Results of a pulse: counts, means, distributions and changes, never below the threshold."""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulses.questions import SCALE, PulseContent, PulseItem
from bot.storage.models import Pulse, PulseComment, PulseTally

MIN_THRESHOLD, MAX_THRESHOLD = 3, 10


@dataclass(frozen=True)
class ItemResult:
    """One statement's result; the numbers are None when fewer than K people answered it."""

    item: PulseItem
    count: int
    mean: float | None = None
    score: float | None = None
    distribution: tuple[int, ...] | None = None
    change: float | None = None


@dataclass(frozen=True)
class PulseResults:
    pulse: Pulse
    asked: int
    respondents: int
    threshold: int
    items: tuple[ItemResult, ...]
    comments: tuple[str, ...] | None  # None: hidden (fewer than K comments)

    @property
    def visible(self) -> bool:
        return self.respondents >= self.threshold


def clamp_threshold(value: int) -> int:
    """K stays within 3–10 whatever is stored: below 3, anonymity means little."""
    return max(MIN_THRESHOLD, min(MAX_THRESHOLD, value))


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


def summarise(item: PulseItem, values: dict[int, int], threshold: int) -> ItemResult:
    count = sum(values.values())
    if count < threshold:
        return ItemResult(item, count)
    mean = sum(value * n for value, n in values.items()) / count
    distribution = tuple(values.get(value, 0) for value in SCALE)
    return ItemResult(item, count, round(mean, 2), round(item.score(mean), 2), distribution)


def pulse_results(
    session: Session,
    content: PulseContent,
    pulse: Pulse,
    previous: Pulse | None,
    threshold: int,
    rng: random.Random | None = None,
) -> PulseResults:
    """Results of `pulse`, with changes since `previous`, hiding anything below `threshold`."""
    threshold = clamp_threshold(threshold)
    ids = [pulse.id] + ([previous.id] if previous else [])
    counts = item_counts(session, pulse.team_id, ids)
    respondents = pulse.respondents or 0
    visible = respondents >= threshold
    items = []
    for item_id in pulse.items:
        item = content.item(item_id)
        values = counts[pulse.id].get(item_id, {})
        if not visible:
            items.append(ItemResult(item, sum(values.values())))
            continue
        now = summarise(item, values, threshold)
        before = (
            summarise(item, counts[previous.id].get(item_id, {}), threshold) if previous else None
        )
        if now.mean is not None and before is not None and before.mean is not None:
            now = dataclasses.replace(now, change=round(now.mean - before.mean, 2))
        items.append(now)
    return PulseResults(
        pulse=pulse,
        asked=pulse.asked or 0,
        respondents=respondents,
        threshold=threshold,
        items=tuple(items),
        comments=_comments(session, pulse, threshold, rng or random.SystemRandom()),
    )


def _comments(
    session: Session, pulse: Pulse, threshold: int, rng: random.Random
) -> tuple[str, ...] | None:
    texts: Sequence[str] = list(
        session.scalars(
            select(PulseComment.text).where(
                PulseComment.team_id == pulse.team_id, PulseComment.pulse_id == pulse.id
            )
        )
    )
    if len(texts) < threshold:
        return None
    shuffled = list(texts)
    rng.shuffle(shuffled)  # no order to read anything from (storage order follows time)
    return tuple(shuffled)
