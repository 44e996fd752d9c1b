"""Recording answers, comments and the CTO check-in, anonymously and at most once each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import limits
from bot.pulses.questions import SCALE, PulseContent
from bot.pulses.respondents import respondent_token
from bot.storage.models import CtoCheckin, Pulse, PulseAnswer, PulseComment, PulseRecipient
from bot.storage.sql import upsert

COMMENT_LIMIT = limits.COMMENT  # the handler refuses longer ones; this never stores more


class AnswerRefused(Exception):
    """Why a tap cannot count: no_pulse, closed, not_asked, bad_item, bad_value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_respondent(session: Session, team_id: str, pulse_id: int, user_id: str) -> Pulse:
    """The open pulse this person was asked in; AnswerRefused otherwise."""
    pulse = session.get(Pulse, pulse_id)
    if pulse is None or pulse.team_id != team_id:
        raise AnswerRefused("no_pulse")
    if pulse.status != "open":
        raise AnswerRefused("closed")
    recipient = session.get(PulseRecipient, (pulse_id, user_id))
    if recipient is None or recipient.team_id != team_id:
        raise AnswerRefused("not_asked")
    return pulse


def record_answer(
    session: Session,
    key: bytes,
    team_id: str,
    pulse_id: int,
    user_id: str,
    item: str,
    value: int,
    tapped_at: float = 0.0,
) -> None:
    """Store (or change) one answer. The database keeps one row per person, item and pulse.

    `tapped_at` (Slack's action_ts) orders taps: when taps arrive out of order, the last
    one the person made wins. Nothing else is written: a row about the person changed in
    this transaction would join them to the answer (docs/privacy.md).
    """
    pulse = check_respondent(session, team_id, pulse_id, user_id)
    if item not in pulse.items:
        raise AnswerRefused("bad_item")
    if value not in SCALE:
        raise AnswerRefused("bad_value")
    token = respondent_token(key, team_id, pulse_id, user_id)
    row = {"pulse_id": pulse_id, "item": item, "respondent": token, "team_id": team_id}
    upsert(
        session,
        PulseAnswer,
        ["pulse_id", "item", "respondent"],
        {**row, "value": value, "tapped_at": tapped_at},
        newer="tapped_at",
    )


def record_comment(
    session: Session, key: bytes, team_id: str, pulse_id: int, user_id: str, text: str
) -> None:
    """Store, change or (with empty text) remove the person's comment."""
    check_respondent(session, team_id, pulse_id, user_id)
    token = respondent_token(key, team_id, pulse_id, user_id)
    existing = session.get(PulseComment, (pulse_id, token))
    cleaned = text.strip()[:COMMENT_LIMIT]
    if not cleaned:
        if existing is not None:
            session.delete(existing)
        return
    row = {"pulse_id": pulse_id, "respondent": token, "team_id": team_id, "text": cleaned}
    upsert(session, PulseComment, ["pulse_id", "respondent"], row)


def my_answers(
    session: Session, key: bytes, team_id: str, pulse_id: int, user_id: str
) -> tuple[dict[str, int], str | None]:
    """What this person answered so far (to redraw their message), and their comment."""
    token = respondent_token(key, team_id, pulse_id, user_id)
    rows = session.execute(
        select(PulseAnswer.item, PulseAnswer.value).where(
            PulseAnswer.pulse_id == pulse_id, PulseAnswer.respondent == token
        )
    ).all()
    comment = session.get(PulseComment, (pulse_id, token))
    answers: dict[str, int] = {row.item: row.value for row in rows}
    return answers, (comment.text if comment else None)


def has_answered(session: Session, key: bytes, team_id: str, pulse_id: int, user_id: str) -> bool:
    """Whether this person answered a statement of the pulse, found through their token."""
    token = respondent_token(key, team_id, pulse_id, user_id)
    query = select(PulseAnswer.item).where(
        PulseAnswer.pulse_id == pulse_id, PulseAnswer.respondent == token
    )
    return session.execute(query.limit(1)).first() is not None


def record_checkin(
    session: Session, content: PulseContent, team_id: str, pulse_id: int, field: str, value: int
) -> CtoCheckin:
    """The CTO's check-in answer for a pulse (`operations` or `decisions`)."""
    pulse = session.get(Pulse, pulse_id)
    if pulse is None or pulse.team_id != team_id:
        raise AnswerRefused("no_pulse")
    if pulse.status != "open":
        raise AnswerRefused("closed")
    question = {"operations": content.operations, "decisions": content.decisions}.get(field)
    if question is None or value not in question.values:
        raise AnswerRefused("bad_value")
    values: dict[str, object] = {"pulse_id": pulse_id, "team_id": team_id}
    values["operations_share" if field == "operations" else "decisions_waiting"] = value
    upsert(session, CtoCheckin, ["pulse_id"], values)
    checkin = session.get(CtoCheckin, pulse_id, populate_existing=True)
    assert checkin is not None
    return checkin
