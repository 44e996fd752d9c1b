"""Building the Bolt app: the Web API client, request verification, and the handlers."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.deps import Deps
from bot.handlers import register_all


def retry_handlers() -> list[RetryHandler]:
    """Retry what retrying helps: rate limits (honouring Retry-After), 5xx, dropped connections."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=5),
        ServerErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=3),
    ]


def build_client(token: str | None, base_url: str) -> WebClient:
    return WebClient(token=token, base_url=base_url, timeout=10, retry_handlers=retry_handlers())


def build_app(deps: Deps) -> App:
    """The Bolt app, in single-workspace token mode.

    `process_before_response=True`: the ack listener answers Slack at once, and the real work
    runs as a lazy listener on Bolt's thread pool, so nothing waits on Bolt's 10 ms ack poll.
    """
    settings = deps.settings
    app = App(
        client=build_client(settings.slack_bot_token, settings.slack_api_url),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        logger=logging.getLogger("bot.bolt"),
    )
    register_all(app, deps)
    return app
