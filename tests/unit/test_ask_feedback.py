"""What the team tells `/vpe ask`: reviewable refusals and ratings (never who), the 90-day
purge, and taught phrasings that change answers in their own workspace only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from bot.bootstrap import Deps, build_deps, build_services
from bot.core.config import Settings
from bot.qa import feedback
from bot.services.housekeeping import keep_house
from bot.storage.db import migrate, unit_of_work
from bot.storage.models import AskFeedback, TaughtPhrasing
from tests.support.databases import fresh_database
from tests.support.inprocess import Clock

NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)


def test_no_row_says_who_asked_or_rated(session: Session) -> None:
    for model in (AskFeedback, TaughtPhrasing):
        columns = {c.key for c in inspect(model).columns}
        assert not {c for c in columns if "user" in c or "person" in c}, columns
    feedback.record(session, "T1", "liked", "who owns delivery?", "en", "delivery", NOW)
    session.flush()
    assert session.scalars(select(AskFeedback.question)).all() == [""], "a 👍 keeps no words"


def test_review_lists_refused_and_disliked_questions_once_with_their_count(
    session: Session,
) -> None:
    ask = feedback.record
    ask(session, "T1", "refused", "what's the wifi password?", "en", None, NOW - timedelta(days=2))
    ask(session, "T1", "refused", "what's  the wifi password?", "en", None, NOW - timedelta(days=1))
    ask(session, "T1", "disliked", "who owns quality?", "en", "quality", NOW)
    ask(session, "T1", "liked", "who owns hiring?", "en", "hiring", NOW)
    ask(session, "T2", "refused", "c'est quoi le code wifi ?", "fr", None, NOW)
    ask(session, "T1", "refused", "too old to show", "en", None, NOW - timedelta(days=91))
    session.flush()
    review = feedback.review(session, "T1", NOW)
    assert [(i.question, i.verdict, i.times) for i in review.items] == [
        ("who owns quality?", "disliked", 1),
        ("what's the wifi password?", "refused", 2),
    ]
    assert (review.refused, review.disliked, review.liked) == (2, 1, 1)


def test_questions_kept_for_review_are_forgotten_after_90_days(session: Session) -> None:
    feedback.record(session, "T1", "refused", "old", "en", None, NOW - timedelta(days=90, hours=1))
    feedback.record(session, "T1", "refused", "recent", "en", None, NOW - timedelta(days=89))
    feedback.teach(
        session, "T1", "who keeps morale up?", "team_management", NOW - timedelta(days=400)
    )
    session.flush()
    assert feedback.forget_old(session, NOW) == 1
    assert session.scalars(select(AskFeedback.question)).all() == ["recent"]
    assert feedback.taught(session, "T1") == [("who keeps morale up?", "team_management")]


@pytest.fixture
def deps(backend: str, tmp_path: Path) -> Iterator[Deps]:
    with fresh_database(backend, tmp_path) as url:
        migrate(url)
        settings = Settings(
            database_url=url,
            slack_bot_token="xoxb-ask-token",
            anonymity_key="ask-test-anonymity-key-0123456789abcdef",
        )
        built = build_deps(settings, clock=Clock(NOW))
        yield built
        built.engine.dispose()


def test_the_hourly_housekeeping_forgets_old_questions(deps: Deps) -> None:
    with unit_of_work(deps.sessions) as session:
        feedback.record(session, "T1", "refused", "old", "en", None, NOW - timedelta(days=91))
        feedback.record(session, "T1", "disliked", "new", "en", "quality", NOW)
    keep_house(deps)
    with unit_of_work(deps.sessions) as session:
        assert session.scalars(select(AskFeedback.question)).all() == ["new"]


QUESTIONS = [
    "who keeps the pizza budget of the devs?",
    "qui garde les devs de bonne humeur le vendredi ?",
    "who owns delivery?",
    "what's the wifi password?",
]


def test_taught_phrasings_never_change_answers_in_another_workspace(deps: Deps) -> None:
    asking = build_services(deps).asking

    def answers(team_id: str) -> list[tuple[str | None, str]]:
        found = [asking.answer(team_id, q, record=False) for q in QUESTIONS]
        return [(a.entry.id if a.entry else None, a.kind) for a in found]

    before = {team: answers(team) for team in ("T1", "T2")}
    topic = asking.find_topic("Talent growth")
    assert topic is not None
    assert asking.teach("T1", "Who keeps the PIZZA budget of the devs", topic)
    assert not asking.teach("T1", "Who keeps the PIZZA budget of the devs", topic)
    french = asking.find_topic("développement des talents")
    assert french is not None
    asking.teach("T1", "qui garde les devs de bonne humeur le vendredi", french)
    taught = answers("T1")
    assert taught[:2] == [("talent_growth", "answer"), ("talent_growth", "answer")]
    assert taught[2:] == before["T1"][2:], "other questions keep their answers"
    assert before["T1"][:2] != taught[:2]
    assert answers("T2") == before["T2"], "another workspace never sees what T1 taught"
    assert asking.answer("T1", "who keeps the pizza budget of the devs?").entry is not None
