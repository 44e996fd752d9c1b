"""Delivery from the systems, end to end: the real bot (a subprocess) with GITHUB_* set to
the stand-in GitHub, signed `/vpe` requests, and the fake Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.playground.fakegithub.history import add_deployments, add_weeks_of_pulls
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, free_port
from tests.support.databases import settle, wipe
from tests.support.github_schema import CheckedGitHub
from tests.support.slack import SlackWorkspace

TEAM = "T0TEST"
FERNET_KEY = "q3h1-B5oXtUd_pfX0YdkxrlzbPq9iMVZB6zgjE1kCpk="
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
        TOKEN_ENCRYPTION_KEYS=FERNET_KEY,
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


def add_team(workspace: SlackWorkspace, name: str) -> None:
    channel = f"C0{name.upper()}"
    workspace.fake.add_channel(TEAM, channel, name.lower(), ["U0ADMIN", "U0MEMBER", "UBOT"])
    added = workspace.command_reply(f"teams add {name} <#{channel}|{name.lower()}>", "U0ADMIN")
    assert "Done: the team" in added.body["text"]


def test_sync_then_delivery_shows_the_lead_time_trend_and_signals_cite_it(
    workspace: SlackWorkspace, github: CheckedGitHub
) -> None:
    add_team(workspace, "Payments")  # GITHUB_TEAMS maps acme/api to it
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
    upload = workspace.fake.wait_for("files.completeUploadExternal")[0]
    assert "Lead time for changes" in json.dumps(upload.params, ensure_ascii=False)

    signals = all_text(workspace.command_reply("signals", user_id="U0ADMIN"))
    assert "Deliveries are slipping" in signals
    assert "Lead time (median) rose from 1.2 to 4.8 days over 6 weeks" in signals

    french = all_text(workspace.command_reply("livraison", user_id="U0FRENCH"))
    assert "Seule l’équipe de direction" in french


def test_a_bad_token_is_named_with_the_source_and_the_fix(
    workspace: SlackWorkspace, github: CheckedGitHub
) -> None:
    github.token = "ghp_rotated"
    try:
        done = sync_answer(workspace, "delivery sync", "U0ADMIN", "failed", timeout=30)
    finally:
        github.token = "ghp_e2e_token"
    assert "GitHub acme/api" in done.body["text"]
    assert "Check the token setting" in done.body["text"]


def test_a_french_sync_report_spaces_its_semicolons_the_french_way(
    workspace: SlackWorkspace, github: CheckedGitHub
) -> None:
    workspace.command_reply("leaders add <@U0FRENCH|marie>", user_id="U0ADMIN")
    done = sync_answer(workspace, "delivery synchroniser", "U0FRENCH", "terminée", timeout=60)
    assert "acme/api à jour\u202f; acme/web à jour" in done.body["text"]


def sync_answer(
    workspace: SlackWorkspace, command: str, user: str, word: str, timeout: float
) -> Any:
    """Type a sync command; the later answer (by response_url) that holds `word`."""
    name = f"sync-{time.monotonic_ns()}"
    workspace.command(command, user, name)
    return workspace.fake.wait_for(
        lambda: [r for r in workspace.fake.responses if r.name == name and word in r.body["text"]],
        timeout=timeout,
    )[0]


def source_form(kind: str, name: str, token: str, team: str = "") -> dict[str, object]:
    text = lambda value: {"value": {"type": "plain_text_input", "value": value}}  # noqa: E731
    chosen = {"value": team} if team else None
    return {
        "kind": {"value": {"type": "static_select", "selected_option": {"value": kind}}},
        "name": text(name),
        "team": {"value": {"type": "static_select", "selected_option": chosen}},
        "token": text(token),
        "api_url": text(""),
    }


def test_sources_lists_adds_with_an_encrypted_token_and_refuses_bad_input(
    workspace: SlackWorkspace, e2e_engine: Engine
) -> None:
    from cryptography.fernet import Fernet

    assert workspace.command("sources", "U0ADMIN").status == 200
    opened = workspace.fake.wait_for("views.open")[0]
    listing = json.dumps(opened.params["view"], ensure_ascii=False)
    assert "acme/api" in listing
    assert "Set in the bot's environment" in listing
    assert "No team yet" in listing

    add_team(workspace, "Growth")
    meta = {"lang": "en"}
    added = workspace.submit_view(
        "delivery_sources",
        source_form("github", "acme/extra", "ghp_s3cret", "growth"),
        meta,
        "U0ADMIN",
    )
    assert added.json()["response_action"] == "update"
    assert "acme/extra" in json.dumps(added.json()["view"])
    with e2e_engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT token, team_name FROM delivery_sources WHERE name = 'acme/extra'"
        ).one()
    assert "ghp_s3cret" not in stored[0]
    assert Fernet(FERNET_KEY.encode()).decrypt(stored[0].encode()) == b"ghp_s3cret"
    assert stored[1] == "Growth"

    bad = workspace.submit_view(
        "delivery_sources", source_form("github", "not a repo", "ghp_x"), meta, "U0ADMIN"
    )
    assert bad.json() == {
        "response_action": "errors",
        "errors": {"name": "Write the repository as owner/repo."},
    }
    refused = workspace.submit_view(
        "delivery_sources", source_form("linear", "ENG", "lin_x"), meta, "U0MEMBER"
    )
    assert "Only the leadership team" in refused.json()["errors"]["name"]


def click_in_modal(workspace: SlackWorkspace, action_id: str, value: str, user_id: str) -> int:
    from tests.support.payloads import payload
    from tests.support.signing import form_body, post, signed_headers

    click = payload("block_actions")
    click["actions"] = [{"action_id": action_id, "block_id": "b", "value": value, "type": "button"}]
    click["container"] = {"type": "view", "view_id": "V0SOURCES"}
    click["view"] = {"id": "V0SOURCES", "private_metadata": '{"lang": "en"}'}
    click["user"] = {"id": user_id, "team_id": workspace.team_id}
    click["team"] = {"id": workspace.team_id, "domain": "acme"}
    click["trigger_id"] = f"{time.monotonic_ns()}.738474920.{user_id}"
    raw = form_body({"payload": json.dumps(click)})
    headers = signed_headers(raw)
    return post(workspace.events_url, raw, headers, "application/x-www-form-urlencoded").status


def test_a_source_added_in_the_modal_is_removed_with_its_button(
    workspace: SlackWorkspace, e2e_engine: Engine
) -> None:
    form = source_form("linear", "OPS", "lin_api_key")
    workspace.submit_view("delivery_sources", form, {"lang": "en"}, "U0ADMIN")
    with e2e_engine.connect() as connection:
        source_id = connection.exec_driver_sql(
            "SELECT id FROM delivery_sources WHERE name = 'OPS'"
        ).scalar()
    assert click_in_modal(workspace, "delivery_source_remove", str(source_id), "U0ADMIN") == 200
    update = workspace.fake.wait_for("views.update")[0]
    assert "OPS" not in json.dumps(update.params["view"])
    with e2e_engine.connect() as connection:
        left = connection.exec_driver_sql(
            "SELECT count(*) FROM delivery_sources WHERE name = 'OPS'"
        )
        assert left.scalar() == 0


def test_sources_map_to_the_teams_and_fall_back_to_the_organisation_when_one_goes(
    workspace: SlackWorkspace, e2e_engine: Engine
) -> None:
    add_team(workspace, "Payments")
    add_team(workspace, "Mobile")
    assert workspace.command("sources", "U0ADMIN").status == 200
    form = workspace.fake.wait_for("views.open")[0].params["view"]
    team_field = next(b for b in form["blocks"] if b.get("block_id") == "team")
    offered = [o["text"]["text"] for o in team_field["element"]["options"]]
    assert offered == ["Mobile", "Payments"]

    meta = {"lang": "en"}
    added = workspace.submit_view(
        "delivery_sources",
        source_form("github", "acme/mobile", "ghp_e2e_token", "mobile"),
        meta,
        "U0ADMIN",
    )
    assert added.json()["response_action"] == "update"
    gone = workspace.submit_view(
        "delivery_sources", source_form("linear", "X", "lin_key", "nosuchteam"), meta, "U0ADMIN"
    )
    assert "no longer in `/vpe teams`" in gone.json()["errors"]["team"]

    name = "sync-mapped"
    workspace.command("delivery sync", "U0ADMIN", name)
    workspace.fake.wait_for(
        lambda: [
            r for r in workspace.fake.responses if r.name == name and "finished" in r.body["text"]
        ],
        timeout=60,
    )
    shown = all_text(workspace.command_reply("delivery", user_id="U0ADMIN"))
    assert "Team Payments" in shown
    assert "Organisation" in shown

    removed = workspace.command_reply("teams remove payments", user_id="U0ADMIN")
    assert "`acme/api` now counts for the organisation only" in removed.body["text"]
    removed = workspace.command_reply("teams remove Mobile", user_id="U0ADMIN")
    assert "`acme/mobile` now counts for the organisation only" in removed.body["text"]
    with e2e_engine.connect() as connection:
        kept = connection.exec_driver_sql(
            "SELECT team_name FROM delivery_sources WHERE name = 'acme/mobile'"
        ).scalar()
    assert kept is None
    after = all_text(workspace.command_reply("delivery", user_id="U0ADMIN"))
    assert "Team Payments" not in after
    assert "names the team “Payments”, which `/vpe teams` does not have" in after
