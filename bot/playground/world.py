"""The playground's world: the stand-in for Slack, the real bot, the demo people, the clock.

Everything a person does on the page becomes what Slack would send the bot: a signed slash
command, a signed click or modal submission, a signed event. The bot answers the stand-in's
Web API, and the page shows what the stand-in holds.
"""

from __future__ import annotations

import logging
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.bootstrap import Deps, Services, bootstrap
from bot.core.config import Settings
from bot.playground.demo import BOT_USER, PEOPLE, TEAM, seed_directory, seed_history
from bot.playground.demo_delivery import standin_settings, start_standins
from bot.playground.fakeslack import FakeSlack
from bot.playground.slackside import SlackSide
from bot.runtime.bolt_app import build_app
from bot.runtime.jobs import run_each, scheduled_jobs
from bot.runtime.wsgi import WebApp
from bot.storage.db import migrate, unit_of_work

log = logging.getLogger(__name__)
BOT_TOKEN = "xoxb-playground-token"  # noqa: S105 - the stand-in's, not a secret
TICK_EVERY = 15.0  # seconds between scheduler passes while the page is open


@dataclass
class PlaygroundClock:
    """The bot's clock: real time plus however far the page moved it forward."""

    offset: timedelta = timedelta(0)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self.offset

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance_to(self, moment: datetime) -> None:
        with self._lock:
            self.offset = max(self.offset, moment - datetime.now(UTC))


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def serve(app: Any, port: int) -> WSGIServer:
    server = make_server("127.0.0.1", port, app, _ThreadingServer, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, name=f"http-{port}", daemon=True).start()
    return server


class World:
    """Starts the stand-in and the bot; owns the demo's state between page requests."""

    def __init__(
        self, directory: Path, reset: bool = False, ask_vectors: bool | None = None
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        database = directory / "playground.db"
        if reset:
            for leftover in directory.glob("playground.db*"):
                leftover.unlink()
        fresh = not database.exists()
        self.clock = PlaygroundClock()
        self.slack = FakeSlack(socket_mode=False, clock=self.clock.timestamp).start()
        seed_directory(self.slack, BOT_TOKEN)
        self.github, self.linear = start_standins(self.clock.now())
        self.settings = Settings(
            database_url=f"sqlite:///{database}",
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=secrets.token_hex(16),
            slack_api_url=self.slack.api_url,
            log_level="WARNING",
            ask_vectors=ask_vectors,
            **standin_settings(self.github, self.linear),
        )
        migrate(self.settings.database_url)
        self.services: Services = bootstrap(self.settings, clock=self.clock)
        self.deps: Deps = self.services.deps
        self.executor = ThreadPoolExecutor(8, thread_name_prefix="bot-work")
        self.bot = serve(WebApp(build_app(self.services, self.executor), self.deps), 0)
        port = self.bot.server_address[1]
        self.send = SlackSide(
            f"http://127.0.0.1:{port}/slack/events", self.settings.slack_signing_secret or "", TEAM
        )
        self.jobs = scheduled_jobs(self.services)
        self._tick_lock = threading.Lock()
        if fresh:
            with unit_of_work(self.deps.sessions) as session:
                seed_history(session, self.deps.answer_key, self.deps.pulse, self.clock.now())
            self.services.delivery.sync_team(TEAM)
            self.services.digests.announce_changes(TEAM)
        # The scheduler's catch-up pass runs before the page opens, as it does after a start:
        # what is already due (the demo's late action) is told now, not in the middle of
        # whatever the visitor does first.
        self.tick()
        self._stop = threading.Event()
        threading.Thread(target=self._ticker, name="scheduler", daemon=True).start()

    def names(self) -> dict[str, str]:
        """Display names for mentions: people, channels, user groups, the bot."""
        found = {p.user_id: p.real_name for p in PEOPLE} | {BOT_USER: "vpe-bot"}
        return found | self.slack.channel_names(TEAM) | self.slack.usergroup_handles(TEAM)

    def new_trigger(self, user_id: str) -> str:
        """A trigger_id for something `user_id` did: a modal opened with it is theirs."""
        return self.slack.issue_trigger(user_id)

    def tick(self) -> None:
        """One pass of every scheduled job, as the scheduler would run them."""
        with self._tick_lock:
            run_each(self.jobs)

    def advance(self, moment: datetime) -> None:
        self.clock.advance_to(moment)
        self.tick()

    def _ticker(self) -> None:
        while not self._stop.wait(TICK_EVERY):
            try:
                self.tick()
            except Exception:
                log.exception("playground scheduler pass failed")

    def stop(self) -> None:
        self._stop.set()
        self.bot.shutdown()
        self.executor.shutdown(wait=True)
        self.slack.stop()
        self.github.stop()
        self.linear.stop()
        self.deps.engine.dispose()
