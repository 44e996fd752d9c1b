"""`/vpe results` stays within Slack's limits whatever the comments, and the comments file
opens safely in a spreadsheet (issue 13, item 13)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.blocks import SECTION_LIMIT
from bot.blocks.results import COMMENT_CHARS, MAX_BLOCKS, fitting, render_results
from bot.core.i18n import default_catalog
from bot.privacy.export import comments_csv
from bot.pulses.questions import pulse_content
from bot.pulses.reporting import Group, disclosure
from bot.pulses.results import ItemResult, PulseResults
from bot.storage.models import Pulse

OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def results_with(comments: list[str]) -> PulseResults:
    content = pulse_content()
    pulse = Pulse(
        id=7,
        team_id="T1",
        items=[item.id for item in content.items],
        timezone="UTC",
        opened_at=OPENED,
        closes_at=OPENED,
        closed_at=OPENED,
        audience_label="",
    )
    items = tuple(ItemResult(item, 9, 3.0, 50.0, (1, 2, 3, 2, 1)) for item in content.items)
    shown = disclosure(Group(12, 9, 12, 9, len(comments)), threshold=3)
    return PulseResults(pulse, 12, 9, shown, items, tuple(comments))


@pytest.mark.parametrize(
    "comments",
    [
        ["x" * 2000] * 60,
        ["<" * 2000] * 60,  # each escapes to 8,000 characters
        ["short"] * 5000,
        ["y" * 2999] * 3 + ["z"] * 2000,
    ],
    ids=["60 of 2000", "escaping grows them", "5000 short ones", "mixed"],
)
def test_results_fit_in_fifty_blocks_of_three_thousand_characters(comments: list[str]) -> None:
    message = render_results(results_with(comments), default_catalog(), "en")
    assert len(message.blocks) <= MAX_BLOCKS
    texts = [block["text"]["text"] for block in message.blocks if block["type"] == "section"]
    assert all(len(text) <= SECTION_LIMIT for text in texts)
    assert "more comments" in message.blocks[-1]["elements"][0]["text"]


def test_every_comment_is_shown_when_they_fit() -> None:
    message = render_results(results_with(["fine"] * 40), default_catalog(), "fr")
    assert (
        sum(block.get("text", {}).get("text", "").count("> fine") for block in message.blocks) == 40
    )
    assert "autres commentaires" not in str(message.blocks)


def test_fitting_stops_at_the_section_count_and_the_character_budget() -> None:
    assert fitting(["a" * 2000] * 10, sections=4, chars=COMMENT_CHARS) == 4
    assert fitting(["a" * 1499] * 10, sections=4, chars=COMMENT_CHARS) == 8, "two per section"
    assert fitting(["a" * 1000] * 20, sections=40, chars=5000) == 5
    assert fitting(["a" * 1000] * 20, sections=40, chars=4999) == 4


def test_the_comments_file_keeps_every_comment_and_runs_no_formula() -> None:
    comments = ['=HYPERLINK("https://evil.example")', "+1 more", "plain, with a comma\nand a line"]
    rows = list(csv.reader(io.StringIO(comments_csv(comments))))
    assert rows == [
        ["comment"],
        ['\'=HYPERLINK("https://evil.example")'],
        ["'+1 more"],
        ["plain, with a comma\nand a line"],
    ]


def test_a_change_that_rounds_to_zero_shows_no_arrow_up_or_down() -> None:
    """+0.04 is written 0.0: an arrow beside it would claim a rise nobody can see."""
    from bot.blocks.results import item_line
    from bot.blocks.team_results import item_figure

    catalog = default_catalog()
    item = pulse_content().items[0]
    tiny = ItemResult(item, 9, 3.34, 3.34, (1, 2, 3, 2, 1), change=0.04, before_count=9)
    assert "= 0.0" in item_line(tiny, 5, catalog, "en")
    assert "▲" not in item_line(tiny, 5, catalog, "en")
    assert ": 3.3/5 =0.0" in item_figure(tiny, catalog, "en")
    real = ItemResult(item, 9, 3.34, 3.34, (1, 2, 3, 2, 1), change=0.05, before_count=9)
    assert "▲" in item_line(real, 5, catalog, "en")
