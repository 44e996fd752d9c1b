"""The Dramatiq engine's own promises, on the Redis server that TEST_REDIS_URL names.

What procrastinate gives built in, rebuilt on Redis keys (bot/runtime/broker_engine.py): a
job identical to one still waiting is not queued twice, and one workspace's jobs never run
at the same time while other workspaces' do not wait for them. The whole path (clock,
worker processes, a worker killed) is tests/e2e/test_job_engine.py, on both engines.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from itertools import pairwise

import pytest
import redis

from bot.runtime.broker_engine import DramatiqWork

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="no Redis server named (TEST_REDIS_URL)"
)


@pytest.fixture
def work() -> Iterator[DramatiqWork]:
    url = os.environ["TEST_REDIS_URL"]
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    work = DramatiqWork(url)
    yield work
    work.stop()
    work.close()


def run_until(work: DramatiqWork, done: threading.Event, concurrency: int) -> None:
    worker = threading.Thread(target=work.run_worker, args=(concurrency,))
    worker.start()
    try:
        assert done.wait(30), "the jobs ran"
        time.sleep(1.0)  # a job queued twice would run by now
    finally:
        work.stop()
        worker.join(30)
    assert not worker.is_alive(), "the worker stops when told"


def test_a_job_already_waiting_is_not_queued_twice(work: DramatiqWork) -> None:
    ran: list[str] = []
    done = threading.Event()

    def send(team: str, pulse: int) -> None:
        ran.append(f"{team}/{pulse}")
        if len(ran) >= 2:
            done.set()

    work.register("pulse.send", send)
    for _ in range(3):  # the clock finds the same unfinished fan-out at every pass
        work.submit("pulse.send", "T1", 7, lock="send:T1")
    work.submit("pulse.send", "T2", 7, lock="send:T2")
    run_until(work, done, concurrency=2)
    assert sorted(ran) == ["T1/7", "T2/7"]


def test_one_workspace_runs_one_job_at_a_time(work: DramatiqWork) -> None:
    spans: dict[str, list[tuple[float, float]]] = {"T1": [], "T2": []}
    done = threading.Event()
    guard = threading.Lock()

    def send(team: str, batch: int) -> None:
        start = time.monotonic()
        time.sleep(0.2)
        with guard:
            spans[team].append((start, time.monotonic()))
            if sum(len(each) for each in spans.values()) == 8:
                done.set()

    work.register("pulse.send", send)
    for batch in range(4):
        for team in ("T1", "T2"):
            work.submit("pulse.send", team, batch, lock=f"send:{team}")
    run_until(work, done, concurrency=4)
    for team, taken in spans.items():
        assert len(taken) == 4, team
        ordered = sorted(taken)
        for (_, end), (next_start, _) in pairwise(ordered):
            assert next_start >= end, f"two jobs of {team} ran at the same time"


def test_the_next_submission_after_a_job_started_is_a_new_job(work: DramatiqWork) -> None:
    ran: list[int] = []
    first, second = threading.Event(), threading.Event()

    def close(team: str, pulse: int) -> None:
        ran.append(pulse)
        (second if first.is_set() else first).set()

    work.register("pulse.close", close)
    work.submit("pulse.close", "T1", 1)
    worker = threading.Thread(target=work.run_worker, args=(1,))
    worker.start()
    try:
        assert first.wait(30)
        work.submit("pulse.close", "T1", 1)  # not waiting any more: queued again
        assert second.wait(30)
    finally:
        work.stop()
        worker.join(30)
    assert ran == [1, 1]
