"""The App Home tab: the digest's picture for leadership, the ownership map for everyone."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks import context, mrkdwn_sections
from bot.blocks.actions import new_action_button
from bot.blocks.digest import dimension_lines, participation_line
from bot.blocks.signals import SignalWords
from bot.signals.assess import Assessment
from bot.signals.history import PulsePoint

SETTINGS_ACTION = "home_settings"


def render_home(
    words: SignalWords,
    owner_lines: list[str],
    pulse_state: str | None,
    leader_view: tuple[list[PulsePoint], Assessment, int] | None,
    problem: str | None = None,
    handover: str | None = None,
    action_lines: list[str] | None = None,
) -> dict[str, Any]:
    """`pulse_state`: "waiting", "answered" or None; `leader_view` and `problem` for leaders;
    `handover`, the handover's progress, for everyone (it changes who owns what);
    `action_lines`: every open action for leaders, a member's own otherwise."""
    blocks: list[Block] = [
        HeaderBlock(text=words.t("home.title")),
        context(words.t("home.intro")),
        *([SectionBlock(text=MarkdownTextObject(text=problem))] if problem else []),
        SectionBlock(text=MarkdownTextObject(text=_pulse_line(words, pulse_state))),
    ]
    if leader_view is not None:
        history, assessment, threshold = leader_view
        blocks += [DividerBlock(), *mrkdwn_sections([words.t("home.leadership")])]
        blocks += _leader_blocks(words, history, assessment, threshold)
        if action_lines:
            blocks += [*mrkdwn_sections(action_lines), new_action_button(words.catalog, words.lang)]
    elif action_lines:
        blocks += [DividerBlock(), *mrkdwn_sections(action_lines)]
    blocks += [DividerBlock(), *mrkdwn_sections([words.t("home.owners"), *owner_lines])]
    if handover:
        blocks += mrkdwn_sections([handover])
    blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=words.t("home.ask")))]
    view = View(type="home", blocks=blocks[:100])
    view.validate_json()
    return view.to_dict()


def _pulse_line(words: SignalWords, state: str | None) -> str:
    if state == "waiting":
        return words.t("home.waiting")
    if state == "answered":
        return words.t("home.answered")
    return words.t("home.no_pulse")


def _leader_blocks(
    words: SignalWords, history: list[PulsePoint], assessment: Assessment, threshold: int
) -> list[Block]:
    lines = [f"*{words.verdict(assessment)}*", participation_line(history, words, threshold)]
    lines += dimension_lines(history, words)
    for signal in assessment.active():
        lines += words.signal_lines(signal)[:1]
    gaps = words.gaps(assessment)
    lines += ([gaps] if gaps else []) + [words.t("signals.steps"), *words.steps(assessment)]
    settings = ButtonElement(text=words.t("home.settings"), action_id=SETTINGS_ACTION)
    return [*mrkdwn_sections(lines), ActionsBlock(elements=[settings])]
