"""At LOG_LEVEL=DEBUG too, no answer, comment or request body reaches the log (issue 13, 6).

slack_sdk logs every Web API request and response body at DEBUG (the redrawn pulse DM with
the person's choices marked, the comment modal with their words), Bolt logs the bodies it
answers and the ones whose signature fails. A bot started at DEBUG, on the same database and
fake Slack as the others, goes through a pulse; its log is then searched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import unquote_plus

import pytest

from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, free_port
from tests.support.signing import form_body, post, signed_headers
from tests.support.slack import SlackWorkspace

COMMENT = "SECRET-words-of-a-comment"


@pytest.fixture(scope="module")
def debug_bot(
    fake_slack: FakeSlack,
    e2e_database: str,
    bot_http: tuple[BotProcess, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[BotProcess, str]]:
    port = free_port()
    env = bot_environment(fake_slack.api_url, e2e_database, LOG_LEVEL="DEBUG", WEB_CONCURRENCY="1")
    bot = BotProcess(
        ["serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        tmp_path_factory.mktemp("debug-bot"),
    ).start()
    url = f"http://127.0.0.1:{port}"
    bot.wait_healthy(url + "/healthz")
    yield bot, url
    bot.stop()


def test_a_pulse_answered_at_debug_leaves_no_answer_in_the_log(
    slack: SlackWorkspace, debug_bot: tuple[BotProcess, str]
) -> None:
    bot, url = debug_bot
    here = SlackWorkspace(slack.fake, slack.team_id, url, slack.general)
    here.fake.add_channel(here.team_id, "C0DBG", "dbg", ["U0MEMBER", "U0FRENCH", "UBOT"])
    mark = len(bot.output())
    here.command_reply("pulse now <#C0DBG|dbg>", user_id="U0ADMIN")
    dm = here.fake.wait_for("chat.postMessage", count=2)[0]
    blocks = json.dumps(dm.params["blocks"])
    pulse_id = blocks.split('"pulse-')[1].split("-")[0]
    user = dm.params["channel"]
    channel = here.fake.dm_channel_id(user)
    ts = here.fake.messages(channel)[-1]["ts"]
    tapped = f"{pulse_id}:energy:4"
    assert here.click("pulse_answer:energy:4", tapped, user, channel, ts).status == 200
    here.fake.wait_for("chat.update")
    here.click("pulse_comment", pulse_id, user, channel, ts)
    opened = here.fake.wait_for("views.open")[0].params["view"]
    meta = json.loads(
        (json.loads(opened) if isinstance(opened, str) else opened)["private_metadata"]
    )
    values = {"comment": {"comment_text": {"type": "plain_text_input", "value": COMMENT}}}
    assert here.submit_view("pulse_comment", values, meta, user).status == 200
    here.fake.wait_for("chat.update", count=2)
    stale = form_body(
        {
            "payload": json.dumps(
                {"type": "block_actions", "user": {"id": user}, "actions": [{"value": tapped}]}
            )
        }
    )
    old = int(time.time()) - 400
    assert (
        post(
            here.events_url,
            stale,
            signed_headers(stale, timestamp=old),
            "application/x-www-form-urlencoded",
        ).status
        == 401
    )
    time.sleep(0.5)
    written = bot.output()[mark:]
    log = written + unquote_plus(written)
    assert "DEBUG" in written, "the bot does log at DEBUG"
    assert "✓" not in log, "the redrawn DM with its choice marked"
    assert "\\u2713" not in log, "the same, JSON-escaped"
    assert tapped not in log, "the value tapped"
    assert COMMENT not in log, "the comment"
    assert "pulse_answer:" not in log, "the buttons, by which a choice could be read"
