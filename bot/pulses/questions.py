"""The pulse's statements and the CTO check-in, read from content/pulse.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.core.content import CONTENT_DIR
from bot.core.i18n import LANGS, Lang, typeset

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class PulseItem:
    id: str
    dimension: str
    reverse: bool
    default: bool
    statement: dict[Lang, str]
    label: dict[Lang, str]
    dimension_name: dict[Lang, str]

    def score(self, value: float) -> float:
        """Health on 1–5, higher is better: reverse statements are flipped."""
        return 6 - value if self.reverse else value


@dataclass(frozen=True)
class CheckinQuestion:
    values: tuple[int, ...]
    labels: dict[Lang, tuple[str, ...]]

    def label_for(self, value: int, lang: Lang) -> str:
        return self.labels[lang][self.values.index(value)]


@dataclass(frozen=True)
class PulseContent:
    items: tuple[PulseItem, ...]
    scale: dict[Lang, tuple[str, ...]]
    operations: CheckinQuestion
    decisions: CheckinQuestion

    def item(self, item_id: str) -> PulseItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def default_items(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items if item.default)

    def dimensions(self) -> tuple[str, ...]:
        """Each dimension once, in the order items first name them."""
        return tuple(dict.fromkeys(item.dimension for item in self.items))


def load_pulse_content(path: Path = CONTENT_DIR / "pulse.toml") -> PulseContent:
    """Read and check the pulse content; ValueError names what is wrong."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    items = tuple(_item(raw) for raw in data["item"])
    if len({item.id for item in items}) != len(items):
        raise ValueError(f"{path.name}: item ids must be unique")
    scale = {lang: tuple(typeset(label, lang) for label in data["scale"][lang]) for lang in LANGS}
    if any(len(labels) != len(SCALE) for labels in scale.values()):
        raise ValueError(f"{path.name}: the scale needs {len(SCALE)} labels per language")
    checkin = data["checkin"]
    return PulseContent(
        items, scale, _checkin(checkin["operations"]), _checkin(checkin["decisions"])
    )


def _item(raw: dict[str, object]) -> PulseItem:
    texts = {lang: raw[lang] for lang in LANGS}
    if not all(isinstance(text, dict) for text in texts.values()):
        raise ValueError(f"item {raw.get('id')}: needs [item.en] and [item.fr]")
    return PulseItem(
        id=str(raw["id"]),
        dimension=str(raw["dimension"]),
        reverse=bool(raw.get("reverse", False)),
        default=bool(raw.get("default", False)),
        statement={lang: typeset(str(texts[lang]["statement"]), lang) for lang in LANGS},  # type: ignore[index]
        label={lang: typeset(str(texts[lang]["label"])[:75], lang) for lang in LANGS},  # type: ignore[index]
        dimension_name={lang: typeset(str(texts[lang]["dimension"]), lang) for lang in LANGS},  # type: ignore[index]
    )


def _checkin(raw: dict[str, list[object]]) -> CheckinQuestion:
    values = tuple(int(str(value)) for value in raw["values"])
    labels = {lang: tuple(typeset(str(label), lang) for label in raw[lang]) for lang in LANGS}
    if any(len(found) != len(values) for found in labels.values()):
        raise ValueError("check-in: one label per value and language")
    return CheckinQuestion(values, labels)


@cache
def pulse_content() -> PulseContent:
    return load_pulse_content()
