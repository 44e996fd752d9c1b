"""Injected failures and Slack-style rate limits.

One-shot faults (`fail_next`, `rate_limit_next`, `server_error_next`, `reset_next`,
`hang_next`) queue per method and fire in the order they were added, so a test can script
"429, then 500, then fine". A 5xx, a reset or a hang may come `after_post`: the method runs
(the message is posted) and the bot still gets the fault, its outcome unknown.
Delays are kept apart because they combine with whatever answer follows. Rate limits are
token buckets, the model Slack documents ("bursts are tolerated, sustained excess is not").
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Fail:
    """HTTP 200 with {"ok": false, "error": error}."""

    error: str


@dataclass(frozen=True)
class RateLimited:
    """HTTP 429 with a Retry-After header, in whole seconds as Slack sends it."""

    retry_after: int


@dataclass(frozen=True)
class ServerError:
    """HTTP 5xx. `after_post`: the method ran first (Slack did the work, then erred)."""

    status: int
    after_post: bool = False


@dataclass(frozen=True)
class Reset:
    """No answer at all: the connection is closed with a TCP reset once the request is read.

    The method does not run (nothing is posted), as when a proxy or load balancer drops the
    connection before Slack handled it; the client sees ConnectionResetError. `after_post`:
    the method ran first, and the answer was lost on its way back.
    """

    after_post: bool = False


@dataclass(frozen=True)
class Hang:
    """The method runs, then the answer is held `seconds` (past the client's timeout)."""

    seconds: float


Outcome = Fail | RateLimited | ServerError | Reset | Hang


@dataclass
class _Queued:
    outcome: Outcome
    remaining: int


@dataclass
class _Delay:
    seconds: float
    remaining: int


@dataclass
class _Bucket:
    tokens: float
    updated: float


_T = TypeVar("_T", _Queued, _Delay)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: dict[str, list[_Queued]] = {}
        self._delays: dict[str, list[_Delay]] = {}
        self._limits: dict[str, tuple[float, int, bool]] = {}
        self._buckets: dict[tuple[str, str | None, str | None], _Bucket] = {}

    def queue(self, method: str, outcome: Outcome, times: int) -> None:
        _check_times(times)
        with self._lock:
            self._queued.setdefault(method, []).append(_Queued(outcome, times))

    def delay(self, method: str, seconds: float, times: int) -> None:
        _check_times(times)
        with self._lock:
            self._delays.setdefault(method, []).append(_Delay(seconds, times))

    def set_rate_limit(self, method: str, per_second: float, burst: int, per_channel: bool) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        with self._lock:
            self._limits[method] = (per_second, burst, per_channel)
            # A new limit starts with full buckets, as if the app had been idle.
            self._buckets = {k: b for k, b in self._buckets.items() if k[0] != method}

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
            self._delays.clear()
            self._limits.clear()
            self._buckets.clear()

    def take_delay(self, method: str) -> float:
        with self._lock:
            return _pop(self._delays, method).seconds if method in self._delays else 0.0

    def take_outcome(self, method: str, team_id: str | None, channel: str | None) -> Outcome | None:
        """The injected answer for this request, if any; consumes one use of it."""
        with self._lock:
            if method in self._queued:
                return _pop(self._queued, method).outcome
            return self._spend_token(method, team_id, channel)

    def _spend_token(self, method: str, team_id: str | None, channel: str | None) -> Outcome | None:
        limit = self._limits.get(method)
        if limit is None:
            return None
        per_second, burst, per_channel = limit
        key = (method, team_id, channel if per_channel else None)
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(float(burst), now)
            self._buckets[key] = bucket
        bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * per_second)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        # Slack's Retry-After is an integer number of seconds, never 0.
        return RateLimited(max(1, math.ceil((1.0 - bucket.tokens) / per_second)))


def _pop(queues: dict[str, list[_T]], method: str) -> _T:
    queue = queues[method]
    head = queue[0]
    head.remaining -= 1
    if head.remaining <= 0:
        queue.pop(0)
        if not queue:
            del queues[method]
    return head


def _check_times(times: int) -> None:
    if times < 1:
        raise ValueError("times must be at least 1")
