"""Opening and closing pulses. One pulse is open per workspace at a time."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.pulses.by_team import Roster, freeze_teams, record_rosters
from bot.pulses.reporting import TooClose, team_threshold, too_close
from bot.pulses.respondents import respondent_token
from bot.storage.models import Pulse, PulseAnswer, PulseComment, PulseRecipient, PulseTally
from bot.team.directory import lock_workspace


class PulseAlreadyOpen(Exception):
    """Carries plain values: the transaction that raised it is rolled back."""

    def __init__(self, pulse: Pulse) -> None:
        super().__init__(f"pulse {pulse.id} is open")
        self.opened_at, self.closes_at = pulse.opened_at, pulse.closes_at
        self.timezone = pulse.timezone


class AudienceTooClose(Exception):
    """A pulse of the last days asked nearly the same people (bot.pulses.reporting)."""

    def __init__(self, close: TooClose) -> None:
        super().__init__(f"audience differs by {close.difference} from a recent pulse")
        self.close = close


@dataclass(frozen=True)
class Recipient:
    user_id: str
    language: str
    counted: bool = True  # False: the requester can know this person's answers


@dataclass(frozen=True)
class PulsePlan:
    """Everything needed to open a pulse; the audience is already resolved to people."""

    team_id: str
    recipients: Sequence[Recipient]
    items: Sequence[str]
    opened_at: datetime
    closes_at: datetime
    timezone: str = "UTC"
    language: str | None = None
    audience_label: str = ""
    started_by: str | None = None
    schedule_id: int | None = None
    teams: Sequence[Roster] = ()  # each team's people among the recipients


def open_pulse(session: Session, plan: PulsePlan) -> Pulse:
    """Create the pulse and one pending delivery per person.

    Raises:
        PulseAlreadyOpen: the workspace already has an open pulse (one started at the same
            moment included: openings take turns).
        AudienceTooClose: a pulse of the last days asked people that differ from these by
            fewer than K (subtracting one from the other would single them out).
    """
    lock_workspace(session, plan.team_id)
    current = open_pulse_of(session, plan.team_id)
    if current is not None:
        raise PulseAlreadyOpen(current)
    audience = {recipient.user_id for recipient in plan.recipients}
    threshold = team_threshold(session, plan.team_id)
    recent = too_close(session, plan.team_id, audience, plan.opened_at, threshold)
    if recent is not None:
        raise AudienceTooClose(recent)
    pulse = Pulse(
        team_id=plan.team_id,
        status="open",
        items=list(plan.items),
        language=plan.language,
        timezone=plan.timezone,
        audience_label=plan.audience_label[:300],
        started_by=plan.started_by,
        schedule_id=plan.schedule_id,
        opened_at=plan.opened_at,
        closes_at=plan.closes_at,
    )
    session.add(pulse)
    session.flush()
    session.add_all(
        PulseRecipient(
            pulse_id=pulse.id,
            team_id=plan.team_id,
            user_id=recipient.user_id,
            language=recipient.language,
            counted=recipient.counted,
        )
        for recipient in {r.user_id: r for r in plan.recipients}.values()
    )
    record_rosters(session, pulse, [roster for roster in plan.teams if roster.members])
    session.flush()
    return pulse


def open_pulse_of(session: Session, team_id: str) -> Pulse | None:
    query = select(Pulse).where(Pulse.team_id == team_id, Pulse.status == "open")
    return session.scalars(query.order_by(Pulse.id.desc())).first()


def close_pulse(
    session: Session,
    key: bytes,
    team_id: str,
    pulse_id: int,
    now: datetime,
    rng: random.Random | None = None,
) -> bool:
    """Close an open pulse and freeze it; True for the one caller that closed it."""
    result = session.execute(
        update(Pulse)
        .where(Pulse.id == pulse_id, Pulse.team_id == team_id, Pulse.status == "open")
        .values(status="closed", closed_at=now)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    freeze_pulse(session, key, pulse_id, rng or random.SystemRandom())
    return True


def freeze_pulse(session: Session, key: bytes, pulse_id: int, rng: random.Random) -> None:
    """Count the pulse once, then keep nothing that ties an answer to a moment or a person.

    Results, digests, signals and exports read these frozen counts: what a pulse showed at
    its close is what it shows forever, even after someone's erasure. The raw answers go (no
    tap time, row order or transaction id survives), and comments are rewritten in a
    shuffled order, in this one transaction.
    """
    tally_pulse(session, pulse_id)
    pulse = session.get(Pulse, pulse_id, populate_existing=True)
    assert pulse is not None
    freeze_teams(session, key, pulse)
    known = {
        respondent_token(key, pulse.team_id, pulse_id, user_id)
        for user_id in session.scalars(
            select(PulseRecipient.user_id).where(
                PulseRecipient.pulse_id == pulse_id, PulseRecipient.counted.is_(False)
            )
        )
    }
    answered = answered_tokens(session, pulse_id)
    delivered = select(PulseRecipient.counted).where(
        PulseRecipient.pulse_id == pulse_id, PulseRecipient.status == "sent"
    )
    counted_flags = list(session.scalars(delivered))
    pulse.asked, pulse.respondents = len(counted_flags), len(answered)
    pulse.counted_asked = sum(1 for counted in counted_flags if counted)
    pulse.counted_respondents = len(answered - known)
    session.execute(delete(PulseAnswer).where(PulseAnswer.pulse_id == pulse_id))
    commenters = shuffle_comments(session, pulse_id, rng)
    pulse.counted_commenters = len(commenters - known)
    session.flush()


def tally_pulse(session: Session, pulse_id: int) -> None:
    """Count the answers per statement and value."""
    counted = select(
        PulseAnswer.pulse_id,
        PulseAnswer.item,
        PulseAnswer.value,
        PulseAnswer.team_id,
        func.count(),
    ).where(PulseAnswer.pulse_id == pulse_id)
    grouped = counted.group_by(
        PulseAnswer.pulse_id, PulseAnswer.item, PulseAnswer.value, PulseAnswer.team_id
    )
    session.execute(
        insert(PulseTally).from_select(["pulse_id", "item", "value", "team_id", "count"], grouped)
    )


def shuffle_comments(
    session: Session, pulse_id: int, rng: random.Random, unlink: str | None = None
) -> set[str]:
    """Rewrite the pulse's comments in a shuffled order (`position`), all in this transaction.

    Storage order follows arrival (SQLite's rowid, PostgreSQL's physical order) and every
    row keeps the id of the transaction that wrote it: rewriting all of them at once leaves
    neither. A second rewrite keeps the positions; `unlink` names a respondent token to
    replace with a random one. Returns the tokens as they were.
    """
    rows = session.execute(
        select(
            PulseComment.respondent, PulseComment.team_id, PulseComment.text, PulseComment.position
        ).where(PulseComment.pulse_id == pulse_id)
    ).all()
    if rows and rows[0].position is None:
        rows = list(rows)
        rng.shuffle(rows)
    else:
        rows = sorted(rows, key=lambda row: row.position or 0)
    session.execute(delete(PulseComment).where(PulseComment.pulse_id == pulse_id))
    session.flush()
    for position, row in enumerate(rows):
        token = unlinked_token(rng) if row.respondent == unlink else row.respondent
        session.execute(
            insert(PulseComment).values(
                pulse_id=pulse_id,
                respondent=token,
                team_id=row.team_id,
                text=row.text,
                position=position,
            )
        )
    return {row.respondent for row in rows}


def unlinked_token(rng: random.Random) -> str:
    """A token no key turns back into a person, shaped like the others."""
    return f"{rng.getrandbits(160):040x}"


def pulses_due_to_close(session: Session, now: datetime) -> list[tuple[str, int]]:
    query = select(Pulse.team_id, Pulse.id).where(Pulse.status == "open", Pulse.closes_at <= now)
    return [(team_id, pulse_id) for team_id, pulse_id in session.execute(query)]


def open_pulses(session: Session) -> list[Pulse]:
    return list(session.scalars(select(Pulse).where(Pulse.status == "open")))


def closed_pulses(session: Session, team_id: str, limit: int) -> list[Pulse]:
    """The latest closed pulses, newest first."""
    query = (
        select(Pulse)
        .where(Pulse.team_id == team_id, Pulse.status == "closed")
        .order_by(Pulse.closed_at.desc(), Pulse.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class Participation:
    asked: int
    pending: int
    failed: int
    answered: int


def participation(session: Session, pulse_id: int) -> Participation:
    """Counts only, never names: delivered, still being sent, failed, answered.

    A closed pulse answers with what was counted at its close.
    """
    rows = session.execute(
        select(PulseRecipient.status, func.count())
        .where(PulseRecipient.pulse_id == pulse_id)
        .group_by(PulseRecipient.status)
    ).all()
    counts = {"sent": 0, "pending": 0, "sending": 0, "failed": 0}
    for status, count in rows:
        counts[status] = counts.get(status, 0) + count
    pulse = session.get(Pulse, pulse_id)
    if pulse is not None and pulse.status == "closed" and pulse.respondents is not None:
        asked, answered = pulse.asked or 0, pulse.respondents
    else:
        asked, answered = counts["sent"], len(answered_tokens(session, pulse_id))
    return Participation(
        asked=asked,
        pending=counts["pending"] + counts["sending"],
        failed=counts["failed"],
        answered=answered,
    )


def answered_tokens(session: Session, pulse_id: int) -> set[str]:
    """The respondent tokens that answered at least one statement of an open pulse."""
    query = select(PulseAnswer.respondent).where(PulseAnswer.pulse_id == pulse_id).distinct()
    return set(session.scalars(query))


def claim_checkin(session: Session, pulse_id: int, cto: str) -> bool:
    """True for the one caller that gets to send this pulse's CTO check-in (to `cto`)."""
    result = session.execute(
        update(Pulse)
        .where(Pulse.id == pulse_id, Pulse.checkin_user.is_(None))
        .values(checkin_user=cto)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def checkin_sent(session: Session, pulse_id: int, channel_id: str, ts: str) -> None:
    session.execute(
        update(Pulse).where(Pulse.id == pulse_id).values(checkin_channel=channel_id, checkin_ts=ts)
    )


def recipients_of(session: Session, pulse_id: int) -> list[str]:
    """Everyone the pulse asked (whether or not they answered)."""
    return list(
        session.scalars(select(PulseRecipient.user_id).where(PulseRecipient.pulse_id == pulse_id))
    )


def record_away(session: Session, pulse_id: int, away: int) -> None:
    """How many of everyone asked were away at the close: a pulse-level count, never who."""
    session.execute(update(Pulse).where(Pulse.id == pulse_id).values(away=away))
