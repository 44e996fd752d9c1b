"""Fixtures for the fake's own tests: a small, realistic workspace and a real WebClient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from . import FakeSlack

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_team("T1", "Acme", "acme", BOT_TOKEN, "UBOT", "B1", "A1", app_token=APP_TOKEN)
        fake.add_user("T1", "U1", "alice", "Alice Liddell", is_admin=True, locale="fr-FR")
        fake.add_user("T1", "U2", "bob", "Bob Builder", tz="America/New_York")
        fake.add_user("T1", "U3", "carol", "Carol Gone", deleted=True)
        fake.add_channel("T1", "C1", "general", ["U1", "U2", "UBOT"])
        fake.add_channel("T1", "C2", "random", ["U1"], bot_member=False)
        fake.add_channel("T1", "G1", "leads", ["U1", "UBOT"], is_private=True)
        fake.add_channel("T1", "G2", "secret", ["U2"], is_private=True, bot_member=False)
        fake.add_usergroup("T1", "S1", "eng-leads", ["U1", "U2"])
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    # No retry handlers: tests that want slack_sdk's retries add them explicitly.
    client = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
    client.retry_handlers.clear()
    return client
