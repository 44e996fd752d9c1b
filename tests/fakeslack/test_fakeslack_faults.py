"""Injected failures and rate limits, against slack_sdk's own retry handlers."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from . import FakeSlack


def test_rate_limit_next_is_retried_after_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit_next("chat.postMessage", retry_after=1)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    started = time.monotonic()
    assert client.chat_postMessage(channel="C1", text="eventually")["ok"]
    assert time.monotonic() - started >= 1.0  # slack_sdk slept Retry-After (plus jitter)
    assert [(c.status, c.error) for c in fake.calls_to("chat.postMessage")] == [
        (429, "ratelimited"),
        (200, None),
    ]
    assert len(fake.messages("C1")) == 1


def test_a_429_carries_retry_after_and_slacks_body(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit_next("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user="U1")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "7"
    assert caught.value.response["error"] == "ratelimited"
    assert client.users_info(user="U1")["ok"]  # one-shot


def test_server_errors_are_retried_by_slack_sdk(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error_next("conversations.info", status=503, times=2)
    client.retry_handlers.append(
        ServerErrorRetryHandler(
            max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
        )
    )
    assert client.conversations_info(channel="C1")["channel"]["id"] == "C1"
    statuses = [c.status for c in fake.calls_to("conversations.info")]
    assert statuses == [503, 503, 200]


def test_fail_next_answers_a_slack_error_then_recovers(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="is_archived")
    fake.server_error_next("chat.postMessage")
    with pytest.raises(SlackApiError) as first:
        client.chat_postMessage(channel="C1", text="x")
    assert first.value.response.status_code == 200
    assert first.value.response["error"] == "is_archived"
    with pytest.raises(SlackApiError) as second:
        client.chat_postMessage(channel="C1", text="x")
    assert second.value.response.status_code == 500  # faults fire in the order queued
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_reset_next_drops_the_connection_without_posting(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.reset_next("chat.postMessage")
    with pytest.raises(ConnectionResetError):
        client.chat_postMessage(channel="C1", text="lost")
    assert fake.messages("C1") == [], "the method did not run"
    assert [(c.status, c.error) for c in fake.calls_to("chat.postMessage")] == [
        (0, "connection_reset")
    ]
    assert client.chat_postMessage(channel="C1", text="fine")["ok"]  # one-shot


def test_reset_next_is_retried_by_slack_sdk(fake: FakeSlack, client: WebClient) -> None:
    fake.reset_next("chat.postMessage", times=2)
    client.retry_handlers.append(
        ConnectionErrorRetryHandler(
            max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
        )
    )
    assert client.chat_postMessage(channel="C1", text="eventually")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [0, 0, 200]
    assert [m["text"] for m in fake.messages("C1")] == ["eventually"], "posted once"


def test_reset_next_on_a_response_url(fake: FakeSlack) -> None:
    url = fake.response_url("reset-me")
    fake.reset_next("response_url", times=2)
    with pytest.raises(ConnectionResetError):
        WebhookClient(url, retry_handlers=[]).send(text="lost")
    retrying = WebhookClient(
        url,
        retry_handlers=[
            ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))
        ],
    )
    assert retrying.send(text="answered").status_code == 200
    assert [(r.status, r.body.get("text")) for r in fake.responses] == [
        (0, "lost"),
        (0, "answered"),
        (200, "answered"),
    ]


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_after_post_leaves_the_message_posted(
    fake: FakeSlack, client: WebClient, status: int
) -> None:
    fake.server_error_next("chat.postMessage", status=status, after_post=True)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="maybe")
    assert caught.value.response.status_code == status
    assert [m["text"] for m in fake.messages("C1")] == ["maybe"], "Slack did the work"
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [status]


def test_a_reset_after_post_leaves_the_message_posted(fake: FakeSlack, client: WebClient) -> None:
    fake.reset_next("chat.postMessage", after_post=True)
    with pytest.raises(ConnectionResetError):
        client.chat_postMessage(channel="C1", text="maybe")
    assert [m["text"] for m in fake.messages("C1")] == ["maybe"]
    assert [(c.status, c.error) for c in fake.calls_to("chat.postMessage")] == [
        (0, "connection_reset")
    ]


def test_hang_next_posts_then_answers_too_late(fake: FakeSlack, client: WebClient) -> None:
    client.timeout = 1
    fake.hang_next("chat.postMessage", 1.5)
    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="C1", text="maybe")
    assert [m["text"] for m in fake.messages("C1")] == ["maybe"], "posted before the hang"
    assert client.chat_postMessage(channel="C1", text="next")["ok"], "one-shot"


def test_message_metadata_is_read_back_only_when_asked(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "vpe_bot_send", "event_payload": {"key": "pulse:1"}}
    client.chat_postMessage(channel="C1", text="marked", metadata=metadata)
    plain = client.conversations_history(channel="C1")["messages"][0]
    assert "metadata" not in plain
    full = client.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert full[0]["metadata"] == metadata
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x", metadata={"event_payload": {}})
    assert caught.value.response["error"] == "invalid_metadata_format"


def test_delay_next_holds_the_answer(fake: FakeSlack, client: WebClient) -> None:
    fake.delay_next("auth.test", 0.3)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_token_bucket_per_channel(fake: FakeSlack, client: WebClient) -> None:
    fake.set_rate_limit("chat.postMessage", per_second=1, burst=1, per_channel=True)
    assert client.chat_postMessage(channel="C1", text="1")["ok"]
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="2")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "1"
    assert client.chat_postMessage(channel="G1", text="other channel")["ok"]


def test_token_bucket_honoured_by_the_retry_handler(fake: FakeSlack, client: WebClient) -> None:
    fake.set_rate_limit("users.info", per_second=1, burst=2)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    for _ in range(3):
        assert client.users_info(user="U1")["ok"]
    assert [c.status for c in fake.calls_to("users.info")] == [200, 200, 429, 200]


def test_wait_for_counts_calls_and_explains_timeouts(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    assert len(fake.wait_for("auth.test")) == 1
    client.chat_postMessage(channel="C1", text="hi")
    assert fake.wait_for(lambda: fake.messages("C1"))[0]["text"] == "hi"
    with pytest.raises(AssertionError, match=r"expected 2 call\(s\) to auth.test .* got 1"):
        fake.wait_for("auth.test", count=2, timeout=0.1)
    with pytest.raises(AssertionError, match=r"calls seen: .*chat\.postMessage"):
        fake.wait_for(lambda: fake.messages("G1"), timeout=0.1)


def test_reset_calls_keeps_the_directory(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="hi")
    fake.reset_calls()
    assert fake.calls == []
    assert fake.messages() == []
    assert client.users_info(user="U1")["user"]["name"] == "alice"
