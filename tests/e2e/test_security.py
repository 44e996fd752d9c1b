"""Security: signatures on every kind of request, leadership-only commands, no secret in logs."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.support.botproc import BotProcess
from tests.support.payloads import payload, slash_command
from tests.support.signing import SIGNING_SECRET, form_body, post, signed_headers
from tests.support.slack import SlackWorkspace

FORM, JSON = "application/x-www-form-urlencoded", "application/json"
ROOT = Path(__file__).resolve().parents[2]


def bodies(slack: SlackWorkspace) -> dict[str, tuple[bytes, str]]:
    command = form_body(
        slash_command("help", user_id="U0MEMBER", response_url=slack.fake.response_url())
    )
    click = payload("block_actions")
    click["actions"][0]["value"] = json.dumps({"topic": "hiring", "lang": "en"})
    view = payload("view_submission")
    event = {
        "team_id": slack.team_id,
        "type": "event_callback",
        "event_id": "EvSEC1",
        "event": payload("message_im"),
        "api_app_id": "A0VPEBOT",
    }
    return {
        "slash command": (command, FORM),
        "button click": (form_body({"payload": json.dumps(click)}), FORM),
        "modal submission": (form_body({"payload": json.dumps(view)}), FORM),
        "event": (json.dumps(event).encode(), JSON),
    }


@pytest.mark.parametrize("kind", ["slash command", "button click", "modal submission", "event"])
def test_every_kind_of_request_needs_a_fresh_valid_signature(
    slack: SlackWorkspace, kind: str
) -> None:
    raw, content = bodies(slack)[kind]
    stale = signed_headers(raw, timestamp=int(time.time()) - 600)
    forged = signed_headers(raw, secret="someone-elses-secret-000")
    future = signed_headers(raw, timestamp=int(time.time()) + 600)
    half = signed_headers(raw) | {"X-Slack-Signature": ""}
    for headers in ({}, stale, forged, future, half):
        assert post(slack.events_url, raw, headers, content).status == 401
    time.sleep(0.3)
    assert slack.fake.calls == [], "a refused request has no effect"
    assert slack.fake.responses == []


RESTRICTED = [
    "roles set vpe <@U0FRENCH|marie>",
    "roles set cto <@U0CTO>",
    "owners set hiring <@U0FRENCH>",
    "owners reset hiring",
    "leaders add <@U0MEMBER>",
    "leaders remove <@U0ADMIN>",
    "pulse now <#C0GENERAL|general>",
    "pulse schedule",
    "pulse schedule off",
    "pulse close",
    "results",
    "settings anonymity 3",
    "settings channel <#C0GENERAL|general>",
    "settings digest weekly monday 09:00",
    "signals",
    "digest now",
    "events",
    'event add fundraising 2027-03 "Series B"',
    "event remove 1",
    "org set engineers 40",
    "export",
]


@pytest.mark.parametrize("command", RESTRICTED)
def test_leadership_commands_are_refused_to_members(slack: SlackWorkspace, command: str) -> None:
    reply = slack.command_reply(command, user_id="U0MEMBER")
    refusal = (
        "Only workspace admins and owners can change the leadership team"
        if command.startswith("leaders ")
        else "Only the leadership team can do this"
    )
    assert refusal in reply.body["text"]
    time.sleep(0.2)
    effects = [c.method for c in slack.fake.calls if c.method not in ("users.info",)]
    assert effects == [], f"{command} had an effect: {effects}"


def test_no_secret_or_answer_value_in_the_logs(
    slack: SlackWorkspace, bot_http: tuple[BotProcess, str]
) -> None:
    slack.fake.add_channel(slack.team_id, "C0SEC", "sec", ["U0MEMBER", "U0FRENCH", "UBOT"])
    slack.command_reply("pulse now <#C0SEC|sec>", user_id="U0ADMIN")
    dm = slack.fake.wait_for("chat.postMessage")[0]
    blocks = json.dumps(dm.params["blocks"])
    pulse_id = re.search(r'"pulse-(\d+)-header"', blocks)
    assert pulse_id is not None
    channel = slack.fake.dm_channel_id(dm.params["channel"])
    ts = slack.fake.messages(channel)[-1]["ts"]
    slack.click(
        "pulse_answer:energy:4", f"{pulse_id.group(1)}:energy:4", dm.params["channel"], channel, ts
    )
    slack.fake.wait_for("chat.update")
    log = bot_http[0].output()
    assert "xoxb-" not in log
    assert SIGNING_SECRET not in log
    assert "test-anonymity-key" not in log
    assert "kind=action pulse_answer " in log, "the click is logged by name"
    assert not re.search(r"pulse_answer:\w+:\d", log), "never with its value"


def test_sql_is_only_built_with_sqlalchemy_parameters() -> None:
    """No SQL string is assembled from values: formatted text() or execute() calls are banned."""
    formatted_sql = re.compile(
        r"""(text|execute|exec_driver_sql)\(\s*(f["']|["'][^"']*["']\s*(%|\.format|\+))"""
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "bot").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if formatted_sql.search(line)
    ]
    assert offenders == []
