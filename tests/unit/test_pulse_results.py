"""Results: means, distributions and changes from K answers on; nothing below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulses.answers import record_answer, record_comment
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.pulses.questions import pulse_content
from bot.pulses.reporting import clamp_threshold
from bot.pulses.results import PulseResults, pulse_results
from bot.storage.models import Pulse

KEY = b"k" * 32
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PEOPLE = [f"U{n}" for n in range(10)]  # K = 5 shows distributions from 2K asked


def run_pulse(
    session: Session, answers: dict[str, list[int]], week: int = 0, comments: int = 0
) -> int:
    """A closed pulse asked to ten people; `answers[item]` holds one value per answerer, and
    the first `comments` people leave a comment."""
    opened = NOW + timedelta(weeks=week)
    pulse = open_pulse(
        session,
        PulsePlan(
            team_id="T1",
            recipients=[Recipient(p, "en") for p in PEOPLE],
            items=["predictability", "cto_bottleneck"],
            opened_at=opened,
            closes_at=opened + timedelta(days=3),
        ),
    )
    for person in PEOPLE:
        mark_sent(session, pulse.id, person, f"D{person}", "1.0")
    for item, values in answers.items():
        for person, value in zip(PEOPLE, values, strict=False):
            record_answer(session, KEY, "T1", pulse.id, person, item, value)
    for n, person in enumerate(PEOPLE[:comments]):
        record_comment(session, KEY, "T1", pulse.id, person, f"comment {n}")
    close_pulse(session, KEY, "T1", pulse.id, opened + timedelta(days=3))
    session.flush()
    return pulse.id


def results(
    session: Session, pulse_id: int, previous_id: int | None = None, k: int = 5
) -> PulseResults:
    pulse = session.get(Pulse, pulse_id)
    previous = session.get(Pulse, previous_id) if previous_id else None
    assert pulse is not None
    return pulse_results(session, pulse_content(), pulse, previous, k)


def test_six_of_ten_shows_means_distribution_and_reverse_scores(session: Session) -> None:
    pulse_id = run_pulse(
        session, {"predictability": [4, 4, 3, 5, 2, 4], "cto_bottleneck": [5, 4, 5, 5, 4, 5]}
    )
    shown = results(session, pulse_id)
    assert (shown.respondents, shown.asked, shown.visible) == (6, 10, True)
    predictability, bottleneck = shown.items
    assert predictability.mean == 3.67
    assert predictability.distribution == (0, 1, 1, 3, 1)
    assert bottleneck.item.reverse
    assert bottleneck.mean == 4.67
    assert bottleneck.score == 1.33, "agreeing that decisions wait on the CTO is bad news"


def test_below_the_threshold_nothing_but_the_count(session: Session) -> None:
    pulse_id = run_pulse(session, {"predictability": [1, 2], "cto_bottleneck": [5, 5]})
    shown = results(session, pulse_id)
    assert (shown.respondents, shown.visible) == (2, False)
    assert all(item.mean is None and item.distribution is None for item in shown.items)
    assert shown.comments is None


def test_change_since_the_previous_pulse(session: Session) -> None:
    before = run_pulse(session, {"predictability": [4, 4, 4, 4, 4]})
    after = run_pulse(session, {"predictability": [3, 3, 3, 3, 2]}, week=1)
    shown = results(session, after, before)
    assert shown.items[0].change == -1.2
    assert shown.items[1].mean is None, "nobody answered it: hidden, no change"


def test_comments_need_k_commenters(session: Session) -> None:
    four = run_pulse(session, {"predictability": [4] * 6}, comments=4)
    assert results(session, four).comments is None
    five = run_pulse(session, {"predictability": [4] * 6}, week=1, comments=5)
    shown = results(session, five).comments
    assert shown is not None
    assert sorted(shown) == [f"comment {n}" for n in range(5)]
    assert results(session, five).comments == shown, "in the order frozen at the close"


def test_threshold_stays_between_three_and_ten() -> None:
    assert [clamp_threshold(k) for k in (0, 3, 5, 10, 50)] == [3, 3, 5, 10, 10]


def test_results_are_frozen_at_the_close_so_an_erasure_reveals_nothing(session: Session) -> None:
    """Differencing attack: compare results before and after someone's erasure."""
    from bot.privacy.erasure import forget_person
    from bot.storage.models import PulseAnswer

    pulse_id = run_pulse(session, {"predictability": [5, 1, 1, 1, 1, 1]}, comments=5)
    before = results(session, pulse_id)
    report = forget_person(session, KEY, "T1", PEOPLE[0])
    after = results(session, pulse_id)
    assert (after.respondents, after.asked) == (before.respondents, before.asked)
    assert after.items[0].distribution == before.items[0].distribution == (5, 0, 0, 0, 1)
    assert after.comments == before.comments, "the comment stays, in its place"
    assert (report.answers, report.comments, report.unlinked) == (0, 0, 1)
    remaining = session.scalars(select(PulseAnswer.value).where(PulseAnswer.pulse_id == pulse_id))
    assert list(remaining) == [], "after the close, answers are only totals"


def test_forget_me_before_the_close_takes_the_comment_away(session: Session) -> None:
    """Nothing has been shown yet: the person's answers and comment simply go."""
    from bot.privacy.erasure import forget_person

    opened = NOW + timedelta(weeks=3)
    pulse = open_pulse(
        session,
        PulsePlan("T1", [Recipient(p, "en") for p in PEOPLE], ["predictability"], opened, opened),
    )
    for n, person in enumerate(PEOPLE[:6]):
        mark_sent(session, pulse.id, person, f"D{person}", "1.0")
        record_answer(session, KEY, "T1", pulse.id, person, "predictability", 4)
        record_comment(session, KEY, "T1", pulse.id, person, f"comment {n}")
    report = forget_person(session, KEY, "T1", PEOPLE[0])
    assert (report.answers, report.comments, report.unlinked) == (1, 1, 0)
    close_pulse(session, KEY, "T1", pulse.id, opened)
    shown = results(session, pulse.id)
    assert shown.respondents == 5
    assert shown.comments is not None
    assert sorted(shown.comments) == [f"comment {n}" for n in range(1, 6)]
