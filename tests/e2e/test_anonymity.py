"""Strong protection through signed requests: known answers, small audiences, comments.

Each test is an attack from issue 13 played against the running bot: a leader who knows some
answers (their own, accomplices', the leadership team's) or who reads the results twice.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.pulses.answers import record_comment
from bot.pulses.respondents import anonymity_key, respondent_token
from bot.storage.models import PulseComment
from tests.e2e.test_privacy import home
from tests.e2e.test_pulse import ITEMS, answer, pulse_dms, wait_answer_rows
from tests.support.history import seed_pulse
from tests.support.slack import SlackWorkspace

KEY = anonymity_key(Settings(anonymity_key="test-anonymity-key-0123456789abcdef0123456789"))
ENGINEERS = [f"U0ANON{n}" for n in range(1, 9)]


def add_engineers(slack: SlackWorkspace, channel: str, people: list[str]) -> str:
    for user in ENGINEERS:
        slack.fake.add_user(slack.team_id, user, user.lower(), locale="en-US")
    slack.fake.add_channel(slack.team_id, channel, channel.lower(), [*people, "UBOT"])
    return f"<#{channel}|{channel.lower()}>"


def everyone_answers(slack: SlackWorkspace, engine: Engine, values: dict[str, int]) -> None:
    """Each person answers every statement with their value; the pulse is then closed."""
    dms = pulse_dms(slack.fake, len(values))
    for user, value in values.items():
        for item in ITEMS:
            answer(slack, dms[user], user, item, value)
    assert wait_answer_rows(engine, len(values) * len(ITEMS)) == len(values) * len(ITEMS)
    closed = slack.command_reply("pulse close", user_id="U0ADMIN")
    assert f"{len(values)}/{len(values)} answered" in closed.body["text"]


def surfaces(slack: SlackWorkspace) -> dict[str, str]:
    """Every place a leader can read a closed pulse's figures."""
    results = json.dumps(slack.command_reply("results", user_id="U0ADMIN").body)
    signals = json.dumps(slack.command_reply("signals", user_id="U0ADMIN").body)
    export = slack.command_reply("export", user_id="U0ADMIN").body["text"]
    slack.fake.reset_calls()
    slack.command_reply("digest now", user_id="U0ADMIN")
    digest = json.dumps(slack.fake.wait_for("chat.postMessage")[0].params)
    leader_home = home(slack, "U0ADMIN")
    return {
        "results": results,
        "signals": signals,
        "export": export,
        "digest": digest,
        "home": leader_home,
    }


def test_a_hand_picked_audience_of_three_never_shows_scores(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """Issue 13, item 2: `anonymity 3`, then `pulse now @admin @owner @target`; the two
    accomplices answer known values, and results minus theirs would be the target's."""
    slack.command_reply("settings anonymity 3", user_id="U0ADMIN")
    started = slack.command_reply(
        "pulse now <@U0ADMIN|ada> <@U0OWNER|olga> <@U0MEMBER|sam>", user_id="U0ADMIN"
    )
    assert "3 people" in started.body["text"]
    assert "none of them count toward the anonymity threshold" in started.body["text"]
    everyone_answers(slack, e2e_engine, {"U0ADMIN": 1, "U0OWNER": 1, "U0MEMBER": 5})
    seen = surfaces(slack)
    assert "3/3 answered" in seen["results"]
    assert "count toward the anonymity threshold" in seen["results"]
    assert "Average" not in seen["results"]
    assert "/5" not in seen["results"]
    assert "Based on 0 pulses" in seen["signals"]
    assert "nothing to export" in seen["export"]
    assert "count toward the anonymity threshold" in seen["digest"]
    assert "/5" not in seen["digest"] + seen["home"]


def test_the_leadership_team_in_a_channel_does_not_count_toward_k(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """An admin and an owner in the audience know their own answers (and could share them):
    two engineers are all that is left, fewer than K = 3."""
    slack.command_reply("settings anonymity 3", user_id="U0ADMIN")
    channel = add_engineers(slack, "C0MIXED", ["U0ADMIN", "U0OWNER", *ENGINEERS[:2]])
    slack.command_reply(f"pulse now {channel}", user_id="U0ADMIN")
    everyone_answers(
        slack, e2e_engine, {"U0ADMIN": 2, "U0OWNER": 2, ENGINEERS[0]: 4, ENGINEERS[1]: 5}
    )
    seen = surfaces(slack)
    assert "4/4 answered" in seen["results"]
    assert "Average" not in seen["results"]
    assert "nothing to export" in seen["export"]


def test_an_audience_below_twice_k_shows_averages_but_no_distribution(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """K = 3 and five people asked: an average of five is fine, but a distribution of a
    group that small says too much about each person (all answered 2: so did you)."""
    slack.command_reply("settings anonymity 3", user_id="U0ADMIN")
    channel = add_engineers(slack, "C0FIVE", ENGINEERS[:5])
    slack.command_reply(f"pulse now {channel}", user_id="U0ADMIN")
    everyone_answers(slack, e2e_engine, dict.fromkeys(ENGINEERS[:5], 2))
    results = slack.command_reply("results", user_id="U0ADMIN").body
    text = json.dumps(results, ensure_ascii=False)
    assert "Average 2.0/5" in text
    assert "1: 0, 2: 5" not in text
    assert "Distributions appear when at least 6 people" in text
    slack.command_reply("export", user_id="U0ADMIN")
    slack.fake.wait_for("files.completeUploadExternal")
    rows = list(csv.DictReader(io.StringIO(next(iter(slack.fake.files.values()))[1].decode())))
    assert [row["mean"] for row in rows] == ["2.0"] * len(ITEMS)
    assert {row["n2"] for row in rows} == {""}, "no distribution in the export either"


def test_a_second_pulse_to_nearly_the_same_audience_is_refused(slack: SlackWorkspace) -> None:
    """Differencing through overlapping pulses: #six, then #six minus the target."""
    slack.command_reply("settings anonymity 3", user_id="U0ADMIN")
    six = add_engineers(slack, "C0SIX", ENGINEERS[:6])
    five = add_engineers(slack, "C0SIXLESS", ENGINEERS[:5])
    slack.command_reply(f"pulse now {six}", user_id="U0ADMIN")
    pulse_dms(slack.fake, 6)
    slack.command_reply("pulse close", user_id="U0ADMIN")
    refused = slack.command_reply(f"pulse now {five}", user_id="U0ADMIN")
    assert "differs from the pulse of" in refused.body["text"]
    assert "by only 1 person" in refused.body["text"]
    again = slack.command_reply(f"pulse now {six}", user_id="U0ADMIN")
    assert "Pulse started" in again.body["text"], "the same audience again is fine"


def click_forget(slack: SlackWorkspace, user_id: str) -> str:
    click = {
        "type": "block_actions",
        "trigger_id": f"{time.monotonic_ns()}.1.anon",
        "actions": [
            {"action_id": "forget_me", "type": "button", "block_id": "b", "action_ts": "1"}
        ],
        "channel": {"id": "C0GENERAL"},
    }
    done = slack.action(click, user_id=user_id)
    assert done is not None
    return str(done.body["text"])


def test_comments_shown_after_the_close_survive_a_commenters_erasure(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """Issue 13, item 8: K = 3, four comments, results; one commenter runs `forget me`;
    results again. The difference must not be that person's comment."""
    slack.command_reply("settings anonymity 3", user_id="U0ADMIN")
    for user in ENGINEERS:
        slack.fake.add_user(slack.team_id, user, user.lower())
    opened = datetime.now(UTC) - timedelta(days=4)
    with Session(e2e_engine) as session, session.begin():
        pulse_id = seed_pulse(
            session,
            slack.team_id,
            opened,
            {"energy": [3, 4, 2, 4, 3, 5, 4, 3]},
            ENGINEERS,
            key=KEY,
            close=False,
        )
        for n, person in enumerate(ENGINEERS[:4]):
            record_comment(session, KEY, slack.team_id, pulse_id, person, f"comment number {n}")
    assert "8/8 answered" in slack.command_reply("pulse close", user_id="U0ADMIN").body["text"]
    before = slack.command_reply("results", user_id="U0ADMIN").body
    assert "comment number 0" in json.dumps(before)
    report = click_forget(slack, ENGINEERS[0])
    assert "1 comment on a closed pulse stays in its results, unlinked from you" in report
    after = slack.command_reply("results", user_id="U0ADMIN").body
    assert after["blocks"] == before["blocks"], "what results show never changes after the close"
    mine = respondent_token(KEY, slack.team_id, pulse_id, ENGINEERS[0])
    with e2e_engine.connect() as connection:
        tokens = set(connection.scalars(select(PulseComment.respondent)))
    assert len(tokens) == 4
    assert mine not in tokens, "nothing links the comment to the person any more"
