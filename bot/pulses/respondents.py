"""The key that turns a person into an anonymous respondent, and the token it makes.

Answers are stored under `respondent_token(key, workspace, pulse, person)`. The same person
gets the same token within a pulse (so a second tap changes an answer) and different tokens
across pulses (so answers cannot be followed from one pulse to the next). Without the key,
which never goes into the database, a token cannot be traced back to a person.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.core.config import ConfigError, Settings

log = logging.getLogger(__name__)


def respondent_token(key: bytes, team_id: str, pulse_id: int, user_id: str) -> str:
    message = f"{team_id}|{pulse_id}|{user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def anonymity_key(settings: Settings) -> bytes:
    """ANONYMITY_KEY from the environment; with SQLite, else a key file beside the database."""
    if settings.anonymity_key:
        return hashlib.sha256(settings.anonymity_key.encode()).digest()
    if not settings.is_sqlite:
        # Several processes share PostgreSQL: they must share one key, from the environment.
        raise ConfigError("ANONYMITY_KEY", "is required with PostgreSQL (see .env.example).")
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        return secrets.token_bytes(32)
    return _key_file(Path(f"{database}.key"))


def _key_file(path: Path) -> bytes:
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        log.info("created the anonymity key %s (keep it out of database backups)", path)
    return hashlib.sha256(path.read_text().strip().encode()).digest()
