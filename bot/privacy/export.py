"""The aggregated export (`/vpe export`): per pulse and statement, as results show them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulses.questions import SCALE, PulseContent, PulseItem
from bot.pulses.reporting import disclosure, group_of, item_shown
from bot.storage.models import Pulse, PulseTally

EXPORT_COLUMNS = [
    "pulse_id",
    "opened_at",
    "closed_at",
    "asked",
    "answered",
    "item",
    "dimension",
    "reverse",
    "answers",
    "mean",
    "score",
    "n1",
    "n2",
    "n3",
    "n4",
    "n5",
]


def export_rows(
    session: Session, team_id: str, content: PulseContent, threshold: int
) -> list[dict[str, object]]:
    """One row per closed pulse and statement that results would show (bot.pulses.reporting);
    the distribution columns stay empty where results show no distribution."""
    counts = session.execute(
        select(PulseTally.pulse_id, PulseTally.item, PulseTally.value, PulseTally.count).where(
            PulseTally.team_id == team_id
        )
    ).all()
    table: dict[tuple[int, str], dict[int, int]] = {}
    for pulse_id, item_id, value, count in counts:
        table.setdefault((pulse_id, item_id), {})[value] = count
    pulses = {p.id: p for p in session.scalars(select(Pulse).where(Pulse.team_id == team_id))}
    known = {i.id for i in content.items}
    rows = []
    for (pulse_id, item_id), values in sorted(table.items()):
        pulse, total = pulses[pulse_id], sum(values.values())
        group = group_of(pulse)
        shown = disclosure(group, threshold)
        if item_id not in known or not item_shown(group, shown, total):
            continue
        row = _export_row(pulse, content.item(item_id), values, total)
        if not shown.distributions:
            row |= {f"n{v}": "" for v in SCALE}
        rows.append(row)
    return rows


def _export_row(
    pulse: Pulse, item: PulseItem, values: dict[int, int], total: int
) -> dict[str, object]:
    mean = sum(v * n for v, n in values.items()) / total
    return {
        "pulse_id": pulse.id,
        "opened_at": pulse.opened_at.date().isoformat(),
        "closed_at": (pulse.closed_at or pulse.closes_at).date().isoformat(),
        "asked": pulse.asked or 0,
        "answered": pulse.respondents or 0,
        "item": item.id,
        "dimension": item.dimension,
        "reverse": item.reverse,
        "answers": total,
        "mean": round(mean, 2),
        "score": round(item.score(mean), 2),
        **{f"n{v}": values.get(v, 0) for v in SCALE},
    }


def comments_csv(comments: Sequence[str]) -> str:
    """One comment per row, as given (already shuffled), made safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["comment"])
    writer.writerows([inert(comment)] for comment in comments)
    return buffer.getvalue()


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula (`=HYPERLINK(…)`, `+`,
    `-`, `@`, a tab) gets a leading apostrophe, as OWASP advises for CSV injection."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
