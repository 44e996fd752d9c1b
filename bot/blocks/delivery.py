"""`/vpe delivery`: the organisation's, each team's and each repository's figures, their
DORA tiers and 12-week trends. Aggregates only: a scope is a repository, a team or the
organisation, never a person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from bot.blocks import Message, context, escaped, mrkdwn_sections, to_dicts
from bot.blocks.charts import SPARKS, trend_chart
from bot.core.i18n import Catalog, Lang, day_and_time, month_day, number, percent
from bot.core.times import aware
from bot.delivery.disagreement import Disagreement
from bot.delivery.metrics import Delivery, Figures, ScopeDelivery


def scaled_sparkline(values: Sequence[float | None]) -> str:
    """A one-line trend scaled to its own range; a blank where a week has no figure."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return "".join(
        " " if v is None else SPARKS[min(7, round((v - low) / span * 7))] for v in values
    )


class DeliveryWords:
    def __init__(self, catalog: Catalog, lang: Lang) -> None:
        self.catalog, self.lang = catalog, lang

    def t(self, key: str, **values: object) -> str:
        return self.catalog.t(key, self.lang, **values)

    def number(self, value: float) -> str:
        """3.4 / "3,4": one decimal, the reader's way."""
        return number(value, self.lang, 1)

    def percent(self, share: float | None) -> str:
        """0.12 -> "12%" / "12 %"."""
        return percent(share or 0, self.lang)

    def synced(self, moment: datetime | None) -> str:
        """When the sources were last read, in UTC: "Nov 28, 2026, 10:00 AM UTC"."""
        if moment is None:
            return self.t("delivery.never")
        return f"{day_and_time(aware(moment), self.lang)} UTC"

    def value(self, metric: str, figures: Figures) -> str:
        none = self.t("delivery.none")
        match metric:
            case "deployment_frequency":
                v = figures.deployments_per_week
                return none if v is None else self.t("delivery.per_week", value=self.number(v))
            case "lead_time":
                v = figures.lead_days
                return none if v is None else self.t("delivery.days", value=float(v))
            case "change_failure":
                v = figures.change_failure
                return none if v is None else self.percent(v)
            case _:
                v = figures.restore_hours
                return none if v is None else self.t("delivery.hours", value=self.number(v))

    def known(self, metric: str, figures: Figures) -> str:
        """The value, or a dash inside a sentence where "no data" would read badly."""
        return "—" if self.raw(metric, figures) is None else self.value(metric, figures)

    def raw(self, metric: str, figures: Figures) -> float | None:
        return {
            "deployment_frequency": figures.deployments_per_week,
            "lead_time": figures.lead_days,
            "change_failure": figures.change_failure,
            "time_to_restore": figures.restore_hours,
        }[metric]

    def scope_lines(self, scope: ScopeDelivery) -> list[str]:
        lines = []
        for metric in ("deployment_frequency", "lead_time", "change_failure", "time_to_restore"):
            tier = scope.tiers.get(metric)
            suffix = (
                self.t("delivery.tier_suffix", tier=self.t(f"delivery.tiers.{tier}"))
                if tier
                else ""
            )
            lines.append(
                self.t(
                    "delivery.metric_line",
                    metric=self.t(f"delivery.metrics.{metric}"),
                    value=self.value(metric, scope.now),
                    tier=suffix,
                )
            )
            series = [self.raw(metric, figures) for _, figures in scope.weeks]
            known = [v for v in series if v is not None]
            if len(known) >= 2:
                values = [f for _, f in scope.weeks if self.raw(metric, f) is not None]
                lines.append(
                    self.t(
                        "delivery.trend",
                        spark=scaled_sparkline(series),
                        first=self.value(metric, values[0]),
                        last=self.value(metric, values[-1]),
                        weeks=len(scope.weeks),
                    )
                )
        completion, added = scope.now.sprint_completion, scope.now.scope_added or 0.0
        if completion is not None:
            lines.append(
                self.t(
                    "delivery.sprints",
                    completion=self.percent(completion),
                    added=self.percent(added),
                )
            )
        return lines

    def source_line(self, scope: ScopeDelivery, team: str | None) -> str:
        now = scope.now
        if not now.merged and not now.deployments_per_week and now.sprint_completion is not None:
            return self.t(
                "delivery.source_sprints",
                name=escaped(scope.name),
                team=self.t("delivery.source_team", team=escaped(team)) if team else "",
                completion=self.percent(now.sprint_completion),
                added=self.percent(now.scope_added),
            )
        return self.t(
            "delivery.source_line",
            name=escaped(scope.name),
            team=self.t("delivery.source_team", team=escaped(team)) if team else "",
            deploys=float(now.deployments_per_week or 0),
            lead=self.known("lead_time", now),
            failure=self.known("change_failure", now),
            restore=self.known("time_to_restore", now),
        )


def render_delivery(
    figures: Delivery,
    words: DeliveryWords,
    *,
    has_sources: bool,
    last_sync: datetime | None,
    teams_of: dict[str, str | None],
    window: int,
    unmapped: Sequence[tuple[str, str]] = (),
) -> Message:
    title = words.t("delivery.title")
    blocks: list[Block] = [HeaderBlock(text=title)]
    if figures.org is None:
        text = words.t("delivery.not_synced" if has_sources else "delivery.no_sources")
        blocks += mrkdwn_sections([text])
        return Message(
            text=words.t("fallback.titled", title=title, text=text), blocks=to_dicts(blocks)
        )
    org = figures.org
    head = words.t("delivery.now", weeks=window, trend=len(org.weeks))
    blocks += mrkdwn_sections([f"*{words.t('delivery.org')}*", head, *words.scope_lines(org)])
    for team in figures.teams:
        blocks.append(DividerBlock())
        name = words.t("delivery.team", name=escaped(team.name))
        blocks += mrkdwn_sections([f"*{name}*", *words.scope_lines(team)])
    if figures.sources:
        blocks.append(DividerBlock())
        lines = [words.source_line(s, teams_of.get(s.name)) for s in figures.sources]
        blocks += mrkdwn_sections(lines)
    for source_name, team_name in unmapped:
        note = words.t("delivery.unmapped", name=escaped(source_name), team=escaped(team_name))
        blocks.append(context(note))
    blocks.append(context(words.t("delivery.basis", synced=words.synced(last_sync))))
    summary = "; ".join(
        words.t(
            "delivery.digest.line",
            metric=words.t(f"delivery.metrics.{m}"),
            value=words.value(m, org.now),
            tier="",
        )
        for m in ("deployment_frequency", "lead_time", "change_failure", "time_to_restore")
    )
    return Message(text=f"{title}. {summary}", blocks=to_dicts(blocks))


def digest_system_lines(
    figures: Delivery | None, found: Sequence[Disagreement], words: DeliveryWords, window: int
) -> list[str]:
    """The digest's "from the systems" lines beside the pulse scores, then the
    disagreements between the two. Nothing when no source has been read."""
    org = figures.org if figures else None
    if org is None:
        return []
    lines = [words.t("delivery.digest.title", weeks=window)]
    for metric in ("deployment_frequency", "lead_time", "change_failure", "time_to_restore"):
        tier = org.tiers.get(metric)
        suffix = (
            words.t("delivery.tier_suffix", tier=words.t(f"delivery.tiers.{tier}")) if tier else ""
        )
        lines.append(
            words.t(
                "delivery.digest.line",
                metric=words.t(f"delivery.metrics.{metric}"),
                value=words.value(metric, org.now),
                tier=suffix,
            )
        )
    return lines + [disagreement_line(item, words) for item in found]


def disagreement_line(item: Disagreement, words: DeliveryWords) -> str:
    score = words.number(item.score)

    percent = words.percent

    if item.kind == "says_predictable":
        facts = []
        if item.completion is not None:
            completion = percent(item.completion)
            facts.append(words.t("delivery.digest.fact_completion", completion=completion))
        if item.lead_start is not None and item.lead_end is not None:
            facts.append(
                words.t(
                    "delivery.digest.fact_lead",
                    start=float(item.lead_start),
                    end=float(item.lead_end),
                )
            )
        joined = words.t("delivery.digest.fact_join").join(facts)
        return words.t("delivery.digest.says_predictable", score=score, facts=joined)
    if item.kind == "says_unpredictable":
        return words.t(
            "delivery.digest.says_unpredictable", score=score, completion=percent(item.completion)
        )
    return words.t(f"delivery.digest.{item.kind}", score=score, failure=percent(item.failure))


def delivery_chart(figures: Delivery, words: DeliveryWords) -> bytes | None:
    """Lead time (median, days) week by week, for the organisation and each team."""
    org = figures.org
    if org is None or sum(1 for _, f in org.weeks if f.lead_days is not None) < 2:
        return None
    scopes = [org, *figures.teams]
    series = {
        (words.t("delivery.org") if scope is org else scope.name): [
            f.lead_days for _, f in scope.weeks
        ]
        for scope in scopes
    }
    mondays = [datetime(m.year, m.month, m.day) for m, _ in org.weeks]
    return trend_chart(
        mondays,
        series,
        title=words.t("delivery.chart_title"),
        axis_label=words.t("delivery.chart_axis"),
        date_labels=[month_day(m, words.lang) for m in mondays],
        scale=None,
        lang=words.lang,
        whole=words.t("delivery.org"),
    )
