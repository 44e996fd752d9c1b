"""The scheduled jobs: one list, run by the scheduler process and by the playground alike."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.bootstrap import Services
from bot.core.steps import run_steps
from bot.services.housekeeping import keep_house

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """Work the scheduler runs every `every`; `catch_up` jobs also run right after a start,
    so that a slot missed while the bot was down is caught up at once."""

    id: str
    run: Callable[[], object]
    every: timedelta
    catch_up: bool = False


def scheduled_jobs(services: Services) -> list[Job]:
    deps, pulses, digests = services.deps, services.pulse_jobs, services.digests
    minute, hour = timedelta(minutes=1), timedelta(hours=1)
    return [
        # Close what is due, start scheduled pulses, resume sends, remind.
        Job("pulses", pulses.tick, minute, catch_up=True),
        Job("digests", digests.tick, minute, catch_up=True),
        # Events come closer and team facts change without a pulse: look again every hour.
        Job("signals", digests.announce_all, hour),
        # A handover step whose day has come: the CTO and the VP Engineering hear it once.
        Job("handover", services.handovers.tick, hour, catch_up=True),
        # An action past its date: its owner hears it once (claimed, whichever process runs).
        Job("actions", services.actions.tick, hour, catch_up=True),
        Job("housekeeping", lambda: keep_house(deps), hour),
        # Delivery sources: each source once per DELIVERY_SYNC_HOURS slot (claimed).
        Job("delivery", services.delivery.tick, hour, catch_up=True),
    ]


def run_each(jobs: list[Job]) -> None:
    """Every job once (the playground's pass); one job's failure stops no other."""
    run_steps([(job.id, job.run) for job in jobs], "scheduled job")
