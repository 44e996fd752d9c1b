"""The playground as a person uses it: ask, run a pulse end to end, the Home tab, a modal.

Each step drives the page (typing, switching person, clicking the bot's own buttons), which
sends the bot signed requests shaped as Slack's; what the test checks is what the page
shows afterwards. A screenshot of each step lands in test-output/browser/.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import shot

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why: a skip, or a failure under .ci/run
    expect = None

ITEMS = 7  # statements in the default pulse
ENGINEERS = ["U0ENG02", "U0ENG04", "U0ENG06", "U0ENG07", "U0ENG09"]  # English speakers


def act_as(page: Any, user_id: str, conversation: str) -> None:
    page.select_option("#user", user_id)
    page.click(f'nav li[data-conv="{conversation}"]')
    page.wait_for_selector(f'body[data-showing="{user_id}:{conversation}"]', state="attached")


def say(page: Any, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def last_message(page: Any) -> Any:
    return page.locator("#messages .msg").last


def test_ask_who_owns_delivery(page: Any) -> None:
    act_as(page, "U0CEO", "dm")
    say(page, "/vpe ask who owns delivery?")
    answer = last_message(page)
    expect(answer).to_contain_text("Delivery", timeout=10_000)
    expect(answer).to_contain_text("VP Engineering")
    expect(answer).to_contain_text("Only visible to you")
    expect(answer.locator("button", has_text="Share in channel")).to_be_visible()
    shot(page, "01-ask-who-owns-delivery")


def test_ask_never_ends_in_a_dead_end_and_learns_from_leadership(page: Any) -> None:
    act_as(page, "U0HR", "dm")  # the Head of People reads English
    say(page, "/vpe who's responsible for the devs?")
    expect(last_message(page)).to_contain_text("Not what you meant?", timeout=10_000)
    unsure = page.locator("#messages .msg", has_text="Not what you meant?").last
    unsure.locator('button[data-action^="ask_topic_"]').first.click()
    expect(page.locator("#messages .msg").last).to_contain_text("Share in channel")
    unsure.locator('button[data-action="ask_feedback_up"]').click()
    expect(last_message(page)).to_contain_text("Glad it helped", timeout=10_000)

    # The CTO's Slack is in French.
    act_as(page, "U0CTO", "dm")
    say(page, "/vpe quel temps fait-il ?")
    refused = last_message(page)
    expect(refused).to_contain_text("Ce n’est pas mon domaine", timeout=10_000)
    topics = refused.locator('button[data-action^="ask_topic_"]')
    expect(topics).to_have_count(3)
    topics.first.click()
    expect(page.locator("#messages .msg")).to_contain_text(["Partager dans le canal"])
    shot(page, "01b-ask-closest-topics")

    say(page, "/vpe qui garde le moral des devs ? il est au plus bas")
    answer = last_message(page)
    expect(answer).to_contain_text("Management des équipes", timeout=10_000)
    answer.locator("button", has_text="Pas utile").click()
    expect(last_message(page)).to_contain_text("Merci de me le dire", timeout=10_000)

    say(page, "/vpe ask review")
    review = last_message(page)
    expect(review).to_contain_text("Questions à revoir", timeout=10_000)
    expect(review).to_contain_text("quel temps fait-il ?")
    expect(review).to_contain_text("marquée 👎")
    shot(page, "01c-ask-review")

    say(page, '/vpe ask teach "qui garde le moral des devs ?" talent_growth')
    expect(last_message(page)).to_contain_text("Développement des talents", timeout=10_000)
    say(page, "/vpe Qui garde le MORAL des devs")
    expect(last_message(page)).to_contain_text("Développement des talents", timeout=10_000)


def test_pulse_from_start_to_results(page: Any) -> None:
    act_as(page, "U0CTO", "C0ENGINEERING")
    say(page, "/vpe pulse now #engineering")
    # The CTO's Slack is in French: the bot answers in French.
    expect(last_message(page)).to_contain_text("Pulse lancé", timeout=10_000)
    expect(last_message(page)).to_contain_text("13")
    shot(page, "02-pulse-started-by-the-cto")

    for number, engineer in enumerate(ENGINEERS):
        act_as(page, engineer, "dm")
        dm = page.locator("#messages .msg", has_text="Delivery pulse").last
        expect(dm).to_be_visible(timeout=10_000)
        actions = dm.locator('button[data-action^="pulse_answer:"]')
        items = sorted({a.split(":")[1] for a in actions.evaluate_all(ACTION_IDS)})
        assert len(items) == ITEMS, items
        for answered, item in enumerate(items, start=1):
            score = 2 + (answered + number) % 3
            dm.locator(f'button[data-action="pulse_answer:{item}:{score}"]').click()
            progress = (
                "that's everything" if answered == ITEMS else f"{answered} of {ITEMS} answered"
            )
            expect(dm).to_contain_text(progress, timeout=10_000)
        if number == 0:
            shot(page, "03-pulse-answered-by-an-engineer")
            dm.locator('button[data-action="pulse_comment"]').click()
            modal = page.locator("#overlay .modal")
            expect(modal).to_be_visible(timeout=10_000)
            modal.locator("textarea").fill("Priorities change every week; we never finish.")
            shot(page, "03b-pulse-comment-modal")
            modal.locator("[data-submit]").click()
            expect(page.locator("#overlay")).to_be_hidden(timeout=10_000)

    act_as(page, "U0CTO", "dm")
    say(page, "/vpe pulse close")
    expect(page.locator("#messages")).to_contain_text("Pulse clos", timeout=10_000)
    expect(page.locator("#messages")).to_contain_text("5 personnes sur 13 ont répondu")
    say(page, "/vpe results")
    results = last_message(page)
    expect(results).to_contain_text("Résultats du pulse", timeout=10_000)
    expect(results).to_contain_text("5 personnes sur 13 ont répondu")
    # Each statement's average, from the five engineers' clicks (nothing below the threshold).
    expect(results).to_contain_text(re.compile(r"Moyenne [0-9],[0-9]/5"))
    assert results.inner_text().count("Moyenne ") == ITEMS
    shot(page, "04-pulse-results")


ACTION_IDS = "buttons => buttons.map(b => b.dataset.action)"


def test_home_tab_shows_the_verdict_and_the_signals(page: Any) -> None:
    act_as(page, "U0HR", "home")  # the Head of People reads English
    home = page.locator("#messages .home")
    expect(home).to_contain_text("VP Engineering", timeout=10_000)
    expect(home).to_contain_text("The CTO is drowning in operations")
    shot(page, "05-home-tab")


def test_schedule_modal_opens_and_saves(page: Any) -> None:
    act_as(page, "U0HR", "dm")
    say(page, "/vpe pulse schedule")
    modal = page.locator("#overlay .modal")
    expect(modal).to_be_visible(timeout=10_000)
    expect(modal.locator(".modal-title")).not_to_be_empty()
    shot(page, "06-schedule-modal")
    modal.locator("[data-submit]").click()  # nobody chosen: the bot says what is missing
    expect(modal.locator(".field-error").first).to_be_visible(timeout=10_000)
    modal.locator("select[multiple]").first.select_option(label="engineering")
    modal.locator("[data-submit]").click()
    expect(page.locator("#overlay")).to_be_hidden(timeout=10_000)
    expect(last_message(page)).to_contain_text("schedule", timeout=10_000)


def test_next_monday_brings_the_scheduled_pulse(page: Any) -> None:
    act_as(page, "U0ENG10", "dm")
    pulses = page.locator("#messages .msg", has_text="Delivery pulse")
    before = pulses.count()
    page.click('[data-advance="monday10"]')
    expect(page.locator("#time")).to_contain_text("Monday", timeout=10_000)
    expect(pulses).to_have_count(before + 1, timeout=15_000)
    shot(page, "07-scheduled-pulse-on-monday")


def test_digest_with_its_chart_in_the_leadership_channel(page: Any) -> None:
    act_as(page, "U0HR", "C0LEADERSHIP")
    say(page, "/vpe digest now")
    chart = page.locator("#messages .msg .b-image img").last
    expect(chart).to_be_visible(timeout=15_000)
    # The chart is the PNG the bot uploaded to the stand-in, drawn at its real size.
    assert chart.evaluate("img => img.naturalWidth") > 200
    chart.scroll_into_view_if_needed()
    shot(page, "08-digest-in-leadership")


def test_results_by_team_and_the_digest_show_the_heatmap(page: Any) -> None:
    """The demo's history: delivery falls in Payments only. Results by team name it in
    numbers, the heatmap arrives by DM, and the digest carries it under its chart."""
    act_as(page, "U0HR", "dm")  # the Head of People reads English
    say(page, "/vpe results by team")
    results = page.locator("#messages .msg", has_text="Pulse results by team").last
    expect(results).to_contain_text("Payments", timeout=10_000)
    expect(results).to_contain_text(re.compile(r"Payments · \d/8 answered"))
    heatmap = page.locator('#messages img[alt="Delivery health by team"]').last
    expect(heatmap).to_be_visible(timeout=15_000)
    assert heatmap.evaluate("img => img.naturalWidth") > 400
    assert heatmap.evaluate("img => img.naturalHeight") > 150
    heatmap.scroll_into_view_if_needed()
    shot(page, "09-results-by-team-heatmap")

    act_as(page, "U0HR", "C0LEADERSHIP")
    say(page, "/vpe signals")
    expect(last_message(page)).to_contain_text(
        re.compile(r"Payments: Delivery predictability [0-9.]+/5 over the last 3 pulses"),
        timeout=10_000,
    )
    say(page, "/vpe digest now")
    digest_heatmap = page.locator('#messages img[alt="Delivery health by team"]').last
    expect(digest_heatmap).to_be_visible(timeout=15_000)
    assert digest_heatmap.evaluate("img => img.naturalWidth") > 400
    digest_heatmap.scroll_into_view_if_needed()
    shot(page, "10-digest-with-the-heatmap")
