"""`/vpe results` and `/vpe pulse status`: participation as counts, scores only from K on."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.blocks import (
    SECTION_LIMIT,
    Message,
    context,
    escaped,
    mrkdwn_sections,
    to_dicts,
    trend_arrow,
)
from bot.blocks.actions import moved_lines, new_action_button
from bot.blocks.replies import reply_select
from bot.core.i18n import Catalog, Lang, day, number
from bot.core.times import aware, zone
from bot.pulses.lifecycle import Participation
from bot.pulses.noise import beyond_noise, low_participation, noise_rule
from bot.pulses.results import ItemResult, PulseResults
from bot.team.actions import Action

MAX_BLOCKS = 50  # Slack refuses a message with more (invalid_blocks)
# What `/vpe results` shows of the comments: a screenful or two. The rest are counted
# ("…and 12 more") and `/vpe results comments` sends them all by DM.
COMMENT_CHARS = 12_000


def render_results(
    results: PulseResults,
    catalog: Catalog,
    lang: Lang,
    back: int = 0,
    actions: Sequence[Action] = (),
) -> Message:
    """`back`: how far back this pulse is (0 the latest), for the commands it mentions;
    `actions`: the workspace's, to say how their statements moved since they were planned."""
    pulse = results.pulse
    tz = pulse.timezone
    when = catalog.t(
        "results.when",
        lang,
        opened=day(aware(pulse.opened_at).astimezone(zone(tz)), lang),
        closed=day(aware(pulse.closed_at or pulse.closes_at).astimezone(zone(tz)), lang),
        audience=pulse.audience_label or "—",
    )
    share = share_line(
        results.respondents, results.asked, catalog, lang, "results.participation", pulse.away
    )
    blocks: list[Block] = [
        HeaderBlock(text=catalog.t("results.title", lang)),
        SectionBlock(text=MarkdownTextObject(text=f"{share}\n{when}")),
    ]
    if not results.visible:
        key = "results.known" if results.shown.hidden == "known" else "results.below"
        below = catalog.t(key, lang, answered=results.respondents, threshold=results.threshold)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=below)))
        text = f"{share.replace('*', '')}. {below}"
        return Message(text=text, blocks=to_dicts([*blocks, new_action_button(catalog, lang)]))
    lines = [item_line(result, results.threshold, catalog, lang) for result in results.items]
    blocks += mrkdwn_sections(lines)
    if not results.shown.distributions:
        blocks.append(
            context(catalog.t("results.no_distribution", lang, floor=results.shown.floor))
        )
    moved = moved_lines(actions, results, catalog, lang)
    if moved:
        blocks += mrkdwn_sections([catalog.t("actions.moved_title", lang), *moved])
    blocks.append(new_action_button(catalog, lang))
    blocks += _comments(results, catalog, lang, MAX_BLOCKS - len(blocks), back)
    summary = catalog.t("fallback.separator", lang).join(
        f"{r.item.statement[lang]} {number(r.mean, lang, 1)}/5"
        for r in results.items
        if r.mean is not None
    )
    return Message(text=f"{share.replace('*', '')}. {summary}", blocks=to_dicts(blocks))


def rate(answered: int, asked: int) -> int:
    return round(100 * answered / asked) if asked else 0


def share_line(
    answered: int, asked: int, catalog: Catalog, lang: Lang, key: str, away: int | None = None
) -> str:
    """`6/9 answered (1 away) (67%)` (with `key`'s wording), and a warning under the rule's
    share."""
    line = catalog.t(key, lang, answered=answered, asked=asked) + away_note(away, catalog, lang)
    line += catalog.t("results.rate", lang, rate=rate(answered, asked))
    if low_participation(answered, asked):
        share, floor = rate(answered, asked), round(100 * noise_rule().warn_below)
        line += catalog.t("results.low_participation", lang, rate=share, floor=floor)
    return line


def noise_note(result: ItemResult, catalog: Catalog, lang: Lang) -> str:
    """ ", within noise for 6 answers" when the change is no more than noise; else ""."""
    if result.change is None or result.before_count is None:
        return ""
    if beyond_noise(result.change, result.count, result.before_count):
        return ""
    answers = min(result.count, result.before_count)
    return catalog.t("results.within_noise", lang, count=answers)


def away_note(away: int | None, catalog: Catalog, lang: Lang) -> str:
    """ " (1 away)": how many of everyone asked had an away status (never who)."""
    return catalog.t("quiet.away", lang, count=away) if away else ""


def item_line(result: ItemResult, threshold: int, catalog: Catalog, lang: Lang) -> str:
    statement = result.item.statement[lang]
    if result.mean is None:
        return catalog.t("results.item_hidden", lang, statement=statement, threshold=threshold)
    change = ""
    if result.change is not None:
        arrow = trend_arrow(result.change)
        change = catalog.t("results.change", lang, arrow=arrow, delta=abs(result.change))
        change += noise_note(result, catalog, lang)
    figures = {
        "statement": statement,
        "mean": float(result.mean),
        "reverse": catalog.t("results.reverse", lang) if result.item.reverse else "",
        "change": change,
        "count": result.count,
    }
    if result.distribution is None:
        return catalog.t("results.item_average", lang, **figures)
    d1, d2, d3, d4, d5 = result.distribution
    spread = catalog.t("results.distribution", lang, d1=d1, d2=d2, d3=d3, d4=d4, d5=d5)
    return catalog.t("results.item", lang, **figures, distribution=spread)


def _comments(
    results: PulseResults, catalog: Catalog, lang: Lang, room: int, back: int
) -> list[Block]:
    """The comments that fit in `room` blocks and COMMENT_CHARS, then how many more."""
    if results.comments is None:
        hidden = catalog.t("results.comments_hidden", lang, threshold=results.threshold)
        return [context(hidden)]
    if not results.comments:
        return []
    quoted = [f"> {escaped(' '.join(comment.split()))}" for comment in results.comments]
    shown = fitting(quoted, room - 3, COMMENT_CHARS)  # the title, the pick, the line saying more
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=catalog.t("results.comments", lang))),
        *mrkdwn_sections(quoted[:shown]),
    ]
    pick = reply_select(results.comments[:shown], results.pulse.id, catalog, lang)
    blocks += [pick] if pick else []
    if shown < len(quoted):
        arg = f" {back}" if back else ""
        more = catalog.t("results.more_comments", lang, count=len(quoted) - shown, arg=arg)
        blocks.append(context(more))
    return blocks


def fitting(lines: Sequence[str], sections: int, chars: int) -> int:
    """How many of `lines`, packed as `mrkdwn_sections` packs them, fit in `sections`
    sections and `chars` characters in all."""
    used, total, chunk = 0, 0, -1  # chunk: the open section's length, -1 when none
    for count, line in enumerate(lines):
        size = min(len(line), SECTION_LIMIT)
        if total + size > chars:
            return count
        if chunk >= 0 and chunk + 1 + size <= SECTION_LIMIT:
            chunk += 1 + size
        elif used == sections:
            return count
        else:
            used, chunk = used + 1, size
        total += size
    return len(lines)


def render_status(
    opened: str | None,
    closes: str | None,
    counts: Participation | None,
    next_run: str | None,
    catalog: Catalog,
    lang: Lang,
    away: int = 0,
) -> Message:
    lines = []
    if counts is None or opened is None:
        lines.append(catalog.t("pulse.status.none", lang))
    else:
        lines.append(catalog.t("pulse.status.open", lang, opened=opened, closes=closes))
        lines.append(
            catalog.t(
                "pulse.status.participation", lang, answered=counts.answered, asked=counts.asked
            )
            + away_note(away, catalog, lang)
        )
        if counts.pending:
            lines.append(catalog.t("pulse.status.sending", lang, count=counts.pending))
        if counts.failed:
            lines.append(catalog.t("pulse.status.failed", lang, count=counts.failed))
    lines.append(
        catalog.t("pulse.status.next", lang, next=next_run)
        if next_run
        else catalog.t("pulse.status.unscheduled", lang)
    )
    blocks: list[Block] = [HeaderBlock(text=catalog.t("pulse.status.title", lang))]
    blocks += mrkdwn_sections(lines)
    return Message(text=" ".join(lines).replace("*", ""), blocks=to_dicts(blocks))
