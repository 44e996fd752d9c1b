"""Reading the text of a `/vpe` command: words, quoted phrases and Slack's escaped mentions."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.blocks import escaped
from bot.core.limits import ECHO
from bot.slack.audience import AudienceProblem, Targets

MentionKind = Literal["user", "channel", "usergroup"]

# Slack ids are short upper-case words; the database keeps them in 32 characters.
_ESCAPED = re.compile(
    r"^<(?P<sigil>@|#|!subteam\^)(?P<id>[A-Z0-9]{1,32})(?:\|(?P<label>[^>]*))?>$",
)
_SIGILS: dict[str, MentionKind] = {"@": "user", "#": "channel", "!subteam^": "usergroup"}


@dataclass(frozen=True)
class Mention:
    """A person, channel or user group, escaped by Slack (`<@U1|ana>`) or typed plain (`@ana`)."""

    kind: MentionKind
    id: str | None
    label: str | None = None


@dataclass(frozen=True)
class Command:
    """The first word (lower-cased) and the words after it."""

    name: str
    args: tuple[str, ...]
    text: str

    @property
    def rest(self) -> str:
        """Everything after the first word, as typed."""
        parts = self.text.strip().split(maxsplit=1)
        return parts[1] if len(parts) > 1 else ""


def split_words(text: str) -> list[str]:
    """Split on spaces, keeping "quoted phrases" together; unbalanced quotes fall back to spaces."""
    cleaned = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00a0", " ")
    try:
        return shlex.split(cleaned, posix=True)
    except ValueError:
        return cleaned.split()


def parse_command(text: str) -> Command:
    words = split_words(text)
    if not words:
        return Command(name="", args=(), text=text)
    return Command(name=words[0].lower(), args=tuple(words[1:]), text=text)


def parse_mention(word: str) -> Mention | None:
    """Read `<@U1>`, `<@U1|ana>`, `<#C1|eng>`, `<!subteam^S1|@eng>`, `@ana`, `#eng`; else None."""
    match = _ESCAPED.match(word.strip())
    if match:
        label = (match.group("label") or "").lstrip("@#") or None
        return Mention(kind=_SIGILS[match.group("sigil")], id=match.group("id"), label=label)
    if len(word) > 1 and word[0] in "@#" and re.fullmatch(r"[\w.\-]+", word[1:]):
        return Mention(kind="user" if word[0] == "@" else "channel", id=None, label=word[1:])
    return None


def whole_number(word: str, most: int) -> int | None:
    """`word` as a number from 0 to `most`, written in ASCII digits; None for anything else.

    `str.isdigit()` is no guard for `int()`: it accepts "²", which `int()` refuses, and
    "١٢", which `int()` reads as 12.
    """
    if not word or len(word) > len(str(most)) + 4 or not (word.isascii() and word.isdigit()):
        return None
    number = int(word)
    return number if number <= most else None


def strip_mentions(text: str) -> str:
    """Remove escaped user mentions (`<@U1>`), e.g. the bot's own name in an app mention."""
    return re.sub(r"<@[A-Z0-9]+(?:\|[^>]*)?>", " ", text).strip()


def parse_targets(words: Sequence[str]) -> Targets:
    """Read `<#C…>`, `<!subteam^S…>` and `<@U…>`; AudienceProblem on anything else."""
    targets = Targets()
    buckets = {"channel": targets.channels, "usergroup": targets.usergroups, "user": targets.users}
    for word in words:
        mention = parse_mention(word)
        if mention is None or mention.id is None:
            raise AudienceProblem("pulse.cmd.plain_target", word=escaped(word, ECHO))
        if mention.id not in buckets[mention.kind]:
            buckets[mention.kind].append(mention.id)
    return targets
