"""Reminders at the right moments and never at the weekend; deliveries claimed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.pulses.answers import record_answer
from bot.pulses.lifecycle import PulsePlan, Recipient, open_pulse, participation
from bot.pulses.outbox import MAX_ATTEMPTS, STALE_AFTER, claim_next, mark_sent, release
from bot.pulses.reminders import claim_reminders, due_stage, is_weekend, reminder_times
from bot.storage.models import PulseRecipient

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def a_pulse(session: Session, opened: datetime = MONDAY, days: int = 3) -> int:
    pulse = open_pulse(
        session,
        PulsePlan(
            team_id="T1",
            recipients=[Recipient(u, "en") for u in ("U1", "U2", "U3")],
            items=["energy"],
            opened_at=opened,
            closes_at=opened + timedelta(days=days),
            timezone="Europe/Paris",
        ),
    )
    return pulse.id


def test_reminders_halfway_and_shortly_before_the_close() -> None:
    halfway, late = reminder_times(MONDAY, MONDAY + timedelta(days=3))
    assert halfway == MONDAY + timedelta(days=1, hours=12)
    assert late == MONDAY + timedelta(days=3) - timedelta(hours=14, minutes=24)


def test_no_reminder_at_the_weekend_and_one_claim_per_stage(session: Session) -> None:
    from bot.storage.models import Pulse

    thursday = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    pulse_id = a_pulse(session, opened=thursday, days=4)
    pulse = session.get(Pulse, pulse_id)
    assert pulse is not None
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert is_weekend(saturday, "Europe/Paris")
    assert due_stage(pulse, saturday) == 0, "halfway falls on Saturday: wait"
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert due_stage(pulse, monday) == 2, "by Monday both moments have passed"
    for user in ("U1", "U2", "U3"):
        mark_sent(session, pulse_id, user, f"D{user}", "1.0")
    record_answer(session, b"k" * 32, "T1", pulse_id, "U2", "energy", 4)
    first = claim_reminders(session, b"k" * 32, pulse, 2)
    assert sorted(r.user_id for r in first) == ["U1", "U3"], "only those who did not answer"
    assert claim_reminders(session, b"k" * 32, pulse, 2) == [], "a delayed stage goes out once"


def test_deliveries_are_claimed_once_and_dead_claims_resumed(session: Session) -> None:
    pulse_id = a_pulse(session)
    first = claim_next(session, pulse_id, MONDAY)
    second = claim_next(session, pulse_id, MONDAY)
    assert first is not None
    assert second is not None
    assert first.user_id != second.user_id
    mark_sent(session, pulse_id, second.user_id, "D2", "1.0")
    third = claim_next(session, pulse_id, MONDAY)
    assert third is not None
    assert claim_next(session, pulse_id, MONDAY) is None, "the first claim is still alive"
    later = MONDAY + STALE_AFTER + timedelta(seconds=1)
    resumed = claim_next(session, pulse_id, later, skip={third.user_id})
    assert resumed is not None
    assert (resumed.user_id, resumed.resumed) == (first.user_id, True)


def test_passing_failures_retry_then_give_up(session: Session) -> None:
    pulse_id = a_pulse(session)
    delivery = claim_next(session, pulse_id, MONDAY)
    assert delivery is not None
    release(session, pulse_id, delivery.user_id, "ratelimited", 1)
    row = session.get(PulseRecipient, (pulse_id, delivery.user_id))
    assert row is not None
    assert row.status == "pending"
    release(session, pulse_id, delivery.user_id, "fatal_error", MAX_ATTEMPTS)
    session.refresh(row)
    assert (row.status, row.error) == ("failed", "gave up: fatal_error")
    assert participation(session, pulse_id).failed == 1


def test_a_pulse_closed_mid_send_sends_no_more_dms(session: Session) -> None:
    """Closed (by hand, or replaced by the next scheduled pulse) while its DMs were still
    going out: the people not reached yet are not messaged about a closed pulse."""
    from bot.storage.models import Pulse

    pulse_id = a_pulse(session)
    assert claim_next(session, pulse_id, MONDAY) is not None
    pulse = session.get(Pulse, pulse_id)
    assert pulse is not None
    pulse.status = "closed"
    session.flush()
    assert claim_next(session, pulse_id, MONDAY) is None
    later = MONDAY + STALE_AFTER + timedelta(seconds=1)
    assert claim_next(session, pulse_id, later) is None, "nor a dead claim resumed"
