"""Seeding pulse history straight into a database, through the domain functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.pulses.answers import record_answer
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.storage.models import CtoCheckin

KEY = b"h" * 32


def seed_pulse(
    session: Session,
    team_id: str,
    opened: datetime,
    answers: Mapping[str, Sequence[int]],
    people: Sequence[str],
    *,
    key: bytes = KEY,
    checkin: tuple[int, int] | None = None,
    close: bool = True,
) -> int:
    """A pulse asked to `people`; `answers[item][n]` is person n's answer. Closed after 3 days."""
    items = list(answers)
    pulse = open_pulse(
        session,
        PulsePlan(
            team_id=team_id,
            recipients=[Recipient(person, "en") for person in people],
            items=items,
            opened_at=opened,
            closes_at=opened + timedelta(days=3),
        ),
    )
    for person in people:
        mark_sent(session, pulse.id, person, f"D{person}", f"{opened.timestamp():.6f}")
    for item, values in answers.items():
        for person, value in zip(people, values, strict=False):
            record_answer(session, key, team_id, pulse.id, person, item, value)
    if checkin is not None:
        session.add(
            CtoCheckin(
                pulse_id=pulse.id,
                team_id=team_id,
                operations_share=checkin[0],
                decisions_waiting=checkin[1],
            )
        )
    if close:
        close_pulse(session, key, team_id, pulse.id, opened + timedelta(days=3))
    session.flush()
    return pulse.id
