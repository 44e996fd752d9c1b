"""Typed SQLAlchemy 2.0 models. Every row that belongs to a workspace carries its team id."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# A new workspace's anonymity threshold K (content/anonymity.toml bounds it).
DEFAULT_THRESHOLD = 5


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Instants stored in UTC and read back with their zone, on SQLite as on PostgreSQL.

    SQLite keeps no zone: without this, 09:00+01:00 and 09:00 UTC would be stored alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Workspace(Base):
    """A Slack workspace the bot serves, with its own settings."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    anonymity_threshold: Mapped[int] = mapped_column(
        default=DEFAULT_THRESHOLD, server_default=str(DEFAULT_THRESHOLD)
    )
    leadership_channel: Mapped[str | None] = mapped_column(String(32))
    # Months it takes to hire a VP Engineering: the decision report's "start the search by".
    hire_months: Mapped[int] = mapped_column(SmallInteger, default=4, server_default="4")
    # Set when the app is uninstalled; the workspace's data goes after a grace period.
    uninstalled_at: Mapped[datetime | None]
    # The last thing the bot could not do on its own (a digest it could not post…), shown to
    # leadership until it works again: {"key": message key, "values": {...}, "at": iso time}.
    last_problem: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Whose public holidays are quiet days (ISO 3166 code, e.g. "FR"); None: only the
    # workspace's own (`workspace_holidays`).
    holiday_country: Mapped[str | None] = mapped_column(String(8))


class SlackUser(Base):
    """What Slack told us about a person (users.info), cached to keep commands fast."""

    __tablename__ = "slack_users"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    tz: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_owner: Mapped[bool] = mapped_column(default=False)
    is_bot: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class SeenDelivery(Base):
    """A Slack delivery (event id, trigger id) already handled, so retries have one effect."""

    __tablename__ = "seen_deliveries"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RoleHolder(Base):
    """Who holds the CTO or the VP Engineering role in a workspace."""

    __tablename__ = "role_holders"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    # NULL: the team said nobody holds the role (e.g. "no VP Engineering yet").
    user_id: Mapped[str | None] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AreaOwner(Base):
    """The person who owns an area (delivery, hiring…) in this team, overriding the default."""

    __tablename__ = "area_owners"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    area: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Leader(Base):
    """A member of the leadership team beyond the workspace's admins and owners."""

    __tablename__ = "leaders"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class PulseSchedule(Base):
    """When a workspace's pulse runs: cadence, day, time and zone, audience and items."""

    __tablename__ = "pulse_schedules"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    cadence: Mapped[str] = mapped_column(String(16))  # weekly | biweekly | monthly
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday
    time_of_day: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    timezone: Mapped[str] = mapped_column(String(64))
    open_days: Mapped[int] = mapped_column(SmallInteger, default=3)
    audience: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    items: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str | None] = mapped_column(String(2))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduleRun(Base):
    """One claimed slot of a schedule: the unique key makes each slot run exactly once."""

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("kind", "schedule_id", "slot_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # pulse | digest
    schedule_id: Mapped[int] = mapped_column(Integer)
    slot_at: Mapped[datetime]
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set once the slot's work reached Slack; a claim without it is checked on restart.
    completed_at: Mapped[datetime | None]


class Pulse(Base):
    """One pulse survey: who started it, what it asks, when it closes."""

    __tablename__ = "pulses"
    # Ids are never reused (SQLite reuses rowids without AUTOINCREMENT): an old button can
    # never land on a newer pulse.
    __table_args__ = (
        Index("ix_pulses_team_status", "team_id", "status"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | closed
    items: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    audience_label: Mapped[str] = mapped_column(String(300), default="")
    started_by: Mapped[str | None] = mapped_column(String(32))
    schedule_id: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # The CTO's private check-in: sent to the role holder of the time, who alone may answer
    # it (a role's load, not an anonymous answer: the check-in says so).
    checkin_user: Mapped[str | None] = mapped_column(String(32))
    checkin_channel: Mapped[str | None] = mapped_column(String(32))
    checkin_ts: Mapped[str | None] = mapped_column(String(32))
    # Counted once at the close, with the tallies: results never change afterwards (an
    # erasure cannot be read off by comparing results before and after it). `counted_*`
    # leave out the people whose answers the requester can know (bot.pulses.reporting).
    asked: Mapped[int | None]
    respondents: Mapped[int | None]
    counted_asked: Mapped[int | None]
    counted_respondents: Mapped[int | None]
    counted_commenters: Mapped[int | None]
    # The reminder stages claimed so far (0, 1, 2): once per pulse, never per person, so that
    # no row about a person changes when they answer or are reminded.
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # How many of the people asked had a Slack status saying they are away, counted at the
    # close over everyone asked (never only those who did not answer): "9/10 (1 away)".
    away: Mapped[int | None] = mapped_column(SmallInteger)


class PulseRecipient(Base):
    """Who was asked, for delivery. Nothing here changes when the person answers or is
    reminded (docs/privacy.md): this table cannot be joined to `pulse_answers`, by a column,
    a time or a transaction."""

    __tablename__ = "pulse_recipients"
    __table_args__ = (Index("ix_pulse_recipients_team_user", "team_id", "user_id"),)

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8), default="pending")  # pending|sending|sent|failed
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    error: Mapped[str | None] = mapped_column(String(64))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # False for the people whose answers the requester can know (named one by one, the
    # requester, the leadership team): they never count toward K (bot.pulses.reporting).
    counted: Mapped[bool] = mapped_column(default=True, server_default=true())


class PulseAnswer(Base):
    """One answer value, while the pulse is open. `respondent` is a keyed hash of (workspace,
    pulse, person): stable within a pulse so a second tap changes the answer, and meaningless
    without the key. The close turns these rows into `pulse_tallies` and deletes them."""

    __tablename__ = "pulse_answers"
    __table_args__ = (Index("ix_pulse_answers_team_pulse", "team_id", "pulse_id"),)

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(32), primary_key=True)
    respondent: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[int] = mapped_column(SmallInteger)
    # When the person last tapped this statement (Slack's action_ts), so the last tap wins.
    tapped_at: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class PulseComment(Base):
    """The optional free-text comment, one per respondent and pulse, stored like answers.

    At the close the pulse's comments are rewritten in a shuffled order, `position` giving
    the order results show; `forget me` afterwards replaces the person's token with a random
    one (the comment stays, its link to the person goes)."""

    __tablename__ = "pulse_comments"

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    respondent: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int | None] = mapped_column(Integer)


class CtoCheckin(Base):
    """The CTO's answers for one pulse: share of the week on operations, decisions waiting."""

    __tablename__ = "cto_checkins"

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    operations_share: Mapped[int | None] = mapped_column(SmallInteger)
    decisions_waiting: Mapped[int | None] = mapped_column(SmallInteger)


class OrgFacts(Base):
    """What leadership told us about the engineering organisation's size."""

    __tablename__ = "org_facts"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    engineers: Mapped[int | None] = mapped_column(SmallInteger)
    teams: Mapped[int | None] = mapped_column(SmallInteger)
    managers: Mapped[int | None] = mapped_column(SmallInteger)
    updated_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StrategicEvent(Base):
    """A coming fundraise, international expansion or restructuring, by month."""

    __tablename__ = "strategic_events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # fundraising | international | restructuring
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    label: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignalState(Base):
    """Whether a signal was on at the last assessment, so a change is announced once."""

    __tablename__ = "signal_states"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    signal: Mapped[str] = mapped_column(String(32), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestSchedule(Base):
    """When the digest goes to the leadership channel (default: Monday 09:00)."""

    __tablename__ = "digest_schedules"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    cadence: Mapped[str] = mapped_column(String(16), default="weekly")
    weekday: Mapped[int] = mapped_column(SmallInteger, default=0)
    time_of_day: Mapped[str] = mapped_column(String(5), default="09:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PulseTally(Base):
    """How many answers a statement got per value, frozen when the pulse closed."""

    __tablename__ = "pulse_tallies"

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    count: Mapped[int] = mapped_column(Integer)


class AskFeedback(Base):
    """A question the bot refused, or an answer someone rated, for leadership to review.

    Never who asked or who rated: the question's words, its language, the topic answered
    (None when refused) and the verdict. A liked answer keeps no words at all. Purged after
    `bot.qa.feedback.KEEP_FOR` by the hourly housekeeping job.
    """

    __tablename__ = "ask_feedback"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    verdict: Mapped[str] = mapped_column(String(16))  # refused | disliked | liked
    question: Mapped[str] = mapped_column(String(500), default="")
    lang: Mapped[str] = mapped_column(String(2))
    topic: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TaughtPhrasing(Base):
    """A phrasing leadership taught (`/vpe ask teach`): its workspace's questions with the
    same words get this topic. Used for that workspace only."""

    __tablename__ = "ask_taught"
    __table_args__ = (
        UniqueConstraint("team_id", "question"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(String(500))
    topic: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HandoverStep(Base):
    """One area moving from the CTO to the VP Engineering, by a due date.

    While a step is not done the CTO keeps the area (bot.ownership.assignments); once done
    the VP Engineering owns it from `done_at`. No person is stored: the two roles are.
    """

    __tablename__ = "handover_steps"
    __table_args__ = (UniqueConstraint("team_id", "area"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    area: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(SmallInteger)
    due_on: Mapped[date] = mapped_column(Date)
    planned_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]


class Team(Base):
    """A team of the engineering organisation: the people of a Slack channel or user group,
    read from Slack each time a pulse is sent. `key` is the name lower-cased."""

    __tablename__ = "teams"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    source_kind: Mapped[str] = mapped_column(String(16))  # channel | usergroup
    source_id: Mapped[str] = mapped_column(String(32))
    manager_id: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PulseTeam(Base):
    """A team as it was when a pulse was sent, and its counts frozen at the close.

    `hidden` is why its scores are hidden (None: shown): "few" or "known" (below K),
    "complement" (shown, the figures of the organisation and the other teams would give away
    a smaller group), "changed" (a pulse of the last days asked nearly the same team).
    `threshold` is the K its figures were decided with.
    """

    __tablename__ = "pulse_teams"

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(80))
    manager_id: Mapped[str | None] = mapped_column(String(32))
    asked: Mapped[int | None]
    respondents: Mapped[int | None]
    counted_asked: Mapped[int | None]
    counted_respondents: Mapped[int | None]
    threshold: Mapped[int | None]
    hidden: Mapped[str | None] = mapped_column(String(16))


class PulseTeamMember(Base):
    """Who of a pulse's recipients was in which team when it was sent. Like
    `pulse_recipients`, it says who was asked, never what anyone answered."""

    __tablename__ = "pulse_team_members"

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)


class PulseTeamTally(Base):
    """A team's answers to a statement per value, frozen at the close, kept only for the
    statements whose team figure may be shown (bot.pulses.reporting.team_items_shown)."""

    __tablename__ = "pulse_team_tallies"

    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    item: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    count: Mapped[int] = mapped_column(Integer)


class ActionPlan(Base):
    """Something leadership committed to after a pulse: what, who, by when, and the
    statement it should move (with that statement's shown average when it was planned)."""

    __tablename__ = "action_plans"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    what: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(32))
    due: Mapped[date]
    item: Mapped[str | None] = mapped_column(String(32))
    # The statement's average as results showed it when the action was planned (None when
    # hidden), and the pulse it came from: results say how far it moved since.
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_pulse: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | done
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(32))
    # Set by the one scheduler pass that tells the owner it is overdue: once, never daily.
    overdue_told_at: Mapped[datetime | None]


class CommentReply(Base):
    """One message of the thread under an anonymous comment: leadership's reply, or the
    author's answer. No user id, no time: the comment is named by its pulse and its frozen
    position, the order by `id`, and a transaction that writes an answer writes nothing else
    (docs/privacy.md)."""

    __tablename__ = "comment_replies"
    __table_args__ = (
        Index("ix_comment_replies_team_pulse", "team_id", "pulse_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulses.id"))
    position: Mapped[int] = mapped_column(Integer)
    from_author: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)


class WorkspaceHoliday(Base):
    """A day the workspace declared quiet: no pulse opens and no reminder goes out."""

    __tablename__ = "workspace_holidays"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)


class DeliverySource(Base):
    """A repository or project whose delivery the bot reads (GitHub, Linear).

    `team_name` maps it to a team (None: counted in the organisation only). `cursor` says
    where the next sync starts; `token` is encrypted like Slack installations' tokens, and
    None when the environment's token serves (single workspace).
    """

    __tablename__ = "delivery_sources"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "name"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # github | linear
    name: Mapped[str] = mapped_column(String(200))
    team_name: Mapped[str | None] = mapped_column(String(80))
    api_url: Mapped[str | None] = mapped_column(String(300))
    token: Mapped[str | None] = mapped_column(Text)  # Fernet-encrypted
    from_env: Mapped[bool] = mapped_column(default=False)
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    syncing_since: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryWeek(Base):
    """One week of one source, added up: counts and durations only, never who did the work
    (tests/unit/test_delivery_store.py refuses a column that could name a person)."""

    __tablename__ = "delivery_weeks"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_sources.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # its Monday
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    lead_hours: Mapped[list[float]] = mapped_column(JSON, default=list)
    deployments: Mapped[int] = mapped_column(Integer, default=0)
    failed_deployments: Mapped[int] = mapped_column(Integer, default=0)
    releases: Mapped[int] = mapped_column(Integer, default=0)
    failure_changes: Mapped[int] = mapped_column(Integer, default=0)
    restore_hours: Mapped[list[float]] = mapped_column(JSON, default=list)
    sprints_planned: Mapped[int] = mapped_column(Integer, default=0)
    sprints_completed: Mapped[int] = mapped_column(Integer, default=0)
    sprints_added: Mapped[int] = mapped_column(Integer, default=0)
    sprint_ratios: Mapped[list[float]] = mapped_column(JSON, default=list)


class RateBudget(Base):
    """The Slack budget of one workspace and Web API method, shared by every process.

    `key` is a hash of the bot token and the method (no token is stored); `tat` is the
    theoretical arrival time (epoch seconds, the database's clock) of the generic cell
    rate algorithm: each call books the next slot with one atomic UPDATE
    (bot.storage.rate_budget).
    """

    __tablename__ = "rate_budgets"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    tat: Mapped[float] = mapped_column(Float)
