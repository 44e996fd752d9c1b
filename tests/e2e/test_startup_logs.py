"""Start-up says nothing alarming that is not so: no warning from a correct configuration.

`vpe-bot serve` is started the way a platform starts the web process, in
OAuth mode (with SLACK_BOT_TOKEN left in the environment from a single-workspace set-up,
and without it) and with one token; its log up to the first answered health check holds
no WARNING (Bolt's "As you gave `client` as well, `token` will be unused" among them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.storage.db import migrate
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, free_port

OAUTH = {
    "SLACK_CLIENT_ID": "111.222",
    "SLACK_CLIENT_SECRET": "oauth-client-secret",
    "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
}


@pytest.mark.parametrize("mode", ["oauth", "oauth with a bot token left set", "one token"], ids=str)
def test_a_correct_configuration_starts_without_warnings(
    fake_slack: FakeSlack, tmp_path: Path, mode: str
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    migrate(url)
    env = bot_environment(fake_slack.api_url, url, WEB_CONCURRENCY="1")  # SQLite: one worker
    if mode.startswith("oauth"):
        env.update(OAUTH)
    if mode == "oauth":
        del env["SLACK_BOT_TOKEN"]
    port = free_port()
    bot = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp_path)
    try:
        bot.start().wait_healthy(f"http://127.0.0.1:{port}/healthz")
    finally:
        bot.stop()
    output = bot.output()
    assert "Booting worker" in output, output
    assert "will be unused" not in output
    assert "will be ignored" not in output
    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert warnings == [], "\n".join(warnings)
