"""Answers: one per person, item and pulse; anonymous in the schema; refused when forged."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from bot.pulses.answers import (
    AnswerRefused,
    has_answered,
    my_answers,
    record_answer,
    record_comment,
)
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.respondents import respondent_token
from bot.storage.models import PulseAnswer, PulseRecipient

KEY = b"k" * 32
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ITEMS = ["predictability", "energy"]


def plan(team: str = "T1", people: tuple[str, ...] = ("U1", "U2")) -> PulsePlan:
    return PulsePlan(
        team_id=team,
        recipients=[Recipient(user, "en") for user in people],
        items=ITEMS,
        opened_at=NOW,
        closes_at=NOW + timedelta(days=3),
    )


def test_a_second_tap_changes_the_answer(session: Session) -> None:
    pulse = open_pulse(session, plan())
    record_answer(session, KEY, "T1", pulse.id, "U1", "energy", 2)
    record_answer(session, KEY, "T1", pulse.id, "U1", "energy", 4)
    assert session.scalar(select(func.count()).select_from(PulseAnswer)) == 1
    assert my_answers(session, KEY, "T1", pulse.id, "U1") == ({"energy": 4}, None)
    assert has_answered(session, KEY, "T1", pulse.id, "U1")
    assert not has_answered(session, KEY, "T1", pulse.id, "U2")


def test_the_last_tap_wins_whatever_the_arrival_order(session: Session) -> None:
    pulse = open_pulse(session, plan())
    record_answer(session, KEY, "T1", pulse.id, "U1", "energy", 5, tapped_at=1700000002.5)
    record_answer(session, KEY, "T1", pulse.id, "U1", "energy", 1, tapped_at=1700000001.0)
    assert my_answers(session, KEY, "T1", pulse.id, "U1")[0] == {"energy": 5}
    record_answer(session, KEY, "T1", pulse.id, "U1", "energy", 2, tapped_at=1700000003.0)
    assert my_answers(session, KEY, "T1", pulse.id, "U1")[0] == {"energy": 2}


@pytest.mark.parametrize(
    ("team", "user", "item", "value", "reason"),
    [
        ("T1", "U9", "energy", 3, "not_asked"),
        ("T2", "U1", "energy", 3, "no_pulse"),
        ("T1", "U1", "payroll", 3, "bad_item"),
        ("T1", "U1", "energy", 0, "bad_value"),
        ("T1", "U1", "energy", 6, "bad_value"),
    ],
)
def test_forged_answers_are_refused(
    session: Session, team: str, user: str, item: str, value: int, reason: str
) -> None:
    pulse = open_pulse(session, plan())
    with pytest.raises(AnswerRefused) as refused:
        record_answer(session, KEY, team, pulse.id, user, item, value)
    assert refused.value.reason == reason
    assert session.scalar(select(func.count()).select_from(PulseAnswer)) == 0


def test_answers_after_the_close_are_refused(session: Session) -> None:
    pulse = open_pulse(session, plan())
    assert close_pulse(session, KEY, "T1", pulse.id, NOW)
    assert not close_pulse(session, KEY, "T1", pulse.id, NOW), "a pulse closes once"
    with pytest.raises(AnswerRefused, match="closed"):
        record_answer(session, KEY, "T1", pulse.id, "U1", "energy", 3)
    with pytest.raises(AnswerRefused, match="closed"):
        record_comment(session, KEY, "T1", pulse.id, "U1", "late")


def test_comments_are_kept_once_and_can_be_removed(session: Session) -> None:
    pulse = open_pulse(session, plan())
    record_comment(session, KEY, "T1", pulse.id, "U1", "  too many meetings  ")
    record_comment(session, KEY, "T1", pulse.id, "U1", "too many meetings, really")
    assert my_answers(session, KEY, "T1", pulse.id, "U1")[1] == "too many meetings, really"
    record_comment(session, KEY, "T1", pulse.id, "U1", "")
    assert my_answers(session, KEY, "T1", pulse.id, "U1")[1] is None


def test_answer_tables_hold_nothing_that_joins_to_a_person(engine: Engine) -> None:
    """The schema itself: no user id, nothing shared with recipients but the pulse, and no
    column of recipients that follows answering (an answered flag, a reminder count)."""
    inspector = inspect(engine)
    answers = {c["name"] for c in inspector.get_columns("pulse_answers")}
    comments = {c["name"] for c in inspector.get_columns("pulse_comments")}
    recipients = {c["name"] for c in inspector.get_columns("pulse_recipients")}
    assert answers == {"pulse_id", "item", "respondent", "team_id", "value", "tapped_at"}
    assert comments == {"pulse_id", "respondent", "team_id", "text", "position"}
    assert (answers | comments) & recipients == {"pulse_id", "team_id"}
    assert recipients.isdisjoint({"answered", "reminders_sent", "answered_at"})
    foreign = {fk["referred_table"] for fk in inspector.get_foreign_keys("pulse_answers")}
    assert foreign == {"pulses"}


def test_reply_rows_hold_no_user_id_and_no_time(engine: Engine) -> None:
    """A thread under an anonymous comment names the comment by pulse and frozen position,
    who spoke by a flag (leadership or the author), and nothing else: no user id, no
    token, no timestamp to match with a click."""
    inspector = inspect(engine)
    replies = {c["name"] for c in inspector.get_columns("comment_replies")}
    assert replies == {"id", "team_id", "pulse_id", "position", "from_author", "text"}
    foreign = {fk["referred_table"] for fk in inspector.get_foreign_keys("comment_replies")}
    assert foreign == {"pulses"}


def test_tokens_do_not_follow_a_person_across_pulses_or_without_the_key() -> None:
    first = respondent_token(KEY, "T1", 1, "U1")
    assert first == respondent_token(KEY, "T1", 1, "U1")
    assert first != respondent_token(KEY, "T1", 2, "U1")
    assert first != respondent_token(b"x" * 32, "T1", 1, "U1")
    assert "U1" not in first


@pytest.fixture
def open_pulse_id(engine: Engine) -> Iterator[int]:
    """A committed pulse (concurrency needs real transactions), removed afterwards."""
    people = tuple(f"U{n:03d}" for n in range(100))
    with Session(engine) as session, session.begin():
        pulse_id = open_pulse(session, plan("TCONC", people)).id
    yield pulse_id
    with Session(engine) as session, session.begin():
        for model in (PulseAnswer, PulseRecipient):
            session.query(model).filter_by(pulse_id=pulse_id).delete()
        from bot.storage.models import Pulse

        session.query(Pulse).filter_by(id=pulse_id).delete()


def tap(engine: Engine, pulse_id: int, user: str, value: int) -> None:
    with Session(engine) as session, session.begin():
        record_answer(session, KEY, "TCONC", pulse_id, user, "energy", value)


def test_concurrent_taps_keep_one_row_per_person(engine: Engine, open_pulse_id: int) -> None:
    barrier = threading.Barrier(20)

    def same_person(value: int) -> None:
        barrier.wait()
        tap(engine, open_pulse_id, "U000", value)

    threads = [threading.Thread(target=same_person, args=(1 + n % 5,)) for n in range(20)]
    threads += [
        threading.Thread(target=tap, args=(engine, open_pulse_id, f"U{n:03d}", 3))
        for n in range(1, 100)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        rows = session.scalars(
            select(PulseAnswer).where(PulseAnswer.pulse_id == open_pulse_id)
        ).all()
    assert len(rows) == 100
    assert len({row.respondent for row in rows}) == 100
