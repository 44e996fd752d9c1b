"""What a member (or a leader) can try through signed requests, and what it costs the bot.

Regression tests for issue 13: each reproduces an attack found in review through the real
Bolt app (signed requests dispatched in process, see conftest.py) and checks the bot holds.
"""

from __future__ import annotations

import tracemalloc

from tests.reliability.conftest import BOT_USER, CHANNEL, FRENCH, MEMBER, TEAM, Harness

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
