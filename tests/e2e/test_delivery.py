"""Delivery from the systems, end to end: the real bot (a subprocess) with GITHUB_* set to
the stand-in GitHub, signed `/vpe` requests, and the fake Slack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.playground.fakegithub.history import add_deployments, add_weeks_of_pulls
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, free_port
from tests.support.databases import settle, wipe
from tests.support.github_schema import CheckedGitHub
from tests.support.slack import SlackWorkspace

TEAM = "T0TEST"
RISING = [1.0, 1.0, 1.1, 1.0, 1.1, 1.2, 1.3, 1.6, 2.0, 2.8, 3.6, 4.8]  # days, oldest first


@pytest.fixture(scope="module")
def github() -> Iterator[CheckedGitHub]:
    """Twelve weeks of pull requests whose lead time rises, and weekly deployments."""
    now = datetime.now(UTC)
    with CheckedGitHub("ghp_e2e_token") as fake:
        add_weeks_of_pulls(fake, "acme/api", now, RISING, per_week=6)
        add_deployments(fake, "acme/api", now, weeks=12, per_week=3, failed_every=9)
        add_weeks_of_pulls(fake, "acme/web", now, RISING, per_week=4, first_number=1000)
        yield fake


@pytest.fixture(scope="module")
def delivery_bot(
    fake_slack: FakeSlack,
    e2e_database: str,
    github: CheckedGitHub,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    port = free_port()
    env = bot_environment(
        fake_slack.api_url,
        e2e_database,
        WEB_CONCURRENCY="1",
        GITHUB_TOKEN="ghp_e2e_token",
        GITHUB_API_URL=github.api_url,
        GITHUB_REPOSITORIES="acme/api,acme/web",
        GITHUB_TEAMS="acme/api=Payments",
    )
    workdir: Path = tmp_path_factory.mktemp("delivery-bot")
    bot = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port)], env, workdir).start()
    url = f"http://127.0.0.1:{port}"
    bot.wait_healthy(url + "/healthz")
    yield url
    bot.stop()


@pytest.fixture
def workspace(fake_slack: FakeSlack, delivery_bot: str, e2e_engine: Engine) -> SlackWorkspace:
    settle(e2e_engine, fake_slack)
    wipe(e2e_engine)
    fake_slack.reset_calls()
    fake_slack.clear_faults()
    workspace = SlackWorkspace(fake_slack, TEAM, delivery_bot)
    workspace.seed_people()
    return workspace


def all_text(reply: object) -> str:
    body = reply.body  # type: ignore[attr-defined]
    return body["text"] + json.dumps(body.get("blocks") or [], ensure_ascii=False)


def test_sync_then_delivery_shows_the_lead_time_trend_and_signals_cite_it(
    workspace: SlackWorkspace, github: CheckedGitHub
) -> None:
    refused = workspace.command_reply("delivery sync", user_id="U0MEMBER")
    assert "Only the leadership team" in refused.body["text"]
    before = workspace.command_reply("delivery", user_id="U0ADMIN")
    assert "nothing has been read yet" in all_text(before)

    name = "sync-e2e"
    assert workspace.command("delivery sync", "U0ADMIN", name).status == 200
    done = workspace.fake.wait_for(
        lambda: [
            r for r in workspace.fake.responses if r.name == name and "finished" in r.body["text"]
        ],
        timeout=60,
    )[0]
    assert "acme/api up to date" in done.body["text"]
    assert "acme/web up to date" in done.body["text"]

    shown = all_text(workspace.command_reply("delivery", user_id="U0ADMIN"))
    assert "1.0 days → 4.8 days over 12 weeks" in shown
    assert "Lead time for changes (median)" in shown
    assert "DORA tier: high" in shown
    assert "Team Payments" in shown
    assert "never a person" in shown

    signals = all_text(workspace.command_reply("signals", user_id="U0ADMIN"))
    assert "Deliveries are slipping" in signals
    assert "Lead time (median) rose from 1.2 to 4.8 days over 6 weeks" in signals

    french = all_text(workspace.command_reply("livraison", user_id="U0FRENCH"))
    assert "Seule l'équipe de direction" in french


def test_a_bad_token_is_named_with_the_source_and_the_fix(
    workspace: SlackWorkspace, github: CheckedGitHub
) -> None:
    github.token = "ghp_rotated"
    try:
        name = "sync-bad-token"
        workspace.command("delivery sync", "U0ADMIN", name)
        done = workspace.fake.wait_for(
            lambda: [
                r for r in workspace.fake.responses if r.name == name and "failed" in r.body["text"]
            ],
            timeout=30,
        )[0]
    finally:
        github.token = "ghp_e2e_token"
    assert "GitHub acme/api" in done.body["text"]
    assert "Check the token setting" in done.body["text"]
