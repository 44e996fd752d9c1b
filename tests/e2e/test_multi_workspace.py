"""Many workspaces: OAuth install, encrypted tokens, isolation between workspaces, uninstall."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from bot.storage.db import make_engine, migrate
from bot.storage.models import Workspace
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, free_port
from tests.support.databases import fresh_database
from tests.support.history import seed_pulse
from tests.support.signing import HttpResult
from tests.support.slack import SlackWorkspace

TEAMS = {"T0AAA": "xoxb-aaa-token", "T0BBB": "xoxb-bbb-token"}
KEY = Fernet.generate_key().decode()


@pytest.fixture(scope="module")
def oauth_bot(
    fake_slack: FakeSlack, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, Engine]]:
    """`vpe-bot serve` distributed through OAuth (no single token), on a fresh database."""
    for team_id, token in TEAMS.items():
        fake_slack.add_team(
            team_id, team_id, team_id.lower(), token, f"UB{team_id}", f"B{team_id}", "A0VPEBOT"
        )
    with fresh_database(backend, tmp_path_factory.mktemp("oauth-db")) as url:
        migrate(url)
        port = free_port()
        env = bot_environment(
            fake_slack.api_url,
            url,
            SLACK_CLIENT_ID="111.222",
            SLACK_CLIENT_SECRET="oauth-client-secret",
            TOKEN_ENCRYPTION_KEYS=KEY,
        )
        del env["SLACK_BOT_TOKEN"]
        bot = BotProcess(
            ["serve", "--host", "127.0.0.1", "--port", str(port)],
            env,
            tmp_path_factory.mktemp("oauth-bot"),
        ).start()
        base = f"http://127.0.0.1:{port}"
        bot.wait_healthy(base + "/healthz")
        engine = make_engine(url)
        yield base, url, engine
        engine.dispose()
        bot.stop()


def get(url: str, cookie: str | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            headers = {key.lower(): value for key, value in response.headers.items()}
            return response.status, response.read().decode(), headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), {}


def install(fake: FakeSlack, base: str, team_id: str) -> HttpResult:
    status, page, headers = get(base + "/slack/install")
    assert status == 200
    state = re.search(r"state=([\w-]+)", page)
    assert state is not None, page
    cookie = headers.get("set-cookie", "").split(";")[0]
    code = f"code-{team_id}-{time.monotonic_ns()}"
    fake.add_oauth_code(code, team_id, client_id="111.222", authed_user_id="U0ADMIN")
    status, body, _ = get(f"{base}/slack/oauth_redirect?code={code}&state={state.group(1)}", cookie)
    again, _, _ = get(f"{base}/slack/oauth_redirect?code={code}&state={state.group(1)}", cookie)
    return HttpResult(status, body.encode(), again)


@pytest.fixture(scope="module")
def installed(
    oauth_bot: tuple[str, str, Engine], fake_slack: FakeSlack
) -> dict[str, SlackWorkspace]:
    base, _, _ = oauth_bot
    workspaces = {}
    for team_id in TEAMS:
        result = install(fake_slack, base, team_id)
        assert result.status == 200, result.body
        assert result.elapsed != 200, "the OAuth state is single-use"
        workspace = SlackWorkspace(fake_slack, team_id, base)
        workspace.seed_people(suffix=team_id[-3:])
        workspaces[team_id] = workspace
    return workspaces


def test_install_stores_encrypted_tokens(
    installed: dict[str, SlackWorkspace], oauth_bot: tuple[str, str, Engine]
) -> None:
    _, _, engine = oauth_bot
    with engine.connect() as connection:
        tokens = [row[0] for row in connection.execute(text("SELECT bot_token FROM slack_bots"))]
    assert len(tokens) >= 2
    assert all(token and not token.startswith("xox") for token in tokens), "encrypted at rest"
    assert all(
        Fernet(KEY.encode()).decrypt(token.encode()).startswith(b"xoxb-") for token in tokens
    )


def test_each_workspace_answers_with_its_own_token(
    installed: dict[str, SlackWorkspace], fake_slack: FakeSlack
) -> None:
    for team_id, workspace in installed.items():
        fake_slack.reset_calls()
        member = "U0MEMBER" + team_id[-3:]
        assert "/vpe help" in workspace.command_reply("help", member).body["text"]
        calls = fake_slack.calls_to("users.info")
        assert calls
        assert {call.team_id for call in calls} == {team_id}


def test_nothing_of_one_workspace_reaches_the_other(
    installed: dict[str, SlackWorkspace], fake_slack: FakeSlack
) -> None:
    a, b = installed["T0AAA"], installed["T0BBB"]
    admin_a, admin_b, marie = "U0ADMINAAA", "U0ADMINBBB", "U0FRENCHAAA"
    done = a.command_reply(f"roles set vpe <@{marie}|marie>", user_id=admin_a)
    assert "is now the VP Engineering" in done.body["text"], done.body
    a.command_reply("settings anonymity 7", user_id=admin_a)
    a.command_reply('event add fundraising 2027-02 "Series B"', user_id=admin_a)
    a.command_reply("org set engineers 48", user_id=admin_a)
    member_a, member_b = "U0MEMBERAAA", "U0MEMBERBBB"
    assert f"<@{marie}>" in a.command_reply("ask who owns delivery?", member_a).body["text"]
    assert marie not in b.command_reply("ask who owns delivery?", member_b).body["text"]
    assert "not set yet" in b.command_reply("roles", member_b).body["text"]
    settings_b = b.command_reply("settings", member_b).body["text"].replace("*", "")
    assert "Anonymity threshold: 5" in settings_b
    assert "No event yet" in b.command_reply("events", user_id=admin_b).body["text"]
    signals_a = a.command_reply("signals", user_id=admin_a).body["text"]
    signals_b = b.command_reply("signals", user_id=admin_b).body["text"]
    assert "A strategic event is coming" in signals_a
    assert "strategic event" not in signals_b
    assert "All clear" in signals_b
    fake_slack.reset_calls()
    b.command_reply("digest now", user_id=admin_b)
    posted = fake_slack.wait_for(
        lambda: [c for c in fake_slack.calls_to("chat.postMessage") if c.team_id == "T0BBB"]
    )
    digest = posted[0]
    assert not [c for c in fake_slack.calls if c.team_id == "T0AAA"], "B's digest touched A"
    assert "Series B" not in json.dumps(digest.params.get("blocks"))
    export = b.command_reply("export", user_id=admin_b)
    assert "nothing to export" in export.body["text"]


def test_answers_results_and_home_stay_in_their_workspace(
    installed: dict[str, SlackWorkspace], oauth_bot: tuple[str, str, Engine]
) -> None:
    a, b = installed["T0AAA"], installed["T0BBB"]
    _, _, engine = oauth_bot
    people = [f"U0ENG{n}AAA" for n in range(8)]
    with Session(engine) as session, session.begin():
        seed_pulse(
            session,
            "T0AAA",
            datetime.now(UTC) - timedelta(days=5),
            {"energy": [2, 2, 2, 3, 2, 2, 2]},
            people,
        )
    results_a = a.command_reply("results", user_id="U0ADMINAAA").body["text"]
    assert "7/8 answered" in results_a
    results_b = b.command_reply("results", user_id="U0ADMINBBB").body["text"]
    assert "No pulse has closed yet" in results_b
    home_b = json.dumps(home(b, "U0ADMINBBB"))
    assert "Energy" not in home_b
    assert "All clear" in home_b
    home_a = json.dumps(home(a, "U0ADMINAAA"))
    assert "Energy and sustainable pace" in home_a


def home(workspace: SlackWorkspace, user_id: str) -> dict[str, Any]:
    fake = workspace.fake
    before = len(fake.calls_to("views.publish"))
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    workspace.event(event, f"EvHOME{time.monotonic_ns()}")
    call = fake.wait_for(lambda: fake.calls_to("views.publish")[before:])[0]
    assert call.team_id == workspace.team_id
    view: dict[str, Any] = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_what_one_workspace_teaches_or_refuses_stays_in_it(
    installed: dict[str, SlackWorkspace],
) -> None:
    a, b = installed["T0AAA"], installed["T0BBB"]
    question = "who keeps the pizza budget of the devs?"
    before = b.command_reply(f"ask {question}", "U0MEMBERBBB").body["text"]
    assert "Team management" not in before.split(":")[0]
    taught = a.command_reply(f'ask teach "{question}" team_management', user_id="U0ADMINAAA")
    assert "now gets *Team management*" in taught.body["text"], taught.body
    assert "Team management" in a.command_reply(f"ask {question}", "U0MEMBERAAA").body["text"]
    assert b.command_reply(f"ask {question}", "U0MEMBERBBB").body["text"] == before
    a.command_reply("ask what's the wifi password in building A?", "U0MEMBERAAA")
    review_b = b.command_reply("ask review", "U0ADMINBBB").body["text"]
    assert question in review_b, "B's own refusals are B's to review"
    assert "building A" not in review_b
    review_a = a.command_reply("ask review", "U0ADMINAAA").body["text"]
    assert "building A" in review_a


def test_uninstall_removes_tokens_then_data_after_grace(
    installed: dict[str, SlackWorkspace], oauth_bot: tuple[str, str, Engine]
) -> None:
    engine = oauth_bot[2]
    b = installed["T0BBB"]
    event = {"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"}
    assert b.event(event, f"EvUNINSTALL{time.monotonic_ns()}").status == 200
    deadline, uninstalled = time.monotonic() + 10, None
    while uninstalled is None and time.monotonic() < deadline:
        time.sleep(0.1)
        with engine.connect() as connection:
            uninstalled = connection.execute(
                select(Workspace.uninstalled_at).where(Workspace.team_id == "T0BBB")
            ).scalar()
    assert uninstalled is not None, "marked for deletion after the grace period"
    with engine.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM slack_bots WHERE team_id = 'T0BBB'")
        ).scalar()
        assert left == 0, "tokens go at once"
        assert (
            connection.execute(
                text("SELECT count(*) FROM slack_bots WHERE team_id = 'T0AAA'")
            ).scalar()
            == 1
        ), "the other workspace keeps its installation"
