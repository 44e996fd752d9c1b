"""The job interface: the scheduler finds what is due, each piece of work becomes one job.

A job is a named task with plain arguments (strings and numbers), one per workspace and
task: open a scheduled pulse, send a pulse's DMs, remind, close, post a digest. Services
register their tasks by name at start-up and submit jobs through `Work`; where the job
runs is the executor's business:

* `InProcess` (SQLite, or no engine configured): the job runs at once, in the submitting
  thread; jobs submitted together (`submit_each`: workspaces due at the same minute) run up
  to DUE_AT_ONCE side by side, as the scheduler's pass does without an engine; no broker,
  one process.
* `bot.runtime.engine.ProcrastinateWork` (PostgreSQL with JOB_ENGINE=procrastinate): the
  job is stored in PostgreSQL and any `vpe-bot worker` process, on any machine, takes it.

Exactly once does not depend on the executor: a job only acts through the slot claims and
send claims in the database, so a job run twice, or retried after its worker died, resumes
where the claims say.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.slack.clients import NotInstalled, for_each

log = logging.getLogger(__name__)
Arg = str | int | None
Task = Callable[..., object]
Job = tuple[tuple[Arg, ...], str | None]  # (arguments, lock)


class UnknownTask(Exception):
    """A job names a task this process did not register (a newer or older version)."""


class Work(Protocol):
    # People per fan-out job: None sends a pulse's whole audience in one job; a number
    # sends that many, then queues the rest behind other workspaces' first batches.
    batch: int | None
    # People in a scheduled pulse's opening job: with workers, one DM, so that every
    # workspace due at the same minute is opened and reached before any sends a batch.
    first_batch: int | None

    def register(self, name: str, task: Task) -> None: ...

    def submit(self, name: str, *args: Arg, lock: str | None = None) -> None:
        """Run `name(*args)` once, here or in a worker. Jobs with the same `lock` never run
        at the same time; a job identical to one still waiting is not queued twice."""
        ...

    def submit_each(self, name: str, jobs: Sequence[Job], at_once: int = 1) -> None:
        """One job per (arguments, lock). In process, up to `at_once` of them run at the
        same time (workspaces due at the same minute: the last does not wait for the rest)."""
        ...


class Tasks:
    """The tasks a process knows, by name; `run` is what every executor finally calls."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}

    def register(self, name: str, task: Task) -> None:
        self._tasks[name] = task

    def names(self) -> list[str]:
        return sorted(self._tasks)

    def run(self, name: str, args: list[Arg]) -> None:
        task = self._tasks.get(name)
        if task is None:
            raise UnknownTask(name)
        task(*args)

    def run_guarded(self, name: str, args: list[Arg]) -> None:
        """One workspace's trouble (uninstalled, an error) stops no other job."""
        try:
            self.run(name, args)
        except NotInstalled as missing:
            log.info("job %s skipped: the app is not installed in %s", name, missing)
        except Exception:
            log.exception("job %s failed for one workspace", name)


class InProcess(Tasks):
    """The embedded executor: each job runs at once, in the caller's thread (or, from
    `submit_each`, in one of up to `at_once` threads)."""

    batch: int | None = None
    first_batch: int | None = None

    def submit(self, name: str, *args: Arg, lock: str | None = None) -> None:
        self.run_guarded(name, list(args))

    def submit_each(self, name: str, jobs: Sequence[Job], at_once: int = 1) -> None:
        # Different locks are different workspaces (or pulses): they may run side by side.
        for_each(jobs, lambda job: self.submit(name, *job[0], lock=job[1]), name, at_once)
