"""When to start the search: the next event's month minus the time to hire."""

from __future__ import annotations

from datetime import date

from bot.blocks.report import plain
from bot.signals.assess import Event
from bot.signals.report import search_start

KINDS = ("fundraising", "international", "restructuring")
TODAY = date(2026, 6, 15)


def event(month: str, kind: str = "fundraising") -> Event:
    return Event(1, kind, month, "Series B")


def test_the_search_starts_the_time_to_hire_before_the_next_event() -> None:
    found = search_start([event("2027-03"), event("2027-09")], KINDS, 4, TODAY)
    assert found is not None
    assert (found.event.month, found.start_month, found.late) == ("2027-03", "2026-11", False)
    assert search_start([event("2027-03")], KINDS, 15, TODAY).start_month == "2025-12"  # type: ignore[union-attr]


def test_a_start_month_already_here_says_start_now() -> None:
    last_month = search_start([event("2026-09")], KINDS, 4, TODAY)
    this_month = search_start([event("2026-10")], KINDS, 4, TODAY)
    next_month = search_start([event("2026-11")], KINDS, 4, TODAY)
    assert last_month is not None
    assert (last_month.late, last_month.now) == (True, False), "should have started"
    assert this_month is not None
    assert (this_month.late, this_month.now) == (False, True), "starts this month"
    assert next_month is not None
    assert (next_month.late, next_month.now) == (False, False)


def test_past_events_and_other_kinds_give_no_date() -> None:
    assert search_start([event("2026-05")], KINDS, 4, TODAY) is None
    assert search_start([event("2027-01", "party")], KINDS, 4, TODAY) is None
    assert search_start([event("2026-06")], KINDS, 4, TODAY) is not None  # this month counts


def test_mrkdwn_becomes_plain_print() -> None:
    names = {"U1": "Marie"}
    assert plain("*Delivery* · here: <@U1> &amp; <@U2|x>", names) == "Delivery · here: Marie & U2"
    assert plain("_nobody named yet_", names) == "nobody named yet"


def test_a_chart_heading_never_ends_a_page_without_its_chart() -> None:
    """The heading goes over to the next page with the chart rather than sit alone."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    from bot.blocks.report import _Writer

    picture = io.BytesIO()
    Image.new("RGB", (1000, 560), "white").save(picture, format="PNG")
    for lines, pages in ((48, 2), (5, 1)):
        out = _Writer({}, "Report")
        for number in range(lines):
            out.line(f"Line {number}")
        out.figure("Scores over time", picture.getvalue(), 150)
        reader = PdfReader(io.BytesIO(out.output()))
        assert len(reader.pages) == pages
        with_heading = [
            n for n, page in enumerate(reader.pages) if "Scores over" in page.extract_text()
        ]
        assert with_heading == [pages - 1], "the heading sits on the chart's page"
        assert reader.pages[pages - 1].images, "the chart is on that page"
