"""Test databases: a SQLite file always, and a throw-away PostgreSQL database when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import load_settings

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
