"""The long-running modes: HTTP under gunicorn, Socket Mode, the scheduler; each stops gracefully.

On SIGTERM, work already acknowledged to Slack (lazy listeners, pulse sends) is finished
before the process exits, the scheduler stops after its current job, and the scheduler
lease is released so a standby can take over at once.
"""

from __future__ import annotations

import faulthandler
import logging
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.core.config import Settings
from bot.runtime.gunicorn import serve_http

if TYPE_CHECKING:
    from bot.bootstrap import Deps, Services
    from bot.runtime.scheduler import LeaseHolder
    from bot.runtime.wsgi import WebApp

# The app itself is imported inside the functions: gunicorn's master forks the workers and
# needs none of it, so each process holds only what it runs (bench/results-ack-memory.md).

log = logging.getLogger(__name__)
WORKERS = 16  # threads for acknowledged work per process


class Process:
    """What one process built, so that a shutdown can wind it down in order."""

    def __init__(self, settings: Settings) -> None:
        from bot.bootstrap import bootstrap
        from bot.runtime.bolt_app import build_app

        self.services: Services = bootstrap(settings)
        self.deps: Deps = self.services.deps
        self.executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="work")
        self.app = build_app(self.services, self.executor)
        self.scheduler: Any = None
        self.lease: LeaseHolder | None = None

    def start_scheduler(self) -> None:
        from bot.runtime.scheduler import start_background

        self.scheduler, self.lease = start_background(self.services)

    def stop(self) -> None:
        log.info("stopping: waiting for in-flight work")
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
        if self.lease is not None:
            self.lease.release()
        self.executor.shutdown(wait=True)
        self.deps.engine.dispose()
        log.info("stopped cleanly: in-flight work finished")


def run_http(
    settings: Settings,
    *,
    host: str = "0.0.0.0",  # noqa: S104
    port: int | None = None,
    workers: int | None = None,
) -> None:
    """`vpe-bot serve`: each worker builds its own engine and Bolt app after the fork."""
    held: dict[str, Process] = {}

    def load() -> WebApp:
        from bot.runtime.wsgi import WebApp

        held["process"] = process = Process(settings)
        return WebApp(process.app, process.deps)

    def worker_exit(_server: Any, _worker: Any) -> None:
        if "process" in held:
            held["process"].stop()

    serve_http(settings, load, host=host, port=port, workers=workers, worker_exit=worker_exit)


def run_http_with_scheduler(settings: Settings) -> None:
    """`vpe-bot run` without an app token: one worker that also runs the scheduler."""
    held: dict[str, Process] = {}

    def load() -> WebApp:
        from bot.runtime.wsgi import WebApp

        held["process"] = process = Process(settings)
        return WebApp(process.app, process.deps)

    def post_worker_init(_worker: Any) -> None:
        held["process"].start_scheduler()

    def worker_exit(_server: Any, _worker: Any) -> None:
        if "process" in held:
            held["process"].stop()

    serve_http(
        settings, load, workers=1, post_worker_init=post_worker_init, worker_exit=worker_exit
    )


def run_socket_mode_with_scheduler(settings: Settings) -> None:
    """`vpe-bot run` with an app token: Socket Mode and the scheduler in this process.

    /healthz is served on PORT (no Slack traffic comes that way in Socket Mode).
    """
    from bot.runtime.socket_mode import SocketLink

    assert settings.slack_app_token is not None
    process = Process(settings)
    process.start_scheduler()
    link = SocketLink(process.app, settings.slack_app_token)
    health = start_health_server(process.deps, settings.port)
    stop = threading.Event()
    _on_terminate(stop.set)
    process.deps.process.set(socket_mode="connecting")
    try:
        link.connect()
        while not stop.wait(1.0):
            connected = link.is_connected()
            process.deps.process.set(socket_mode="connected" if connected else "disconnected")
    finally:
        log.info("stopping: closing the Slack connection")
        process.deps.process.set(socket_mode="off")
        if not link.close():
            log.warning("the Slack connection did not close in time; stopping all the same")
        if health is not None:
            health.shutdown()
        process.stop()


def start_health_server(deps: Deps, port: int) -> WSGIServer | None:
    """/healthz on `port`; a port already taken costs the health check, not the bot."""
    from bot.runtime.wsgi import HealthOnly

    try:
        server = make_server(
            "0.0.0.0",  # noqa: S104 - platforms probe health from outside
            port,
            HealthOnly(deps),
            handler_class=_QuietHandler,
        )
    except OSError as error:
        log.warning("no /healthz in Socket Mode: port %s unavailable (%s)", port, error)
        return None
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server


def run_scheduler(settings: Settings) -> None:
    from bot.bootstrap import bootstrap
    from bot.runtime.scheduler import run_blocking

    run_blocking(bootstrap(settings), on_terminate=_on_terminate)


def run_worker(settings: Settings, concurrency: int) -> None:
    """`vpe-bot worker`: take jobs from the engine until SIGTERM (the jobs in hand finish)."""
    from bot.bootstrap import bootstrap
    from bot.runtime.broker_engine import DramatiqWork
    from bot.runtime.engine import ProcrastinateWork

    services = bootstrap(settings)
    work = services.work
    if not isinstance(work, ProcrastinateWork | DramatiqWork):
        raise RuntimeError("no job engine configured: the scheduler runs the jobs itself")
    if isinstance(work, DramatiqWork):
        _on_terminate(work.stop)  # procrastinate installs its own handlers
    services.deps.process.set(worker="running")
    log.info("worker taking jobs (%d at once): %s", concurrency, ", ".join(work.names()))
    try:
        work.run_worker(concurrency)
    finally:
        services.deps.engine.dispose()
        log.info("worker stopped")


def _on_terminate(action: Callable[[], object]) -> None:
    """Run `action` on SIGTERM or SIGINT, on a thread of its own.

    Never inside the handler: Python runs a handler between two bytecodes of the main
    thread, which may be holding the very lock the action needs (an `Event.set` while the
    main thread is inside that Event's `wait`): the process would hang for good.
    """

    def handle(_signum: int, _frame: FrameType | None) -> None:
        threading.Thread(target=action, name="terminate").start()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    # `kill -USR1 <pid>` writes every thread's stack to stderr: where a stuck stop waits.
    faulthandler.register(signal.SIGUSR1, all_threads=True)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return
