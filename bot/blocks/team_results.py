"""`/vpe results by team`: each team's participation and figures, as the rule allows."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.blocks import Message, context, escaped, mrkdwn_sections, to_dicts, trend_arrow
from bot.blocks.charts import heatmap
from bot.blocks.results import noise_note, share_line
from bot.core.i18n import Catalog, Lang, day, number
from bot.core.times import aware, zone
from bot.pulses.by_team import TeamResult, falling_items
from bot.pulses.results import ItemResult, PulseResults

MAX_TEAM_SECTIONS = 40  # with the header, the heading and the footers: under Slack's 50


def hidden_reason(team: TeamResult, threshold: int, catalog: Catalog, lang: Lang) -> str:
    key = {"complement": "complement", "changed": "changed"}.get(team.hidden or "", "below")
    return catalog.t(f"team_results.{key}", lang, threshold=threshold)


def item_figure(result: ItemResult, catalog: Catalog, lang: Lang) -> str:
    label = result.item.label[lang]
    if result.score is None:
        return catalog.t("team_results.item_hidden", lang, label=label)
    change = ""
    if result.change is not None:
        delta = -result.change if result.item.reverse else result.change  # health, not agreement
        figure = number(abs(result.change), lang, 1)
        change = f" {trend_arrow(delta)}{figure}" + noise_note(result, catalog, lang)
    return catalog.t(
        "team_results.item", lang, label=label, score=float(result.score), change=change
    )


def team_section(team: TeamResult, threshold: int, catalog: Catalog, lang: Lang) -> str:
    share = share_line(team.respondents, team.asked, catalog, lang, "team_results.participation")
    heading = f"*{escaped(team.name)}* · {share}"
    if not team.visible:
        return f"{heading}\n{hidden_reason(team, threshold, catalog, lang)}"
    return "\n".join([heading, *(f"• {item_figure(r, catalog, lang)}" for r in team.items)])


def falling_lines(teams: Sequence[TeamResult], catalog: Catalog, lang: Lang) -> list[str]:
    """One line per team whose scores fell beyond the noise: the digest names them."""
    lines = []
    for team in teams:
        falls = falling_items(team)
        if falls:
            figures = catalog.t("fallback.separator", lang).join(
                item_figure(result, catalog, lang) for result in falls
            )
            name = escaped(team.name)
            lines.append(catalog.t("team_results.falling", lang, team=name, figures=figures))
    return lines


def render_own_results(
    teams: Sequence[TeamResult], threshold: int, catalog: Catalog, lang: Lang
) -> Message:
    """A manager's own teams: participation always, scores only where they show."""
    if not teams:
        text = catalog.t("team_results.mine_none", lang)
        return Message(text=text, blocks=to_dicts([context(text)]))
    sections = [team_section(team, threshold, catalog, lang) for team in teams]
    blocks: list[Block] = [
        HeaderBlock(text=catalog.t("team_results.mine_title", lang)),
        *mrkdwn_sections(sections),
        context(catalog.t("team_results.mine_footer", lang, threshold=threshold)),
    ]
    text = " ".join(section.replace("*", "").replace("\n", " ") for section in sections)
    return Message(text=text, blocks=to_dicts(blocks))


def render_team_results(
    whole: PulseResults, teams: Sequence[TeamResult], catalog: Catalog, lang: Lang
) -> Message:
    """The organisation's participation, then one section per team (largest first)."""
    pulse = whole.pulse
    when = catalog.t(
        "results.when",
        lang,
        opened=day(aware(pulse.opened_at).astimezone(zone(pulse.timezone)), lang),
        closed=day(
            aware(pulse.closed_at or pulse.closes_at).astimezone(zone(pulse.timezone)), lang
        ),
        audience=pulse.audience_label or "—",
    )
    share = share_line(whole.respondents, whole.asked, catalog, lang, "results.participation")
    blocks: list[Block] = [
        HeaderBlock(text=catalog.t("team_results.title", lang)),
        SectionBlock(text=MarkdownTextObject(text=f"{share}\n{when}")),
    ]
    if not teams:
        blocks.append(context(catalog.t("team_results.no_teams", lang)))
        return Message(text=catalog.t("team_results.no_teams", lang), blocks=to_dicts(blocks))
    sections = [team_section(team, whole.threshold, catalog, lang) for team in teams]
    blocks += mrkdwn_sections(sections)[:MAX_TEAM_SECTIONS]
    blocks.append(context(catalog.t("team_results.footer", lang, threshold=whole.threshold)))
    text = " ".join(section.replace("*", "").replace("\n", " ") for section in sections)
    return Message(text=f"{share.replace('*', '')}. {text}", blocks=to_dicts(blocks))


def team_heatmap(teams: Sequence[TeamResult], catalog: Catalog, lang: Lang) -> bytes | None:
    """The heatmap of teams x statements (scores; cells that may not show are marked)."""
    if not teams:
        return None
    columns = [result.item.label[lang] for result in teams[0].items]
    below = catalog.t("team_results.cell_below", lang)
    hidden = catalog.t("team_results.cell_hidden", lang)
    cells, marks = [], []
    for team in teams:
        cells.append([result.score for result in team.items])
        mark = below if team.hidden in ("few", "known") else hidden
        marks.append([mark for _ in team.items])
    return heatmap(
        [f"{team.name} ({team.respondents}/{team.asked})" for team in teams],
        columns,
        cells,
        marks,
        title=catalog.t("team_results.heatmap_title", lang),
        legend=catalog.t("team_results.heatmap_legend", lang),
        lang=lang,
    )
