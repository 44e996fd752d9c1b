"""The decision report as a PDF of one or two pages, fit to forward to a board.

Plain data in (the facts, the words, the ownership lines, people's names), bytes out. The
text is the bot's own Slack copy made plain: mentions become names, mrkdwn marks go.
DejaVu Sans (shipped with matplotlib) carries the accents and arrows.
"""

from __future__ import annotations

import html
import io
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from bot.blocks.delivery import DeliveryWords
from bot.blocks.signals import SignalWords
from bot.core.i18n import day, month_name
from bot.delivery.metrics import METRICS
from bot.signals.report import DecisionFacts

MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
MARKS = re.compile(r"(?<!\w)[*_`]|[*_`](?!\w)")
MAX_EVIDENCE = 4  # per signal: the report stays within two pages
MAX_PULSES = 14
_T = Callable[..., str]  # a report sentence by key, in the report's language


def plain(text: str, names: Mapping[str, str]) -> str:
    """Slack mrkdwn as plain text: `<@U1>` as the person's name, no `*`, `_` or backticks."""
    text = MENTION.sub(lambda match: names.get(match.group(1), match.group(1)), text)
    return html.unescape(MARKS.sub("", text))


def font_path(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


class _Writer:
    """fpdf2 with the report's few styles."""

    def __init__(self, names: Mapping[str, str], title: str) -> None:
        from fpdf import FPDF

        self.names = names
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(16, 14, 16)
        self.pdf.set_auto_page_break(True, margin=14)
        self.pdf.add_font("DejaVu", "", str(font_path("DejaVuSans.ttf")))
        self.pdf.add_font("DejaVu", "B", str(font_path("DejaVuSans-Bold.ttf")))
        self.pdf.set_title(title)
        self.pdf.set_creator("vpe-bot")
        self.pdf.add_page()

    def title(self, text: str, subtitle: str) -> None:
        self.pdf.set_font("DejaVu", "B", 15)
        self.pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.set_font("DejaVu", "", 8.5)
        self.pdf.set_text_color(90, 90, 90)
        self.pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.pdf.ln(2.5)
        self.pdf.set_font("DejaVu", "B", 11)
        self.pdf.multi_cell(0, 6, plain(text, self.names), new_x="LMARGIN", new_y="NEXT", align="L")

    def line(self, text: str, bold: bool = False, size: float = 9) -> None:
        self.pdf.set_font("DejaVu", "B" if bold else "", size)
        self.pdf.multi_cell(
            0, 4.4, plain(text, self.names), new_x="LMARGIN", new_y="NEXT", align="L"
        )

    def bullet(self, text: str) -> None:
        self.pdf.set_font("DejaVu", "", 8.5)
        self.pdf.set_x(self.pdf.l_margin + 3)
        self.pdf.multi_cell(
            0, 4.2, "• " + plain(text, self.names), new_x="LMARGIN", new_y="NEXT", align="L"
        )

    def image(self, png: bytes, width: float) -> None:
        self.pdf.ln(1)
        self.pdf.image(io.BytesIO(png), w=width, x=(self.pdf.w - width) / 2)

    def figure(self, heading: str, png: bytes, width: float) -> None:
        """A heading and its chart on the same page: a new page first when both do not fit."""
        pixels_wide, pixels_high = struct.unpack(">II", png[16:24])  # the PNG's IHDR
        needed = 2.5 + 6 + 1 + width * pixels_high / max(pixels_wide, 1)
        if self.pdf.will_page_break(needed):
            self.pdf.add_page()
        self.heading(heading)
        self.image(png, width)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render_report_pdf(
    facts: DecisionFacts,
    words: SignalWords,
    owner_lines: Sequence[str],
    names: Mapping[str, str],
    chart: bytes | None,
) -> bytes:
    """The report: verdict and its changes, when to search, signals with their evidence,
    the pulses, delivery metrics, the chart, before/after, ownership, events."""

    def t(key: str, **values: object) -> str:
        return words.t(f"report.{key}", **values)

    out = _Writer(names, t("title"))
    lang = words.lang
    end = day(facts.end, lang)
    out.title(t("title"), t("subtitle", start=day(facts.start, lang), end=end, today=end))
    _verdict(out, facts, words, t)
    _search(out, facts, words, t)
    _signals(out, facts, words, t)
    _pulses(out, facts, words, t)
    _delivery(out, facts, words, t)
    if chart is not None:
        out.figure(t("chart"), chart, 150)
    _comparison(out, facts, words, t)
    out.heading(t("owners"))
    for owner_line in owner_lines:
        out.bullet(owner_line)
    gaps = facts.assessment.ownership_gaps
    area_names = ", ".join(words.kb.get(area).title[words.lang] for area in gaps)
    out.line(t("gaps", areas=area_names) if gaps else t("no_gaps"), size=8.5)
    _events(out, facts, words, t)
    out.pdf.ln(3)
    out.pdf.set_text_color(90, 90, 90)
    out.line(t("footer", threshold=facts.threshold), size=7.5)
    return out.output()


def _verdict(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    out.heading(t("verdict"))
    verdict = words.verdict(facts.assessment)
    out.line(t("verdict_now", verdict=verdict, points=facts.assessment.points), bold=True)
    changes = facts.changes()
    if not changes:
        out.line(t("no_change"), size=8.5)
        return
    out.line(t("changes"), size=8.5)
    for point in changes:
        prefix = "vpe_" if point.has_vpe else ""
        said = words.t(f"verdict.{prefix}{point.verdict}")
        out.bullet(
            t("change_line", date=day(point.at, words.lang), verdict=said, points=point.points)
        )


def _search(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    out.heading(t("search"))
    if facts.comparison is not None:
        out.line(t("search_vpe", date=day(facts.comparison.arrival, words.lang)))
    search = facts.search
    if search is None:
        out.line(t("search_none"))
    else:
        kind = words.t(f"event_kinds.{search.event.kind}")
        event = search.event.label or kind
        key = "search_late" if search.late else "search_now" if search.now else "search_by"
        values = {
            "month": month_name(search.event.month, words.lang),
            "start": month_name(search.start_month, words.lang),
        }
        out.line(t(key, event=event, months=facts.hire_months, **values), bold=True)
    out.line(t("hire_setting"), size=7.5)


def _signals(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    out.heading(t("signals"))
    active = facts.assessment.active()
    if not active:
        out.line(t("no_signals"))
    for signal in active:
        head, meaning, *_ = words.signal_lines(signal)
        out.line(head, bold=True)
        out.line(meaning, size=8.5)
        for item in signal.evidence[:MAX_EVIDENCE]:
            out.bullet(words.evidence(item))


def _pulses(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    history = facts.inputs.history[-MAX_PULSES:]
    if not history:
        return
    out.heading(t("pulses"))
    for point in history:
        closed = day(point.closed_at, words.lang)
        if point.visible:
            out.bullet(t("pulse_shown", date=closed, answered=point.respondents, asked=point.asked))
        else:
            # Neither the count nor any score: a small group is not described at all.
            out.bullet(t("pulse_hidden", date=closed, threshold=facts.threshold))


def _delivery(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    """The organisation's DORA figures, tiers and trends, each with its sync's date."""
    found = facts.delivery
    if found is None:
        return
    said = DeliveryWords(words.catalog, words.lang)
    synced = day(found.synced, words.lang)
    out.heading(t("delivery"))
    out.line(t("delivery_basis", weeks=found.window, trend=len(found.org.weeks)), size=8.5)
    for metric in METRICS:
        tier = found.org.tiers.get(metric)
        values = [f for _, f in found.org.weeks if said.raw(metric, f) is not None]
        out.bullet(
            t(
                "delivery_line" if len(values) >= 2 else "delivery_line_flat",
                name=said.t(f"delivery.metrics.{metric}"),
                value=said.value(metric, found.org.now),
                tier=t("delivery_tier", tier=said.t(f"delivery.tiers.{tier}")) if tier else "",
                first=said.value(metric, values[0]) if values else "",
                last=said.value(metric, values[-1]) if values else "",
                weeks=len(found.org.weeks),
                date=synced,
            )
        )


def _delivery_comparison(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    compared = facts.delivery_comparison
    if compared is None:
        return
    said = DeliveryWords(words.catalog, words.lang)
    for metric in ("lead_time", "deployment_frequency"):
        before, after = said.value(metric, compared.before), said.value(metric, compared.after)
        name = said.t(f"delivery.metrics.{metric}")
        out.bullet(t("compare_line", dimension=name, before=before, after=after))
    basis = t(
        "compare_delivery_basis",
        before=t("weeks", count=compared.weeks_before),
        after=t("weeks", count=compared.weeks_after),
        date=day(compared.synced, words.lang),
    )
    out.line(basis, size=7.5)


def _comparison(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    compared = facts.comparison
    if compared is None:
        if facts.delivery_comparison is not None:
            out.heading(t("compare", date=day(facts.delivery_comparison.arrival, words.lang)))
            _delivery_comparison(out, facts, words, t)
        return
    out.heading(t("compare", date=day(compared.arrival, words.lang)))
    for dimension, after in compared.after.items():
        before = compared.before.get(dimension)
        if before is None:
            continue
        name = words.dimension(dimension)
        out.bullet(t("compare_line", dimension=name, before=float(before), after=float(after)))
    basis = t(
        "compare_basis",
        threshold=facts.threshold,
        before=compared.pulses_before,
        after=compared.pulses_after,
    )
    out.line(basis, size=7.5)
    _delivery_comparison(out, facts, words, t)


def _events(out: _Writer, facts: DecisionFacts, words: SignalWords, t: _T) -> None:
    out.heading(t("events"))
    if not facts.coming:
        out.line(t("no_events"), size=8.5)
    for event in facts.coming[:6]:
        label = f" ({event.label})" if event.label else ""
        kind = words.t(f"event_kinds.{event.kind}")
        month = month_name(event.month, words.lang)
        out.bullet(t("event_line", month=month, kind=kind, label=label))
