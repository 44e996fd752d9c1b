"""The knowledge base behind `/vpe ask`: entries loaded and checked from content/knowledge.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from bot.core.content import CONTENT_DIR
from bot.core.i18n import LANGS, Lang, typeset

Owner = Literal["cto", "vp_engineering", "shared"]

OWNERS: tuple[Owner, ...] = get_args(Owner)
DEFAULT_PATH = CONTENT_DIR / "knowledge.toml"


@dataclass(frozen=True)
class Entry:
    """One topic: who owns it by default and what to answer, in both languages."""

    id: str
    owner: Owner | None
    title: Mapping[Lang, str]
    answer: Mapping[Lang, str]
    examples: Mapping[Lang, tuple[str, ...]]
    related: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries, in file order."""

    entries: tuple[Entry, ...]

    def get(self, entry_id: str) -> Entry:
        """Return the entry with this id.

        Raises:
            KeyError: no entry has this id.
        """
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def areas(self) -> tuple[Entry, ...]:
        """Return the entries that have an owner (the ownership table), in file order."""
        return tuple(entry for entry in self.entries if entry.owner is not None)


def load_knowledge(path: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base.

    Args:
        path: the TOML file; defaults to content/knowledge.toml in this repository.

    Returns:
        The validated knowledge base.

    Raises:
        ValueError: the file is not valid TOML or breaks a rule of the format (the message
            names the file, the entry and the field).
    """
    path = path or DEFAULT_PATH
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise ValueError(f"{path}: no [[entry]] tables found")
    entries = tuple(_parse_entry(raw, index, path) for index, raw in enumerate(raw_entries))
    _check_ids(entries, path)
    return KnowledgeBase(entries)


def _parse_entry(raw: Any, index: int, path: Path) -> Entry:
    where = f"{path}: entry #{index + 1}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a table")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise ValueError(f"{where}: 'id' must be a non-empty string")
    where = f"{path}: entry {entry_id!r}"
    owner = raw.get("owner")
    if owner is not None and owner not in OWNERS:
        raise ValueError(f"{where}: owner {owner!r} is not one of {', '.join(OWNERS)}")
    related = raw.get("related", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise ValueError(f"{where}: 'related' must be a list of entry ids")
    titles: dict[Lang, str] = {}
    answers: dict[Lang, str] = {}
    examples: dict[Lang, tuple[str, ...]] = {}
    for lang in LANGS:
        section = raw.get(lang)
        if not isinstance(section, dict):
            raise ValueError(f"{where}: missing [entry.{lang}] section")
        titles[lang] = typeset(_text(section, "title", f"{where} [{lang}]"), lang)
        answers[lang] = typeset(_text(section, "answer", f"{where} [{lang}]"), lang)
        examples[lang] = _examples(section, f"{where} [{lang}]")
    return Entry(entry_id, owner, titles, answers, examples, tuple(related))


def _text(section: Mapping[str, Any], key: str, where: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _examples(section: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = section.get("examples")
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: 'examples' must be a non-empty list of questions")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: every item of 'examples' must be a non-empty string")
    return tuple(item.strip() for item in value)


def _check_ids(entries: tuple[Entry, ...], path: Path) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"{path}: duplicate entry id {entry.id!r}")
        seen.add(entry.id)
    for entry in entries:
        unknown = [r for r in entry.related if r not in seen]
        if unknown:
            raise ValueError(f"{path}: entry {entry.id!r} relates to unknown id(s) {unknown}")
        if entry.id in entry.related:
            raise ValueError(f"{path}: entry {entry.id!r} lists itself in 'related'")
