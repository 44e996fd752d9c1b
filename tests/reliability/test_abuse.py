"""What a member (or a leader) can try through signed requests, and what it costs the bot.

Regression tests for issue 13: each reproduces an attack found in review through the real
Bolt app (signed requests dispatched in process, see conftest.py) and checks the bot holds.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.core import limits
from bot.pulses.answers import record_answer, record_comment
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.storage.db import unit_of_work
from bot.storage.models import StrategicEvent
from bot.team.leaders import added_leaders
from bot.team.workspace import record_problem, set_threshold, workspace_settings
from tests.reliability.conftest import (
    ADMIN,
    BOT_USER,
    CHANNEL,
    ENGINEERS,
    FRENCH,
    ITEMS,
    LEADS,
    MEMBER,
    TEAM,
    Harness,
    Outcome,
    Pulses,
    comments_of,
    message_text,
    seed_pulses,
)

MB = 2**20
HUGE_WORD = ("delivery" * 5000)[:40_000]


def test_a_forty_thousand_letter_word_costs_little(harness: Harness) -> None:
    """Item 1: one DM or `/vpe ask` holding a 40,000-letter word took a worker to 1.5 GB."""
    tracemalloc.start()
    try:
        asked = harness.command(f"ask {HUGE_WORD}")
        messaged = harness.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{MEMBER}",
                "user": MEMBER,
                "text": HUGE_WORD,
                "ts": "1700000001.000100",
                "event_ts": "1700000001.000100",
                "team": TEAM,
            }
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB, f"{peak / MB:.0f} MB"
    asked.assert_clean("ask")
    messaged.assert_clean("dm")
    too_long = harness.deps.catalog.t("limits.question", "en", limit=1000)
    assert asked.texts() == [too_long]
    (reply,) = messaged.calls_to("chat.postMessage")
    assert reply.params["text"] == too_long


def test_a_long_question_in_a_mention_is_answered_privately_in_the_askers_language(
    harness: Harness,
) -> None:
    """Input caps: over limits.QUESTION, the asker is told what fits; nothing is posted for
    the channel to see."""
    question = "qui porte le delivery ? " * 50  # 1,200 characters
    out = harness.event(
        {
            "type": "app_mention",
            "channel": CHANNEL,
            "user": FRENCH,
            "text": f"<@{BOT_USER}> {question}",
            "ts": "1700000002.000100",
            "event_ts": "1700000002.000100",
            "team": TEAM,
        }
    )
    out.assert_clean("mention")
    assert not out.calls_to("chat.postMessage")
    (told,) = out.calls_to("chat.postEphemeral")
    assert told.params["user"] == FRENCH
    assert told.params["thread_ts"] == "1700000002.000100"
    assert told.params["text"] == harness.deps.catalog.t("limits.question", "fr", limit=1000)
    at_cap = harness.command("ask " + ("who owns delivery " * 60)[:1000])
    assert "delivery" in at_cap.texts()[0].lower(), "a question of exactly the cap is answered"
    assert at_cap.texts()[0] != harness.deps.catalog.t("limits.question", "en", limit=1000)


# -- what people write, shown to others as mrkdwn (items 9 and 10) ------------------------------

PHISHING = "<https://evil.example/sso|Slack session expired - sign in>"
PING = f"<@{ADMIN}> <!channel> and fish & chips"


def seed_closed_pulse(harness: Harness, comments: Sequence[str]) -> int:
    """A closed pulse answered by everyone who commented (K = 3 in the workspace)."""
    deps, now = harness.deps, harness.deps.clock.now()
    people = [f"U0RCOM{n:03d}" for n in range(max(len(comments), 3))]
    with unit_of_work(deps.sessions) as session:
        set_threshold(session, TEAM, 3)
        pulse = open_pulse(
            session,
            PulsePlan(
                team_id=TEAM,
                recipients=[Recipient(person, "en") for person in people],
                items=ITEMS,
                opened_at=now - timedelta(days=4),
                closes_at=now - timedelta(days=1),
            ),
        )
        for person in people:
            mark_sent(session, pulse.id, person, f"D{person}", "1.0")
            record_answer(session, deps.answer_key, TEAM, pulse.id, person, "energy", 4)
        for person, text in zip(people, comments, strict=False):
            record_comment(session, deps.answer_key, TEAM, pulse.id, person, text)
        close_pulse(session, deps.answer_key, TEAM, pulse.id, now - timedelta(days=1))
        return pulse.id


def live_markup(message: dict[str, Any]) -> list[str]:
    """Links, mentions and broadcasts Slack would render live in a message's text (our own
    usage placeholders, `<question>` and the like, reach Slack escaped as well). Slack parses
    the fallback `text` and `mrkdwn` objects; `plain_text` (buttons, select options) shows
    its characters as they are, so a comment quoted in a select option is not live there."""
    parts = [str(message.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                parts.append(node["text"])
            for value in node.values():
                if isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    blocks = message.get("blocks")
    walk(json.loads(blocks) if isinstance(blocks, str) else blocks)
    return re.findall(r"<[^<>]*>", "\n".join(parts))


def test_comments_reach_leaders_as_plain_text(harness: Harness) -> None:
    """Item 9: an anonymous comment made a disguised link and pinged people in `/vpe results`."""
    seed_closed_pulse(harness, [PHISHING, PING, "Fewer meetings, please"])
    out = harness.command("results", ADMIN)
    out.assert_clean("results")
    (reply,) = out.responses
    assert live_markup(reply.body) == []
    shown = message_text(reply.body)
    assert "&lt;https://evil.example/sso|Slack session expired - sign in&gt;" in shown
    assert f"&lt;@{ADMIN}&gt; &lt;!channel&gt; and fish &amp; chips" in shown


@pytest.mark.parametrize(
    ("command", "typed"),
    [
        ("settings timezone {}", "<!channel>"),
        ("owners set {} <@U0RMEMBER>", "<https://evil.example|hiring>"),
        ("roles set cto {}", "<!here>"),
        ("event add fundraising {}", "<!channel>"),
        ("pulse now {}", "<https://evil.example|#general>"),
        ("{}", "<!everyone>"),
    ],
)
def test_words_typed_are_echoed_as_plain_text(harness: Harness, command: str, typed: str) -> None:
    out = harness.command(command.format(typed), ADMIN)
    out.assert_clean(command)
    (reply,) = out.responses
    assert live_markup(reply.body) == [], message_text(reply.body)
    assert typed.replace("<", "&lt;").replace(">", "&gt;") in message_text(reply.body)


def test_event_labels_reach_the_leadership_channel_as_plain_text(harness: Harness) -> None:
    """Item 10: a label turned into a broadcast and a disguised link in the alert, the digest,
    and `/vpe events`."""
    harness.command(f"settings channel <#{LEADS}|leadership>", ADMIN).assert_clean("channel")
    soon = (harness.deps.clock.now() + timedelta(days=62)).strftime("%Y-%m")
    label = "<!channel> <https://evil.example|Re-authenticate>"
    added = harness.command(f'event add fundraising {soon} "{label}"', ADMIN)
    added.assert_clean("event add")
    alerts = [c.params for c in added.calls_to("chat.postMessage") if c.params["channel"] == LEADS]
    assert alerts, "the fundraising signal turned on and was announced"
    digest = harness.command("digest now", ADMIN)
    digest.assert_clean("digest")
    posts = [c.params for c in digest.calls_to("chat.postMessage") if c.params["channel"] == LEADS]
    listed = harness.command("events", ADMIN).responses[0].body
    for message in [*alerts, *posts, listed]:
        assert live_markup(message) == [], message_text(message)
    assert any("&lt;!channel&gt;" in message_text(message) for message in [*alerts, listed])


def test_an_event_label_over_the_cap_is_refused_politely(harness: Harness) -> None:
    at_cap, over = "x" * limits.EVENT_LABEL, "y" * (limits.EVENT_LABEL + 1)
    refused = harness.command(f'evenement ajouter fundraising 2030-01 "{over}"', FRENCH)
    refused.assert_clean("over")
    assert refused.texts() == [harness.deps.catalog.t("limits.label", "fr", limit=100, length=101)]
    harness.command(f'event add fundraising 2030-01 "{at_cap}"', ADMIN).assert_clean("at cap")
    with unit_of_work(harness.deps.sessions) as session:
        labels = session.scalars(select(StrategicEvent.label)).all()
    assert labels == [at_cap]


def test_a_comment_over_the_cap_is_refused_in_the_modal(harness: Harness) -> None:
    """The modal's max_length stops it in Slack; a forged submission gets the same answer."""
    pulses: Pulses = seed_pulses(harness)
    metadata = json.dumps({"pulse": pulses.open_id, "lang": "fr"})
    values = {
        "comment": {
            "comment_text": {"type": "plain_text_input", "value": "z" * (limits.COMMENT + 1)}
        }
    }
    before = comments_of(harness, pulses.open_id)
    out = harness.submit_view("pulse_comment", values, metadata, FRENCH)
    out.assert_clean("comment")
    assert out.ack == {
        "response_action": "errors",
        "errors": {
            "comment": harness.deps.catalog.t("limits.comment", "fr", limit=2000, length=2001)
        },
    }
    assert comments_of(harness, pulses.open_id) == before


# -- who may do what (items 11 and 12) -----------------------------------------------------------


def threshold_of(harness: Harness) -> int:
    with unit_of_work(harness.deps.sessions) as session:
        return workspace_settings(session, TEAM).threshold


def test_a_demoted_owner_loses_leadership_within_a_minute(harness: Harness) -> None:
    """Item 11: the users.info cache kept a demoted owner's rights for up to six hours."""
    boss = "U0RBOSS"
    harness.fake.add_user(TEAM, boss, "boss", "Bo Boss", is_owner=True)
    harness.command("settings anonymity 4", boss).assert_clean("owner")
    assert threshold_of(harness) == 4
    harness.fake.add_user(TEAM, boss, "boss", "Bo Boss")  # no longer an owner, in Slack
    harness.deps.clock.moment += timedelta(seconds=61)  # type: ignore[attr-defined]
    refused = harness.command("settings anonymity 6", boss)
    refused.assert_clean("demoted")
    assert refused.texts()[0].startswith("Only the leadership team can do this")
    assert threshold_of(harness) == 4
    harness.fake.add_user(TEAM, boss, "boss", "Bo Boss", is_admin=True)  # and back
    harness.deps.clock.moment += timedelta(seconds=61)  # type: ignore[attr-defined]
    harness.command("settings anonymity 7", boss).assert_clean("promoted")
    assert threshold_of(harness) == 7


def leaders_of(harness: Harness) -> list[str]:
    with unit_of_work(harness.deps.sessions) as session:
        return added_leaders(session, TEAM)


def test_only_admins_and_owners_change_the_leadership_team(harness: Harness) -> None:
    """Item 12: a leader added by a leader could remove the leaders an admin added."""
    for person in (FRENCH, MEMBER):
        harness.command(f"leaders add <@{person}>", ADMIN).assert_clean("admin adds")
    assert leaders_of(harness) == [FRENCH, MEMBER]
    removal = harness.command(f"leaders remove <@{FRENCH}>", MEMBER)
    addition = harness.command(f"leaders add <@{ENGINEERS[0]}>", MEMBER)
    for refused in (removal, addition):
        refused.assert_clean("leader changes leaders")
        assert refused.texts() == [harness.deps.catalog.t("access.admins_only", "en")]
    assert leaders_of(harness) == [FRENCH, MEMBER]
    french = harness.command(f"direction retirer <@{MEMBER}>", FRENCH)
    assert french.texts() == [harness.deps.catalog.t("access.admins_only", "fr")]
    harness.command("settings anonymity 4", MEMBER).assert_clean("other leadership commands")
    assert threshold_of(harness) == 4, "an added leader keeps every other 🔒 command"
    harness.command(f"leaders remove <@{FRENCH}>", ADMIN).assert_clean("admin removes")
    assert leaders_of(harness) == [MEMBER]


# -- results within Slack's limits (item 13) -------------------------------------------------


def test_sixty_long_comments_never_keep_results_from_a_leader(harness: Harness) -> None:
    """Item 13: 60 comments of 2,000 characters made `/vpe results` fail with invalid_blocks
    (over 50 blocks): the leader got nothing. Now some comments are shown, then "and N more",
    and `/vpe results comments` sends every one of them by DM."""
    comments = [f"comment-{n:02d} " + "word " * 397 for n in range(60)]
    assert {len(comment) for comment in comments} == {1996}
    seed_closed_pulse(harness, comments)
    out = harness.command("results", ADMIN)
    out.assert_clean("results")  # Slack (the fake) accepted it
    (reply,) = out.responses
    assert len(reply.body["blocks"]) <= 50
    shown = set(re.findall(r"comment-\d\d", message_text(reply.body)))
    assert 0 < len(shown) < 60
    more = harness.deps.catalog.t("results.more_comments", "en", count=60 - len(shown), arg="")
    assert more in message_text(reply.body)
    assert "Average 4.0/5 · 60 answers" in message_text(reply.body), "the scores come first"
    sent = harness.command("results comments", ADMIN)
    sent.assert_clean("results comments")
    assert sent.texts() == [harness.deps.catalog.t("results.comments_sent", "en", count=60)]
    (csv_text,) = [content.decode() for _, content in harness.fake.files.values()]
    assert set(re.findall(r"comment-\d\d", csv_text)) == {f"comment-{n:02d}" for n in range(60)}
    assert sent.calls_to("files.completeUploadExternal")[0].params["channel_id"].startswith("D")


# -- leadership-only lines (item 17) ---------------------------------------------------------


def test_needs_attention_is_for_leaders_only(harness: Harness) -> None:
    """Item 17: `/vpe settings` showed members the leadership-only "Needs attention" line;
    so did the Home tab's settings button, clicked (or forged) by a member."""
    with unit_of_work(harness.deps.sessions) as session:
        record_problem(
            session,
            TEAM,
            "problems.digest",
            harness.deps.clock.now(),
            date="2026-11-30",
            channel=LEADS,
            error="not_in_channel",
        )
    attention = harness.deps.catalog.t("problems.title", "en")
    member, leader = harness.command("settings", MEMBER), harness.command("settings", ADMIN)
    for out in (member, leader):
        out.assert_clean("settings")
    assert attention not in message_text(member.responses[0].body)
    assert "Anonymity threshold" in message_text(member.responses[0].body)
    assert attention in message_text(leader.responses[0].body)
    for user, shown in ((MEMBER, False), (ADMIN, True)):
        clicked = harness.action("home_settings", "", user)
        clicked.assert_clean("home settings")
        (opened,) = clicked.calls_to("views.open")
        view = opened.params["view"]
        view_text = message_text(json.loads(view) if isinstance(view, str) else view)
        assert (attention in view_text) is shown, user


# -- after `forget me` (item 14) -------------------------------------------------------------


def sqlite_files(harness: Harness) -> list[Path]:
    database = make_url(harness.deps.settings.database_url).database
    assert database is not None
    return [Path(database + suffix) for suffix in ("", "-wal", "-shm")]


def forget_me(harness: Harness, user: str) -> Outcome:
    out = harness.action("forget_me", "", user)
    out.assert_clean("forget me")
    assert out.texts()[0].startswith("Done.") or "effac" in out.texts()[0]
    return out


def answered_pulse(harness: Harness, user: str, comment: str) -> tuple[int, tuple[str, str]]:
    """An open pulse the person answered and commented on, in their real DM message."""
    deps, now = harness.deps, harness.deps.clock.now()
    where = harness.dm(user, "pulse")
    with unit_of_work(deps.sessions) as session:
        pulse = open_pulse(
            session,
            PulsePlan(
                team_id=TEAM,
                recipients=[Recipient(user, "en"), Recipient(ENGINEERS[0], "en")],
                items=ITEMS,
                opened_at=now,
                closes_at=now + timedelta(days=3),
            ),
        )
        mark_sent(session, pulse.id, user, *where)
        mark_sent(session, pulse.id, ENGINEERS[0], f"D{ENGINEERS[0]}", "1.0")
        for person in (ENGINEERS[0], user):  # someone else's rows share the pages
            record_answer(session, deps.answer_key, TEAM, pulse.id, person, "energy", 2)
        record_comment(session, deps.answer_key, TEAM, pulse.id, ENGINEERS[0], "Stays.")
        record_comment(session, deps.answer_key, TEAM, pulse.id, user, comment)
        return pulse.id, where


def test_forget_me_leaves_nothing_in_the_sqlite_files(harness: Harness, backend: str) -> None:
    """Item 14: the WAL still held the erased comment and user id while the bot ran."""
    if backend != "sqlite":
        pytest.skip("SQLite's files")
    person = "U0RFORGOTTEN"
    harness.fake.add_user(TEAM, person, "forgotten", "Fay Forgotten")
    marker = "SECRET-comment-of-the-forgotten-person"
    answered_pulse(harness, person, marker)
    harness.command("help", person).assert_clean("seen once")
    forget_me(harness, person)
    held = b"".join(path.read_bytes() for path in sqlite_files(harness) if path.exists())
    assert marker.encode() not in held
    assert person.encode() not in held
    with harness.deps.engine.connect() as connection:  # Debian's SQLite has it on by default
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_database_files_are_readable_by_their_owner_only(harness: Harness, backend: str) -> None:
    """Item 14: the database files were 0644 (the key file beside them is 0600)."""
    if backend != "sqlite":
        pytest.skip("SQLite's files")
    harness.command("settings anonymity 4", ADMIN).assert_clean("a write")
    files = sqlite_files(harness)
    assert files[1].exists(), "the WAL is there while the bot runs"
    modes = {path.name.rsplit(".", 1)[-1]: oct(path.stat().st_mode & 0o777) for path in files}
    assert modes == {"db": "0o600", "db-wal": "0o600", "db-shm": "0o600"}


def test_forget_me_redraws_the_persons_pulse_message_without_their_choices(
    harness: Harness,
) -> None:
    """Item 14: after `forget me` the person's pulse DM still showed their ✓ choices."""
    pulse_id, (channel, ts) = answered_pulse(harness, MEMBER, "a comment")
    harness.action(
        "pulse_answer:energy:2", f"{pulse_id}:energy:2", MEMBER, (channel, ts)
    ).assert_clean("tap")
    assert "✓" in json.dumps(harness.fake.messages(channel)[-1], ensure_ascii=False)
    out = forget_me(harness, MEMBER)
    (update,) = [c.params for c in out.calls_to("chat.update") if c.params["channel"] == channel]
    assert update["ts"] == ts
    shown = harness.fake.messages(channel)[-1]
    assert "✓" not in json.dumps(shown, ensure_ascii=False)
    assert shown["text"] == harness.deps.catalog.t("pulse.dm.erased", "en")
