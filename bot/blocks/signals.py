"""`/vpe signals`: the verdict, each signal with its evidence, and the next steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import Message, context, escaped, mrkdwn_sections, to_dicts
from bot.core.i18n import Catalog, Lang, month_day, month_name, number, percent
from bot.pulses.questions import CheckinQuestion, PulseContent
from bot.qa.knowledge import KnowledgeBase
from bot.signals.assess import (
    Assessment,
    CheckinsEvidence,
    ComingEvent,
    Evidence,
    FailureRate,
    FallingScore,
    Inputs,
    LowScore,
    MetricRise,
    OrgSizeEvidence,
    SignalResult,
    SprintsUnder,
    TeamScore,
)
from bot.signals.rules import SignalsConfig


class SignalWords:
    """Everything needed to put an assessment into words, in one language."""

    def __init__(
        self,
        catalog: Catalog,
        lang: Lang,
        config: SignalsConfig,
        content: PulseContent,
        kb: KnowledgeBase,
    ) -> None:
        self.catalog, self.lang, self.config = catalog, lang, config
        self.content, self.kb = content, kb

    def t(self, key: str, **values: object) -> str:
        return self.catalog.t(key, self.lang, **values)

    def day(self, moment: datetime) -> str:
        """ "Nov 28" / "28 nov." """
        return month_day(moment, self.lang)

    def dimension(self, name: str) -> str:
        item = next((i for i in self.content.items if i.dimension == name), None)
        return item.dimension_name[self.lang] if item else name

    def answer(self, question: CheckinQuestion, value: int | None) -> str:
        """A check-in answer as the range the CTO chose ("over 75%", "3–5")."""
        if value is None or value not in question.values:
            return self.t("evidence.unknown")
        label = question.label_for(value, self.lang)
        return label[:1].lower() + label[1:]

    def headcount(self, name: str, count: int | None) -> str:
        if count is None:
            return self.t(f"evidence.{name}_unset")
        return self.t(f"evidence.{name}", count=count)

    def title(self, signal_id: str) -> str:
        return self.config.signals[signal_id].text[self.lang].title

    def verdict(self, assessment: Assessment) -> str:
        prefix = "vpe_" if assessment.has_vpe else ""
        return self.t(f"verdict.{prefix}{assessment.verdict}")

    def evidence(self, item: Evidence) -> str:
        """One fact, in words and numbers, with its dates."""
        match item:
            case CheckinsEvidence(rows):
                # The CTO tapped a range ("over 75%"): quote it, never the bucket's midpoint,
                # which would read as a measured figure.
                written = [
                    self.t(
                        "evidence.checkin",
                        share=self.answer(self.content.operations, share),
                        decisions=self.answer(self.content.decisions, decisions),
                        date=self.day(at),
                    )
                    for at, share, decisions in rows
                ]
                return self.t("evidence.checkins", rows=self.t("evidence.separator").join(written))
            case LowScore(dimension, score, at):
                name = self.dimension(dimension)
                return self.t(
                    "evidence.dimension_low",
                    dimension=name,
                    score=float(score),
                    date=self.day(at),
                )
            case FallingScore(dimension, series):
                steps = " → ".join(
                    f"{number(score, self.lang, 1)} ({self.day(at)})" for at, score in series
                )
                return self.t(
                    "evidence.dimension_falling",
                    dimension=self.dimension(dimension),
                    count=len(series),
                    series=steps,
                )
            case TeamScore(team, dimension, score, pulses, start):
                key = "evidence.team_low" if start is None else "evidence.team_falling"
                return self.t(
                    key,
                    team=escaped(team),
                    dimension=self.dimension(dimension),
                    score=float(score),
                    start=float(start or 0),
                    count=pulses,
                )
            case ComingEvent(kind, month, label, months):
                return self.t(
                    "evidence.event",
                    kind=self.t(f"event_kinds.{kind}"),
                    month=month_name(month, self.lang),
                    label=f" ({escaped(label)})" if label else "",
                    months=months,
                )
            case OrgSizeEvidence(engineers, teams, managers):
                return self.t(
                    "evidence.size",
                    engineers=self.headcount("engineers", engineers),
                    teams=self.headcount("teams", teams),
                    managers=self.headcount("managers", managers),
                )
        return self.delivery_evidence(item)

    def delivery_evidence(self, item: Evidence) -> str:
        """Evidence from the systems (GitHub, Linear), with the scope it was measured on."""
        match item:
            case MetricRise(_, scope, start, end, weeks):
                return self.t(
                    "delivery.evidence.lead_rise",
                    start=float(start),
                    end=float(end),
                    weeks=weeks,
                    scope=self._scope(scope),
                )
            case FailureRate(scope, rate, weeks):
                return self.t(
                    "delivery.evidence.failure_rate",
                    rate=percent(rate, self.lang),
                    weeks=weeks,
                    scope=self._scope(scope),
                )
            case SprintsUnder(scope, under, of, share):
                return self.t(
                    "delivery.evidence.sprints_under",
                    under=under,
                    of=of,
                    share=percent(share, self.lang),
                    scope=self._scope(scope),
                )
        raise TypeError(item)

    def _scope(self, name: str) -> str:
        return self.t("delivery.evidence.scope", name=escaped(name)) if name else ""

    def signal_lines(self, signal: SignalResult) -> list[str]:
        head = self.t(
            "signals.active",
            title=self.title(signal.id),
            severity=self.t(f"severity.{signal.severity}"),
        )
        meaning = self.config.signals[signal.id].text[self.lang].meaning
        facts = [f"• {self.evidence(item)}" for item in signal.evidence]
        return [head, meaning, *facts]

    def steps(self, assessment: Assessment) -> list[str]:
        lines: list[str] = []
        for signal_id, index in assessment.steps:
            if signal_id == "all_clear":
                texts: Sequence[str] = self.config.all_clear_steps[self.lang]
            else:
                text = self.config.signals[signal_id].text[self.lang]
                texts = text.steps_with_vpe if assessment.has_vpe else text.steps
            if index < len(texts):
                lines.append(f"{len(lines) + 1}. {texts[index]}")
        return lines

    def step_choices(self, assessment: Assessment) -> list[tuple[str, str]]:
        """The next steps as (value, words): a value `step_text` reads back."""
        choices = []
        for signal_id, index in assessment.steps:
            value = f"{signal_id}:{index}:{int(assessment.has_vpe)}"
            words = self.step_text(value)
            if words:
                choices.append((value, words))
        return choices

    def step_text(self, value: str) -> str | None:
        """The words of one next step, from a value of `step_choices`; None if unknown."""
        signal_id, _, rest = value.partition(":")
        index_word, _, vpe = rest.partition(":")
        if not index_word.isascii() or not index_word.isdigit() or len(index_word) > 3:
            return None
        index = int(index_word)
        if signal_id == "all_clear":
            texts: Sequence[str] = self.config.all_clear_steps[self.lang]
        elif signal_id in self.config.signals:
            text = self.config.signals[signal_id].text[self.lang]
            texts = text.steps_with_vpe if vpe == "1" else text.steps
        else:
            return None
        return texts[index] if index < len(texts) else None

    def gaps(self, assessment: Assessment) -> str | None:
        if not assessment.has_vpe:
            return None
        if not assessment.ownership_gaps:
            return self.t("verdict.no_gaps")
        names = ", ".join(self.kb.get(area).title[self.lang] for area in assessment.ownership_gaps)
        return self.t("verdict.gaps", areas=names)


def render_signals(
    assessment: Assessment, inputs: Inputs, words: SignalWords, threshold: int
) -> Message:
    verdict = words.verdict(assessment)
    title = words.t("signals.title_vpe" if assessment.has_vpe else "signals.title")
    blocks: list[Block] = [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text=f"*{verdict}*")),
    ]
    gaps = words.gaps(assessment)
    if gaps:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=gaps)))
    for signal in assessment.active():
        blocks.append(DividerBlock())
        blocks += mrkdwn_sections(words.signal_lines(signal))
    # Without a delivery source, "Deliveries are slipping" was not looked for: not "not seen".
    measured = inputs.delivery is not None and inputs.delivery.org is not None
    quiet = [
        words.title(s.id)
        for s in assessment.signals
        if not s.active and (measured or s.id != "deliveries_slipping")
    ]
    if quiet:
        blocks.append(context(words.t("signals.not_seen", titles=", ".join(quiet))))
    blocks.append(DividerBlock())
    blocks += mrkdwn_sections([words.t("signals.steps"), *words.steps(assessment)])
    visible = sum(1 for point in inputs.history if point.visible)
    basis = words.t(
        "signals.basis",
        pulses=words.t("signals.pulses", count=visible),
        threshold=threshold,
        checkins=words.t("signals.checkins", count=len(inputs.checkins)),
    )
    blocks.append(context(basis))
    active = "; ".join(words.title(s.id) for s in assessment.active())
    text = f"{verdict} {active}".strip()
    return Message(text=text, blocks=to_dicts(blocks))


def render_change(signal: SignalResult, turned_on: bool, words: SignalWords) -> Message:
    """The one post that says a signal turned on or cleared."""
    title = words.title(signal.id)
    if turned_on:
        severity = words.t(f"severity.{signal.severity or 'low'}")
        meaning = words.config.signals[signal.id].text[words.lang].meaning
        text = words.t("signals.turned_on", title=title, severity=severity, meaning=meaning)
        facts = [f"• {words.evidence(item)}" for item in signal.evidence]
        blocks = mrkdwn_sections([text, *facts])
    else:
        text = words.t("signals.turned_off", title=title)
        blocks = mrkdwn_sections([text])
    return Message(text=text, blocks=to_dicts(blocks))
