"""What the team tells the bot about its answers, and the phrasings leadership teaches it.

- A refused question ("not my area", "the closest topics are…") is kept for leadership to
  review; so is a question whose answer someone marked 👎. A 👍 keeps the topic and nothing
  of the question. No row says who asked or who rated.
- Leadership teaches a phrasing (`/vpe ask teach "<question>" <topic>`): that workspace's
  questions with the same words then get that topic (`Matcher.match(taught=...)`). Other
  workspaces never see it.
- Refusals and ratings are deleted after `KEEP_FOR` (hourly housekeeping); taught phrasings
  stay until leadership teaches the phrasing another topic or the workspace is deleted.

Domain code: takes a `Session`, never commits (the caller's `unit_of_work` does).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.core.i18n import Lang
from bot.storage.models import AskFeedback, TaughtPhrasing

KEEP_FOR = timedelta(days=90)
QUESTION_CHARS = 500  # what is kept of a question (the column's size)
REVIEW_ROWS = 15  # questions shown by `/vpe ask review`
Verdict = Literal["refused", "disliked", "liked"]


@dataclass(frozen=True)
class ReviewItem:
    """One question to review: refused, or answered with a topic someone disliked."""

    question: str
    lang: str
    verdict: Verdict
    topic: str | None
    times: int
    last: datetime


@dataclass(frozen=True)
class Review:
    """The last weeks' questions to look at, most recent first, and the ratings' totals."""

    items: tuple[ReviewItem, ...]
    liked: int
    disliked: int
    refused: int


def record(
    session: Session,
    team_id: str,
    verdict: Verdict,
    question: str,
    lang: Lang,
    topic: str | None,
    now: datetime,
) -> None:
    """Keep one refusal or rating, without the person (a 👍 keeps no words either). The day
    is kept, not the time: the moment of a question cannot point at who asked it."""
    words = "" if verdict == "liked" else " ".join(question.split())[:QUESTION_CHARS]
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    session.add(
        AskFeedback(
            team_id=team_id,
            verdict=verdict,
            question=words,
            lang=lang,
            topic=topic,
            created_at=day,
        )
    )


def review(session: Session, team_id: str, now: datetime, limit: int = REVIEW_ROWS) -> Review:
    """Refused and disliked questions of the last `KEEP_FOR`, the same question counted once."""
    since = now - KEEP_FOR
    totals: Counter[str] = Counter(
        dict(
            session.execute(
                select(AskFeedback.verdict, func.count())
                .where(AskFeedback.team_id == team_id, AskFeedback.created_at >= since)
                .group_by(AskFeedback.verdict)
            ).all()
        )
    )
    rows = session.execute(
        select(
            AskFeedback.question,
            AskFeedback.lang,
            AskFeedback.verdict,
            AskFeedback.topic,
            func.count(),
            func.max(AskFeedback.created_at),
        )
        .where(
            AskFeedback.team_id == team_id,
            AskFeedback.created_at >= since,
            AskFeedback.verdict.in_(("refused", "disliked")),
        )
        .group_by(AskFeedback.question, AskFeedback.lang, AskFeedback.verdict, AskFeedback.topic)
        .order_by(func.max(AskFeedback.created_at).desc(), AskFeedback.question)
        .limit(limit)
    ).all()
    items = tuple(
        ReviewItem(question, lang, verdict, topic, int(times), last)  # type: ignore[arg-type]
        for question, lang, verdict, topic, times, last in rows
    )
    return Review(items, totals["liked"], totals["disliked"], totals["refused"])


def teach(session: Session, team_id: str, question: str, topic: str, now: datetime) -> bool:
    """Remember that this workspace's `question` is about `topic`; True when it is new, False
    when it replaced what the same phrasing was taught before."""
    words = " ".join(question.split())[:QUESTION_CHARS]
    existing = session.scalar(
        select(TaughtPhrasing).where(
            TaughtPhrasing.team_id == team_id, TaughtPhrasing.question == words
        )
    )
    if existing is not None:
        existing.topic, existing.created_at = topic, now
        return False
    session.add(TaughtPhrasing(team_id=team_id, question=words, topic=topic, created_at=now))
    return True


def taught(session: Session, team_id: str) -> list[tuple[str, str]]:
    """This workspace's taught phrasings and their topics, oldest first."""
    rows = session.execute(
        select(TaughtPhrasing.question, TaughtPhrasing.topic)
        .where(TaughtPhrasing.team_id == team_id)
        .order_by(TaughtPhrasing.id)
    ).all()
    return [(question, topic) for question, topic in rows]


def forget_old(session: Session, now: datetime) -> int:
    """Delete refusals and ratings older than `KEEP_FOR`; return how many. Taught phrasings
    are leadership's settings: they stay until the workspace goes."""
    result = session.execute(delete(AskFeedback).where(AskFeedback.created_at < now - KEEP_FOR))
    return int(getattr(result, "rowcount", 0) or 0)
