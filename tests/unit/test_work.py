"""The in-process executor: workspaces due at the same minute run side by side."""

from __future__ import annotations

import threading
import time

from bot.services.work import InProcess, Job
from bot.slack.clients import DUE_AT_ONCE


def _running_at_once(jobs: int, at_once: int) -> tuple[int, list[str]]:
    work = InProcess()
    lock = threading.Lock()
    running, most, done = 0, 0, []

    def task(team_id: str) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1
            done.append(team_id)

    work.register("pulse.slot", task)
    batch: list[Job] = [((f"T{n}",), f"send:T{n}") for n in range(jobs)]
    work.submit_each("pulse.slot", batch, at_once)
    return most, sorted(done)


def test_due_workspaces_run_up_to_due_at_once_together() -> None:
    most, done = _running_at_once(DUE_AT_ONCE + 2, DUE_AT_ONCE)
    assert most == DUE_AT_ONCE  # never more, and not one after the other
    assert done == sorted(f"T{n}" for n in range(DUE_AT_ONCE + 2))  # each once


def test_one_at_a_time_when_asked() -> None:
    assert _running_at_once(3, 1)[0] == 1


def test_one_workspace_failing_stops_no_other() -> None:
    work, done = InProcess(), []

    def task(team_id: str) -> None:
        if team_id == "T0":
            raise RuntimeError("boom")
        done.append(team_id)

    work.register("digest.post", task)
    work.submit_each("digest.post", [(("T0",), None), (("T1",), None)], DUE_AT_ONCE)
    assert done == ["T1"]
