"""Web API clients, with the retry handlers slack_sdk provides."""

from __future__ import annotations

import threading

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.config import Settings


def retry_handlers() -> list[RetryHandler]:
    """Retry what retrying helps: rate limits (honouring Retry-After), 5xx, dropped connections."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=8),
        ServerErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=3),
    ]


def build_client(token: str | None, base_url: str) -> WebClient:
    return WebClient(token=token, base_url=base_url, timeout=10, retry_handlers=retry_handlers())


class Clients:
    """The client to use for a workspace, and the bot's own user id there."""

    def __init__(self, settings: Settings) -> None:
        self._client = build_client(settings.slack_bot_token, settings.slack_api_url)
        self._bot_users: dict[str, str] = {}
        self._lock = threading.Lock()

    def for_team(self, team_id: str) -> WebClient:
        return self._client

    def bot_user_id(self, team_id: str) -> str:
        """The app's bot user (so the bot never sends itself a pulse)."""
        with self._lock:
            if team_id not in self._bot_users:
                self._bot_users[team_id] = str(self.for_team(team_id).auth_test()["user_id"])
            return self._bot_users[team_id]
