"""Building the Bolt app: the Web API client, request verification, and the handlers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.bootstrap import Services
from bot.handlers import register_all
from bot.runtime.request_log import LoggedApp
from bot.slack.response_url import retrying_respond
from bot.slack.scopes import BOT_SCOPES

log = logging.getLogger(__name__)
INSTALL_PATH, REDIRECT_PATH = "/slack/install", "/slack/oauth_redirect"
P = ParamSpec("P")
T = TypeVar("T")
_held = threading.local()


class AfterResponse(Executor):
    """Bolt's listener executor: work submitted while this thread answers an HTTP request
    waits until the answer is sent (see `hold_work`); otherwise it starts at once.

    Bolt starts lazy listeners during `dispatch`, before the acknowledgement is written. A
    lazy listener that starts then competes for the GIL with the thread still writing the
    ack (each log write or socket call lets it in, then the ack waits for its next I/O or
    for the 5 ms switch interval): about 0.45 ms on the ack's median under load
    (bench/results-ack-memory.md). Held until the response is sent, the work starts a few
    microseconds later, and the ack goes out alone.
    """

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        held: list[Callable[[], None]] | None = getattr(_held, "work", None)
        if held is None:
            return self._executor.submit(fn, *args, **kwargs)
        future: Future[T] = Future()

        def start() -> None:
            _chain(self._executor.submit(fn, *args, **kwargs), future)

        held.append(start)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)


def hold_work() -> Callable[[], None]:
    """Hold what this thread submits to an `AfterResponse` from now on; the returned
    function stops holding and starts the held work (call it once the response is sent)."""
    held: list[Callable[[], None]] = []
    _held.work = held

    def release() -> None:
        if getattr(_held, "work", None) is held:
            _held.work = None
        while held:
            held.pop(0)()

    return release


def stop_holding() -> None:
    """Submissions from this thread start at once again (held work stays held)."""
    _held.work = None


def _chain(source: Future[T], target: Future[T]) -> None:
    def copy(done: Future[T]) -> None:
        if not target.set_running_or_notify_cancel():
            return
        error = done.exception()
        if error is not None:
            target.set_exception(error)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


def oauth_settings(services: Services) -> OAuthSettings:
    """Install in many workspaces: slack_sdk's stores, in our database."""
    # Imported here: the OAuth stores bring cryptography and slack_sdk's SQLAlchemy stores
    # (about 9 MB per process), which a single-workspace bot never uses.
    from bot.slack.installations import state_store

    deps = services.deps
    settings = deps.settings
    assert settings.slack_client_id
    assert settings.slack_client_secret
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=deps.installations,
        state_store=state_store(deps.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.slack_redirect_uri,
    )


@contextmanager
def without_token_notice(logger: logging.Logger) -> Iterator[None]:
    """Bolt reads SLACK_BOT_TOKEN from the environment whatever it is given, then warns
    "As you gave `client` as well, `token` will be unused": always so here, since the
    client is ours (with the configured token, or none in OAuth mode). Not a problem of
    the configuration, so not logged as one."""
    notice = warning_client_prioritized_and_token_skipped()

    def keep(record: logging.LogRecord) -> bool:
        return record.getMessage() != notice

    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def build_app(services: Services, executor: ThreadPoolExecutor | None = None) -> App:
    """The Bolt app: one workspace with a token, or many through OAuth installs.

    `process_before_response=True`: the ack listener answers Slack at once, and the real work
    runs as a lazy listener on the executor, so nothing waits on Bolt's 10 ms ack poll. The
    executor is ours so that a shutdown can wait for the work in flight.
    """
    deps = services.deps
    settings = deps.settings
    logger = logging.getLogger("bot.bolt")
    with without_token_notice(logger):
        app = LoggedApp(
            client=deps.clients.base,
            signing_secret=settings.slack_signing_secret or "",
            process_before_response=True,
            logger=logger,
            oauth_settings=oauth_settings(services) if settings.oauth else None,
            listener_executor=AfterResponse(executor or ThreadPoolExecutor(max_workers=16)),
        )
    if settings.oauth and settings.slack_bot_token:
        log.info("OAuth mode: each workspace's installed token is used; SLACK_BOT_TOKEN is not")
    app.use(retrying_respond)
    register_all(app, services)
    return app
