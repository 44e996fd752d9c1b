"""Privacy: below K nothing shows a score or a comment; comparing views re-identifies nobody."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.pulses.answers import record_comment
from bot.pulses.lifecycle import close_pulse
from bot.pulses.respondents import anonymity_key
from tests.support.botproc import BotProcess
from tests.support.history import seed_pulse
from tests.support.slack import SlackWorkspace

KEY = anonymity_key(Settings(anonymity_key="test-anonymity-key-0123456789abcdef0123456789"))
PEOPLE = [f"U0PRIV{n}" for n in range(9)]
SECRET_COMMENT = "my manager ignores every estimate"


def seed(engine: Engine, team_id: str, answers: int, comments: int) -> int:
    opened = datetime.now(UTC) - timedelta(days=4)
    with Session(engine) as session, session.begin():
        pulse_id = seed_pulse(
            session,
            team_id,
            opened,
            {"predictability": [1] * answers, "energy": [2] * answers},
            PEOPLE,
            key=KEY,
            close=False,
        )
        for person in PEOPLE[:comments]:
            record_comment(session, KEY, team_id, pulse_id, person, f"{SECRET_COMMENT} {person}")
        close_pulse(session, KEY, team_id, pulse_id, opened + timedelta(days=3))
    return pulse_id


def home(slack: SlackWorkspace, user_id: str) -> str:
    before = len(slack.fake.calls_to("views.publish"))
    event = {
        "type": "app_home_opened",
        "user": user_id,
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    slack.event(event, f"EvPRIV{time.monotonic_ns()}")
    call = slack.fake.wait_for(lambda: slack.fake.calls_to("views.publish")[before:])[0]
    view: Any = call.params["view"]
    return view if isinstance(view, str) else json.dumps(view)


def test_below_k_no_surface_shows_a_score_or_a_comment(
    slack: SlackWorkspace, e2e_engine: Engine, bot_http: tuple[BotProcess, str]
) -> None:
    for person in PEOPLE:
        slack.fake.add_user(slack.team_id, person, person.lower())
    seed(e2e_engine, slack.team_id, answers=4, comments=4)
    results = json.dumps(slack.command_reply("results", user_id="U0ADMIN").body)
    assert "4/9 answered" in results
    assert "Average" not in results
    assert "/5" not in results
    signals = json.dumps(slack.command_reply("signals", user_id="U0ADMIN").body)
    assert "Based on 0 pulses" in signals
    assert "/5 in the pulse closed" not in signals
    slack.command_reply("digest now", user_id="U0ADMIN")
    digest = json.dumps(slack.fake.wait_for("chat.postMessage")[0].params)
    assert "Fewer than 5 answered the last pulse" in digest
    assert "/5" not in digest
    assert slack.fake.files == {}, "no chart without scores"
    leader_home = home(slack, "U0ADMIN")
    assert "/5" not in leader_home
    export = slack.command_reply("export", user_id="U0ADMIN").body["text"]
    assert "nothing to export" in export
    surfaces = results + signals + digest + leader_home + export + bot_http[0].output()
    assert SECRET_COMMENT not in surfaces


def test_comparing_views_before_and_after_an_erasure_reveals_nothing(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """The attack: read results, let one person erase themselves, read again, subtract."""
    for person in PEOPLE:
        slack.fake.add_user(slack.team_id, person, person.lower())
    seed(e2e_engine, slack.team_id, answers=6, comments=0)
    before = slack.command_reply("results", user_id="U0ADMIN").body
    slack.command_reply("export", user_id="U0ADMIN")
    slack.fake.wait_for("files.completeUploadExternal")
    export_before = next(iter(slack.fake.files.values()))[1]
    click = {
        "type": "block_actions",
        "trigger_id": f"{time.monotonic_ns()}.1.priv",
        "actions": [
            {"action_id": "forget_me", "type": "button", "block_id": "b", "action_ts": "1"}
        ],
        "channel": {"id": "C0GENERAL"},
    }
    done = slack.action(click, user_id=PEOPLE[0])
    assert done is not None
    assert "0 answers" in done.body["text"], "after the close, answers are only totals"
    assert "Answers to closed pulses are only kept as totals" in done.body["text"]
    after = slack.command_reply("results", user_id="U0ADMIN").body
    assert after["blocks"] == before["blocks"], "results are frozen at the close"
    slack.fake.reset_calls()
    slack.command_reply("export", user_id="U0ADMIN")
    slack.fake.wait_for("files.completeUploadExternal")
    export_after = next(iter(slack.fake.files.values()))[1]
    assert export_after == export_before
