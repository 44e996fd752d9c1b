"""Web API clients: one token for a single workspace, or each installation's own token."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.oauth.installation_store import InstallationStore

from bot.core.config import Settings
from bot.slack.ratelimit import (
    PacedConnectionErrorRetryHandler,
    PacedRateLimitRetryHandler,
    PacedServerErrorRetryHandler,
    Pacer,
    Shared,
)
from bot.slack.sends import Resend

log = logging.getLogger(__name__)
Item = TypeVar("Item")
# Workspaces whose due work (a scheduled pulse, its reminders, a close, a digest) runs at
# once, each with its own senders: 10 workspaces due at 09:00 all start within a second or
# two instead of one after the other (bench/README.md, "On the minute").
DUE_AT_ONCE = 4


class NotInstalled(Exception):
    """The app has no bot token for this workspace (uninstalled, or tokens revoked)."""


def retry_handlers(pacer: Pacer | None = None) -> list[RetryHandler]:
    """Retry what retrying helps: rate limits (honouring Retry-After), 5xx, dropped connections.

    All three go through `pacer`'s gate for the workspace and method, so a 429 pauses every
    thread of the process that calls that method there, not only the one that got it.
    """
    pacer = pacer or Pacer()
    return [
        PacedRateLimitRetryHandler(pacer, max_retry_count=10),
        PacedServerErrorRetryHandler(pacer, max_retry_count=3),
        PacedConnectionErrorRetryHandler(pacer, max_retry_count=3),
    ]


def respond_retry_handlers() -> list[RetryHandler]:
    """For response_url posts: a 429 (after its Retry-After), a 5xx or a reset, twice."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


def build_client(token: str | None, base_url: str, pacer: Pacer | None = None) -> WebClient:
    return WebClient(
        token=token, base_url=base_url, timeout=10, retry_handlers=retry_handlers(pacer)
    )


class Clients:
    """The client to use for a workspace, and the bot's own user id there."""

    def __init__(
        self,
        settings: Settings,
        store: InstallationStore | None = None,
        shared: Callable[[str | None, str], Shared | None] | None = None,
    ) -> None:
        self._base_url = settings.slack_api_url
        self._store = store
        # One pacer for the process: its gates are per bot token (workspace) and method;
        # `shared` adds the budget every worker process books in (bot.slack.ratelimit).
        self.pacer = Pacer(shared=shared)
        # A post whose outcome is unknown: how long to wait before looking for it, how often.
        self.resend = Resend()
        # OAuth: every call uses an installation's token; a SLACK_BOT_TOKEN left in the
        # environment is not used anywhere, not even by Bolt's base client.
        single_token = None if store is not None else settings.slack_bot_token
        self._single = build_client(single_token, settings.slack_api_url, self.pacer)
        self._by_token: dict[str, WebClient] = {}
        self._bot_users: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def base(self) -> WebClient:
        """The client Bolt starts from (with the single token, or none in OAuth mode)."""
        return self._single

    def for_team(self, team_id: str) -> WebClient:
        if self._store is None:
            return self._single
        bot = self._store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        with self._lock:
            if bot.bot_token not in self._by_token:
                self._by_token[bot.bot_token] = build_client(
                    bot.bot_token, self._base_url, self.pacer
                )
                self._bot_users[team_id] = bot.bot_user_id or ""
            return self._by_token[bot.bot_token]

    def bot_user_id(self, team_id: str) -> str:
        """The app's bot user (so the bot never sends itself a pulse): known from the
        installation once its client was built (a new token brings its own)."""
        with self._lock:
            known = self._bot_users.get(team_id)
        if known:
            return known
        client = self.for_team(team_id)
        with self._lock:
            if not self._bot_users.get(team_id):
                self._bot_users[team_id] = str(client.auth_test()["user_id"])
            return self._bot_users[team_id]


def for_each(
    items: Iterable[Item], work: Callable[[Item], object], what: str, workers: int = 1
) -> None:
    """Do `work` per item; one workspace's trouble (uninstalled, an error) stops no other.

    `workers` > 1: that many items at once (workspaces due at the same minute: the last
    one does not wait for all the others' sends).
    """

    def guarded(item: Item) -> None:
        try:
            work(item)
        except NotInstalled as missing:
            log.info("%s skipped: the app is not installed in %s", what, missing)
        except Exception:
            log.exception("%s failed for one workspace", what)

    pending = list(items)
    if workers <= 1 or len(pending) <= 1:
        for item in pending:
            guarded(item)
        return
    with ThreadPoolExecutor(min(workers, len(pending)), thread_name_prefix="due") as pool:
        list(pool.map(guarded, pending))
