"""The Slack budget every worker books in (PostgreSQL): together they never go faster."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from bot.storage.db import make_engine
from bot.storage.rate_budget import SharedBudget, budget_key

RATE, BURST = 20.0, 5
EPSILON = 0.05  # seconds of database clock between two bookings of one test


@pytest.fixture
def engines(database: str):  # type: ignore[no-untyped-def]
    if database.startswith("sqlite"):
        pytest.skip("the shared budget lives in PostgreSQL, with the job engine")
    made = [make_engine(database) for _ in range(3)]  # one per "worker process"
    yield made
    for engine in made:
        engine.dispose()


def test_three_workers_booking_at_once_get_slots_no_faster_than_the_budget(
    engines: list,  # type: ignore[type-arg]
) -> None:
    key = budget_key("xoxb-one-workspace", "chat.postMessage")
    budgets = [SharedBudget(engine, key, RATE, BURST) for engine in engines]
    for engine in engines:  # connections made before the clock starts
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def send_time(worker: int) -> float:
        return budgets[worker % 3].book() + time.time()

    with ThreadPoolExecutor(12) as pool:
        times = sorted(pool.map(send_time, range(60)))
    # The burst goes at once, then one slot every 1/RATE, whoever booked it.
    since = [at - times[0] for at in times]
    assert since[BURST - 1] < 0.2
    for index, at in enumerate(since):
        assert at >= (index - BURST + 1) / RATE - EPSILON, f"slot {index} too early"
    # Never sooner than the budget (above); later only by how slowly a busy machine books
    # sixty slots, which is the machine's, not the budget's: a wide margin on that side.
    floor = (60 - BURST) / RATE
    assert floor - EPSILON <= since[-1] < floor + 1.0, since[-1]


def test_a_retry_after_pauses_only_that_workspace_and_method(
    engines: list,  # type: ignore[type-arg]
) -> None:
    posting = SharedBudget(engines[0], budget_key("xoxb-a", "chat.postMessage"), RATE, BURST)
    posting.pause(2.0)
    other_worker = SharedBudget(engines[1], posting.key, RATE, BURST)
    assert other_worker.book() == pytest.approx(2.0, abs=0.2), "paused for every worker"
    other_method = SharedBudget(engines[1], budget_key("xoxb-a", "users.info"), RATE, BURST)
    other_team = SharedBudget(engines[2], budget_key("xoxb-b", "chat.postMessage"), RATE, BURST)
    assert other_method.book() == 0.0
    assert other_team.book() == 0.0
