"""Pulse lifecycle at its edges: what an opening stores, what a close freezes, and the counts
read before and after it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.privacy.erasure import forget_person
from bot.pulses.answers import record_answer
from bot.pulses.by_team import Roster, team_results
from bot.pulses.lifecycle import (
    AudienceTooClose,
    PulseAlreadyOpen,
    PulsePlan,
    Recipient,
    claim_checkin,
    close_pulse,
    closed_pulses,
    open_pulse,
    open_pulse_of,
    participation,
    recipients_of,
    record_away,
    unlinked_token,
)
from bot.pulses.outbox import mark_sent
from bot.pulses.questions import pulse_content
from bot.pulses.respondents import respondent_token
from bot.pulses.results import frozen_comments
from bot.storage.models import Pulse, PulseComment, PulseRecipient, Workspace
from tests.unit.test_pulse_history_paths import KEY, PEOPLE, START, Plan, everyone, run


def stored(session: Session, pulse_id: int) -> Pulse:
    pulse = session.get(Pulse, pulse_id, populate_existing=True)
    assert pulse is not None
    return pulse


def test_an_opening_stores_the_whole_plan(session: Session) -> None:
    plan = PulsePlan(
        team_id="T1",
        recipients=[Recipient("U1", "fr"), Recipient("U2", "en", counted=False)],
        items=["energy"],
        opened_at=START,
        closes_at=START + timedelta(days=2),
        timezone="Europe/Paris",
        language="fr",
        audience_label="x" * 400,
        started_by="UBOSS",
        schedule_id=42,
    )
    pulse_id = open_pulse(session, plan).id
    session.expunge_all()
    pulse = stored(session, pulse_id)
    assert (pulse.status, pulse.language, pulse.timezone) == ("open", "fr", "Europe/Paris")
    assert pulse.audience_label == "x" * 300
    assert (pulse.started_by, pulse.schedule_id) == ("UBOSS", 42)
    recipients = session.execute(
        select(PulseRecipient.user_id, PulseRecipient.language, PulseRecipient.counted)
        .where(PulseRecipient.pulse_id == pulse_id)
        .order_by(PulseRecipient.user_id)
    ).all()
    assert [tuple(r) for r in recipients] == [("U1", "fr", True), ("U2", "en", False)]


def test_an_open_pulse_refuses_another_and_says_when(session: Session) -> None:
    first = run(session, Plan(0, team="T1"), close=False)
    session.execute(update(Pulse).where(Pulse.id == first).values(timezone="Asia/Tokyo"))
    with pytest.raises(PulseAlreadyOpen) as refused:
        run(session, Plan(0, team="T1"), close=False)
    assert str(refused.value) == f"pulse {first} is open"
    assert refused.value.timezone == "Asia/Tokyo"
    assert refused.value.opened_at == stored(session, first).opened_at
    assert open_pulse_of(session, "T2") is None, "another workspace's open pulse is not ours"


def test_a_refused_audience_says_by_how_much(session: Session) -> None:
    session.add(Workspace(team_id="T1", anonymity_threshold=5))
    run(session, Plan(0, people=PEOPLE[:10]))
    with pytest.raises(AudienceTooClose) as refused:
        run(session, Plan(0, people=PEOPLE[:8]))
    assert str(refused.value) == "audience differs by 2 from a recent pulse"


def test_the_close_is_seen_by_whoever_holds_the_pulse(session: Session) -> None:
    pulse_id = run(session, Plan(0, answers=everyone(PEOPLE[:6])), close=False)
    held = session.get(Pulse, pulse_id)
    assert held is not None
    assert held.status == "open"
    now = START + timedelta(days=3)
    assert close_pulse(session, KEY, "T1", pulse_id, now)
    assert (held.status, held.respondents, held.asked) == ("closed", 6, 10)
    assert stored(session, pulse_id).closed_at is not None
    assert stored(session, pulse_id).closed_at.replace(tzinfo=None) == now.replace(tzinfo=None)  # type: ignore[union-attr]


def test_closing_an_unknown_pulse_closes_nothing(session: Session) -> None:
    open_id = run(session, Plan(0), close=False)
    assert not close_pulse(session, KEY, "T1", open_id + 1000, START)
    assert stored(session, open_id).status == "open"


def test_someone_known_in_one_pulse_still_counts_in_another(session: Session) -> None:
    run(session, Plan(0, answers=everyone(PEOPLE[:6]), known=PEOPLE[:1]))
    second = run(session, Plan(1, answers=everyone(PEOPLE[:6])))
    assert stored(session, second).counted_respondents == 6


def test_participation_edges(session: Session) -> None:
    assert participation(session, 987654) == participation(session, 987655)
    assert participation(session, 987654).asked == 0
    sent_only = run(session, Plan(0, answers=everyone(PEOPLE[:2])), close=False)
    now = participation(session, sent_only)
    assert (now.asked, now.pending, now.failed, now.answered) == (10, 0, 0, 2)
    session.execute(
        update(PulseRecipient)
        .where(PulseRecipient.pulse_id == sent_only, PulseRecipient.user_id.in_(PEOPLE[:2]))
        .values(status="sending")
    )
    session.execute(
        update(PulseRecipient)
        .where(PulseRecipient.pulse_id == sent_only, PulseRecipient.user_id == PEOPLE[2])
        .values(status="pending")
    )
    assert participation(session, sent_only).pending == 3, "being sent counts as pending"
    close_pulse(session, KEY, "T1", sent_only, START + timedelta(days=3))
    nobody = run(session, Plan(1, failed=PEOPLE[:10]))
    assert participation(session, nobody).asked == 0, "no DM delivered: nobody asked"


def test_a_single_comment_is_frozen(session: Session) -> None:
    pulse_id = run(session, Plan(0, answers=everyone(PEOPLE[:6]), comments=PEOPLE[:1]))
    texts = session.scalars(select(PulseComment.position).where(PulseComment.pulse_id == pulse_id))
    assert list(texts) == [0]


def test_an_erasure_after_the_close_unlinks_the_comment(session: Session) -> None:
    pulse_id = run(session, Plan(0, answers=everyone(PEOPLE[:6]), comments=PEOPLE[:10]))
    before = frozen_comments(session, stored(session, pulse_id))
    forget_person(session, KEY, "T1", PEOPLE[0])
    assert frozen_comments(session, stored(session, pulse_id)) == before, "the same order"
    tokens = set(
        session.scalars(select(PulseComment.respondent).where(PulseComment.pulse_id == pulse_id))
    )
    assert len(tokens) == 10
    assert respondent_token(KEY, "T1", pulse_id, PEOPLE[0]) not in tokens
    assert respondent_token(KEY, "T1", pulse_id, PEOPLE[1]) in tokens


def test_an_unlinked_token_is_shaped_like_the_others() -> None:
    assert {len(unlinked_token(random.Random(seed))) for seed in range(40)} == {40}


def test_closed_pulses_in_the_order_they_closed(session: Session) -> None:
    late = run(session, Plan(0), close=False)
    close_pulse(session, KEY, "T1", late, START + timedelta(weeks=5))
    early = run(session, Plan(1))
    same_a = run(session, Plan(2), close=False)
    close_pulse(session, KEY, "T1", same_a, START + timedelta(weeks=6))
    same_b = run(session, Plan(3), close=False)
    close_pulse(session, KEY, "T1", same_b, START + timedelta(weeks=6))
    still_open = run(session, Plan(4), close=False)
    found = [p.id for p in closed_pulses(session, "T1", 10)]
    assert found == [same_b, same_a, late, early]
    assert still_open not in found


def test_a_check_in_claim_touches_its_own_pulse_only(session: Session) -> None:
    run(session, Plan(0, team="T2"), close=False)
    mine = run(session, Plan(0), close=False)
    assert claim_checkin(session, mine, "UCTO")
    assert all(
        p.checkin_user is None for p in session.scalars(select(Pulse).where(Pulse.id != mine)).all()
    )


def test_the_people_asked_are_everyone_the_pulse_reached_whether_they_answered_or_not(
    session: Session,
) -> None:
    run(session, Plan(0, people=PEOPLE[8:], team="T2"))
    mine = run(session, Plan(0, people=PEOPLE[:6], answers=everyone(PEOPLE[:2])), close=False)
    assert sorted(recipients_of(session, mine)) == PEOPLE[:6]


def test_the_away_count_is_kept_on_its_own_pulse(session: Session) -> None:
    other = run(session, Plan(0, team="T2"))
    mine = run(session, Plan(0))
    record_away(session, mine, 2)
    assert (stored(session, mine).away, stored(session, other).away) == (2, None)


def test_team_rosters_opened_with_a_pulse_are_counted_at_its_close(session: Session) -> None:
    """A team with members is kept with the pulse and its figures made at the close; a team
    with nobody among the recipients is not kept at all. Six in the team, six outside."""
    plan = PulsePlan(
        team_id="T1",
        recipients=[Recipient(p, "en") for p in PEOPLE],
        items=["predictability"],
        opened_at=START,
        closes_at=START + timedelta(days=1),
        teams=[Roster("a", "A", None, PEOPLE[:6]), Roster("none", "None", None, [])],
    )
    pulse = open_pulse(session, plan)
    for person in PEOPLE:
        mark_sent(session, pulse.id, person, f"D{person}", "1.0")
        value = 2 if person in PEOPLE[:6] else 5
        record_answer(session, KEY, "T1", pulse.id, person, "predictability", value)
    assert close_pulse(session, KEY, "T1", pulse.id, START + timedelta(days=1))
    teams = team_results(session, pulse_content(), stored(session, pulse.id), None, 5)
    assert [(t.key, t.asked, t.respondents, t.hidden) for t in teams] == [("a", 6, 6, None)]
    assert teams[0].items[0].mean == 2.0
