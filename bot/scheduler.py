"""APScheduler wiring: the jobs call the same domain code as the handlers.

Every scheduler process competes for one lease (bot.leader); only the holder runs jobs, the
others stand by and try again every few seconds, so a dead leader is replaced quickly. The
per-slot claims in the database still make each slot run once, even during a failover.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.db import unit_of_work
from bot.deps import Deps
from bot.housekeeping import forget_old_deliveries, purge_workspace, workspaces_to_purge
from bot.leader import Lease, SingleProcessOnly, lease_for
from bot.slack.digests import Digests
from bot.slack.pulse_jobs import PulseJobs
from bot.slack.pulses import PulseSender

log = logging.getLogger(__name__)
LEASE_EVERY = timedelta(seconds=5)


class Leadership:
    """Holds the lease or stands by; jobs run only while it is held."""

    def __init__(self, deps: Deps, lease: Lease) -> None:
        self.deps, self.lease, self.leading = deps, lease, False

    def check(self) -> None:
        if self.leading and not self.lease.still_held():
            self.leading = False
            log.warning("scheduler lost its lease (database connection dropped); standing by")
        elif not self.leading and self.lease.try_acquire():
            self.leading = True
            log.info("scheduler is the leader")
        self.deps.runtime.set(scheduler="leader" if self.leading else "standby")

    def guarded(self, job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            if self.leading:
                job()

        run.__name__ = getattr(job, "__name__", "job")
        return run

    def release(self) -> None:
        self.lease.release()
        self.leading = False
        self.deps.runtime.set(scheduler="off")


def housekeeping(deps: Deps) -> None:
    now = deps.clock.now()
    grace = timedelta(days=deps.settings.uninstall_grace_days)
    with unit_of_work(deps.sessions) as session:
        removed = forget_old_deliveries(session, now)
        for team_id in workspaces_to_purge(session, now, grace):
            purge_workspace(session, team_id)
            log.info("housekeeping: deleted the data of uninstalled workspace %s", team_id)
    if removed:
        log.info("housekeeping: forgot %d old delivery marks", removed)


def digest_tick(digests: Digests) -> None:
    for step in (digests.run_schedules, digests.resume_unfinished):
        try:
            step()
        except Exception:
            log.exception("digest job %s failed", step.__name__)


def add_jobs(scheduler: BaseScheduler, deps: Deps, leadership: Leadership) -> None:
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    now = datetime.now(UTC)
    scheduler.add_job(
        leadership.check,
        IntervalTrigger(seconds=LEASE_EVERY.seconds),
        id="lease",
        next_run_time=now,
        **defaults,
    )
    digests = Digests(deps)
    pulses = PulseJobs(deps, PulseSender(deps), after_close=digests.announce_changes)
    jobs: list[tuple[str, Callable[[], object], IntervalTrigger]] = [
        # Every minute: close what is due, start scheduled pulses, resume sends, remind.
        ("pulses", pulses.tick, IntervalTrigger(minutes=1)),
        ("digests", lambda: digest_tick(digests), IntervalTrigger(minutes=1)),
        # Events come closer and team facts change without a pulse: look again every hour.
        ("signals", digests.announce_all, IntervalTrigger(hours=1)),
        ("housekeeping", lambda: housekeeping(deps), IntervalTrigger(hours=1)),
    ]
    for job_id, job, trigger in jobs:
        # The first pass comes right after the lease: a slot missed while down is caught up.
        start = now + timedelta(seconds=1) if job_id in ("pulses", "digests") else None
        scheduler.add_job(
            leadership.guarded(job),
            trigger,
            id=job_id,
            name=job_id,
            next_run_time=start,
            **defaults,
        )


def claim_leadership(deps: Deps) -> Leadership:
    """The lease for this process. SQLite allows one scheduler: a second one is refused."""
    leadership = Leadership(deps, lease_for(deps.settings.database_url, deps.engine))
    if deps.settings.is_sqlite:
        leadership.check()
        if not leadership.leading:
            raise SingleProcessOnly(
                "another vpe-bot scheduler is already running on this SQLite database. SQLite "
                "runs as a single process: stop the other one, or use PostgreSQL to run several."
            )
    return leadership


def start_background(deps: Deps) -> tuple[BackgroundScheduler, Leadership]:
    """The scheduler inside the bot process (`vpe-bot run`)."""
    leadership = claim_leadership(deps)
    scheduler = BackgroundScheduler(timezone="UTC")
    add_jobs(scheduler, deps, leadership)
    scheduler.start()
    log.info("scheduler started in the bot process")
    return scheduler, leadership


def run_blocking(
    deps: Deps, on_terminate: Callable[[Callable[[], object]], None] | None = None
) -> None:
    """The scheduler alone (`vpe-bot scheduler`, the Procfile's clock process).

    `on_terminate` installs the stop action (SIGTERM): the running job finishes, then the
    lease is released for a standby.
    """
    leadership = claim_leadership(deps)
    scheduler = BlockingScheduler(timezone="UTC")
    add_jobs(scheduler, deps, leadership)
    if on_terminate is not None:
        on_terminate(lambda: scheduler.shutdown(wait=True))
    log.info("scheduler running")
    try:
        scheduler.start()
    finally:
        leadership.release()
        log.info("scheduler stopped")
