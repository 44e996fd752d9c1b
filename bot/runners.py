"""The long-running modes: HTTP under gunicorn, Socket Mode, and the scheduler."""

from __future__ import annotations

import logging
from typing import Any

from bot.app import build_app
from bot.config import Settings
from bot.deps import Deps, build_deps
from bot.scheduler import run_blocking, start_background
from bot.server import serve_http
from bot.socket_mode import run_socket_mode
from bot.web import WebApp

log = logging.getLogger(__name__)


def run_http(
    settings: Settings,
    *,
    host: str = "0.0.0.0",  # noqa: S104
    port: int | None = None,
    workers: int | None = None,
) -> None:
    """`vpe-bot serve`: each worker builds its own engine and Bolt app after the fork."""

    def load() -> WebApp:
        deps = build_deps(settings)
        return WebApp(build_app(deps), deps)

    serve_http(settings, load, host=host, port=port, workers=workers)


def run_http_with_scheduler(settings: Settings) -> None:
    """`vpe-bot run` without an app token: one worker that also runs the scheduler."""
    held: dict[str, Deps] = {}

    def load() -> WebApp:
        held["deps"] = deps = build_deps(settings)
        return WebApp(build_app(deps), deps)

    def start_scheduler(_worker: Any) -> None:
        start_background(held["deps"])

    serve_http(settings, load, workers=1, post_worker_init=start_scheduler)


def run_socket_mode_with_scheduler(settings: Settings) -> None:
    """`vpe-bot run` with an app token: Socket Mode and the scheduler in this process."""
    assert settings.slack_app_token is not None
    deps = build_deps(settings)
    app = build_app(deps)
    scheduler = start_background(deps)
    try:
        run_socket_mode(app, settings.slack_app_token)
    finally:
        scheduler.shutdown(wait=False)


def run_scheduler(settings: Settings) -> None:
    run_blocking(build_deps(settings))
