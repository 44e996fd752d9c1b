"""Tokens at rest: encrypted with the first key, readable with any, rotated on demand."""

from __future__ import annotations

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine, text

from bot.slack.installations import TokenCipher, installation_store, rotate_tokens

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_cipher_rotation_and_plain_legacy_tokens() -> None:
    old = TokenCipher([OLD])
    stored = old.encrypt("xoxb-1-secret")
    both = TokenCipher([NEW, OLD])
    assert both.decrypt(stored) == "xoxb-1-secret"
    rotated = both.rotate(stored)
    assert TokenCipher([NEW]).decrypt(rotated) == "xoxb-1-secret"
    assert both.decrypt("xoxb-plain") == "xoxb-plain", "saved before encryption was on"


def test_store_encrypts_and_rotates(engine: Engine) -> None:
    store = installation_store("111.222", engine, [OLD])
    store.save(
        Installation(
            app_id="A1",
            team_id="TROT",
            user_id="U1",
            bot_token="xoxb-rot-token",
            bot_id="B1",
            bot_user_id="UB1",
        )
    )
    try:
        with engine.connect() as connection:
            raw = connection.execute(
                text("SELECT bot_token FROM slack_bots WHERE team_id = 'TROT'")
            ).scalar()
        assert raw is not None
        assert not raw.startswith("xox")
        found = store.find_bot(enterprise_id=None, team_id="TROT")
        assert found is not None
        assert found.bot_token == "xoxb-rot-token"
        assert rotate_tokens(engine, [NEW, OLD]) >= 2
        rotated = installation_store("111.222", engine, [NEW]).find_bot(
            enterprise_id=None, team_id="TROT"
        )
        assert rotated is not None
        assert rotated.bot_token == "xoxb-rot-token", "readable with the new key alone"
    finally:
        store.delete_all(enterprise_id=None, team_id="TROT")


def test_oauth_state_is_single_use_and_expires(engine: Engine) -> None:
    from bot.slack.installations import state_store

    store = state_store(engine)
    fresh, stale = store.issue(), store.issue()
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE slack_oauth_states SET expire_at = :past WHERE state = :state"),
            {"past": "2000-01-01 00:00:00", "state": stale},
        )
    assert store.consume(fresh) is True
    assert store.consume(fresh) is False, "single use"
    assert store.consume(stale) is False, "expired"
    assert store.consume("made-up-state") is False
