"""Serving HTTP under gunicorn (threads in each of several workers), started from our CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.core.config import Settings

log = logging.getLogger(__name__)
WSGIApp = Callable[..., Any]


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, load_app: Callable[[], WSGIApp], options: dict[str, Any]) -> None:
        self._load_app = load_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self._load_app()


def worker_count(settings: Settings, asked: int | None = None) -> int:
    """How many worker processes: SQLite allows one writer process, so it gets one."""
    wanted = asked or settings.web_concurrency
    if settings.is_sqlite and wanted > 1:
        log.warning(
            "SQLite runs as a single process: serving with 1 worker instead of %d "
            "(use PostgreSQL in DATABASE_URL for more).",
            wanted,
        )
        return 1
    return wanted


def serve_http(
    settings: Settings,
    load_app: Callable[[], WSGIApp],
    *,
    host: str = "0.0.0.0",  # noqa: S104 - a web process must listen beyond loopback
    port: int | None = None,
    workers: int | None = None,
    post_worker_init: Callable[[Any], None] | None = None,
    worker_exit: Callable[[Any, Any], None] | None = None,
) -> None:
    """Run gunicorn in the foreground until it is told to stop (SIGTERM: graceful)."""
    options: dict[str, Any] = {
        "bind": f"{host}:{port or settings.port}",
        "workers": worker_count(settings, workers),
        "threads": settings.web_threads,
        "worker_class": "gthread",
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "loglevel": settings.log_level.lower(),
        "errorlog": "-",
        "accesslog": None,
        "proc_name": "vpe-bot",
        # gunicorn 27's control socket is one path per user: several bots would share it.
        "control_socket_disable": True,
    }
    if post_worker_init is not None:
        options["post_worker_init"] = post_worker_init
    if worker_exit is not None:
        options["worker_exit"] = worker_exit
    _Gunicorn(load_app, options).run()
