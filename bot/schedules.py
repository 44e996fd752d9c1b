"""When scheduled work runs, with APScheduler's triggers, and claiming each slot once.

A schedule is a cadence (weekly, every two weeks, monthly), a weekday, a time and a zone.
Every minute the scheduler asks for the latest slot that is due; the slot is claimed with a
unique (kind, schedule, slot) row before anything is sent, so it runs exactly once across
restarts and several scheduler processes. After downtime only the latest missed slot is due,
so a bot that was down for three weeks runs one catch-up, not three.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.models import ScheduleRun
from bot.sql import insert_once
from bot.timeutil import aware, zone

CADENCES = ("weekly", "biweekly", "monthly")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Cadence:
    kind: str  # weekly | biweekly | monthly
    weekday: int  # 0 = Monday
    hour: int
    minute: int
    timezone: str
    anchor: datetime  # when the schedule was created: no slot before it counts

    def trigger(self) -> BaseTrigger:
        tz, day = zone(self.timezone), WEEKDAYS[self.weekday]
        if self.kind == "weekly":
            return CronTrigger(day_of_week=day, hour=self.hour, minute=self.minute, timezone=tz)
        if self.kind == "monthly":
            return CronTrigger(day=f"1st {day}", hour=self.hour, minute=self.minute, timezone=tz)
        first = self._first_weekday_on_or_after(aware(self.anchor).astimezone(tz))
        return CalendarIntervalTrigger(
            weeks=2, hour=self.hour, minute=self.minute, start_date=first, timezone=tz
        )

    def _first_weekday_on_or_after(self, moment: datetime) -> datetime:
        return (moment + timedelta(days=(self.weekday - moment.weekday()) % 7)).date()  # type: ignore[return-value]


def fire_times_between(trigger: BaseTrigger, after: datetime, until: datetime) -> list[datetime]:
    """Fire times in (after, until], oldest first."""
    times: list[datetime] = []
    previous: datetime | None = None
    moment = trigger.get_next_fire_time(None, after + TICK)
    while moment is not None and moment <= until:
        if moment > after and moment != previous:
            times.append(moment)
        previous = moment
        moment = trigger.get_next_fire_time(moment, moment + TICK)
    return times


def due_slot(cadence: Cadence, last_slot: datetime | None, now: datetime) -> datetime | None:
    """The latest slot due by `now` and not run yet, or None."""
    after = max(aware(last_slot), aware(cadence.anchor)) if last_slot else aware(cadence.anchor)
    times = fire_times_between(cadence.trigger(), after, now)
    return times[-1] if times else None


def next_slot(cadence: Cadence, now: datetime) -> datetime | None:
    """The first slot after `now` (interval triggers start from their anchor, so walk on)."""
    trigger = cadence.trigger()
    moment: datetime | None = trigger.get_next_fire_time(None, max(now, aware(cadence.anchor)))
    while moment is not None and moment <= now:
        moment = trigger.get_next_fire_time(moment, moment + TICK)
    return moment


def last_claimed_slot(session: Session, kind: str, schedule_id: int) -> datetime | None:
    query = select(func.max(ScheduleRun.slot_at)).where(
        ScheduleRun.kind == kind, ScheduleRun.schedule_id == schedule_id
    )
    latest = session.scalar(query)
    return aware(latest) if latest else None


def claim_slot(
    session: Session,
    team_id: str,
    kind: str,
    schedule_id: int,
    slot: datetime,
    now: datetime,
    *,
    completed: bool = True,
) -> int | None:
    """The run's id for the one process that gets to run this slot, else None.

    `completed=False` when the work happens after this transaction (a post to Slack): the
    run stays open until `complete_run`, and `reclaim_unfinished` finds it after a crash.
    """
    claimed = insert_once(
        session,
        ScheduleRun,
        ["kind", "schedule_id", "slot_at"],
        team_id=team_id,
        kind=kind,
        schedule_id=schedule_id,
        slot_at=slot,
        claimed_at=now,
        completed_at=now if completed else None,
    )
    if not claimed:
        return None
    return session.scalar(
        select(ScheduleRun.id).where(
            ScheduleRun.kind == kind,
            ScheduleRun.schedule_id == schedule_id,
            ScheduleRun.slot_at == slot,
        )
    )


def complete_run(session: Session, run_id: int, now: datetime) -> None:
    session.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(completed_at=now))


def reclaim_unfinished(
    session: Session, kind: str, now: datetime, stale_after: timedelta
) -> list[tuple[int, str, datetime]]:
    """Runs a dead process claimed but never completed: (run id, team, claimed at), re-claimed.

    Each is re-claimed with an UPDATE that only one process can win.
    """
    cutoff = now - stale_after
    rows = session.execute(
        select(ScheduleRun.id, ScheduleRun.team_id, ScheduleRun.claimed_at).where(
            ScheduleRun.kind == kind,
            ScheduleRun.completed_at.is_(None),
            ScheduleRun.claimed_at < cutoff,
        )
    ).all()
    won = []
    for run_id, team_id, claimed_at in rows:
        result = session.execute(
            update(ScheduleRun)
            .where(
                ScheduleRun.id == run_id,
                ScheduleRun.completed_at.is_(None),
                ScheduleRun.claimed_at < cutoff,
            )
            .values(claimed_at=now)
        )
        if getattr(result, "rowcount", 0) == 1:
            won.append((run_id, team_id, aware(claimed_at)))
    return won
