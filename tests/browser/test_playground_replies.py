"""Replying to an anonymous comment from the results, in a playground of its own (the demo's
latest pulse, with its comments, stays the latest)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import shot
from tests.browser.test_playground import act_as, say

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why: a skip, or a failure under .ci/run
    expect = None


def test_the_reply_picker_shows_its_placeholder_and_any_comment_can_be_picked(page: Any) -> None:
    """Nothing is chosen until someone picks, so the first comment opens its reply too."""
    act_as(page, "U0HR", "dm")
    say(page, "/vpe results")
    results = page.locator("#messages .msg", has_text="Pulse results").last
    picker = results.locator('select[data-action="comment_reply_pick"]')
    expect(picker).to_be_visible(timeout=10_000)
    assert picker.evaluate("s => s.selectedOptions[0].textContent") == "Reply to a comment…"
    first = picker.locator("option").nth(1).inner_text()
    picker.select_option(index=1)
    modal = page.locator("#overlay .modal")
    expect(modal).to_be_visible(timeout=10_000)
    expect(modal).to_contain_text(first[:40])
    shot(page, "11-reply-to-the-first-comment")
    modal.locator("[data-close]").click()
    expect(page.locator("#overlay")).to_be_hidden(timeout=10_000)
