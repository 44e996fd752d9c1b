"""APScheduler wiring: the jobs of `bot.runtime.jobs`, run only by the lease holder.

Every scheduler process competes for one lease (bot.runtime.lease); only the holder runs
jobs, the others stand by and try again every few seconds, so a dead holder is replaced
quickly. The per-slot claims in the database still make each slot run once, even during a
failover.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.bootstrap import Deps, Services
from bot.runtime.jobs import scheduled_jobs
from bot.runtime.lease import Lease, SingleProcessOnly, lease_for

log = logging.getLogger(__name__)
LEASE_EVERY = timedelta(seconds=5)


class LeaseHolder:
    """Holds the scheduler lease or stands by; jobs run only while it is held."""

    def __init__(self, deps: Deps, lease: Lease) -> None:
        self.deps, self.lease, self.leading = deps, lease, False

    def check(self) -> None:
        if self.leading and not self.lease.still_held():
            self.leading = False
            log.warning("scheduler lost its lease (database connection dropped); standing by")
        elif not self.leading and self.lease.try_acquire():
            self.leading = True
            log.info("scheduler is the leader")
        self.deps.process.set(scheduler="leader" if self.leading else "standby")

    def guarded(self, job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            if self.leading:
                job()

        run.__name__ = getattr(job, "__name__", "job")
        return run

    def release(self) -> None:
        self.lease.release()
        self.leading = False
        self.deps.process.set(scheduler="off")


def on_the_minute(every: timedelta, now: datetime) -> CronTrigger:
    """Every `every` at second 0 of a whole minute (HH:MM:00), not counted from when the
    process started: a pulse scheduled for 09:00 starts at 09:00:00, not up to a minute
    later. A cron trigger, so a run at another moment (the catch-up right after start) does
    not shift the ones after it. `every`: whole minutes dividing an hour, or whole hours
    dividing a day (those at the current minute past the hour)."""
    minutes, rest = divmod(int(every.total_seconds()), 60)
    if rest == 0 and 0 < minutes < 60 and 60 % minutes == 0:
        return CronTrigger(minute=f"*/{minutes}", second=0, timezone=UTC)
    hours, rest = divmod(minutes, 60)
    if rest == 0 and 0 < hours <= 24 and 24 % hours == 0:
        return CronTrigger(hour=f"*/{hours}", minute=now.minute, second=0, timezone=UTC)
    raise ValueError(f"a job runs every few minutes or hours, not every {every}")


def add_jobs(scheduler: BaseScheduler, services: Services, holder: LeaseHolder) -> None:
    """The lease check every few seconds, the jobs on the minute.

    coalesce + max_instances 1: a job that missed several runs (the machine slept, a pass
    ran long) runs once, and the slot claims make that one run catch up the latest slot only.
    """
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    now = datetime.now(UTC)
    scheduler.add_job(
        holder.check,
        IntervalTrigger(seconds=LEASE_EVERY.seconds),
        id="lease",
        next_run_time=now,
        **defaults,
    )
    for job in scheduled_jobs(services):
        # Right after the lease: a slot missed while down is caught up. Otherwise the
        # trigger decides (next_run_time=None would add the job paused, never to run).
        first: dict[str, object] = (
            {"next_run_time": now + timedelta(seconds=1)} if job.catch_up else {}
        )
        scheduler.add_job(
            holder.guarded(job.run),
            on_the_minute(job.every, now),
            id=job.id,
            name=job.id,
            **first,
            **defaults,
        )


def hold_lease(deps: Deps) -> LeaseHolder:
    """The lease for this process. SQLite allows one scheduler: a second one is refused."""
    holder = LeaseHolder(deps, lease_for(deps.settings.database_url, deps.engine))
    if deps.settings.is_sqlite:
        holder.check()
        if not holder.leading:
            raise SingleProcessOnly(
                "another vpe-bot scheduler is already running on this SQLite database. SQLite "
                "runs as a single process: stop the other one, or use PostgreSQL to run several."
            )
    return holder


def start_background(services: Services) -> tuple[BackgroundScheduler, LeaseHolder]:
    """The scheduler inside the bot process (`vpe-bot run`)."""
    holder = hold_lease(services.deps)
    scheduler = BackgroundScheduler(timezone="UTC")
    add_jobs(scheduler, services, holder)
    scheduler.start()
    log.info("scheduler started in the bot process")
    return scheduler, holder


def run_blocking(
    services: Services, on_terminate: Callable[[Callable[[], object]], None] | None = None
) -> None:
    """The scheduler alone (`vpe-bot scheduler`, the Procfile's clock process).

    `on_terminate` installs the stop action (SIGTERM): the running job finishes, then the
    lease is released for a standby.
    """
    holder = hold_lease(services.deps)
    scheduler = BlockingScheduler(timezone="UTC")
    add_jobs(scheduler, services, holder)
    asked, finished = threading.Event(), threading.Event()

    def stop() -> None:  # on a thread of its own; `start` below returns as it begins
        if asked.is_set():
            return  # a second signal: the first one's stop is under way
        asked.set()
        try:
            scheduler.shutdown(wait=True)
        finally:
            finished.set()

    if on_terminate is not None:
        on_terminate(stop)
    log.info("scheduler running")
    try:
        scheduler.start()
    finally:
        if asked.is_set():
            finished.wait()  # the running job finishes before a standby may take over
        holder.release()
        log.info("scheduler stopped")
