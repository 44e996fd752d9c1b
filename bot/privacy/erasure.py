"""Erasure on request (`/vpe forget me`): everything the bot holds about one person.

Before a pulse closes, the person's answers and comment go. After it closes, its results
never change (an erasure must not be read off by comparing them before and after): the
answers are only totals by then, and the comment stays, its link to the person replaced by
a random token.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from bot.pulses.lifecycle import shuffle_comments
from bot.pulses.respondents import respondent_token
from bot.storage.models import (
    ActionPlan,
    AreaOwner,
    CtoCheckin,
    Leader,
    OrgFacts,
    Pulse,
    PulseAnswer,
    PulseComment,
    PulseRecipient,
    PulseSchedule,
    PulseTeam,
    PulseTeamMember,
    RoleHolder,
    SlackUser,
    StrategicEvent,
    Team,
)


@dataclass(frozen=True)
class ForgetReport:
    deliveries: int
    answers: int
    comments: int
    checkins: int
    roles: int
    areas: int
    leadership: int
    unlinked: int  # comments on closed pulses kept, their link to the person gone


def forget_person(session: Session, key: bytes, team_id: str, user_id: str) -> ForgetReport:
    """Erase what the bot holds about one person in one workspace; say how much went."""
    asked = session.execute(
        select(PulseRecipient.pulse_id, Pulse.status)
        .join(Pulse, Pulse.id == PulseRecipient.pulse_id)
        .where(PulseRecipient.team_id == team_id, PulseRecipient.user_id == user_id)
    ).all()
    tokens = {pulse_id: respondent_token(key, team_id, pulse_id, user_id) for pulse_id, _ in asked}
    still_open = [tokens[pulse_id] for pulse_id, status in asked if status == "open"]
    answers = _delete(session, PulseAnswer, PulseAnswer.respondent.in_(tokens.values()), team_id)
    comments = _delete(session, PulseComment, PulseComment.respondent.in_(still_open), team_id)
    unlinked = _unlink_comments(session, team_id, tokens)
    deliveries = _delete(session, PulseRecipient, PulseRecipient.user_id == user_id, team_id)
    _delete(session, PulseTeamMember, PulseTeamMember.user_id == user_id, team_id)
    cto_pulses = select(Pulse.id).where(Pulse.team_id == team_id, Pulse.checkin_user == user_id)
    checkins = _delete(session, CtoCheckin, CtoCheckin.pulse_id.in_(cto_pulses), team_id)
    roles = _delete(session, RoleHolder, RoleHolder.user_id == user_id, team_id)
    areas = _delete(session, AreaOwner, AreaOwner.user_id == user_id, team_id)
    leadership = _delete(session, Leader, Leader.user_id == user_id, team_id)
    _delete(session, SlackUser, SlackUser.user_id == user_id, team_id)
    _scrub_mentions(session, team_id, user_id)
    return ForgetReport(deliveries, answers, comments, checkins, roles, areas, leadership, unlinked)


def _unlink_comments(session: Session, team_id: str, tokens: dict[int, str]) -> int:
    """Keep the person's comments on closed pulses, under a random token instead of theirs.

    Each pulse concerned has all its comments rewritten together, in their frozen order, so
    that no row stands out as the one changed (PostgreSQL's xmin, SQLite's rowid).
    """
    found = session.execute(
        select(PulseComment.pulse_id, PulseComment.respondent).where(
            PulseComment.team_id == team_id, PulseComment.respondent.in_(tokens.values())
        )
    ).all()
    rng = random.SystemRandom()
    for pulse_id, token in found:
        shuffle_comments(session, pulse_id, rng, unlink=token)
    return len(found)


def _delete(session: Session, model: Any, condition: ColumnElement[bool], team_id: str) -> int:
    result = session.execute(delete(model).where(condition, model.team_id == team_id))
    return int(getattr(result, "rowcount", 0) or 0)


def _scrub_mentions(session: Session, team_id: str, user_id: str) -> None:
    """Remove the person from who-did-what columns and from schedules' audiences."""
    blanked: list[tuple[Any, str]] = [
        (RoleHolder, "updated_by"),
        (AreaOwner, "updated_by"),
        (Leader, "added_by"),
        (PulseSchedule, "created_by"),
        (Team, "created_by"),
        (ActionPlan, "owner"),
    ]
    for model, column in blanked:
        field = getattr(model, column)
        session.execute(
            update(model).where(model.team_id == team_id, field == user_id).values({column: ""})
        )
    for model, column in (
        (Pulse, "started_by"),
        (Pulse, "checkin_user"),
        (StrategicEvent, "created_by"),
        (OrgFacts, "updated_by"),
        (Team, "manager_id"),
        (PulseTeam, "manager_id"),
        (ActionPlan, "created_by"),
        (ActionPlan, "done_by"),
    ):
        field = getattr(model, column)
        session.execute(
            update(model).where(model.team_id == team_id, field == user_id).values({column: None})
        )
    mention = f"<@{user_id}>"
    for pulse in session.scalars(
        select(Pulse).where(Pulse.team_id == team_id, Pulse.audience_label.contains(mention))
    ):
        pulse.audience_label = pulse.audience_label.replace(mention, "…")
    for schedule in session.scalars(select(PulseSchedule).where(PulseSchedule.team_id == team_id)):
        users = list(schedule.audience.get("users", []))
        if user_id in users:
            users.remove(user_id)
            schedule.audience = {**schedule.audience, "users": users}
