"""Block Kit builders: plain data in, a message (fallback text + blocks) out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

SECTION_LIMIT = 3000


@dataclass(frozen=True)
class Message:
    """What the bot says: `text` is the notification and screen-reader copy, `blocks` the look."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escaped(text: str, limit: int | None = None) -> str:
    """Text a person wrote, safe to show in mrkdwn: Slack's three escapes (`&`, `<`, `>`).

    Without them `<!channel>` broadcasts, `<@U…>` pings and `<https://…|Sign in>` is a link
    disguised by its label; escaped, each shows as it was typed. `limit` cuts a long word
    quoted back first (marked with "…"). Plain-text fields (a modal's input) need none.
    """
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def trend_arrow(delta: float) -> str:
    """▲, ▼ or = for a change shown to one decimal: a change that rounds to 0.0 is "="."""
    shown = round(delta, 1)
    return "▲" if shown > 0 else "▼" if shown < 0 else "="


def to_dicts(blocks: Iterable[Block]) -> list[dict[str, Any]]:
    """Validate each block against Slack's limits (raises SlackObjectFormationError) and dump it."""
    dumped = []
    for block in blocks:
        block.validate_json()
        dumped.append(block.to_dict())
    return dumped


def mrkdwn_sections(lines: Sequence[str]) -> list[Block]:
    """Lines packed into as few sections as Slack's 3000-character limit allows."""
    sections: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > SECTION_LIMIT:
            sections.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
            chunk = []
        chunk.append(line[:SECTION_LIMIT])
    if chunk:
        sections.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
    return sections


def context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def simple(text: str) -> Message:
    """A one-paragraph message."""
    return Message(text=text, blocks=to_dicts([SectionBlock(text=MarkdownTextObject(text=text))]))
