"""Erasure on request (`/vpe forget me`) and the aggregated export (`/vpe export`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from bot.anonymity import respondent_token
from bot.models import (
    AreaOwner,
    CtoCheckin,
    Leader,
    OrgFacts,
    Pulse,
    PulseAnswer,
    PulseComment,
    PulseRecipient,
    PulseSchedule,
    PulseTally,
    RoleHolder,
    SlackUser,
    StrategicEvent,
)
from bot.pulses.questions import SCALE, PulseContent, PulseItem


@dataclass(frozen=True)
class ForgetReport:
    deliveries: int
    answers: int
    comments: int
    checkins: int
    roles: int
    areas: int
    leadership: int


def forget_person(session: Session, key: bytes, team_id: str, user_id: str) -> ForgetReport:
    """Erase what the bot holds about one person in one workspace; say how much went."""
    asked = list(
        session.scalars(
            select(PulseRecipient.pulse_id).where(
                PulseRecipient.team_id == team_id, PulseRecipient.user_id == user_id
            )
        )
    )
    tokens = [respondent_token(key, team_id, pulse_id, user_id) for pulse_id in asked]
    answers = _delete(session, PulseAnswer, PulseAnswer.respondent.in_(tokens), team_id)
    comments = _delete(session, PulseComment, PulseComment.respondent.in_(tokens), team_id)
    deliveries = _delete(session, PulseRecipient, PulseRecipient.user_id == user_id, team_id)
    cto_pulses = select(Pulse.id).where(Pulse.team_id == team_id, Pulse.checkin_user == user_id)
    checkins = _delete(session, CtoCheckin, CtoCheckin.pulse_id.in_(cto_pulses), team_id)
    roles = _delete(session, RoleHolder, RoleHolder.user_id == user_id, team_id)
    areas = _delete(session, AreaOwner, AreaOwner.user_id == user_id, team_id)
    leadership = _delete(session, Leader, Leader.user_id == user_id, team_id)
    _delete(session, SlackUser, SlackUser.user_id == user_id, team_id)
    _scrub_mentions(session, team_id, user_id)
    return ForgetReport(deliveries, answers, comments, checkins, roles, areas, leadership)


def _delete(session: Session, model: Any, condition: ColumnElement[bool], team_id: str) -> int:
    result = session.execute(delete(model).where(condition, model.team_id == team_id))
    return int(getattr(result, "rowcount", 0) or 0)


def _scrub_mentions(session: Session, team_id: str, user_id: str) -> None:
    """Remove the person from who-did-what columns and from schedules' audiences."""
    blanked: list[tuple[Any, str]] = [
        (RoleHolder, "updated_by"),
        (AreaOwner, "updated_by"),
        (Leader, "added_by"),
        (PulseSchedule, "created_by"),
    ]
    for model, column in blanked:
        field = getattr(model, column)
        session.execute(
            update(model).where(model.team_id == team_id, field == user_id).values({column: ""})
        )
    for model, column in (
        (Pulse, "started_by"),
        (Pulse, "checkin_user"),
        (StrategicEvent, "created_by"),
        (OrgFacts, "updated_by"),
    ):
        field = getattr(model, column)
        session.execute(
            update(model).where(model.team_id == team_id, field == user_id).values({column: None})
        )
    mention = f"<@{user_id}>"
    for pulse in session.scalars(
        select(Pulse).where(Pulse.team_id == team_id, Pulse.audience_label.contains(mention))
    ):
        pulse.audience_label = pulse.audience_label.replace(mention, "…")
    for schedule in session.scalars(select(PulseSchedule).where(PulseSchedule.team_id == team_id)):
        users = list(schedule.audience.get("users", []))
        if user_id in users:
            users.remove(user_id)
            schedule.audience = {**schedule.audience, "users": users}


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
    """One row per closed pulse and statement, only where K people answered both."""
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
        if (pulse.respondents or 0) < threshold or total < threshold or item_id not in known:
            continue
        rows.append(_export_row(pulse, content.item(item_id), values, total))
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


def to_csv(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
