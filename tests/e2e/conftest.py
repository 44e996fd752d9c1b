"""The real bot as a subprocess, talking to the fake Slack, on every configured backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.storage.db import make_engine, migrate
from tests.fakeslack import FakeSlack
from tests.support.botproc import APP_TOKEN, BOT_TOKEN, BotProcess, bot_environment, free_port
from tests.support.databases import fresh_database, settle, wipe
from tests.support.inprocess import database, jobs_fake  # noqa: F401 - shared fixtures
from tests.support.slack import SlackWorkspace

TEAM = "T0TEST"


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_team(
            TEAM, "Acme", "acme", BOT_TOKEN, "UBOT", "B0BOT", "A0VPEBOT", app_token=APP_TOKEN
        )
        yield fake


@pytest.fixture(scope="session")
def e2e_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(backend, tmp_path_factory.mktemp("e2e-db")) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def e2e_engine(e2e_database: str) -> Iterator[Engine]:
    engine = make_engine(e2e_database)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def bot_http(
    fake_slack: FakeSlack, e2e_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BotProcess, str]]:
    """`vpe-bot serve` as the Procfile runs it, on a free port."""
    yield from serve_bot(fake_slack, e2e_database, tmp_path_factory, WEB_CONCURRENCY="2")


def serve_bot(
    fake_slack: FakeSlack, database_url: str, tmp_path_factory: pytest.TempPathFactory, **env: str
) -> Iterator[tuple[BotProcess, str]]:
    """`vpe-bot serve` with these settings on a free port, until the generator is closed."""
    port = free_port()
    bot = BotProcess(
        ["serve", "--host", "127.0.0.1", "--port", str(port)],
        bot_environment(fake_slack.api_url, database_url, **env),
        tmp_path_factory.mktemp("bot"),
    ).start()
    url = f"http://127.0.0.1:{port}"
    bot.wait_healthy(url + "/healthz")
    yield bot, url
    bot.stop()


@pytest.fixture
def slack(
    fake_slack: FakeSlack, bot_http: tuple[BotProcess, str], e2e_engine: Engine
) -> Iterator[SlackWorkspace]:
    """A clean workspace for one test: people in the fake, an empty database, the running bot."""
    yield from clean_workspace(fake_slack, bot_http, e2e_engine)


def clean_workspace(
    fake_slack: FakeSlack, bot: tuple[BotProcess, str], engine: Engine
) -> Iterator[SlackWorkspace]:
    """People in the fake, an empty database, the running bot; checks it still runs after."""
    settle(engine, fake_slack)
    wipe(engine)
    fake_slack.reset_calls()
    fake_slack.clear_faults()
    workspace = SlackWorkspace(fake_slack, TEAM, bot[1])
    workspace.seed_people()
    yield workspace
    bot[0].assert_running()
    # What this test started (a pulse's DMs still going out) ends here, not in a later test
    # that does not wipe this workspace (the OAuth bot's, which shares the fake Slack).
    settle(engine, fake_slack)
