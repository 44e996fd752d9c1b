"""Every delivery up to four times, in order and out of order: exactly one effect each."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

import pytest

from tests.support.payloads import payload, slash_command
from tests.support.signing import form_body, post, signed_headers
from tests.support.slack import SlackWorkspace

FORM = "application/x-www-form-urlencoded"
ORDERS = {
    "in order": [None, 1, 2, 3],
    "out of order": [2, None, 3, 1],
    "without retry headers": [None, None, None, None],
}


def send(slack: SlackWorkspace, raw: bytes, kind: str, retry: int | None) -> int:
    headers = signed_headers(raw)
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    content = "application/json" if kind == "json" else FORM
    return post(slack.events_url, raw, headers, content).status


def settle(condition: Callable[[], int], expected: int, timeout: float = 10) -> int:
    """Wait for the effect, then a little longer so that a duplicate would show."""
    deadline = time.monotonic() + timeout
    while condition() < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.6)
    return condition()


@pytest.mark.parametrize("order", ORDERS)
def test_a_command_four_times_answers_once(slack: SlackWorkspace, order: str) -> None:
    name = f"dup-{time.monotonic_ns()}"
    body = slash_command(
        "ask who owns delivery?",
        user_id="U0MEMBER",
        response_url=slack.fake.response_url(name),
        team_id=slack.team_id,
    )
    raw = form_body(body)
    assert [send(slack, raw, "form", retry) for retry in ORDERS[order]] == [200] * 4
    answers = settle(lambda: len([r for r in slack.fake.responses if r.name == name]), 1)
    assert answers == 1


@pytest.mark.parametrize("order", ORDERS)
def test_a_direct_message_four_times_gets_one_reply(slack: SlackWorkspace, order: str) -> None:
    event_id = f"EvDUP{time.monotonic_ns()}"
    for retry in ORDERS[order]:
        assert slack.event(payload("message_im"), event_id, retry=retry).status == 200
    assert settle(lambda: len(slack.fake.calls_to("chat.postMessage")), 1) == 1


@pytest.mark.parametrize("order", ORDERS)
def test_a_mention_four_times_gets_one_threaded_reply(slack: SlackWorkspace, order: str) -> None:
    event_id = f"EvMEN{time.monotonic_ns()}"
    for retry in ORDERS[order]:
        slack.event(payload("app_mention"), event_id, retry=retry)
    posts = settle(lambda: len(slack.fake.calls_to("chat.postMessage")), 1)
    assert posts == 1


def click_payload(slack: SlackWorkspace, action_id: str, value: str, name: str) -> bytes:
    click = payload("block_actions")
    click["actions"] = [
        {
            "action_id": action_id,
            "block_id": "b",
            "value": value,
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
    ]
    click["user"] = {"id": "U0MEMBER", "team_id": slack.team_id}
    click["team"] = {"id": slack.team_id, "domain": "acme"}
    click["response_url"] = slack.fake.response_url(name)
    click["trigger_id"] = f"{time.monotonic_ns()}.1.dup"
    return form_body({"payload": json.dumps(click)})


@pytest.mark.parametrize("order", ORDERS)
def test_a_share_click_four_times_posts_once(slack: SlackWorkspace, order: str) -> None:
    name = f"share-{time.monotonic_ns()}"
    raw = click_payload(slack, "share_answer", json.dumps({"topic": "hiring", "lang": "en"}), name)
    for retry in ORDERS[order]:
        assert send(slack, raw, "form", retry) == 200
    shared = settle(
        lambda: len(
            [
                r
                for r in slack.fake.responses
                if r.name == name and r.body.get("response_type") == "in_channel"
            ]
        ),
        1,
    )
    assert shared == 1


def test_pulse_now_four_times_asks_each_person_once(slack: SlackWorkspace) -> None:
    people = [f"U0DUP{n}" for n in range(6)]
    for person in people:
        slack.fake.add_user(slack.team_id, person, person.lower())
    slack.fake.add_channel(slack.team_id, "C0DUP", "dup", [*people, "UBOT"])
    name = f"pulse-{time.monotonic_ns()}"
    body = slash_command(
        "pulse now <#C0DUP|dup>",
        user_id="U0ADMIN",
        response_url=slack.fake.response_url(name),
        team_id=slack.team_id,
    )
    raw = form_body(body)
    retries = [None, 1, 2, 3]
    random.Random(4).shuffle(retries)
    for retry in retries:
        send(slack, raw, "form", retry)
    dms = settle(lambda: len(slack.fake.calls_to("chat.postMessage")), len(people))
    assert dms == len(people)
    assert sorted(c.params["channel"] for c in slack.fake.calls_to("chat.postMessage")) == people
    assert len([r for r in slack.fake.responses if r.name == name]) == 1
