"""SIGTERM asks a process to stop without ever hanging it.

A Python signal handler runs in the main thread between two bytecodes, possibly while the
main thread holds the lock the stop action needs: the action must run elsewhere.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from bot.runtime.processes import _on_terminate


@pytest.fixture
def handlers() -> Iterator[None]:
    saved = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)
    faulthandler.unregister(signal.SIGUSR1)


@pytest.mark.usefixtures("handlers")
def test_sigterm_while_the_main_thread_holds_the_stop_events_lock_still_stops() -> None:
    stop = threading.Event()
    _on_terminate(stop.set)
    # The state of a main loop inside `stop.wait(1.0)` between its timeout and its next
    # wait: it holds the Event's own lock when the signal's handler runs.
    with stop._cond:  # type: ignore[attr-defined]
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)  # the handler runs here, in this thread, and must not block
        assert not stop.is_set()
    assert stop.wait(5), "the stop action ran once the lock was free"


@pytest.mark.usefixtures("handlers")
def test_sigint_asks_the_same_stop() -> None:
    stop = threading.Event()
    _on_terminate(stop.set)
    os.kill(os.getpid(), signal.SIGINT)
    assert stop.wait(5)
