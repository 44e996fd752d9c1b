"""`vpe-bot serve` as Slack and a platform see it: signed requests, help, health."""

from __future__ import annotations

import time

from tests.support.botproc import BotProcess
from tests.support.payloads import slash_command
from tests.support.signing import SIGNING_SECRET, form_body, get, post, signed_headers
from tests.support.slack import SlackWorkspace

FORM = "application/x-www-form-urlencoded"


def test_help_answers_privately_within_three_seconds(slack: SlackWorkspace) -> None:
    started = time.monotonic()
    reply = slack.command_reply("help")
    assert time.monotonic() - started < 3
    assert reply.body["response_type"] == "ephemeral"
    assert "/vpe help" in reply.body["text"]
    assert reply.body["blocks"][0]["type"] == "header"


def test_empty_command_and_unknown_words_show_help(slack: SlackWorkspace) -> None:
    assert "/vpe help" in slack.command_reply("").body["text"]
    unknown = slack.command_reply("frobnicate")
    assert "I don't know the command `frobnicate`" in unknown.body["text"]


def test_help_speaks_the_users_slack_language(slack: SlackWorkspace) -> None:
    reply = slack.command_reply("help", user_id="U0FRENCH")
    assert "Voici ce que vous pouvez me demander" in reply.body["text"]
    assert "aide" not in slack.command_reply("help", user_id="U0MEMBER").body["text"]


def test_unsigned_forged_and_stale_requests_are_refused(slack: SlackWorkspace) -> None:
    body = form_body(
        slash_command("help", user_id="U0MEMBER", response_url=slack.fake.response_url())
    )
    unsigned = post(slack.events_url, body, {}, FORM)
    forged = post(slack.events_url, body, signed_headers(body, secret="not-the-secret-0000"), FORM)
    stale = post(
        slack.events_url, body, signed_headers(body, timestamp=int(time.time()) - 600), FORM
    )
    assert (unsigned.status, forged.status, stale.status) == (401, 401, 401)
    time.sleep(0.3)
    assert slack.fake.responses == [], "a refused request must have no effect"


def test_healthz_reports_database_version_and_roles(slack: SlackWorkspace) -> None:
    health = get(slack.bot_url + "/healthz")
    assert health.status == 200
    assert health.json()["database"] == "ok"
    assert health.json()["version"]
    assert health.json()["scheduler"] == "off", "the web process does not schedule"
    assert health.json()["socket_mode"] == "off"


def test_one_log_line_per_request_without_secrets(
    slack: SlackWorkspace, bot_http: tuple[BotProcess, str]
) -> None:
    slack.command_reply("help", user_id="U0MEMBER")
    time.sleep(0.2)
    log = bot_http[0].output()
    lines = [line for line in log.splitlines() if "request team=T0TEST kind=command /vpe" in line]
    assert lines
    assert "latency_ms=" in lines[-1]
    assert "outcome=200" in lines[-1]
    assert "xoxb-test-token" not in log
    assert SIGNING_SECRET not in log


def test_unknown_paths_are_404(slack: SlackWorkspace) -> None:
    assert get(slack.bot_url + "/nope").status == 404
