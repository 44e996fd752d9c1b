"""How `/vpe ask` answers look: buttons within Slack's limits, user text that cannot ping."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.blocks.who_owns import render_answer, render_review
from bot.core.i18n import default_catalog
from bot.ownership.assignments import Assignments
from bot.ownership.who_owns import answer_question
from bot.qa.feedback import Review, ReviewItem
from bot.qa.knowledge import load_knowledge
from bot.qa.matcher import Matcher

KB = load_knowledge()
MATCHER = Matcher(KB)
CATALOG = default_catalog()


def buttons(blocks: list[dict[str, object]]) -> list[dict[str, str]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]  # type: ignore[attr-defined]


def test_a_question_full_of_quotes_still_fits_in_its_rating_buttons() -> None:
    answer = answer_question(MATCHER, "who owns delivery? " + '"\\' * 1500, Assignments())
    message = render_answer(answer, KB, CATALOG)  # validated against Slack's limits
    rating = [b for b in buttons(message.blocks) if b["action_id"].startswith("ask_feedback")]
    assert len(rating) == 2
    assert all(len(b["value"]) <= 2000 for b in rating)
    assert json.loads(rating[0]["value"])["q"].startswith("who owns delivery?")


def test_each_offered_topic_is_a_button_in_the_answers_language() -> None:
    for question, lang in (("what's the wifi password?", "en"), ("quel temps fait-il ?", "fr")):
        answer = answer_question(MATCHER, question, Assignments())
        assert answer.entry is None
        offered = buttons(render_answer(answer, KB, CATALOG).blocks)
        assert len(offered) == 3
        assert all(json.loads(b["value"])["lang"] == lang for b in offered)
        assert len({b["action_id"] for b in offered}) == 3, "action ids are unique in a message"


def test_the_review_shows_questions_as_text_that_cannot_mention_anyone() -> None:
    item = ReviewItem("<!channel> who owns <@U123>?", "en", "refused", None, 3, datetime.now(UTC))
    message = render_review(Review((item,), 0, 0, 3), KB, CATALOG, "en")
    shown = json.dumps(message.blocks)
    assert "<!channel>" not in shown
    assert "&lt;!channel&gt;" in shown
    assert "(×3)" in message.text
