"""Which waiting job a free worker takes first, on the job engine (PostgreSQL).

A workspace's close, reminder or digest is due now and short: it must not wait behind other
workspaces' fan-outs. Opening a scheduled pulse goes before the batches of pulses already
open, so a workspace due later does not wait for another's whole audience.
"""

from __future__ import annotations

import threading

import pytest

from bot.runtime.engine import ProcrastinateWork, install_schema


@pytest.fixture
def work(database: str) -> ProcrastinateWork:
    if database.startswith("sqlite"):
        pytest.skip("the job engine keeps its jobs in PostgreSQL")
    install_schema(database)
    return ProcrastinateWork(database)


def run_until_empty(work: ProcrastinateWork) -> None:
    """One worker, one job at a time, until the queue is empty. A thread of its own: the
    worker runs its own event loop, whatever this one runs."""
    worker = threading.Thread(target=work.run_worker, kwargs={"concurrency": 1, "wait": False})
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the worker stops once the queue is empty"


def test_timely_steps_then_openings_then_batches(work: ProcrastinateWork) -> None:
    ran: list[str] = []
    for name in ("pulse.send", "pulse.slot", "pulse.close", "pulse.remind", "digest.post"):
        work.register(name, lambda team, name=name: ran.append(f"{name} {team}"))
    try:
        # In the order a busy minute queues them: batches of fan-outs under way first.
        work.submit("pulse.send", "T1", lock="send:T1")
        work.submit("pulse.send", "T2", lock="send:T2")
        work.submit("pulse.slot", "T3", lock="send:T3")
        work.submit("pulse.send", "T3", lock="send:T3")  # its own opening goes first
        work.submit("pulse.close", "T4")
        work.submit("pulse.slot", "T5", lock="send:T5")
        work.submit("pulse.remind", "T6")
        work.submit("digest.post", "T7", lock="digest:1")
    finally:
        work.close()
    run_until_empty(work)
    assert ran == [
        "pulse.close T4",
        "pulse.remind T6",
        "digest.post T7",
        "pulse.slot T3",
        "pulse.slot T5",
        "pulse.send T1",
        "pulse.send T2",
        "pulse.send T3",
    ]


def test_a_minutes_openings_queued_together_each_once(work: ProcrastinateWork) -> None:
    """The clock queues every workspace due at a minute in one go; an opening still waiting
    from the minute before is not queued twice, and does not keep the others out."""
    ran: list[str] = []
    work.register("pulse.slot", lambda team, slot: ran.append(f"{team} {slot}"))
    work.register("pulse.close", lambda team: ran.append(f"close {team}"))
    try:
        work.submit("pulse.slot", "T2", "09:00", lock="send:T2")  # waiting already
        minute = [((team, "09:00"), f"send:{team}") for team in ("T1", "T2", "T3")]
        work.submit_each("pulse.slot", minute)
        work.submit_each("pulse.slot", [((team, "09:00"), f"send:{team}") for team in ("T4", "T5")])
        work.submit_each("pulse.close", [(("T6",), None), (("T7",), None)])
    finally:
        work.close()
    run_until_empty(work)
    assert ran == ["close T6", "close T7", *(f"T{n} 09:00" for n in (2, 1, 3, 4, 5))]
