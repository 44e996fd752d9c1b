"""The leadership digest: participation, scores and trends, signals, verdict, next steps."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, mrkdwn_sections, to_dicts, trend_arrow
from bot.blocks.actions import step_select
from bot.blocks.charts import sparkline, trend_chart
from bot.blocks.delivery import DeliveryWords, digest_system_lines
from bot.blocks.results import rate
from bot.blocks.signals import SignalWords
from bot.delivery.disagreement import disagreements
from bot.delivery.metrics import Delivery, delivery_config
from bot.pulses.noise import beyond_noise, low_participation, noise_rule
from bot.signals.assess import Assessment
from bot.signals.history import PulsePoint

RESULTS_ACTION = "digest_results"
START_ACTION = "digest_start_pulse"


def dimension_lines(history: Sequence[PulsePoint], words: SignalWords) -> list[str]:
    """Each dimension's latest score, its change since the previous pulse, and a trend line."""
    visible = [point for point in history if point.visible]
    if not visible:
        return []
    lines = []
    for dimension in words.content.dimensions():
        points = [point for point in visible if dimension in point.scores]
        series = [point.scores[dimension] for point in points]
        if not series or dimension not in visible[-1].scores:
            continue
        change = ""
        if len(series) > 1:
            delta = series[-1] - series[-2]
            arrow = trend_arrow(delta)
            now, before = points[-1].answers_to(dimension), points[-2].answers_to(dimension)
            key = "digest.change" if beyond_noise(delta, now, before) else "digest.change_noise"
            change = words.t(key, arrow=arrow, delta=abs(delta), count=min(now, before))
        lines.append(
            words.t(
                "digest.dimension",
                name=words.dimension(dimension),
                score=float(series[-1]),
                change=change,
                trend=sparkline(series),
            )
        )
    return lines


def participation_line(history: Sequence[PulsePoint], words: SignalWords, threshold: int) -> str:
    if not history:
        return words.t("digest.no_pulse")
    last = history[-1]
    line = words.t(
        "digest.participation",
        date=words.day(last.closed_at),
        answered=last.respondents,
        asked=last.asked,
    )
    if last.away:
        line += words.t("quiet.away", count=last.away)
    line += words.t("results.rate", rate=rate(last.respondents, last.asked))
    if low_participation(last.respondents, last.asked):
        floor = round(100 * noise_rule().warn_below)
        line += words.t(
            "results.low_participation", rate=rate(last.respondents, last.asked), floor=floor
        )
    if not last.visible:
        key = "digest.below_known" if last.hidden == "known" else "digest.below"
        line += "\n" + words.t(key, threshold=threshold)
    return line


def render_digest(
    history: Sequence[PulsePoint],
    assessment: Assessment,
    words: SignalWords,
    threshold: int,
    marker: str = "",
    handover: str | None = None,
    team_lines: Sequence[str] = (),
    action_lines: Sequence[str] = (),
    delivery: Delivery | None = None,
) -> Message:
    """`marker` prefixes the header's block id (how a scheduled run is recognised);
    `handover` is the handover's progress, once a plan exists; `team_lines` name the teams
    whose scores fell beyond the noise; `action_lines`: the open and overdue actions
    (bot.blocks.actions.summary_lines); `delivery`, the figures from the systems, shown
    beside the scores."""
    verdict = words.verdict(assessment)
    participation = participation_line(history, words, threshold)
    blocks: list[Block] = [
        HeaderBlock(block_id=f"{marker}header" if marker else None, text=words.t("digest.title")),
        SectionBlock(text=MarkdownTextObject(text=f"*{verdict}*\n{participation}")),
    ]
    blocks += mrkdwn_sections(dimension_lines(history, words))
    if team_lines:
        blocks += mrkdwn_sections([words.t("digest.teams_falling"), *team_lines])
    found = disagreements(history, delivery)
    window = delivery_config().window_weeks
    system = digest_system_lines(delivery, found, DeliveryWords(words.catalog, words.lang), window)
    if system:
        blocks += mrkdwn_sections(system)
    blocks.append(DividerBlock())
    signal_lines = [words.t("digest.signals")]
    for signal in assessment.active():
        signal_lines += words.signal_lines(signal)[:1]
        signal_lines += [f"• {words.evidence(item)}" for item in signal.evidence]
    if not assessment.active():
        signal_lines.append(words.t("digest.no_signals"))
    blocks += mrkdwn_sections(signal_lines)
    gaps = words.gaps(assessment)
    steps = [gaps] if gaps else []
    blocks += mrkdwn_sections([words.t("signals.steps"), *steps, *words.steps(assessment)])
    if handover:
        blocks += mrkdwn_sections([handover])
    blocks.append(step_select(words.step_choices(assessment), words.catalog, words.lang))
    if action_lines:
        blocks += [DividerBlock(), *mrkdwn_sections(action_lines)]
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(text=words.t("digest.see_results"), action_id=RESULTS_ACTION),
                ButtonElement(
                    text=words.t("digest.start_pulse"), action_id=START_ACTION, style="primary"
                ),
            ]
        )
    )
    text = words.t("digest.fallback", verdict=verdict, participation=participation.replace("*", ""))
    return Message(text=text, blocks=to_dicts(blocks))


def digest_chart(history: Sequence[PulsePoint], words: SignalWords) -> bytes | None:
    """The chart of dimensions over the visible pulses; None with fewer than two of them."""
    visible = [point for point in history if point.visible]
    if len(visible) < 2:
        return None
    series = {
        words.dimension(dimension): [point.scores.get(dimension) for point in visible]
        for dimension in words.content.dimensions()
        if any(dimension in point.scores for point in visible)
    }
    return trend_chart(
        [point.closed_at for point in visible],
        series,
        title=words.t("digest.chart_title"),
        axis_label=words.t("digest.chart_axis"),
        date_labels=[words.day(point.closed_at) for point in visible],
        lang=words.lang,
    )
