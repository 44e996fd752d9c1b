"""Installations in many workspaces: slack_sdk's SQLAlchemy stores, tokens encrypted at rest."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, Table, select, update

log = logging.getLogger(__name__)
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
STATE_EXPIRES_IN = 600  # seconds: an install link is good for ten minutes, and only once
Record = TypeVar("Record", Installation, Bot)


class TokenCipher:
    """Fernet with rotation: the first key encrypts, every key decrypts."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            if stored.startswith("xox"):
                return stored  # saved before encryption was turned on
            raise

    def rotate(self, stored: str) -> str:
        """Re-encrypt with the newest key (plain tokens get encrypted)."""
        if stored.startswith("xox"):
            return self.encrypt(stored)
        return self._fernet.rotate(stored.encode()).decode()


def _map_tokens(record: Record, change: Callable[[str], str]) -> Record:
    changed = copy.copy(record)
    for name in TOKEN_FIELDS:
        value = getattr(changed, name, None)
        if value:
            setattr(changed, name, change(value))
    return changed


class EncryptedInstallationStore(InstallationStore):
    """Delegates to slack_sdk's store; tokens go in encrypted and come out in clear."""

    def __init__(
        self,
        inner: SQLAlchemyInstallationStore,
        cipher: TokenCipher | None,
        on_install: Callable[[str | None], None] | None = None,
    ) -> None:
        self.inner, self.cipher, self.on_install = inner, cipher, on_install

    @property
    def logger(self) -> logging.Logger:
        return log

    def _in(self, record: Record) -> Record:
        return _map_tokens(record, self.cipher.encrypt) if self.cipher else record

    def _out(self, record: Record | None) -> Record | None:
        if record is None or self.cipher is None:
            return record
        return _map_tokens(record, self.cipher.decrypt)

    def save(self, installation: Installation) -> None:
        self.inner.save(self._in(installation))
        if self.on_install is not None:
            self.on_install(installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(self._in(bot))

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = self.inner.find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._out(found)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = self.inner.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._out(found)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.inner.delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.inner.delete_all(enterprise_id=enterprise_id, team_id=team_id)


def installation_store(
    client_id: str,
    engine: Engine,
    keys: Sequence[str],
    on_install: Callable[[str | None], None] | None = None,
) -> EncryptedInstallationStore:
    """slack_sdk's store on our engine (its tables come from our migrations)."""
    inner = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    return EncryptedInstallationStore(inner, TokenCipher(keys) if keys else None, on_install)


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRES_IN, engine=engine)


def rotate_tokens(engine: Engine, keys: Sequence[str]) -> int:
    """Re-encrypt every stored token with the newest key; return how many changed."""
    cipher = TokenCipher(keys)
    metadata = MetaData()
    changed = 0
    with engine.begin() as connection:
        for name in ("slack_bots", "slack_installations"):
            table = Table(name, metadata, autoload_with=connection)
            fields = [column for column in TOKEN_FIELDS if column in table.columns]
            for row in connection.execute(select(table.c.id, *[table.c[f] for f in fields])):
                values = {f: cipher.rotate(getattr(row, f)) for f in fields if getattr(row, f)}
                if values:
                    connection.execute(update(table).where(table.c.id == row.id).values(**values))
                    changed += len(values)
        # Delivery sources added in `/vpe sources` keep their tokens the same way.
        sources = Table("delivery_sources", metadata, autoload_with=connection)
        query = select(sources.c.id, sources.c.token).where(sources.c.token.is_not(None))
        for source_id, token in connection.execute(query).all():
            rotated = cipher.rotate(token)
            connection.execute(
                update(sources).where(sources.c.id == source_id).values(token=rotated)
            )
            changed += 1
    return changed
