"""Pulses end to end: started by a signed command, answered by taps, closed, read."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from bot.storage.models import CtoCheckin, PulseAnswer, PulseSchedule
from tests.fakeslack import FakeSlack
from tests.support.slack import SlackWorkspace

ENGINEERS = [f"U0ENG{n}" for n in range(1, 10)]
ITEMS = [
    "predictability",
    "priorities",
    "cto_bottleneck",
    "process_clarity",
    "quality",
    "energy",
    "roadmap_link",
]
ENG = "<#C0ENG|engineering>"


@pytest.fixture
def team(slack: SlackWorkspace) -> SlackWorkspace:
    """Nine engineers in #engineering, plus a bot and a deactivated account in it."""
    for user_id in ENGINEERS:
        slack.fake.add_user(slack.team_id, user_id, user_id.lower(), locale="en-US")
    slack.fake.add_user(slack.team_id, "U0ROBOT", "ci-bot", is_bot=True)
    slack.fake.add_user(slack.team_id, "U0GONE", "gone", deleted=True)
    members = [*ENGINEERS, "U0ROBOT", "U0GONE", "UBOT"]
    slack.fake.add_channel(slack.team_id, "C0ENG", "engineering", members)
    return slack


def pulse_dms(fake: FakeSlack, count: int) -> dict[str, dict[str, Any]]:
    """Wait for `count` pulse DMs delivered (a Slack error such as account_inactive comes back
    with HTTP 200 too: not counted); return the latest per person with its pulse id."""
    calls = fake.wait_for(
        lambda: [
            c
            for c in fake.calls_to("chat.postMessage")
            if c.status == 200
            and c.error is None
            and "pulse-" in json.dumps(c.params.get("blocks", ""))
        ],
        count=count,
        timeout=20,
    )
    time.sleep(0.3)
    messages = {}
    for call in fake.calls_to("chat.postMessage"):
        blocks = call.params.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        header = next((b for b in blocks if str(b.get("block_id", "")).endswith("header")), None)
        if header and str(header["block_id"]).startswith("pulse-") and call.error is None:
            pulse_id = int(str(header["block_id"]).split("-")[1])
            channel = fake.dm_channel_id(call.params["channel"])
            ts = next(m["ts"] for m in fake.messages(channel) if m.get("blocks"))
            messages[call.params["channel"]] = {"pulse": pulse_id, "channel": channel, "ts": ts}
    assert len(calls) >= count
    return messages


def answer(slack: SlackWorkspace, dm: dict[str, Any], user: str, item: str, value: int) -> None:
    result = slack.click(
        f"pulse_answer:{item}:{value}",
        f"{dm['pulse']}:{item}:{value}",
        user,
        dm["channel"],
        dm["ts"],
    )
    assert result.status == 200, result.body


def wait_updates(fake: FakeSlack, count: int) -> None:
    fake.wait_for(
        lambda: [c for c in fake.calls_to("chat.update") if c.status == 200],
        count=count,
        timeout=20,
    )


def wait_answer_rows(engine: Engine, expected: int, timeout: float = 15) -> int:
    """Taps are handled after their ack: wait until the database holds what was tapped."""
    deadline, rows = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            rows = connection.scalar(select(func.count()).select_from(PulseAnswer)) or 0
        if rows >= expected:
            time.sleep(0.3)
            with engine.connect() as connection:
                return connection.scalar(select(func.count()).select_from(PulseAnswer)) or 0
        time.sleep(0.1)
    return rows


def test_pulse_now_asks_every_human_once_and_reports_six_of_nine(
    team: SlackWorkspace, e2e_engine: Engine
) -> None:
    started = team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    assert "Pulse started" in started.body["text"]
    assert "9 people" in started.body["text"]
    dms = pulse_dms(team.fake, 9)
    assert sorted(dms) == ENGINEERS, "bots, deactivated accounts and the app are left out"
    assert len(team.fake.calls_to("chat.postMessage")) == 9, "each person messaged once"

    answerers = ENGINEERS[:6]
    for n, user in enumerate(answerers):
        for item in ITEMS:
            answer(team, dms[user], user, item, 1 + (n + len(item)) % 5)
    answer(team, dms[answerers[0]], answerers[0], "energy", 5)  # changes, does not add
    wait_updates(team.fake, 6 * 7 + 1)
    assert wait_answer_rows(e2e_engine, 6 * 7) == 6 * 7
    time.sleep(0.5)
    shown = team.fake.messages(dms[answerers[0]]["channel"])[-1]
    energy_row = next(b for b in shown["blocks"] if b.get("block_id", "").endswith("-energy"))
    marked = [
        e["text"]["text"] for e in energy_row["elements"] if e["text"]["text"].startswith("✓")
    ]
    assert marked == ["✓ Strongly agree"], "the last tap is the one visibly marked"

    status = team.command_reply("pulse status", user_id="U0MEMBER")
    assert "6/9 answered" in status.body["text"]
    closed = team.command_reply("pulse close", user_id="U0ADMIN")
    assert "6/9 answered" in closed.body["text"]

    before = len(team.fake.responses)
    answer(team, dms[ENGINEERS[7]], ENGINEERS[7], "energy", 3)
    late = team.fake.wait_for(lambda: team.fake.responses[before:], timeout=10)[0]
    assert "This pulse is closed" in late.body["text"]

    results = team.command_reply("results", user_id="U0ADMIN")
    assert "6/9 answered" in results.body["text"]
    text = json.dumps(results.body["blocks"], ensure_ascii=False)
    assert "We ship what we commit to, when we said we would." in text
    assert "Average" in text
    assert "agreeing is bad news here" in text


def test_below_the_threshold_results_show_no_score(
    team: SlackWorkspace, e2e_engine: Engine
) -> None:
    team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    dms = pulse_dms(team.fake, 9)
    for user in ENGINEERS[:2]:
        answer(team, dms[user], user, "quality", 4)
    wait_updates(team.fake, 2)
    assert wait_answer_rows(e2e_engine, 2) == 2
    team.command_reply("pulse close", user_id="U0ADMIN")
    results = team.command_reply("results", user_id="U0ADMIN")
    assert "2/9 answered" in results.body["text"]
    assert "Results appear from 5 answers on" in results.body["text"]
    assert "Average" not in json.dumps(results.body["blocks"])


def test_a_plain_member_cannot_start_a_pulse(team: SlackWorkspace) -> None:
    refused = team.command_reply(f"pulse now {ENG}", user_id="U0MEMBER")
    assert "Only the leadership team can do this" in refused.body["text"]
    assert (
        "Only the leadership team" in team.command_reply("results", user_id="U0MEMBER").body["text"]
    )
    time.sleep(0.5)
    assert team.fake.calls_to("chat.postMessage") == []


def test_rate_limits_and_server_errors_still_give_one_dm_each(team: SlackWorkspace) -> None:
    team.fake.rate_limit_next("chat.postMessage", retry_after=1, times=2)
    team.fake.server_error_next("chat.postMessage", status=503, times=2)
    team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    dms = pulse_dms(team.fake, 9)
    assert sorted(dms) == ENGINEERS
    for user in ENGINEERS:
        channel = team.fake.dm_channel_id(user)
        assert len([m for m in team.fake.messages(channel) if m.get("blocks")]) == 1


def test_a_permanent_error_is_recorded_not_retried(team: SlackWorkspace) -> None:
    team.fake.fail_next("chat.postMessage", error="account_inactive")
    team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    pulse_dms(team.fake, 8)
    time.sleep(0.5)
    assert len(team.fake.calls_to("chat.postMessage")) == 9, "no retry of account_inactive"
    status = team.command_reply("pulse status", user_id="U0ADMIN")
    assert "1 person could not be reached" in status.body["text"]
    assert "0/8 answered" in status.body["text"]


def test_an_open_pulse_blocks_a_second_one(team: SlackWorkspace) -> None:
    team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    again = team.command_reply("pulse now <@U0ENG1>", user_id="U0ADMIN")
    assert "A pulse is already open" in again.body["text"]
    plain = team.command_reply("pulse now #engineering", user_id="U0ADMIN")
    assert "Pick channels, groups and people from Slack's suggestions" in plain.body["text"]


def test_the_cto_gets_a_private_check_in(team: SlackWorkspace, e2e_engine: Engine) -> None:
    team.command_reply("roles set cto <@U0CTO|chris>", user_id="U0ADMIN")
    team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    checkin = team.fake.wait_for(
        lambda: [
            c for c in team.fake.calls_to("chat.postMessage") if c.params["channel"] == "U0CTO"
        ]
    )[0]
    assert "CTO check-in" in checkin.params["text"]
    blocks = json.dumps(checkin.params["blocks"])
    pulse_id = int(blocks.split('"checkin-')[1].split("-")[0])
    channel = team.fake.dm_channel_id("U0CTO")
    ts = team.fake.messages(channel)[-1]["ts"]
    for field, value in (("operations", 60), ("decisions", 8)):
        tapped = team.click(
            f"cto_checkin:{field}:{value}", f"{pulse_id}:{field}:{value}", "U0CTO", channel, ts
        )
        assert tapped.status == 200, tapped.body
    wait_updates(team.fake, 2)
    with e2e_engine.connect() as connection:
        row = connection.execute(
            select(CtoCheckin.operations_share, CtoCheckin.decisions_waiting)
        ).one()
    assert tuple(row) == (60, 8)
    forged = team.click(
        "cto_checkin:decisions:1", f"{pulse_id}:decisions:1", "U0ENG1", "DU0ENG1", ts
    )
    assert forged.status == 200
    time.sleep(0.5)
    with e2e_engine.connect() as connection:
        assert connection.scalar(select(CtoCheckin.decisions_waiting)) == 8


def test_comment_modal_saves_and_refuses_after_close(team: SlackWorkspace) -> None:
    team.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    dm = pulse_dms(team.fake, 9)["U0ENG1"]
    team.click("pulse_comment", str(dm["pulse"]), "U0ENG1", dm["channel"], dm["ts"])
    opened = team.fake.wait_for("views.open")[0]
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "pulse_comment"
    meta = json.loads(view["private_metadata"])
    values = {
        "comment": {"comment_text": {"type": "plain_text_input", "value": "Too many meetings"}}
    }
    saved = team.submit_view("pulse_comment", values, meta, "U0ENG1")
    assert saved.status == 200
    assert saved.body in (b"", b"{}") or "errors" not in saved.json()
    wait_updates(team.fake, 1)
    assert "Edit my comment" in json.dumps(team.fake.calls_to("chat.update")[-1].params["blocks"])
    team.command_reply("pulse close", user_id="U0ADMIN")
    refused = team.submit_view("pulse_comment", values, meta, "U0ENG1")
    assert "This pulse has closed" in refused.json()["errors"]["comment"]


def test_schedule_modal_saves_a_schedule(team: SlackWorkspace, e2e_engine: Engine) -> None:
    assert team.command("pulse schedule", user_id="U0ADMIN").status == 200
    opened = team.fake.wait_for("views.open")[0]
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    meta = json.loads(view["private_metadata"])

    def option(value: str) -> dict[str, Any]:
        return {"value": {"type": "static_select", "selected_option": {"value": value}}}

    values = {
        "channels": {
            "value": {"type": "multi_conversations_select", "selected_conversations": ["C0ENG"]}
        },
        "people": {"value": {"type": "multi_users_select", "selected_users": []}},
        "cadence": option("biweekly"),
        "weekday": option("1"),
        "time": {"value": {"type": "timepicker", "selected_time": "09:30"}},
        "timezone": {"value": {"type": "plain_text_input", "value": "Mars/Olympus"}},
        "open_days": {"value": {"type": "number_input", "value": "4"}},
        "items": {
            "value": {"type": "multi_static_select", "selected_options": [{"value": "quality"}]}
        },
        "language": option("fr"),
    }
    bad = team.submit_view("pulse_schedule", values, meta, "U0ADMIN")
    assert "Unknown time zone" in bad.json()["errors"]["timezone"]
    assert (
        "Only the leadership team"
        in team.submit_view("pulse_schedule", values, meta, "U0MEMBER").json()["errors"]["channels"]
    )
    values["timezone"]["value"]["value"] = "Europe/Paris"
    assert team.submit_view("pulse_schedule", values, meta, "U0ADMIN").status == 200
    confirm = team.fake.wait_for("chat.postEphemeral")[0]
    assert "every other Tuesday at 09:30 (Europe/Paris)" in confirm.params["text"]
    with e2e_engine.connect() as connection:
        row = connection.execute(
            select(PulseSchedule.cadence, PulseSchedule.items, PulseSchedule.language)
        ).one()
    assert (row.cadence, row.items, row.language) == ("biweekly", ["quality"], "fr")
    status = team.command_reply("pulse status")
    assert "Next scheduled pulse" in status.body["text"]
    assert "stopped" in team.command_reply("pulse schedule off", user_id="U0ADMIN").body["text"]
    assert "No schedule yet" in team.command_reply("pulse status").body["text"]


def test_settings_threshold_is_bounded_and_reserved(team: SlackWorkspace) -> None:
    assert "Anonymity threshold*: 5" in team.command_reply("settings").body["text"] or (
        "Anonymity threshold: 5" in team.command_reply("settings").body["text"]
    )
    assert (
        "from 3 to 10" in team.command_reply("settings anonymity 2", user_id="U0ADMIN").body["text"]
    )
    assert "Only the leadership team" in team.command_reply("settings anonymity 3").body["text"]
    saved = team.command_reply("settings anonymity 3", user_id="U0ADMIN")
    assert "Anonymity threshold: 3 answers" in saved.body["text"]
    french = team.command_reply("settings fuseau Lune/Cratère", user_id="U0FRENCH")
    assert "Je ne connais pas le fuseau" in french.body["text"] or "Seule" in french.body["text"]


def test_french_settings_agree_an_unset_language_in_the_feminine(team: SlackWorkspace) -> None:
    text = team.command_reply("settings", user_id="U0FRENCH").body["text"]
    assert "Langue de l’espace de travail\u00a0: non définie (utilisée" in text


def test_a_french_listing_s_notification_text_is_spaced_the_french_way(
    team: SlackWorkspace,
) -> None:
    text = team.command_reply("settings", user_id="U0FRENCH").body["text"]
    assert text.startswith("Réglages\u00a0: Seuil d’anonymat")
    assert "en dessous)\u202f; Langue" in text
    english = team.command_reply("settings").body["text"]
    assert english.startswith("Settings: Anonymity threshold")


def test_the_workspace_language_is_named_in_words_not_by_its_code(team: SlackWorkspace) -> None:
    saved = team.command_reply("settings language fr", user_id="U0ADMIN").body["text"]
    assert "Workspace language: French (used" in saved
    french = team.command_reply("settings", user_id="U0FRENCH").body["text"]
    assert "Langue de l’espace de travail\u00a0: français (utilisée" in french
