"""When scheduled work runs: cadences and their slots, with APScheduler's triggers.

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

from bot.core.times import aware, zone

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
