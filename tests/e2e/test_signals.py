"""Signals, digests, App Home, export and erasure, through signed requests and the fake Slack."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import Engine, MetaData, String, Text, select
from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.ownership.assignments import set_role_holder
from bot.pulses.respondents import anonymity_key
from bot.storage.models import PulseAnswer
from tests.support.history import seed_pulse
from tests.support.slack import SlackWorkspace

ENGINEERS = [f"U0SIG{n}" for n in range(1, 9)]
BOT_KEY = anonymity_key(Settings(anonymity_key="test-anonymity-key-0123456789abcdef0123456789"))


@pytest.fixture
def history(slack: SlackWorkspace, e2e_engine: Engine) -> SlackWorkspace:
    """Six weekly pulses in which predictability falls, plus one pulse below K."""
    start = datetime.now(UTC) - timedelta(weeks=7)
    with Session(e2e_engine) as session, session.begin():
        for week, value in enumerate((4, 4, 4, 4, 3, 2)):
            answers = {"predictability": [value] * 6 + [value - 1] * 2, "energy": [4] * 8}
            seed_pulse(
                session,
                slack.team_id,
                start + timedelta(weeks=week),
                answers,
                ENGINEERS,
                key=BOT_KEY,
            )
        seed_pulse(
            session,
            slack.team_id,
            start + timedelta(weeks=6),
            {"energy": [1, 1]},
            ENGINEERS,
            key=BOT_KEY,
        )
    for user in ENGINEERS:
        slack.fake.add_user(slack.team_id, user, user.lower())
    slack.fake.add_channel(slack.team_id, "C0LEAD", "leadership", ["U0ADMIN", "UBOT"])
    return slack


def test_signals_show_verdict_evidence_and_steps(history: SlackWorkspace) -> None:
    refused = history.command_reply("signals", user_id="U0MEMBER")
    assert "Only the leadership team" in refused.body["text"]
    reply = history.command_reply("signals", user_id="U0ADMIN")
    blocks = json.dumps(reply.body["blocks"], ensure_ascii=False)
    assert "Delivery is becoming chaotic" in reply.body["text"]
    assert "Delivery predictability" in blocks
    assert "fell over 3 pulses" in blocks or "/5 in the pulse closed" in blocks
    assert "Next steps" in blocks
    french = history.command_reply("signaux", user_id="U0FRENCH")
    assert "Seule l’équipe de direction peut faire cela" in french.body["text"]


def test_digest_now_posts_blocks_and_a_chart(history: SlackWorkspace) -> None:
    here = history.command_reply("digest now", user_id="U0ADMIN")
    assert "No leadership channel is set" in here.body["text"]
    post = history.fake.wait_for("chat.postMessage")[0]
    assert post.params["channel"] == "C0GENERAL"
    for block in post.params["blocks"]:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    text = json.dumps(post.params["blocks"], ensure_ascii=False)
    assert "Delivery predictability" in text
    assert "Fewer than 5 answered the last pulse" in text
    history.fake.wait_for("files.completeUploadExternal")
    (title, png), *_ = history.fake.files.values()
    assert title == "Delivery health over the last pulses"
    assert png.startswith(b"\x89PNG")

    history.fake.reset_calls()
    set_channel = history.command_reply("settings channel <#C0LEAD|leadership>", user_id="U0ADMIN")
    assert "Leadership channel: <#C0LEAD>" in set_channel.body["text"]
    posted = history.command_reply("digest now", user_id="U0ADMIN")
    assert "Digest posted in <#C0LEAD>" in posted.body["text"]
    assert history.fake.wait_for("chat.postMessage")[0].params["channel"] == "C0LEAD"
    settings = history.command_reply("settings", user_id="U0ADMIN")
    assert "every Monday at 09:00" in settings.body["text"]


def test_digest_buttons_show_results_and_start_a_pulse(history: SlackWorkspace) -> None:
    history.command_reply("digest now", user_id="U0ADMIN")
    results = history.action(
        {
            "type": "block_actions",
            "actions": [
                {"action_id": "digest_results", "type": "button", "block_id": "b", "action_ts": "1"}
            ],
            "trigger_id": "1.2.3",
            "channel": {"id": "C0GENERAL"},
        },
        user_id="U0ADMIN",
    )
    assert results is not None
    assert "answered" in results.body["text"]


def test_signal_changes_are_announced_once(history: SlackWorkspace) -> None:
    history.command_reply("settings channel <#C0LEAD|leadership>", user_id="U0ADMIN")
    history.fake.reset_calls()
    history.command_reply("org set engineers 45", user_id="U0ADMIN")
    posts = history.fake.wait_for(
        lambda: [
            c for c in history.fake.calls_to("chat.postMessage") if c.params["channel"] == "C0LEAD"
        ],
        count=2,
    )
    texts = " ".join(c.params["text"] for c in posts)
    assert "New signal: The engineering team has outgrown a single leader" in texts
    assert "New signal: Delivery is becoming chaotic" in texts
    history.fake.reset_calls()
    history.command_reply("org set teams 6", user_id="U0ADMIN")
    time.sleep(0.8)
    assert history.fake.calls_to("chat.postMessage") == [], "still on: no second post"
    history.command_reply("org set engineers 10", user_id="U0ADMIN")
    history.command_reply("org set teams 2", user_id="U0ADMIN")
    cleared = history.fake.wait_for("chat.postMessage")[0]
    assert (
        "Signal cleared: The engineering team has outgrown a single leader"
        in cleared.params["text"]
    )


def test_org_and_events_commands(history: SlackWorkspace) -> None:
    assert "Engineers: not set" in history.command_reply("org").body["text"]
    assert (
        "whole number"
        in history.command_reply("org set engineers lots", user_id="U0ADMIN").body["text"]
    )
    bad = history.command_reply('event add fundraising March "Series B"', user_id="U0ADMIN")
    assert "is not a month" in bad.body["text"]
    added = history.command_reply('event add fundraising 2027-03 "Series B"', user_id="U0ADMIN")
    assert "Added event #" in added.body["text"]
    assert "Fundraising, March 2027." in added.body["text"]
    listed = history.command_reply("events", user_id="U0ADMIN")
    assert "Series B" in listed.body["text"]
    event_id = added.body["text"].split("#")[1].split(":")[0]
    assert (
        "Removed"
        in history.command_reply(f"event remove {event_id}", user_id="U0ADMIN").body["text"]
    )
    assert (
        "no event #999" in history.command_reply("event remove 999", user_id="U0ADMIN").body["text"]
    )
    assert "Only the leadership" in history.command_reply("events", user_id="U0MEMBER").body["text"]
    # A French leader reads the fact back in their own words, never the field's name.
    history.command_reply("leaders add <@U0FRENCH|marie>", user_id="U0ADMIN")
    saved = history.command_reply("org set ingénieurs 32", user_id="U0FRENCH").body["text"]
    assert "Enregistré\u00a0: votre équipe tech compte 32 ingénieurs." in saved
    assert "engineers" not in saved
    one = history.command_reply("org set équipes 1", user_id="U0FRENCH").body["text"]
    assert "compte 1 équipe." in one


def home_for(slack: SlackWorkspace, user_id: str) -> dict[str, object]:
    before = len(slack.fake.calls_to("views.publish"))
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": f"D{user_id}",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    assert slack.event(event, f"Ev{time.monotonic_ns()}").status == 200
    call = slack.fake.wait_for(lambda: slack.fake.calls_to("views.publish")[before:])[0]
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_app_home_for_a_leader_and_for_a_member(history: SlackWorkspace) -> None:
    leader = json.dumps(home_for(history, "U0ADMIN"), ensure_ascii=False)
    assert "For the leadership team" in leader
    assert "Delivery predictability" in leader
    assert "Who owns what in your team" in leader
    member = json.dumps(home_for(history, "U0MEMBER"), ensure_ascii=False)
    assert "For the leadership team" not in member
    assert "Who owns what in your team" in member
    assert "No pulse is waiting for you" in member
    french = json.dumps(home_for(history, "U0FRENCH"), ensure_ascii=False)
    assert "Qui porte quoi dans votre équipe" in french


def test_export_never_holds_a_row_under_k(history: SlackWorkspace) -> None:
    refused = history.command_reply("export", user_id="U0MEMBER")
    assert "Only the leadership team" in refused.body["text"]
    sent = history.command_reply("export", user_id="U0ADMIN")
    assert "I sent you the export" in sent.body["text"]
    history.fake.wait_for("files.completeUploadExternal")
    (_, data), *_ = history.fake.files.values()
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert len(rows) == 12, "six visible pulses x two statements; the 2-answer pulse is absent"
    assert all(int(row["answered"]) >= 5 and int(row["answers"]) >= 5 for row in rows)
    assert "user" not in ",".join(rows[0]).lower()


def every_text_value(engine: Engine) -> Iterator[tuple[str, str]]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, String | Text)
                or str(c.type).startswith(("VARCHAR", "TEXT", "JSON"))
            ]
            for row in connection.execute(select(*columns)) if columns else []:
                for value in row:
                    yield table.name, json.dumps(value) if not isinstance(value, str) else value


def test_forget_me_leaves_nothing_behind(history: SlackWorkspace, e2e_engine: Engine) -> None:
    target = ENGINEERS[0]
    with Session(e2e_engine) as session, session.begin():
        set_role_holder(
            session, history.team_id, "vp_engineering", target, "U0ADMIN", datetime.now(UTC)
        )
    history.command_reply(f"leaders add <@{target}>", user_id="U0ADMIN")
    history.command_reply(f"owners set hiring <@{target}>", user_id="U0ADMIN")
    with e2e_engine.connect() as connection:
        before = len(connection.execute(select(PulseAnswer.value)).all())
    asked = history.command_reply("forget me", user_id=target)
    assert asked.body["blocks"][1]["elements"][0]["action_id"] == "forget_me"
    done = history.action(
        {
            "type": "block_actions",
            "actions": [
                {"action_id": "forget_me", "type": "button", "block_id": "b", "action_ts": "1"}
            ],
            "trigger_id": "1.2.3",
            "channel": {"id": "C0GENERAL"},
        },
        user_id=target,
    )
    assert done is not None
    # The seven pulses are closed: their answers are only totals, which name nobody.
    assert "I erased 7 pulse deliveries, 0 answers" in done.body["text"]
    assert "Answers to closed pulses are only kept as totals" in done.body["text"]
    assert "1 role, " in done.body["text"]
    leftovers = [(table, value) for table, value in every_text_value(e2e_engine) if target in value]
    assert leftovers == []
    with e2e_engine.connect() as connection:
        after = len(connection.execute(select(PulseAnswer.value)).all())
    assert before == after == 0
