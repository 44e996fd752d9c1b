"""Replies to anonymous comments through signed requests: leadership to the author and back,
with no name anywhere, the database included."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import ColumnElement, Engine, MetaData, func, literal_column, select
from sqlalchemy.orm import Session

from bot.pulses.answers import record_comment
from bot.pulses.lifecycle import close_pulse
from bot.storage.models import CommentReply, PulseComment
from bot.team.digest_schedule import set_leadership_channel
from tests.e2e.test_signals import BOT_KEY, every_text_value
from tests.fakeslack import FakeSlack
from tests.support.history import seed_pulse
from tests.support.payloads import payload
from tests.support.signing import HttpResult, form_body, post, signed_headers
from tests.support.slack import SlackWorkspace

PEOPLE = [f"U0REP{n}" for n in range(1, 9)]
AUTHOR = PEOPLE[2]
WORDS = {PEOPLE[n]: f"comment number {n}: deploys feel risky" for n in range(6)}


def comment_pulse(session: Session, team_id: str, opened: datetime, writers: list[str]) -> int:
    answers = {"predictability": [3] * 8, "energy": [4] * 8}
    pulse_id = seed_pulse(session, team_id, opened, answers, PEOPLE, key=BOT_KEY, close=False)
    for person in writers:
        record_comment(session, BOT_KEY, team_id, pulse_id, person, WORDS[person])
    close_pulse(session, BOT_KEY, team_id, pulse_id, opened + timedelta(days=3))
    return pulse_id


@pytest.fixture
def commented(slack: SlackWorkspace, e2e_engine: Engine) -> SlackWorkspace:
    """A pulse where six of eight commented (K = 5: comments show), a leadership channel."""
    with Session(e2e_engine) as session, session.begin():
        comment_pulse(session, slack.team_id, datetime.now(UTC) - timedelta(days=5), PEOPLE[:6])
        set_leadership_channel(session, slack.team_id, "C0LEAD", "UTC", datetime.now(UTC))
    for person in PEOPLE:
        slack.fake.add_user(slack.team_id, person, person.lower(), real_name=f"Person {person}")
    slack.fake.add_channel(slack.team_id, "C0LEAD", "leadership", ["U0ADMIN", "UBOT"])
    return slack


def send(slack: SlackWorkspace, body: dict[str, Any], user_id: str) -> HttpResult:
    """As Slack sends it; the trigger id is random, as Slack's is (it names nobody)."""
    body["user"] = {"id": user_id, "team_id": slack.team_id}
    body["team"] = {"id": slack.team_id, "domain": "acme"}
    body["trigger_id"] = f"{time.monotonic_ns()}.738474920.{time.time_ns() % 99991:x}"
    body["response_url"] = slack.fake.response_url(f"r-{time.monotonic_ns()}")
    raw = form_body({"payload": json.dumps(body)})
    return post(slack.events_url, raw, signed_headers(raw), "application/x-www-form-urlencoded")


def choose(slack: SlackWorkspace, action_id: str, value: str, user_id: str) -> None:
    click = payload("block_actions")
    element: dict[str, Any] = {
        "action_id": action_id,
        "block_id": "b",
        "action_ts": f"{time.time():.6f}",
    }
    if action_id.endswith("pick"):
        element |= {"type": "static_select", "selected_option": {"value": value}}
    else:
        element |= {"type": "button", "value": value}
    click["actions"] = [element]
    click["channel"] = {"id": "C0GENERAL", "name": "general"}
    assert send(slack, click, user_id).status == 200


def submit(slack: SlackWorkspace, callback: str, meta: str, text: str, user_id: str) -> str:
    body = payload("view_submission")
    body["view"] |= {
        "callback_id": callback,
        "private_metadata": meta,
        "state": {"values": {"reply": {"value": {"type": "plain_text_input", "value": text}}}},
    }
    result = send(slack, body, user_id)
    assert result.status == 200
    return result.body.decode()


def opened_modal(fake: FakeSlack, before: int) -> dict[str, Any]:
    call = fake.wait_for(lambda: fake.calls_to("views.open")[before:])[0]
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def posts_to(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [c.params for c in fake.calls_to("chat.postMessage") if c.params["channel"] == channel]


def test_a_leaders_reply_reaches_the_author_and_the_answer_comes_back_unnamed(
    commented: SlackWorkspace, e2e_engine: Engine, backend: str
) -> None:
    slack, fake = commented, commented.fake
    results = slack.command_reply("results", user_id="U0ADMIN")
    pick = next(
        element
        for block in results.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "comment_reply_pick"
    )
    option = next(o for o in pick["options"] if o["text"]["text"] == WORDS[AUTHOR])
    choose(slack, "comment_reply_pick", option["value"], "U0ADMIN")
    modal = opened_modal(fake, 0)
    assert modal["callback_id"] == "comment_reply"
    member = submit(slack, "comment_reply", modal["private_metadata"], "hi", "U0MEMBER")
    assert "Only the leadership team can reply" in member
    assert posts_to(fake, AUTHOR) == [], "a member's forged reply goes nowhere"

    submit(slack, "comment_reply", modal["private_metadata"], "What would help?", "U0ADMIN")
    dm = fake.wait_for(lambda: posts_to(fake, AUTHOR))[0]
    assert "What would help?" in json.dumps(dm["blocks"])
    assert WORDS[AUTHOR] in json.dumps(dm["blocks"])
    assert all(posts_to(fake, person) == [] for person in PEOPLE if person != AUTHOR)
    sent = fake.wait_for(lambda: posts_to(fake, "U0ADMIN"))[0]
    assert "on its way to the comment's author" in sent["text"]

    answer = next(e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"])
    before = len(fake.calls_to("views.open"))
    choose(slack, "comment_answer_open", answer["value"], AUTHOR)
    author_modal = opened_modal(fake, before)
    assert author_modal["callback_id"] == "comment_answer"
    not_author = submit(slack, "comment_answer", author_modal["private_metadata"], "x", PEOPLE[0])
    assert "belongs to the comment's author" in not_author
    submit(slack, "comment_answer", author_modal["private_metadata"], "More review time", AUTHOR)
    back = fake.wait_for(lambda: posts_to(fake, "C0LEAD"))[0]
    shown = json.dumps(back, ensure_ascii=False)
    assert "More review time" in shown
    assert AUTHOR not in shown
    assert AUTHOR.lower() not in shown.lower()
    assert "answered your reply" in back["text"]

    # The thread goes on: leadership replies under the answer, the author gets the thread.
    again = next(e for b in back["blocks"] if b["type"] == "actions" for e in b["elements"])
    before = len(fake.calls_to("views.open"))
    choose(slack, "comment_reply_again", again["value"], "U0ADMIN")
    third = opened_modal(fake, before)
    assert "More review time" in json.dumps(third)
    submit(slack, "comment_reply", third["private_metadata"], "Done: Fridays are free", "U0ADMIN")
    second_dm = fake.wait_for(lambda: [p for p in posts_to(fake, AUTHOR) if p.get("blocks")][1:])[0]
    thread = json.dumps(second_dm["blocks"])
    assert thread.index("What would help?") < thread.index("More review time")
    assert thread.index("More review time") < thread.index("Fridays are free")

    with e2e_engine.connect() as connection:
        rows = connection.execute(select(CommentReply.from_author, CommentReply.text)).all()
    assert [tuple(row) for row in rows] == [
        (False, "What would help?"),
        (True, "More review time"),
        (False, "Done: Fridays are free"),
    ]
    # The author's id is where it always was (who was asked), and nowhere else.
    holding = {table for table, value in every_text_value(e2e_engine) if AUTHOR in value}
    assert holding == {"pulse_recipients"}
    if backend == "postgresql":  # the answer's transaction wrote that row and nothing else
        assert sharing_a_transaction(e2e_engine) == {"comment_replies"}


def sharing_a_transaction(engine: Engine) -> set[str]:
    """The tables with a row written in the transaction of an author's answer (xmin)."""
    xid: ColumnElement[str] = literal_column("xmin::text")
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        answers = list(
            connection.scalars(
                select(xid).select_from(CommentReply).where(CommentReply.from_author)
            )
        )
        assert len(answers) == 1
        return {
            table.name
            for table in metadata.sorted_tables
            if connection.scalar(select(func.count()).select_from(table).where(xid.in_(answers)))
        }


def test_no_reply_to_a_comment_results_do_not_show(
    commented: SlackWorkspace, e2e_engine: Engine
) -> None:
    slack, fake = commented, commented.fake
    with Session(e2e_engine) as session, session.begin():
        few = comment_pulse(
            session, slack.team_id, datetime.now(UTC) - timedelta(days=4), PEOPLE[:2]
        )
        positions = session.scalars(
            select(PulseComment.position).where(PulseComment.pulse_id == few)
        ).all()
    assert len(positions) == 2
    results = slack.command_reply("results", user_id="U0ADMIN")
    assert "comment_reply_pick" not in json.dumps(results.body["blocks"])
    meta = json.dumps({"lang": "en", "comment": f"{few}:0"})
    refused = submit(slack, "comment_reply", meta, "Who wrote this?", "U0ADMIN")
    assert "Only comments the results show" in refused
    time.sleep(0.5)
    assert all(posts_to(fake, person) == [] for person in PEOPLE)
    with e2e_engine.connect() as connection:
        assert connection.execute(select(CommentReply.id)).all() == []
