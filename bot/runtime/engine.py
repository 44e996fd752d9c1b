"""The job engine for several processes and machines: procrastinate, on the PostgreSQL we run.

The scheduler (clock process) submits jobs; they are rows in PostgreSQL (procrastinate's
tables, created by `vpe-bot migrate`), and any number of `vpe-bot worker` processes take
them. Every job goes through one procrastinate task, `vpe.job`, that names the bot's own
task and its arguments; the worker runs it through the same `Tasks` registry as the
in-process executor (bot.services.work).

* `queueing_lock`: a job identical to one still waiting is not queued again (the scheduler
  finds a fan-out due every minute until it is done).
* `lock`: jobs with the same lock (one workspace's fan-outs) run one after the other.
* A worker killed mid-job leaves its job `doing`; the job is retried once the worker's
  heartbeat is stale, and resumes where the slot and send claims say
  (docs/decisions/0008-job-engine.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import procrastinate
from procrastinate import exceptions
from procrastinate.jobs import Status
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.services.work import Arg, Job, Tasks

log = logging.getLogger(__name__)
TASK = "vpe.job"
# A worker whose heartbeat is older than this is taken for dead, and its jobs are retried.
STALLED_AFTER = 30.0
# DMs per fan-out job: the burst a workspace may send at once; the rest of its audience is
# queued behind every other workspace's first batch (tick → first DM stays short for all).
BATCH = 10
# DMs in a scheduled pulse's opening job (`pulse.slot`): one, then the rest as batches. The
# opening jobs were queued first, so every workspace due at the minute is opened and gets
# its first DM before any workspace's batches run (tick → first DM is the opening work).
FIRST_BATCH = 1
# Which job a free worker takes first (procrastinate: higher first, then oldest). A close, a
# reminder or a digest is one workspace's step due now: before any fan-out. Opening a
# scheduled pulse comes before the batches, so a workspace due later in a fan-out's minutes
# does not wait behind another's audience.
PRIORITY = {"pulse.send": 0, "pulse.slot": 1}
TIMELY = 2


def conninfo(database_url: str) -> str:
    """libpq's form of a SQLAlchemy URL (postgresql+psycopg://… → postgresql://…)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def make_app(database_url: str, tasks: Tasks | None = None) -> procrastinate.App:
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)),
    )

    @app.task(name=TASK, pass_context=False)
    def job(name: str, args: list[Arg]) -> None:
        if tasks is None:
            raise RuntimeError("this process submits jobs but does not run them")
        tasks.run_guarded(name, args)

    @app.periodic(cron="* * * * * */10", periodic_id="retry-stalled")
    @app.task(name="vpe.retry_stalled", queueing_lock="vpe.retry_stalled", pass_context=False)
    async def retry_stalled(timestamp: int) -> None:
        """Jobs of a worker that stopped beating (killed) go back to the queue."""
        manager = app.job_manager
        for stalled in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER):
            if stalled.task_name != TASK:
                continue
            try:
                await manager.retry_job(stalled)
                log.warning("job %s of a dead worker put back in the queue", stalled.id)
            except exceptions.ProcrastinateException:
                # The same job waits already: that one resumes the work; this one ends.
                await manager.finish_job(stalled, status=Status.FAILED, delete_job=False)
                log.warning("job %s of a dead worker ended: the same one waits", stalled.id)

    return app


class ProcrastinateWork(Tasks):
    """Submits each job to procrastinate; `vpe-bot worker` runs them (`run_worker`)."""

    batch: int | None = BATCH
    first_batch: int | None = FIRST_BATCH

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self.database_url = database_url
        self.app = make_app(database_url, self)
        self._opened, self._in_worker, self._lock = False, False, threading.Lock()

    def _open(self) -> None:
        """A submitting process (the clock) opens a small synchronous pool on first use; a
        worker submits through the pool its worker opened."""
        with self._lock:
            if not self._opened and not self._in_worker:
                self.app.open()
                self._opened = True

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False

    def _job(self, name: str, args: Sequence[Arg], lock: str | None) -> procrastinate.jobs.Job:
        queueing_lock = f"{name}:{':'.join(str(arg) for arg in args)}"
        deferrer = self.app.configure_task(
            TASK, lock=lock, queueing_lock=queueing_lock, priority=PRIORITY.get(name, TIMELY)
        )
        return deferrer.make_new_job(name=name, args=list(args))

    def submit(self, name: str, *args: Arg, lock: str | None = None) -> None:
        self._open()
        job = self._job(name, args, lock)
        try:
            self.app.job_manager.defer_job(job)
        except exceptions.AlreadyEnqueued:
            log.debug("job %s already waiting", job.queueing_lock)

    def submit_each(self, name: str, jobs: Sequence[Job], at_once: int = 1) -> None:
        """All in one statement (200 workspaces due at a minute: one round trip, not 200);
        the workers run them side by side. When one of them waits already, the statement
        inserts none: then one by one, and the waiting ones are passed over."""
        if len(jobs) < 2:
            for args, lock in jobs:
                self.submit(name, *args, lock=lock)
            return
        self._open()
        try:
            self.app.job_manager.batch_defer_jobs([self._job(name, a, lock) for a, lock in jobs])
        except exceptions.AlreadyEnqueued:
            for args, lock in jobs:
                self.submit(name, *args, lock=lock)

    def run_worker(self, concurrency: int, **options: Any) -> None:
        """Take jobs until SIGTERM/SIGINT (the job in hand finishes first)."""
        self._in_worker = True
        self.app.run_worker(
            concurrency=concurrency,
            stalled_worker_timeout=STALLED_AFTER,
            update_heartbeat_interval=5.0,
            **options,
        )


def install_schema(database_url: str) -> bool:
    """Create procrastinate's tables once (on `vpe-bot migrate`); False if already there."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            present = connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar()
    finally:
        engine.dispose()
    if present is not None:
        return False
    app = make_app(database_url)
    with app.open():
        app.schema_manager.apply_schema()
    return True
