"""Engine and session factory, and the migrations that are the only way the schema changes."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_SIDE_FILES = ("", "-wal", "-shm")
# A pooled PostgreSQL connection idle longer than this is pinged before it is used again;
# one handed back a moment ago is used as it is (a fan-out checks connections out hundreds
# of times a second: a ping each was a round trip in eight of the opening's).
PING_IDLE_AFTER = 1.0


# Tables slack_sdk's stores query; our migrations create them, our models do not map them.
SLACK_SDK_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic autogenerate: leave slack_sdk's tables alone."""
    table = obj.table.name if type_ in ("index", "column") and hasattr(obj, "table") else name
    return table not in SLACK_SDK_TABLES


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """Build an engine; SQLite gets WAL and a busy timeout so threads wait instead of failing.

    PostgreSQL gets a pool sized for the worker's threads and a circuit breaker: after a
    failed connection, new ones fail at once for a few seconds, so that people hear "try
    again" within Slack's 3 seconds instead of each waiting for a timeout.

    Both hide statement parameters from error messages: a failed insert must not log the
    comment or answer it carried.
    """
    if url.startswith("sqlite"):
        owner_only(url)
        engine = create_engine(
            url,
            connect_args={"timeout": 15, "check_same_thread": False},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=3,
        connect_args={"connect_timeout": 2},
        hide_parameters=True,
    )
    event.listen(engine, "do_connect", Breaker().connect)
    event.listen(engine, "checkin", _handed_back)
    event.listen(engine, "checkout", _ping_when_idle(engine))
    return engine


def _handed_back(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


def _ping_when_idle(engine: Engine) -> Any:
    """SQLAlchemy's pessimistic disconnect handling (a ping on checkout) for connections idle
    longer than PING_IDLE_AFTER: a dead one is replaced before the request uses it (the pool
    retries the checkout on DisconnectionError), so a restarted PostgreSQL costs nobody a
    failed request. A fresh connection and one just handed back are not pinged."""
    dialect = engine.dialect

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_IDLE_AFTER:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                # Dead after a restart, most likely with the rest of the pool: all replaced.
                raise exc.InvalidatePoolError("a pooled connection was dead") from error
            raise

    return checkout


class Breaker:
    """Fail fast for `cooldown` seconds after a connection could not be made."""

    def __init__(self, cooldown: float = 5.0) -> None:
        self.cooldown, self.open_until = cooldown, 0.0
        self._lock = threading.Lock()

    def connect(self, dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        dbapi = dialect.loaded_dbapi
        with self._lock:
            if time.monotonic() < self.open_until:
                raise dbapi.OperationalError("database unreachable a moment ago; not retrying yet")
        try:
            return dbapi.connect(*cargs, **cparams)
        except dbapi.Error:
            with self._lock:
                self.open_until = time.monotonic() + self.cooldown
            raise


def owner_only(url: str) -> None:
    """A SQLite database file readable and writable by its owner alone (0600, like the
    anonymity key beside it): created so when missing, tightened when it is not. SQLite gives
    its -wal and -shm files the database file's mode, so they follow."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    try:
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # an empty database
    except FileNotFoundError:
        return  # no such directory: SQLite says so itself when it connects
    for each in (Path(f"{path}{suffix}") for suffix in SQLITE_SIDE_FILES):
        if each.exists() and each.stat().st_mode & 0o077:
            each.chmod(0o600)


def forget_freed_pages(engine: Engine) -> None:
    """After an erasure: nothing erased may linger in SQLite's files while the bot runs.

    `secure_delete` (set on every connection) zeroes what a DELETE frees, but the WAL keeps
    the earlier versions of those pages until a checkpoint; a TRUNCATE checkpoint copies the
    zeroed pages into the database and empties the WAL. Waits for readers (busy_timeout).
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
    if busy:
        log.warning("the WAL could not be emptied after an erasure: readers kept it busy")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back when it raises."""
    with factory() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head") -> None:
    if url.startswith("sqlite"):
        owner_only(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not reachable" to a health check
        return False
    return True
