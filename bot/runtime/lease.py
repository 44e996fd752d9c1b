"""One active scheduler at a time: a database-held lease, with failover when the holder dies.

PostgreSQL: a session-level advisory lock on a connection kept open for as long as this
process leads; if the process dies, the server drops the connection and the lock with it,
and a standby takes over on its next try. SQLite: an exclusive lock on a file beside the
database (SQLite runs as one process; a second scheduler is refused).
"""

from __future__ import annotations

import fcntl
import logging
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
LOCK_KEY = 0x76706562  # "vpeb": the advisory lock every vpe-bot scheduler competes for


class SingleProcessOnly(Exception):
    """SQLite: another scheduler already runs on this database."""


class Lease(Protocol):
    def try_acquire(self) -> bool: ...
    def still_held(self) -> bool: ...
    def release(self) -> None: ...


class PostgresLease:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        try:
            connection = self._engine.connect()
            got = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                ).scalar()
            )
            connection.commit()
        except SQLAlchemyError:
            return False
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except SQLAlchemyError:
            self._drop()
            return False
        return True

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            self._connection.commit()
        except SQLAlchemyError:
            pass  # the connection is gone, and the lock with it
        self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except SQLAlchemyError:
                pass
        self._connection = None


class FileLease:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: IO[str] | None = None

    def try_acquire(self) -> bool:
        handle = self._path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def still_held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def lease_for(database_url: str, engine: Engine) -> Lease:
    if database_url.startswith("sqlite"):
        database = make_url(database_url).database or "vpe-bot.db"
        return FileLease(Path(f"{database}.scheduler.lock"))
    return PostgresLease(engine)
