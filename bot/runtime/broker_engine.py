"""The broker-backed job engine: Dramatiq on Redis (JOB_ENGINE=dramatiq).

The alternative to procrastinate (bot.runtime.engine) measured for decision 8: the clock
submits each job as a Dramatiq message on Redis, any number of `vpe-bot worker` processes
take them and run them through the same `Tasks` registry as the other executors. The
database stays PostgreSQL: the slot and send claims (exactly once) and the shared rate
budgets live there whichever engine carries the jobs.

What procrastinate gives built in is rebuilt here on Redis keys, each with an expiry so that
a process killed at any point leaves nothing stuck for good:

* one queue per kind of job, taken in order of priority by each worker: a close, reminder or
  digest first, then openings, then batches (the same order as `engine.PRIORITY`);
* a *waiting* key per job (SET NX): a job identical to one still waiting is not queued
  twice; the key goes when the job starts;
* a *lock* per workspace (a redis-py lock, kept alive while its job runs): a job whose lock
  is held goes back to its queue a moment later;
* a *started* key per job: a job taken again after its worker died (Redis gives a dead
  worker's unacknowledged messages back once its heartbeat is `STALLED_AFTER` old) says so
  in the log, then resumes where the claims say.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from redis.lock import Lock

from bot.runtime.engine import BATCH, FIRST_BATCH, PRIORITY, STALLED_AFTER, TIMELY
from bot.services.work import Arg, Job, Tasks

log = logging.getLogger(__name__)

NAMESPACE = "vpe"
WAITING_TTL = 600  # seconds: a lost message stops blocking its twin after this
STARTED_TTL = 3600
LOCK_TTL = 30.0  # seconds; renewed every LOCK_TTL / 3 while the job runs
RETRY_LOCKED_MS = 250  # a job whose workspace is busy comes back after this
# Share of broker commands (per million) that also look for dead workers' messages: about
# every ten seconds per queue on an idle worker, often under load.
MAINTENANCE_CHANCE = 100_000


def rank(name: str) -> int:
    """The job's queue, and its Dramatiq priority (lower first): procrastinate's order
    (`engine.PRIORITY`, higher first) turned round, so both engines take jobs alike:
    0 for a close, reminder or digest, 1 for an opening, 2 for a batch."""
    return TIMELY - PRIORITY.get(name, TIMELY)


def make_broker(url: str) -> RedisBroker:
    return RedisBroker(  # type: ignore[no-untyped-call]
        url=url,
        namespace=NAMESPACE,
        middleware=[],  # no retries, no time limit: a job is retried only if its worker died
        heartbeat_timeout=int(STALLED_AFTER * 1000),
        maintenance_chance=MAINTENANCE_CHANCE,
    )


class _Keeper:
    """Renews the workspace locks this process holds, so a long job keeps its lock and a
    killed process's lock expires on its own."""

    def __init__(self) -> None:
        self._held: set[Lock] = set()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, lock: Lock) -> None:
        with self._guard:
            self._held.add(lock)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lock-keeper", daemon=True)
                self._thread.start()

    def remove(self, lock: Lock) -> None:
        with self._guard:
            self._held.discard(lock)

    def _run(self) -> None:
        while True:
            time.sleep(LOCK_TTL / 3)
            with self._guard:
                held = list(self._held)
            for lock in held:
                try:
                    lock.reacquire()
                except Exception:  # released meanwhile, or Redis away: it expires alone
                    log.debug("lock %s not renewed", lock.name)


class DramatiqWork(Tasks):
    """Submits each job to Redis; `vpe-bot worker` runs them (`run_worker`)."""

    batch: int | None = BATCH
    first_batch: int | None = FIRST_BATCH

    def __init__(self, broker_url: str) -> None:
        super().__init__()
        self.broker = make_broker(broker_url)
        self.redis: redis.Redis = self.broker.client
        self._keeper = _Keeper()
        self._actors = [
            dramatiq.actor(
                broker=self.broker,
                actor_name=f"vpe.rank{level}",
                queue_name=f"vpe.rank{level}",
                priority=level,
            )(self._perform)
            for level in range(TIMELY + 1)
        ]
        self._stopped = threading.Event()

    def close(self) -> None:
        self.broker.close()

    # -- submitting -------------------------------------------------------------------

    def submit(self, name: str, *args: Arg, lock: str | None = None) -> None:
        waiting = f"{NAMESPACE}:waiting:{name}:{':'.join(str(arg) for arg in args)}"
        if not self.redis.set(waiting, "1", nx=True, ex=WAITING_TTL):
            log.debug("job %s already waiting", waiting)
            return
        try:
            self._send(name, list(args), lock, waiting, uuid.uuid4().hex)
        except Exception:
            self.redis.delete(waiting)
            raise

    def submit_each(self, name: str, jobs: Sequence[Job], at_once: int = 1) -> None:
        """Queued one after the other (quick); the workers run them side by side."""
        for args, lock in jobs:
            self.submit(name, *args, lock=lock)

    def _send(
        self,
        name: str,
        args: list[Arg],
        lock: str | None,
        waiting: str,
        job_id: str,
        **options: Any,
    ) -> None:
        actor = self._actors[rank(name)]
        actor.send_with_options(args=(name, args, lock, waiting, job_id), **options)

    # -- running ----------------------------------------------------------------------

    def _perform(
        self, name: str, args: list[Arg], lock: str | None, waiting: str, job_id: str
    ) -> None:
        held = None
        if lock is not None:
            held = self.redis.lock(f"{NAMESPACE}:lock:{lock}", timeout=LOCK_TTL, thread_local=False)
            if not held.acquire(blocking=False):
                # Another job of this workspace runs: this one waits its turn, still queued.
                self._send(name, args, lock, waiting, job_id, delay=RETRY_LOCKED_MS)
                return
            self._keeper.add(held)
        try:
            self.redis.delete(waiting)
            started = f"{NAMESPACE}:started:{job_id}"
            if not self.redis.set(started, "1", nx=True, ex=STARTED_TTL):
                log.warning("job %s of a dead worker taken again: it resumes from the claims", name)
            self.run_guarded(name, args)
            self.redis.delete(started)
        finally:
            if held is not None:
                self._keeper.remove(held)
                try:
                    held.release()
                except redis.exceptions.LockError:
                    log.warning("lock %s had expired before job %s ended", lock, name)

    def run_worker(self, concurrency: int, **_options: Any) -> None:
        """Take jobs until `stop()` (SIGTERM/SIGINT): the jobs in hand finish, the ones
        fetched but not started go back to Redis."""
        worker = dramatiq.Worker(self.broker, worker_threads=concurrency, worker_timeout=500)
        worker.start()
        try:
            self._stopped.wait()
        finally:
            worker.stop()
            self.broker.close()

    def stop(self) -> None:
        self._stopped.set()
