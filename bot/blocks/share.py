"""`/vpe pulse share`: a pulse's summary for the people it asked, in their channel.

Only what results show to everyone's benefit: participation, shown scores and their trend,
and a line from leadership. Never the CTO's check-in, the signals or the comments.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, HeaderBlock

from bot.blocks import Message, context, escaped, mrkdwn_sections, to_dicts, trend_arrow
from bot.blocks.results import noise_note, share_line
from bot.core.i18n import Catalog, Lang, number
from bot.pulses.results import ItemResult


def score_lines(items: Sequence[ItemResult], catalog: Catalog, lang: Lang) -> list[str]:
    lines = []
    for result in items:
        if result.score is None:
            continue
        change = ""
        if result.change is not None:
            health = -result.change if result.item.reverse else result.change
            arrow = trend_arrow(health)
            change = f" {arrow}{number(abs(result.change), lang, 1)}" + noise_note(
                result, catalog, lang
            )
        label = result.item.label[lang]
        lines.append(
            catalog.t("share.item", lang, label=label, score=float(result.score), change=change)
        )
    return lines


def render_share(
    title: str,
    answered: int,
    asked: int,
    items: Sequence[ItemResult],
    threshold: int,
    line: str,
    catalog: Catalog,
    lang: Lang,
) -> Message:
    """A summary for a channel: `title` names whose it is; `line` is leadership's, or ""."""
    share = share_line(answered, asked, catalog, lang, "results.participation")
    scores = score_lines(items, catalog, lang)
    lines = [share, *(scores or [catalog.t("share.hidden", lang, threshold=threshold)])]
    if line:
        lines.append(catalog.t("share.leadership", lang, line=escaped(line)))
    blocks: list[Block] = [
        HeaderBlock(text=title[:150]),
        *mrkdwn_sections(lines),
        context(catalog.t("share.footer", lang)),
    ]
    joined = " ".join(entry.replace("*", "") for entry in lines)
    text = catalog.t("fallback.titled", lang, title=title, text=joined)
    return Message(text=text, blocks=to_dicts(blocks))
