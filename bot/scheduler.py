"""APScheduler wiring: the jobs call the same domain code as the handlers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.db import unit_of_work
from bot.deps import Deps
from bot.housekeeping import forget_old_deliveries
from bot.slack.digests import Digests
from bot.slack.pulse_jobs import PulseJobs
from bot.slack.pulses import PulseSender

log = logging.getLogger(__name__)


def housekeeping(deps: Deps) -> None:
    with unit_of_work(deps.sessions) as session:
        removed = forget_old_deliveries(session, deps.clock.now())
    if removed:
        log.info("housekeeping: forgot %d old delivery marks", removed)


def digest_tick(digests: Digests) -> None:
    for step in (digests.run_schedules, digests.resume_unfinished):
        try:
            step()
        except Exception:
            log.exception("digest job %s failed", step.__name__)


def add_jobs(scheduler: BaseScheduler, deps: Deps) -> None:
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    scheduler.add_job(
        housekeeping, IntervalTrigger(hours=1), args=[deps], id="housekeeping", **defaults
    )
    digests = Digests(deps)
    pulses = PulseJobs(deps, PulseSender(deps), after_close=digests.announce_changes)
    # Every minute: close what is due, start scheduled pulses, resume sends, remind.
    # The first pass runs at start, so a slot missed while the bot was down is caught up.
    scheduler.add_job(
        pulses.tick,
        IntervalTrigger(minutes=1),
        id="pulses",
        next_run_time=datetime.now(UTC),
        **defaults,
    )
    scheduler.add_job(
        digest_tick,
        IntervalTrigger(minutes=1),
        args=[digests],
        id="digests",
        next_run_time=datetime.now(UTC),
        **defaults,
    )
    # Events come closer and team facts change without a pulse: look again every hour.
    scheduler.add_job(digests.announce_all, IntervalTrigger(hours=1), id="signals", **defaults)


def start_background(deps: Deps) -> BackgroundScheduler:
    """The scheduler inside the bot process (`vpe-bot run`)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    add_jobs(scheduler, deps)
    scheduler.start()
    log.info("scheduler started in the bot process")
    return scheduler


def run_blocking(deps: Deps) -> None:
    """The scheduler alone (`vpe-bot scheduler`, the Procfile's clock process)."""
    scheduler = BlockingScheduler(timezone="UTC")
    add_jobs(scheduler, deps)
    log.info("scheduler running")
    scheduler.start()
