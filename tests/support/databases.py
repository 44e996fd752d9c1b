"""Test databases: a SQLite file always, and a throw-away PostgreSQL database when configured."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from bot.core.config import load_settings
from bot.playground.fakeslack import FakeSlack
from bot.storage.models import Base, Pulse, PulseRecipient

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def postgres_admin_url() -> str:
    raw = os.environ["TEST_DATABASE_URL"]
    # The same normalisation the bot applies (postgres:// -> postgresql+psycopg://).
    return load_settings({"DATABASE_URL": raw}, env_file=Path("/nonexistent")).database_url


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """A new empty database for one test module or session; dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"
        return
    admin_url = postgres_admin_url()
    name = f"vpebot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def settle(engine: Engine, fake: FakeSlack, timeout: float = 15.0) -> None:
    """Let a long-running bot finish what the last test started (a pulse still being sent,
    a redraw after a tap) so that none of it lands in the next test's fake Slack."""
    in_flight = (
        select(func.count())
        .select_from(PulseRecipient)
        .join(Pulse, Pulse.id == PulseRecipient.pulse_id)
        .where(
            # A DM claimed before its pulse closed still goes out (it may be waiting out a
            # rate limit); pending ones of a closed pulse never do.
            (PulseRecipient.status == "sending")
            | ((Pulse.status == "open") & (PulseRecipient.status == "pending"))
        )
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if not connection.scalar(in_flight):
                break
        time.sleep(0.05)
    fake.wait_quiet(timeout=max(deadline - time.monotonic(), 0.5))


def wipe(engine: Engine) -> None:
    """Empty every table at once (TRUNCATE waits for the bot's open transactions)."""
    tables = [table.name for table in Base.metadata.sorted_tables]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
            return
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
