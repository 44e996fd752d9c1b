"""One shared gate per workspace and Web API method, so many threads share Slack's budget.

Slack limits each method per workspace (and chat.postMessage also per channel) and answers
429 with Retry-After when a budget is spent. slack_sdk's RateLimitErrorRetryHandler makes
only the thread that got the 429 sleep, for Retry-After plus up to a second of jitter,
while the other threads carry on into more 429s. Here every thread of the process that
calls the same method in the same workspace goes through one `Gate`:

* a 429 closes the gate for everyone until exactly its Retry-After deadline (no jitter: the
  deadline is Slack's own answer, and nobody may go earlier);
* after a pause the gate paces calls at the rate the workspace sustained between the last
  two pauses, slowly rising, so it stays near the limit without running into a 429 at
  every turn (a pause every several seconds, instead of one per thread per second);
* calls to the same channel are spaced (1 s for chat.postMessage, Slack's per-channel rule),
  retries included.

`Pacer` holds the gates (by bot token and method) and is shared by the retry handlers below,
which is how the gate reaches every client: Bolt copies a client's `retry_handlers` into the
client it makes for each request. Code that sends a lot (the pulse fan-out) also waits at the
gate before each first attempt, via `pacer_of(client)`.
"""

from __future__ import annotations

import json
import logging
import math
import socket
import threading
import time
from collections.abc import Callable
from typing import Protocol
from urllib.error import URLError
from urllib.parse import parse_qs, urlsplit

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.slack.markers import is_marked

log = logging.getLogger(__name__)

# Seconds between two calls to the same channel, per method (Slack: about 1 message per
# second per channel for chat.postMessage, with short bursts tolerated; we do not burst).
PER_CHANNEL = {"chat.postMessage": 1.0}
# Seconds between two calls of the workspace, per method, whatever the channel: Tier 3 allows
# about 50 conversations.history calls a minute (the look before re-posting a maybe-sent
# message, bot.slack.sends), so they are spaced to stay under it without a 429.
PER_WORKSPACE = {"conversations.history": 1.2}

# Pacing after a pause: the rate learnt from the window the pause closed (see Gate._settle),
# times (1 + GROWTH * seconds since the gate reopened). A little above the limit the
# workspace's bucket drains slowly, so the next 429 comes many seconds later, not at once.
GROWTH = 0.01
MIN_SAMPLE = 3  # successes a window needs before its rate is trusted
IDLE = 10.0  # seconds without calls after which what was learnt is forgotten
DEFAULT_RETRY_AFTER = 1.0  # when a 429 comes without a usable Retry-After

# With several worker processes (JOB_ENGINE=procrastinate) the fan-out also books each call
# in a budget shared through the database: (calls per second, burst) per workspace, a little
# under chat.postMessage's workspace limit so that a 429 stays rare.
SHARED_BUDGETS = {"chat.postMessage": (45.0, 10)}


class Shared(Protocol):
    """A budget shared with other processes (bot.storage.rate_budget.SharedBudget)."""

    def book(self) -> float: ...
    def pause(self, seconds: float) -> None: ...


class Gate:
    """The budget of one method in one workspace, shared by every thread. Thread-safe.

    `clock` (monotonic seconds) and `sleep` are injectable so tests can run it on fake time.
    """

    def __init__(
        self,
        per_channel: float = 0.0,
        *,
        spacing: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_channel = per_channel
        self.spacing = spacing  # seconds between any two calls (PER_WORKSPACE)
        self._next_spaced = -math.inf
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._resume_at = -math.inf  # closed until then (a 429's Retry-After deadline)
        self._epoch = 0  # one more at every pause: slots booked before it are void
        self._next_slot = -math.inf  # when paced: the earliest start of the next call
        self._last_by_channel: dict[str, float] = {}
        # Pacing: `_rate` calls/s when the gate reopened, GROWTH faster per second since;
        # None: unpaced (nothing learnt yet, or forgotten).
        self._rate: float | None = None
        self._reopened_at = -math.inf
        self._last_call = -math.inf
        # The window the next rate is measured over: from one pause to the next.
        self._window_start: float | None = None
        self._window_paused = 0.0  # how long the window began closed (its pause)
        self._window_calls = 0
        self._window_refused = 0
        self._closing_at: float | None = None  # a pause began; the window ends with it
        self.pauses = 0  # statistics, for logs and benchmarks
        self.refused = 0
        self.shared: Shared | None = None  # the budget other processes book in too

    # -- what callers do ---------------------------------------------------------------

    def wait(self, channel: str | None = None) -> float:
        """Block until this call may go; returns the seconds waited."""
        began = self._clock()
        while True:
            with self._lock:
                now = self._clock()
                start, booked, epoch = self._book(now, channel)
            if start > now:
                self._sleep(start - now)
            if not booked:
                continue  # paused, or the channel was busy: book a slot once free
            with self._lock:
                now = self._clock()
                if self._epoch == epoch and now >= self._resume_at:
                    self._window_calls += 1
                    self._last_call = max(self._last_call, now)
                    break
            # A 429 closed the gate while we slept: what we booked is void, book again.
        if self.shared is not None:
            self._sleep(self._book_shared())
        return self._clock() - began

    def _book_shared(self) -> float:
        assert self.shared is not None
        try:
            return self.shared.book()
        except Exception as error:  # the database is away: this process's own gate still holds
            log.warning("shared rate budget unavailable (%s)", type(error).__name__)
            return 0.0

    def refused_until(self, retry_after: float) -> float:
        """A call got 429: close the gate for everyone until now + retry_after; the deadline."""
        with self._lock:
            now = self._clock()
            deadline = now + max(0.0, retry_after)
            self.refused += 1
            self._window_refused += 1
            if now >= self._resume_at:  # a new pause (not an in-flight call of the current one)
                self.pauses += 1
                self._epoch += 1
                self._closing_at = now
                self._next_slot = -math.inf
            self._resume_at = max(self._resume_at, deadline)
            resume_at = self._resume_at
        if self.shared is not None:
            try:
                self.shared.pause(max(0.0, retry_after))  # every process, this workspace
            except Exception as error:
                log.warning("shared rate budget not paused (%s)", type(error).__name__)
        return resume_at

    # -- what tests and logs read ------------------------------------------------------

    @property
    def rate(self) -> float | None:
        """The rate learnt at the last pause (calls per second), or None while unpaced."""
        with self._lock:
            return self._rate

    @property
    def resume_at(self) -> float:
        with self._lock:
            return self._resume_at

    # -- internals (called with the lock held) -------------------------------------------

    def _book(self, now: float, channel: str | None) -> tuple[float, bool, int]:
        """(when the caller may go, whether that is a booked slot, the epoch it belongs to).

        During a pause nobody books: everyone sleeps until it ends, then books in turn, at
        the pace learnt from the window the pause closed.
        """
        if now < self._resume_at:
            return self._resume_at, False, self._epoch
        self._settle(now)
        start = now if self._rate is None else max(now, self._next_slot)
        start = max(start, self._next_spaced)
        if channel is not None and self.per_channel > 0:
            free_at = self._last_by_channel.get(channel, -math.inf) + self.per_channel
            if free_at > start:
                return free_at, False, self._epoch  # wait for the channel, keep no slot
            self._remember_channel(channel, start)
        pace = self._pace(start)
        if pace is not None:
            self._next_slot = start + 1.0 / pace
        if self.spacing > 0:
            self._next_spaced = start + self.spacing
        return start, True, self._epoch

    def _pace(self, at: float) -> float | None:
        if self._rate is None:
            return None
        return self._rate * (1 + GROWTH * max(0.0, at - self._reopened_at))

    def _settle(self, now: float) -> None:
        """The gate is open: close the window a pause left open, learn; forget when idle.

        A window runs from one pause's first 429 to the next: `paused` seconds closed, then
        `running` seconds open, with `succeeded` calls through. The workspace's sustainable
        rate lies between succeeded / (paused + running) (exact when its burst holds what
        refills during a pause, then wasted nothing) and succeeded / running (nearer when the
        burst is small): the gate goes on at their geometric mean, rising by GROWTH a second
        to find the limit again. One window cannot tell the two cases apart; the mean lands
        near the limit in both within a window or two (bench/results-fanout.md).
        """
        if self._closing_at is not None:
            if self._window_start is not None:
                elapsed = self._closing_at - self._window_start
                running = elapsed - self._window_paused
                succeeded = self._window_calls - self._window_refused
                if running > 0 and succeeded >= MIN_SAMPLE:
                    self._rate = math.sqrt((succeeded / elapsed) * (succeeded / running))
            self._window_paused = self._resume_at - self._closing_at
            self._window_start = self._closing_at
            self._window_calls = self._window_refused = 0
            self._reopened_at = self._resume_at
            self._closing_at = None
        elif now - max(self._last_call, self._resume_at) > IDLE:
            # Quiet for a while: a pace learnt then says nothing about now.
            self._rate = None
            self._window_start, self._window_paused = now, 0.0
            self._window_calls = self._window_refused = 0
        if self._window_start is None:
            self._window_start = now

    def _remember_channel(self, channel: str, at: float) -> None:
        if len(self._last_by_channel) >= 4096:  # forget channels that are free again
            horizon = at - self.per_channel
            self._last_by_channel = {c: t for c, t in self._last_by_channel.items() if t > horizon}
        self._last_by_channel[channel] = at


class Pacer:
    """The gates of a process, by bot token (one per workspace) and API method."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        shared: Callable[[str | None, str], Shared | None] | None = None,
    ) -> None:
        """`shared(token, method)`: the budget other processes share for that workspace and
        method, if any (several workers); None keeps each process to its own gates."""
        self._clock, self._sleep, self._shared = clock, sleep, shared
        self._gates: dict[tuple[str | None, str], Gate] = {}
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict[int, object]) -> Pacer:
        # Bolt deep-copies a request, its client and the client's retry handlers for lazy
        # listeners; the copy must keep sharing the gates, not start a budget of its own.
        return self

    def __copy__(self) -> Pacer:
        return self

    def gate(self, token: str | None, method: str) -> Gate:
        key = (token, method)
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                per_channel = PER_CHANNEL.get(method, 0.0)
                spacing = PER_WORKSPACE.get(method, 0.0)
                gate = Gate(per_channel, spacing=spacing, clock=self._clock, sleep=self._sleep)
                if self._shared is not None:
                    gate.shared = self._shared(token, method)
                self._gates[key] = gate
            return gate

    def gate_for(self, request: HttpRequest) -> Gate:
        return self.gate(token_of(request), method_of(request.url))


class PacedRateLimitRetryHandler(RetryHandler):
    """On 429: close the workspace's gate for the method until Retry-After, then wait there.

    Replaces slack_sdk's RateLimitErrorRetryHandler (which sleeps Retry-After plus jitter in
    the one thread that was refused, while the others keep calling).
    """

    def __init__(self, pacer: Pacer, max_retry_count: int = 10) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pacer = pacer

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code == 429

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # _can_retry only accepts responses; keep slack_sdk's contract
            raise error or RuntimeError("429 without a response")
        state.next_attempt_requested = True
        gate = self.pacer.gate_for(request)
        gate.refused_until(retry_after(response))
        gate.wait(channel_of(request))
        state.increment_current_attempt()


class _ThroughTheGate(RetryHandler):
    """After slack_sdk's own wait before a retry, the retry also waits at the gate."""

    def __init__(self, pacer: Pacer, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pacer = pacer

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        super().prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )
        self.pacer.gate_for(request).wait(channel_of(request))


class PacedServerErrorRetryHandler(_ThroughTheGate, ServerErrorRetryHandler):
    """slack_sdk's 5xx retries (backoff with jitter), then through the gate like any call.

    Not for a marked post: Slack may have posted it before erring, and its sender looks for
    it before posting again (bot.slack.sends).
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if is_marked(request.data):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class PacedConnectionErrorRetryHandler(_ThroughTheGate, ConnectionErrorRetryHandler):
    """slack_sdk's retries of dropped connections, then through the gate like any call.

    A marked post is retried here only when it never left (the connection was refused); a
    reset may come after Slack posted it, and its sender looks first (bot.slack.sends).
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if is_marked(request.data) and not never_left(error):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def never_left(error: Exception | None) -> bool:
    """The request never reached a server: refused, or the name did not resolve."""
    reason = error.reason if isinstance(error, URLError) else error
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


def pacer_of(client: WebClient) -> Pacer | None:
    """The pacer a client's retry handlers share, if it has one."""
    for handler in client.retry_handlers or []:
        if isinstance(handler, PacedRateLimitRetryHandler):
            return handler.pacer
    return None


def gate_of(client: WebClient, method: str) -> Gate | None:
    pacer = pacer_of(client)
    return pacer.gate(client.token, method) if pacer is not None else None


def retry_after(response: HttpResponse) -> float:
    """Seconds from a 429's Retry-After (Slack sends whole seconds); 1 when missing."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) and values else values
            try:
                seconds = float(str(value).strip())
            except ValueError:
                return DEFAULT_RETRY_AFTER
            return seconds if math.isfinite(seconds) and seconds >= 0 else DEFAULT_RETRY_AFTER
    return DEFAULT_RETRY_AFTER


def method_of(url: str) -> str:
    """https://slack.com/api/chat.postMessage -> chat.postMessage"""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def token_of(request: HttpRequest) -> str | None:
    for name, values in request.headers.items():
        if name.lower() == "authorization":
            value = values[0] if isinstance(values, list) and values else values
            scheme, _, token = str(value).partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


def channel_of(request: HttpRequest) -> str | None:
    """The `channel` argument of a request (JSON or form body), for the per-channel spacing."""
    data = request.data
    if not data:
        return None
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
    except UnicodeDecodeError:
        return None
    if text.startswith("{"):
        try:
            body = json.loads(text)
        except ValueError:
            return None
        channel = body.get("channel") if isinstance(body, dict) else None
        return channel if isinstance(channel, str) else None
    values = parse_qs(text).get("channel")
    return values[0] if values else None
