"""The command line as a newcomer meets it: clear failures, `make run`, Socket Mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeslack import FakeSlack
from tests.support.botproc import (
    APP_TOKEN,
    BOT_TOKEN,
    ROOT,
    BotProcess,
    bot_environment,
    free_port,
    run_cli,
)
from tests.support.payloads import slash_command
from tests.support.signing import get
from tests.support.slack import SlackWorkspace


def bare_environment() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_", "PORT"))
    }


def test_serve_without_signing_secret_is_one_clear_line(tmp_path: Path) -> None:
    env = bare_environment() | {"SLACK_BOT_TOKEN": BOT_TOKEN}
    result = run_cli(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("vpe-bot:")]
    assert len(lines) == 1
    assert "SLACK_SIGNING_SECRET" in lines[0]


@pytest.mark.parametrize("command", ["serve", "run", "scheduler"])
def test_oauth_without_token_encryption_keys_refuses_to_start(tmp_path: Path, command: str) -> None:
    """Issue 13, item 7: installs in many workspaces stored their tokens in clear, silently."""
    env = bare_environment() | {
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "oauth-client-secret",
        "SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'oauth.db'}",
        "PORT": str(free_port()),
    }
    result = run_cli([command], env, tmp_path, timeout=30)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("vpe-bot:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("vpe-bot: TOKEN_ENCRYPTION_KEYS: not set")
    assert "Fernet.generate_key()" in lines[0], "it says how to make one"


def test_run_without_credentials_explains_how_to_get_them(tmp_path: Path) -> None:
    result = run_cli(["run"], bare_environment(), tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "manifest.yml" in result.stderr
    assert ".env" in result.stderr


def test_make_run_without_credentials_serves_the_playground(tmp_path: Path) -> None:
    """`make run` is `vpe-bot run --or-playground`: on a fresh clone with no .env, the page."""
    port = free_port()
    bot = BotProcess(["run", "--or-playground"], bare_environment() | {"PORT": str(port)}, tmp_path)
    bot.start()
    try:
        bot.wait_healthy(f"http://127.0.0.1:{port}/", timeout=60)
        page = get(f"http://127.0.0.1:{port}/")
        assert b"vpe-bot playground" in page.body
        assert b"# leadership" in page.body
        assert (tmp_path / ".playground" / "playground.db").exists(), "a database of its own"
        assert not (tmp_path / "vpe-bot.db").exists(), "never the production default"
        assert "playground" in bot.output()
    finally:
        assert bot.stop() == 0


def test_a_refused_token_is_one_clear_line(tmp_path: Path, slack: SlackWorkspace) -> None:
    slack.fake.fail_next("auth.test", error="invalid_auth")
    env = bot_environment(slack.fake.api_url, f"sqlite:///{tmp_path / 'x.db'}")
    result = run_cli(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN: Slack refused it (invalid_auth)" in result.stderr


def test_postgres_must_be_migrated_before_serving(
    tmp_path: Path, slack: SlackWorkspace, empty_database_url: str
) -> None:
    env = bot_environment(slack.fake.api_url, empty_database_url)
    if empty_database_url.startswith("sqlite"):
        # The embedded default migrates itself: `migrate` is a no-op on an up-to-date file.
        assert run_cli(["migrate"], env, tmp_path).returncode == 0
        return
    refused = run_cli(["serve"], env, tmp_path)
    assert refused.returncode == 2
    assert "run `vpe-bot migrate` first" in refused.stderr
    migrated = run_cli(["migrate"], env, tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert "database at" in migrated.stdout


@pytest.fixture
def socket_fake(fake_slack: FakeSlack, slack: SlackWorkspace) -> Iterator[FakeSlack]:
    yield fake_slack
    fake_slack.socket_disconnect()


def answer_over_socket(fake: FakeSlack, bot: BotProcess, user_id: str = "U0MEMBER") -> str:
    """Push `/vpe help` over Socket Mode; return the text the bot posts to response_url."""
    deadline = time.monotonic() + 30
    while not fake.socket_connected(timeout=0.5):
        bot.assert_running()
        assert time.monotonic() < deadline, bot.output()
    before = len(fake.responses)
    body = slash_command(
        "help", user_id=user_id, response_url=fake.response_url(), team_id="T0TEST"
    )
    envelope = fake.socket_push("slash_commands", dict(body))
    assert fake.socket_wait_ack(envelope, timeout=10)["envelope_id"] == envelope
    reply = fake.wait_for(lambda: fake.responses[before:], timeout=10)[0]
    return str(reply.body["text"])


def test_run_with_a_dotenv_uses_socket_mode(tmp_path: Path, socket_fake: FakeSlack) -> None:
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN={BOT_TOKEN}\nSLACK_APP_TOKEN={APP_TOKEN}\n"
        f"SLACK_API_URL={socket_fake.api_url}\nPORT={free_port()}\n"
    )
    bot = BotProcess(["run"], bare_environment(), tmp_path).start()
    try:
        assert "/vpe help" in answer_over_socket(socket_fake, bot)
        assert (tmp_path / "vpe-bot.db").exists(), "the SQLite default lives in the workdir"
    finally:
        assert bot.stop() in (0, -signal.SIGTERM)


def test_make_run_starts_the_bot(tmp_path: Path, socket_fake: FakeSlack) -> None:
    env = bare_environment() | {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": socket_fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'make-run.db'}",
        "PORT": str(free_port()),
    }
    log = (tmp_path / "make-run.log").open("wb")
    make = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    watcher = BotProcess([], env, tmp_path)
    watcher.process, watcher.log_path = make, tmp_path / "make-run.log"
    try:
        assert "Voici ce que vous pouvez me demander" in answer_over_socket(
            socket_fake, watcher, user_id="U0FRENCH"
        )
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGUSR1)  # the bot writes its threads' stacks
            time.sleep(1)
            os.killpg(make.pid, signal.SIGKILL)
            raise AssertionError(  # noqa: B904 - the log says where the stop was stuck
                "`make run` did not stop within 30 s of SIGTERM; its log ends:\n"
                + watcher.output()[-12000:]
            )


def test_scheduler_runs_until_stopped(tmp_path: Path, slack: SlackWorkspace) -> None:
    env = bot_environment(slack.fake.api_url, f"sqlite:///{tmp_path / 's.db'}")
    bot = BotProcess(["scheduler"], env, tmp_path).start()
    deadline = time.monotonic() + 30
    while "scheduler running" not in bot.output() and time.monotonic() < deadline:
        bot.assert_running()
        time.sleep(0.2)
    assert "scheduler is the leader" in bot.output() or "scheduler running" in bot.output()
    assert bot.stop() == 0, "SIGTERM stops it cleanly"
    assert "scheduler stopped" in bot.output()


def test_run_without_app_token_serves_http_with_the_scheduler(
    tmp_path: Path, slack: SlackWorkspace
) -> None:
    port = free_port()
    env = bot_environment(slack.fake.api_url, f"sqlite:///{tmp_path / 'h.db'}", PORT=str(port))
    bot = BotProcess(["run"], env, tmp_path).start()
    try:
        bot.wait_healthy(f"http://127.0.0.1:{port}/healthz")
        http = SlackWorkspace(slack.fake, slack.team_id, f"http://127.0.0.1:{port}")
        assert "/vpe help" in http.command_reply("help").body["text"]
        assert "scheduler started in the bot process" in bot.output()
    finally:
        bot.stop()


def ask_json(tmp_path: Path, *args: str) -> dict[str, object]:
    result = run_cli(["ask", *args, "--json"], bare_environment(), tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, "--json prints exactly one object"
    answer: dict[str, object] = json.loads(lines[0])
    assert set(answer) == {"topic", "owner", "lang", "text"}
    return answer


def test_ask_json_contract(tmp_path: Path) -> None:
    delivery = ask_json(tmp_path, "who owns delivery?")
    assert (delivery["topic"], delivery["owner"], delivery["lang"]) == (
        "delivery",
        "vp_engineering",
        "en",
    )
    vision = ask_json(tmp_path, "qui porte la vision technique ?")
    assert (vision["topic"], vision["owner"], vision["lang"]) == ("tech_vision", "cto", "fr")
    assert "CTO" in str(vision["text"])
    forced = ask_json(tmp_path, "does a VP Eng replace the CTO?", "--lang", "fr")
    assert (forced["topic"], forced["owner"], forced["lang"]) == ("replaces_cto", None, "fr")
    weather = ask_json(tmp_path, "what's the weather?")
    assert (weather["topic"], weather["owner"]) == (None, None)
    assert "who owns" in str(weather["text"])


def test_ask_prints_plain_text(tmp_path: Path) -> None:
    result = run_cli(["ask", "who owns the architecture?"], bare_environment(), tmp_path)
    assert result.returncode == 0
    assert "Architecture" in result.stdout
    assert "*" not in result.stdout
