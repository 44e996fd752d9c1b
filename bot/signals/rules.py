"""Thresholds, weights and texts of the signals, read from content/signals.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.core.content import CONTENT_DIR
from bot.core.i18n import LANGS, Lang, typeset

SIGNALS = (
    "cto_drowning",
    "chaotic_delivery",
    "losing_energy",
    "processes_dont_scale",
    "strategic_event",
    "outgrown",
    "deliveries_slipping",
)


# The one rule for comparing scores: on the two decimals they are kept and shown with. Scores,
# differences between scores and thresholds are all rounded so before any comparison: 3.9 -
# 3.6 is 0.3 here, as it reads, not the 0.2999... of floating-point subtraction.
SCORE_DECIMALS = 2


def score_of(value: float) -> float:
    """`value` as scores are compared: rounded to SCORE_DECIMALS."""
    return round(value, SCORE_DECIMALS)


def at_most(score: float, limit: float) -> bool:
    """`score` is `limit` or less, on rounded values."""
    return score_of(score) <= score_of(limit)


def below(score: float, limit: float) -> bool:
    """`score` is less than `limit`, on rounded values."""
    return score_of(score) < score_of(limit)


@dataclass(frozen=True)
class SignalText:
    title: str
    meaning: str
    steps: tuple[str, ...]
    steps_with_vpe: tuple[str, ...]


@dataclass(frozen=True)
class SignalSpec:
    id: str
    params: dict[str, Any]
    text: dict[Lang, SignalText]

    def number(self, name: str) -> float:
        return float(self.params[name])


@dataclass(frozen=True)
class SignalsConfig:
    trend_pulses: int
    trend_min_drop: float
    points: dict[str, int]
    watch_from: int
    act_from: int
    max_steps: int
    signals: dict[str, SignalSpec]
    all_clear_steps: dict[Lang, tuple[str, ...]]


def load_signals_config(path: Path = CONTENT_DIR / "signals.toml") -> SignalsConfig:
    """Read and check the signals file; ValueError names what is missing."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    specs = {raw["id"]: _spec(raw) for raw in data["signal"]}
    missing = set(SIGNALS) - set(specs)
    if missing:
        raise ValueError(f"{path.name}: signals missing: {', '.join(sorted(missing))}")
    return SignalsConfig(
        trend_pulses=int(data["trend"]["pulses"]),
        trend_min_drop=float(data["trend"]["min_drop"]),
        points={name: int(value) for name, value in data["severity"].items()},
        watch_from=int(data["verdict"]["watch_from"]),
        act_from=int(data["verdict"]["act_from"]),
        max_steps=int(data["verdict"]["steps"]),
        signals=specs,
        all_clear_steps={
            lang: tuple(typeset(step, lang) for step in data["all_clear"][lang]["steps"])
            for lang in LANGS
        },
    )


def _spec(raw: dict[str, Any]) -> SignalSpec:
    params = {key: value for key, value in raw.items() if key not in ("id", *LANGS)}
    text = {
        lang: SignalText(
            title=typeset(raw[lang]["title"], lang),
            meaning=typeset(raw[lang]["meaning"], lang),
            steps=tuple(typeset(step, lang) for step in raw[lang]["steps"]),
            steps_with_vpe=tuple(typeset(step, lang) for step in raw[lang]["steps_with_vpe"]),
        )
        for lang in LANGS
    }
    return SignalSpec(id=raw["id"], params=params, text=text)


@cache
def signals_config() -> SignalsConfig:
    return load_signals_config()
