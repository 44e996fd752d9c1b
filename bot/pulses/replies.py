"""Replies to anonymous comments: leadership answers a comment results showed, its author
answers back, and nobody learns who the author is.

A comment is named by its pulse and the position the close shuffled it into. Its author is
found the way `forget me` finds a person's data: the respondent token of each person the
pulse asked is recomputed with the key and compared with the comment's (only the bot holds
the key). Nothing stored here names anyone: a reply row holds the comment's pulse and
position, who spoke (leadership or the author) and the words; no user id, no time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulses.respondents import respondent_token
from bot.storage.models import CommentReply, Pulse, PulseComment, PulseRecipient

REPLY_LIMIT = 2_000


@dataclass(frozen=True)
class ThreadMessage:
    from_author: bool
    text: str


def comment_at(session: Session, team_id: str, pulse_id: int, position: int) -> PulseComment | None:
    """The comment of a closed pulse at its frozen position, or None."""
    return session.scalars(
        select(PulseComment)
        .join(Pulse, Pulse.id == PulseComment.pulse_id)
        .where(
            PulseComment.team_id == team_id,
            PulseComment.pulse_id == pulse_id,
            PulseComment.position == position,
            Pulse.status == "closed",
        )
    ).first()


def add_reply(
    session: Session, team_id: str, pulse_id: int, position: int, from_author: bool, text: str
) -> None:
    """One message of the thread; the transaction writes this row and nothing else."""
    session.add(
        CommentReply(
            team_id=team_id,
            pulse_id=pulse_id,
            position=position,
            from_author=from_author,
            text=text[:REPLY_LIMIT],
        )
    )


def thread(session: Session, team_id: str, pulse_id: int, position: int) -> list[ThreadMessage]:
    rows = session.execute(
        select(CommentReply.from_author, CommentReply.text)
        .where(
            CommentReply.team_id == team_id,
            CommentReply.pulse_id == pulse_id,
            CommentReply.position == position,
        )
        .order_by(CommentReply.id)
    )
    return [ThreadMessage(bool(author), text) for author, text in rows]


def find_author(key: bytes, session: Session, comment: PulseComment) -> str | None:
    """The person whose token the comment carries, among those the pulse asked; None when
    nobody matches (the author ran `forget me`, or left)."""
    asked = session.scalars(
        select(PulseRecipient.user_id).where(
            PulseRecipient.team_id == comment.team_id, PulseRecipient.pulse_id == comment.pulse_id
        )
    )
    for user_id in asked:
        if respondent_token(key, comment.team_id, comment.pulse_id, user_id) == comment.respondent:
            return user_id
    return None


def is_author(key: bytes, comment: PulseComment, user_id: str) -> bool:
    return respondent_token(key, comment.team_id, comment.pulse_id, user_id) == comment.respondent
