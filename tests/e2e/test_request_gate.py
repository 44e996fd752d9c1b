"""What reaches the bot over HTTP: bodies within a cap, signed, readable; none of it logged.

Regression tests for issue 13, items 5 (unbounded bodies), 6 (answers in the logs when a
signature fails) and 16 (500s before the signature check), against `vpe-bot serve`.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import unquote_plus

from tests.support.botproc import BotProcess
from tests.support.payloads import payload
from tests.support.signing import form_body, post, raw_post, signed_headers
from tests.support.slack import SlackWorkspace

FORM, JSON = "application/x-www-form-urlencoded", "application/json"
CAP = 1_000_000


def log_since(bot: BotProcess, mark: int) -> str:
    """The log written since `mark`, as written and URL-decoded (a form body is encoded)."""
    time.sleep(0.3)  # the bot's log lines are written after the answer
    written = bot.output()[mark:]
    return written + "\n" + unquote_plus(written)


def test_a_body_over_the_cap_is_refused_before_it_is_read(
    slack: SlackWorkspace, bot_http: tuple[BotProcess, str]
) -> None:
    """An unsigned 50 MB POST gets 413 at once: the bot never waits for (or holds) the body."""
    announced = 50 * 1024 * 1024
    answer = raw_post(
        slack.events_url,
        {"Content-Type": FORM, "Content-Length": str(announced)},
        b"text=" + b"x" * 65536,
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200] or "no answer within 10 s"
    # One byte over, signed: refused on the announced length. Only its first bytes are sent,
    # as a client still writing a whole megabyte could meet the closed connection first.
    just_over = b"text=" + b"x" * (CAP - 4)
    headers = signed_headers(just_over) | {"Content-Type": FORM, "Content-Length": str(CAP + 1)}
    answer = raw_post(slack.events_url, headers, just_over[:65536])
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200] or "no answer within 10 s"
    at_cap = form_body({"text": "y" * (CAP - 200)})[:CAP]
    assert post(slack.events_url, at_cap, {}, FORM).status == 401, "at the cap: read, unsigned"
    assert slack.command_reply("help").body["text"], "and the bot answers as before"


def test_an_unsigned_body_never_reaches_the_log(
    slack: SlackWorkspace, bot_http: tuple[BotProcess, str]
) -> None:
    bot, mark = bot_http[0], len(bot_http[0].output())
    body = form_body({"text": "MARKER-unsigned-body-0123456789", "user_id": "U0MEMBER"})
    assert post(slack.events_url, body, {}, FORM).status == 401
    assert "MARKER-unsigned-body" not in log_since(bot, mark)


def test_a_tap_or_comment_with_a_stale_signature_logs_no_answer(
    slack: SlackWorkspace, bot_http: tuple[BotProcess, str]
) -> None:
    """Clock skew makes a real tap arrive stale: refused, and neither its value nor its
    comment appears in the log, let alone beside the person's id."""
    bot, mark = bot_http[0], len(bot_http[0].output())
    tap = payload("block_actions")
    tap["user"] = {"id": "U0MEMBER", "team_id": slack.team_id}
    tap["actions"] = [
        {
            "action_id": "pulse_answer:energy:1",
            "block_id": "pulse-7-energy",
            "value": "7:energy:1",
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
    ]
    comment = payload("view_submission")
    comment["user"] = {"id": "U0MEMBER", "team_id": slack.team_id}
    comment["view"] |= {
        "callback_id": "pulse_comment",
        "private_metadata": json.dumps({"pulse": 7}),
        "state": {"values": {"comment": {"value": {"value": "SECRET-comment-text"}}}},
    }
    stale_by = int(time.time()) - 400
    for clicked in (tap, comment):
        raw = form_body({"payload": json.dumps(clicked)})
        assert (
            post(slack.events_url, raw, signed_headers(raw, timestamp=stale_by), FORM).status == 401
        )
    log = log_since(bot, mark)
    assert "7:energy:1" not in log
    assert "SECRET-comment-text" not in log
    assert "U0MEMBER" not in log


def test_malformed_requests_are_400_or_401_never_500(
    slack: SlackWorkspace, bot_http: tuple[BotProcess, str]
) -> None:
    """The signature is checked first, on the raw bytes; only a signed body is parsed."""
    bot, mark = bot_http[0], len(bot_http[0].output())
    not_json = b"payload=notjson"
    not_utf8 = b"text=caf\xe9&user_id=U0MEMBER"
    broken_json = b'{"type": "event_callback", '
    a_list = b"payload=%5B1%2C2%5D"
    now = str(int(time.time()))
    cases = {
        "unsigned payload=notjson": (not_json, {}, FORM, 401),
        "signed payload=notjson": (not_json, signed_headers(not_json), FORM, 400),
        "unsigned invalid UTF-8": (not_utf8, {}, FORM, 401),
        "signed invalid UTF-8": (not_utf8, signed_headers(not_utf8), FORM, 400),
        "signed broken JSON": (broken_json, signed_headers(broken_json), JSON, 400),
        "signed payload that is a list": (a_list, signed_headers(a_list), FORM, 400),
        "timestamp abc": (
            not_json,
            {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
            FORM,
            401,
        ),
        "timestamp ²": (
            not_json,
            {"X-Slack-Request-Timestamp": "1²", "X-Slack-Signature": "v0=00"},
            FORM,
            401,
        ),
        "signature without a timestamp": (not_json, {"X-Slack-Signature": "v0=00"}, FORM, 401),
        "timestamp now, no signature": (not_json, {"X-Slack-Request-Timestamp": now}, FORM, 401),
    }
    seen = {
        name: post(slack.events_url, body, headers, kind).status
        for name, (body, headers, kind, _) in cases.items()
    }
    assert seen == {name: case[3] for name, case in cases.items()}
    log = log_since(bot, mark)
    assert "Traceback" not in log
    assert not re.search(r"outcome=5\d\d", log)
    assert slack.fake.calls == [], "none of them had an effect"
    ssl_check = b"ssl_check=1&token=verification-token"
    assert post(slack.events_url, ssl_check, {}, FORM).status == 200, "Slack's certificate check"


def test_a_chunked_body_over_the_cap_is_refused_at_the_cap(slack: SlackWorkspace) -> None:
    """Without a Content-Length (chunked), the body is read up to the cap and no further."""
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(17)) + b"0\r\n\r\n"
    answer = raw_post(
        slack.events_url, {"Content-Type": FORM, "Transfer-Encoding": "chunked"}, body
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
