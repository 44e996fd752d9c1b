"""The scheduler's jobs wake on the minute (HH:MM:00), whenever the process started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.runtime.scheduler import LeaseHolder, add_jobs, on_the_minute

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def test_a_minute_job_started_at_any_second_next_runs_at_second_zero() -> None:
    started = datetime(2026, 12, 3, 8, 59, 21, 517_000, tzinfo=UTC)
    trigger = on_the_minute(MINUTE, started)
    first = trigger.get_next_fire_time(None, started)
    assert first == datetime(2026, 12, 3, 9, 0, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(first, first) == datetime(2026, 12, 3, 9, 1, tzinfo=UTC)


def test_started_exactly_on_the_minute_it_runs_then() -> None:
    started = datetime(2026, 12, 3, 9, 0, 0, tzinfo=UTC)
    assert on_the_minute(MINUTE, started).get_next_fire_time(None, started) == started


def test_a_run_at_another_moment_does_not_shift_the_next_ones() -> None:
    """The catch-up pass runs right after start, at any second; the next is on the minute."""
    catch_up = datetime(2026, 12, 3, 8, 59, 46, 80_000, tzinfo=UTC)
    after = on_the_minute(MINUTE, catch_up).get_next_fire_time(catch_up, catch_up)
    assert after == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_an_hourly_job_also_keeps_to_whole_minutes() -> None:
    started = datetime(2026, 12, 3, 8, 59, 59, 999_000, tzinfo=UTC)
    first = on_the_minute(HOUR, started).get_next_fire_time(None, started)
    assert first == datetime(2026, 12, 3, 9, 59, tzinfo=UTC)
    assert on_the_minute(HOUR, started).get_next_fire_time(first, first) == first + HOUR


def test_an_interval_that_cannot_keep_to_the_minute_is_refused() -> None:
    with pytest.raises(ValueError, match="every"):
        on_the_minute(timedelta(seconds=90), datetime.now(UTC))


class Leading(LeaseHolder):
    def __init__(self) -> None:
        self.leading = True

    def check(self) -> None:
        pass


def test_the_real_jobs_are_due_on_the_minute_and_catch_up_once_at_start() -> None:
    services = SimpleNamespace(
        deps=None,
        pulse_jobs=SimpleNamespace(tick=lambda: None),
        digests=SimpleNamespace(tick=lambda: None, announce_all=lambda: None),
        handovers=SimpleNamespace(tick=lambda: None),
        actions=SimpleNamespace(tick=lambda: None),
        delivery=SimpleNamespace(tick=lambda: None),
    )
    scheduler = BackgroundScheduler(timezone="UTC")
    before = datetime.now(UTC)
    add_jobs(scheduler, services, Leading())  # type: ignore[arg-type]
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    for job_id in ("pulses", "digests"):
        catch_up = jobs[job_id].next_run_time
        assert catch_up - before < timedelta(seconds=2), "one catch-up pass right after start"
        assert jobs[job_id].coalesce, "missed runs collapse into one"
        after = jobs[job_id].trigger.get_next_fire_time(catch_up, catch_up)
        assert (after.second, after.microsecond) == (0, 0)
        assert after - catch_up <= MINUTE
    for job_id in ("signals", "housekeeping"):
        first = jobs[job_id].next_run_time
        assert first is not None, f"{job_id} is scheduled, not added paused"
        assert (first.second, first.microsecond) == (0, 0)
