"""A pooled PostgreSQL connection that died while idle (a server restart, a proxy's idle
timeout) is replaced before a request uses it: nobody is told "try again" for it. (One
handed back less than PING_IDLE_AFTER ago is used without a ping: a fan-out's hot path.)"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from bot.storage.db import PING_IDLE_AFTER, make_engine


@pytest.fixture
def pooled(database_url: str) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is a file in the process: no connection to lose")
    engine = make_engine(database_url, pool_size=2)
    yield engine
    engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(engine: Engine, pid: int) -> None:
    killer = make_engine(str(engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.commit()
    finally:
        killer.dispose()


def test_a_connection_killed_while_idle_is_replaced_unseen(pooled: Engine) -> None:
    first = backend_pid(pooled)
    terminate(pooled, first)
    time.sleep(PING_IDLE_AFTER + 0.2)  # idle long enough to be pinged
    second = backend_pid(pooled)  # would raise OperationalError on the dead connection
    assert second != first


def test_one_found_dead_replaces_the_whole_pool(pooled: Engine) -> None:
    """As after a restart: the first dead connection found (idle, so pinged) replaces every
    pooled one, so one handed back a moment before the restart is not used dead either."""
    a, b = pooled.connect(), pooled.connect()
    pids = [int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in (a, b)]
    a.close()  # idle from now: pinged at its next checkout
    time.sleep(PING_IDLE_AFTER + 0.2)
    b.close()  # handed back just now: would be used without a ping
    for pid in pids:
        terminate(pooled, pid)
    with pooled.connect() as first, pooled.connect() as second:
        now = {
            int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in (first, second)
        }
    assert not now & set(pids)
