"""The shared gate: 429s pause everyone until Retry-After, pacing learnt, channels spaced.

All on fake time: `sleep` moves the clock, so nothing here waits or depends on speed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.slack.clients import build_client
from bot.slack.markers import marked
from bot.slack.ratelimit import (
    GROWTH,
    IDLE,
    Gate,
    PacedConnectionErrorRetryHandler,
    PacedRateLimitRetryHandler,
    PacedServerErrorRetryHandler,
    Pacer,
    channel_of,
    gate_of,
    method_of,
    pacer_of,
    retry_after,
    token_of,
)

URL = "https://slack.com/api/chat.postMessage"
TOKEN = "xoxb-1"


class FakeTime:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.slept: list[float] = []
        self.during_sleep: Callable[[], None] | None = None  # "another thread" acts here

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.during_sleep is not None:
            action, self.during_sleep = self.during_sleep, None
            action()
        self.now += seconds


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


def a_gate(time_: FakeTime, per_channel: float = 0.0) -> Gate:
    return Gate(per_channel, clock=time_.clock, sleep=time_.sleep)


def post(channel: str = "U1", token: str = TOKEN, key: str | None = None) -> HttpRequest:
    """A chat.postMessage request; with `key`, a marked one (bot.slack.markers)."""
    kwargs = {"channel": channel, "text": "hi"}
    body = json.dumps(marked(kwargs, key) if key else kwargs).encode()
    return HttpRequest(
        method="POST",
        url=URL,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        data=body,
    )


def too_many(retry: str | None = "1") -> HttpResponse:
    headers = {"Retry-After": retry} if retry is not None else {}
    return HttpResponse(status_code=429, headers=headers, body={"ok": False})


def test_an_open_gate_lets_calls_through_without_waiting(time_: FakeTime) -> None:
    gate = a_gate(time_)
    for _ in range(5):
        assert gate.wait() == 0
    assert time_.slept == []


def test_a_429_closes_the_gate_for_everyone_until_exactly_its_deadline(time_: FakeTime) -> None:
    gate = a_gate(time_)
    deadline = gate.refused_until(2)
    assert deadline == 1002.0
    time_.now += 0.25
    waited = gate.wait()  # another caller, who never got a 429 itself
    assert time_.now == deadline, "not a moment earlier, and no jitter after"
    assert waited == pytest.approx(1.75)
    assert gate.wait() == 0, "open again"


def test_429s_of_calls_already_in_flight_extend_the_same_pause(time_: FakeTime) -> None:
    gate = a_gate(time_)
    gate.refused_until(1)
    time_.now += 0.01
    assert gate.refused_until(1) == pytest.approx(1001.01)
    time_.now += 0.01
    assert gate.refused_until(1) == pytest.approx(1001.02)
    assert (gate.pauses, gate.refused) == (1, 3)
    gate.wait()
    assert time_.now == pytest.approx(1001.02)


def test_a_pause_during_a_booked_wait_voids_the_booking(time_: FakeTime) -> None:
    gate = a_gate(time_, per_channel=1.0)
    gate.wait("U1")
    # U1's next call must wait for the channel; while it sleeps, someone else gets a 429.
    time_.during_sleep = lambda: gate.refused_until(3)
    gate.wait("U1")
    assert time_.now == pytest.approx(1003.0), "it went when the pause ended, not before"


def test_calls_to_one_channel_are_spaced_and_other_channels_are_not(time_: FakeTime) -> None:
    gate = a_gate(time_, per_channel=1.0)
    gate.wait("U1")
    gate.wait("U2")
    assert time_.slept == []
    time_.now += 0.4
    gate.wait("U1")
    assert time_.slept == [pytest.approx(0.6)]
    assert time_.now == pytest.approx(1001.0)


def learn(gate: Gate, time_: FakeTime, calls: int, spacing: float, in_flight: int) -> None:
    """`calls` through the gate, `spacing` apart, then a 429 and `in_flight` more 429s."""
    for _ in range(calls):
        gate.wait()
        time_.now += spacing
    gate.refused_until(1)
    for _ in range(in_flight):
        time_.now += 0.001
        gate.refused_until(1)


def test_after_a_pause_calls_are_paced_at_the_rate_the_workspace_sustained(
    time_: FakeTime,
) -> None:
    gate = a_gate(time_)
    learn(gate, time_, calls=100, spacing=0.02, in_flight=3)  # 100 calls in 2 s, 4 refused
    assert gate.rate is None, "nothing learnt before the pause ends"
    gate.wait()  # the pause ends: the window 1000 -> 1002 is closed
    assert gate.rate == pytest.approx((100 - 4) / 2.0)
    reopened = time_.now
    gate.wait()
    first_gap = time_.now - reopened
    assert first_gap == pytest.approx(1 / 48)
    for _ in range(200):
        gate.wait()
    later_gap = time_.slept[-1]
    since = time_.now - later_gap - reopened
    assert later_gap == pytest.approx(1 / (48 * (1 + GROWTH * since)), rel=1e-6)
    assert later_gap < first_gap, "the pace rises slowly, to find the limit again"


def test_the_next_window_counts_its_pause_and_its_running_time(time_: FakeTime) -> None:
    gate = a_gate(time_)
    learn(gate, time_, calls=100, spacing=0.02, in_flight=0)
    gate.wait()
    assert gate.rate == pytest.approx(99 / 2.0), "the refused call is not a success"
    # From the first 429 (t=1002) to the next: 1 s paused, then 99 calls at the learnt pace.
    first_429 = 1002.0
    for _ in range(98):
        gate.wait()
    second_429 = time_.now
    gate.refused_until(1)
    gate.wait()
    succeeded, elapsed = 99 - 1, second_429 - first_429
    low, high = succeeded / elapsed, succeeded / (elapsed - 1.0)
    assert gate.rate == pytest.approx((low * high) ** 0.5)
    assert low < gate.rate < high


def test_a_quiet_gate_forgets_what_it_learnt(time_: FakeTime) -> None:
    gate = a_gate(time_)
    learn(gate, time_, calls=50, spacing=0.02, in_flight=0)
    gate.wait()
    assert gate.rate is not None
    time_.now += IDLE + 1
    gate.wait()
    assert gate.rate is None


def test_a_small_window_teaches_nothing(time_: FakeTime) -> None:
    gate = a_gate(time_)
    learn(gate, time_, calls=3, spacing=0.1, in_flight=0)
    gate.wait()
    assert gate.rate is None


def test_the_handler_pauses_the_gate_and_retries_without_jitter(time_: FakeTime) -> None:
    pacer = Pacer(clock=time_.clock, sleep=time_.sleep)
    handler = PacedRateLimitRetryHandler(pacer)
    state = RetryState()
    assert handler.can_retry(state=state, request=post(), response=too_many("3"))
    handler.prepare_for_next_attempt(state=state, request=post(), response=too_many("3"))
    assert state.next_attempt_requested
    assert state.current_attempt == 1
    assert time_.slept == [3.0], "exactly Retry-After"
    gate = pacer.gate("xoxb-1", "chat.postMessage")
    assert (gate.pauses, gate.resume_at) == (1, 1003.0)
    assert pacer.gate("xoxb-2", "chat.postMessage").resume_at < time_.now, "other workspace"
    assert pacer.gate("xoxb-1", "users.info").resume_at < time_.now, "other method"
    ok = HttpResponse(status_code=200, headers={}, body={"ok": True})
    assert not handler.can_retry(state=RetryState(), request=post(), response=ok)


def test_a_5xx_retry_waits_at_the_gate_after_its_backoff(time_: FakeTime) -> None:
    pacer = Pacer(clock=time_.clock, sleep=time_.sleep)
    pacer.gate("xoxb-1", "chat.postMessage").refused_until(30)
    handler = PacedServerErrorRetryHandler(pacer)
    state = RetryState()
    server_error = HttpResponse(status_code=503, headers={}, body={"ok": False})
    assert handler.can_retry(state=state, request=post(), response=server_error)
    handler.interval_calculator = FixedValueRetryIntervalCalculator(0.0)  # slack_sdk's sleep
    handler.prepare_for_next_attempt(state=state, request=post(), response=server_error)
    assert time_.now == pytest.approx(1030.0), "a 5xx retry does not jump a 429's pause"


@pytest.mark.parametrize("status", [500, 503])
def test_a_marked_post_is_not_resent_after_a_5xx_its_sender_looks_first(
    time_: FakeTime, status: int
) -> None:
    handler = PacedServerErrorRetryHandler(Pacer(clock=time_.clock, sleep=time_.sleep))
    answer = HttpResponse(status_code=status, headers={}, body={"ok": False})
    assert handler.can_retry(state=RetryState(), request=post(), response=answer), "unmarked"
    marked_post = post(key="pulse:7")
    assert not handler.can_retry(state=RetryState(), request=marked_post, response=answer)


@pytest.mark.parametrize(
    "error",
    [ConnectionResetError(), RemoteDisconnected(), URLError(ConnectionResetError())],
    ids=["reset", "disconnected", "reset-in-urlerror"],
)
def test_a_marked_post_is_not_resent_after_a_lost_answer(time_: FakeTime, error: Exception) -> None:
    handler = PacedConnectionErrorRetryHandler(Pacer(clock=time_.clock, sleep=time_.sleep))
    assert handler.can_retry(state=RetryState(), request=post(), error=error), "unmarked"
    assert not handler.can_retry(state=RetryState(), request=post(key="reminder:7:1"), error=error)


def test_a_marked_post_that_never_left_is_retried(time_: FakeTime) -> None:
    handler = PacedConnectionErrorRetryHandler(Pacer(clock=time_.clock, sleep=time_.sleep))
    refused = URLError(ConnectionRefusedError())
    assert handler.can_retry(state=RetryState(), request=post(key="closed:7"), error=refused)


def test_history_looks_are_spaced_across_the_workspace(time_: FakeTime) -> None:
    """Tier 3 (about 50 a minute): two looks at different channels are 1.2 s apart."""
    gate = Pacer(clock=time_.clock, sleep=time_.sleep).gate(TOKEN, "conversations.history")
    assert gate.wait("D1") == 0.0
    assert gate.wait("D2") == pytest.approx(1.2)
    time_.now += 5
    assert gate.wait() == 0.0, "not after a quiet while"


def test_retry_after_is_read_case_blind_and_defaults_to_one_second() -> None:
    assert retry_after(too_many("7")) == 7.0
    assert retry_after(HttpResponse(status_code=429, headers={"retry-after": "2"})) == 2.0
    assert retry_after(too_many(None)) == 1.0
    assert retry_after(too_many("soon")) == 1.0
    assert retry_after(too_many("-4")) == 1.0


def test_requests_tell_their_method_token_and_channel() -> None:
    request = post("U42", "xoxb-abc")
    assert (method_of(request.url), token_of(request), channel_of(request)) == (
        "chat.postMessage",
        "xoxb-abc",
        "U42",
    )
    form = HttpRequest(method="POST", url=URL, headers={}, data=b"channel=C9&text=x")
    assert (token_of(form), channel_of(form)) == (None, "C9")
    assert channel_of(HttpRequest(method="POST", url=URL, headers={}, data=None)) is None


def test_clients_share_one_pacer_and_copies_keep_sharing_it() -> None:
    pacer = Pacer()
    client = build_client("xoxb-1", "http://127.0.0.1:9/api/", pacer)
    assert pacer_of(client) is pacer
    assert gate_of(client, "chat.postMessage") is pacer.gate("xoxb-1", "chat.postMessage")
    copied = copy.deepcopy(client.retry_handlers)  # what Bolt does for lazy listeners
    assert all(getattr(h, "pacer", None) is pacer for h in copied)
    assert pacer_of(WebClient(token="xoxb-1", retry_handlers=[])) is None
    assert pacer.gate("xoxb-1", "chat.postMessage").per_channel == 1.0
    assert pacer.gate("xoxb-1", "users.info").per_channel == 0.0


class BookedElsewhere:
    """A shared budget where other workers already booked the next `queue` seconds."""

    def __init__(self, queue: float, fails: bool = False) -> None:
        self.queue, self.fails = queue, fails
        self.paused: list[float] = []

    def book(self) -> float:
        if self.fails:
            raise OSError("database away")
        return self.queue

    def pause(self, seconds: float) -> None:
        self.paused.append(seconds)


def test_a_call_waits_for_the_slot_other_workers_left_it(time_: FakeTime) -> None:
    shared = BookedElsewhere(queue=0.4)
    pacer = Pacer(clock=time_.clock, sleep=time_.sleep, shared=lambda token, method: shared)
    gate = pacer.gate(TOKEN, "chat.postMessage")
    assert gate.wait("U1") == pytest.approx(0.4)
    gate.refused_until(3.0)
    assert shared.paused == [3.0], "a Retry-After pauses the workspace for every worker"


def test_without_the_database_the_process_keeps_its_own_gate(time_: FakeTime) -> None:
    shared = BookedElsewhere(queue=0.4, fails=True)
    pacer = Pacer(clock=time_.clock, sleep=time_.sleep, shared=lambda token, method: shared)
    assert pacer.gate(TOKEN, "chat.postMessage").wait("U1") == 0.0
