"""The playground read in French, from `/vpe help` to a closed pulse's results and the
signals: what a French leadership team and its engineers see. Each step's screenshot and
text land in test-output/browser/ (fr-*.png, fr-*.txt) for a native reader to look at."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import SHOTS, shot
from tests.browser.test_playground import ACTION_IDS, ITEMS, act_as, last_message, say

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why
    expect = None

FRENCH_ENGINEERS = ["U0ENG01", "U0ENG03", "U0ENG05", "U0ENG08", "U0ENG11"]
# Ordinary spaces before French punctuation, outside `code` (what Slack would wrap alone).
LOOSE = re.compile(r" [?!;:%](?!\w)")


def keep(page: Any, name: str, text: str) -> None:
    shot(page, name)
    (SHOTS / f"{name}.txt").write_text(text, encoding="utf-8")
    prose = re.sub(r"`[^`]*`|/vpe [^\n]*", "", text)
    assert not LOOSE.search(prose), (name, LOOSE.findall(prose))


def test_french_from_help_to_results_and_signals(page: Any) -> None:
    act_as(page, "U0CTO", "dm")  # Thomas, the CTO, reads French
    say(page, "/vpe help")
    help_text = last_message(page)
    expect(help_text).to_contain_text("qui porte quoi", timeout=10_000)
    keep(page, "fr-01-help", help_text.inner_text())

    say(page, "/vpe qui porte l'architecture ?")
    answer = last_message(page)
    expect(answer).to_contain_text("Architecture", timeout=10_000)
    keep(page, "fr-02-ask-architecture", answer.inner_text())

    act_as(page, "U0CTO", "C0ENGINEERING")
    say(page, "/vpe pulse now #engineering")
    started = last_message(page)
    expect(started).to_contain_text("Pulse lancé", timeout=10_000)
    expect(started).to_contain_text("13 personnes")
    keep(page, "fr-03-pulse-started", started.inner_text())

    for number, engineer in enumerate(FRENCH_ENGINEERS):
        act_as(page, engineer, "dm")
        dm = page.locator("#messages .msg", has_text="Pulse du delivery").last
        expect(dm).to_be_visible(timeout=10_000)
        if number == 0:
            keep(page, "fr-04-pulse-dm", dm.inner_text())
        actions = dm.locator('button[data-action^="pulse_answer:"]')
        items = sorted({a.split(":")[1] for a in actions.evaluate_all(ACTION_IDS)})
        assert len(items) == ITEMS, items
        for answered, item in enumerate(items, start=1):
            score = 2 + (answered + number) % 3
            dm.locator(f'button[data-action="pulse_answer:{item}:{score}"]').click()
            if answered == 1:
                expect(dm).to_contain_text(f"1 réponse sur {ITEMS}", timeout=10_000)
            elif answered < ITEMS:
                expect(dm).to_contain_text(f"{answered} réponses sur {ITEMS}", timeout=10_000)
        expect(dm).to_contain_text("Merci, c’est complet", timeout=10_000)
        if number == 0:
            keep(page, "fr-05-pulse-answered", dm.inner_text())

    act_as(page, "U0CTO", "dm")
    checkin = page.locator("#messages .msg", has_text="Point CTO").last
    expect(checkin).to_be_visible(timeout=10_000)
    keep(page, "fr-06-cto-checkin", checkin.inner_text())

    say(page, "/vpe pulse close")
    closed = page.locator("#messages .msg", has_text="Pulse clos").last
    expect(closed).to_contain_text("5 personnes sur 13 ont répondu", timeout=10_000)
    keep(page, "fr-07-pulse-closed", closed.inner_text())

    say(page, "/vpe results")
    results = page.locator("#messages .msg", has_text=re.compile(r"Résultats du pulse")).last
    expect(results).to_be_visible(timeout=10_000)
    expect(results).to_contain_text(re.compile(r"Moyenne [1-5],[0-9]/5"))
    expect(results).not_to_contain_text(re.compile(r"Moyenne [1-5]\.[0-9]"))
    expect(results).to_contain_text("5 réponses")
    keep(page, "fr-08-results", results.inner_text())

    say(page, "/vpe signals")
    signals = page.locator("#messages .msg", has_text=re.compile(r"Signaux\s:")).last
    expect(signals).to_be_visible(timeout=10_000)
    keep(page, "fr-09-signals", signals.inner_text())

    act_as(page, "U0CTO", "home")
    home = page.locator("#messages .home")
    expect(home).to_contain_text("VP Engineering", timeout=10_000)
    keep(page, "fr-10-home", home.inner_text())
