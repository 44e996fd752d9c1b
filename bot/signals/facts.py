"""Team facts, strategic events, and the last known state of each signal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core import limits
from bot.signals.assess import Event, OrgSize
from bot.storage.models import OrgFacts, SignalState, StrategicEvent
from bot.storage.sql import insert_once, upsert

EVENT_KINDS = ("fundraising", "international", "restructuring")
ORG_FIELDS = ("engineers", "teams", "managers")


def org_size(session: Session, team_id: str) -> OrgSize:
    row = session.get(OrgFacts, team_id)
    return OrgSize() if row is None else OrgSize(row.engineers, row.teams, row.managers)


def set_org_fact(
    session: Session, team_id: str, name: str, value: int, by: str, now: datetime
) -> None:
    """One fact, in one statement that touches its column only: `engineers` and `teams` set
    at the same moment are both kept."""
    if name not in ORG_FIELDS:
        raise ValueError(name)
    values = {"team_id": team_id, name: value, "updated_by": by, "updated_at": now}
    upsert(session, OrgFacts, ["team_id"], values)


def events(session: Session, team_id: str) -> list[Event]:
    rows = session.scalars(
        select(StrategicEvent)
        .where(StrategicEvent.team_id == team_id)
        .order_by(StrategicEvent.month, StrategicEvent.id)
    )
    return [Event(row.id, row.kind, row.month, row.label) for row in rows]


def add_event(
    session: Session, team_id: str, kind: str, month: str, label: str, by: str, now: datetime
) -> int:
    row = StrategicEvent(
        team_id=team_id,
        kind=kind,
        month=month,
        label=label[: limits.EVENT_LABEL],
        created_by=by,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def remove_event(session: Session, team_id: str, event_id: int) -> bool:
    """Only this workspace's event; False when there is none with that id."""
    result = session.execute(
        delete(StrategicEvent).where(
            StrategicEvent.team_id == team_id, StrategicEvent.id == event_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


def record_signal_change(
    session: Session, team_id: str, signal: str, active: bool, now: datetime
) -> bool:
    """True when this call is the one that saw the signal turn on or off.

    The first state of a signal counts as a change only when it is on: a workspace starts
    with everything off. The UPDATE's condition makes the announcement happen once even
    when two processes assess at the same time.
    """
    created = insert_once(
        session,
        SignalState,
        ["team_id", "signal"],
        team_id=team_id,
        signal=signal,
        active=active,
        changed_at=now,
    )
    if created:
        return active
    result = session.execute(
        update(SignalState)
        .where(
            SignalState.team_id == team_id,
            SignalState.signal == signal,
            SignalState.active.is_not(active),
        )
        .values(active=active, changed_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
