"""Whether a change between two pulses is more than noise, and when participation is low.

The numbers are data in content/noise.toml: a change is beyond the noise when it exceeds
`z` standard errors of the difference between two averages, z x spread x sqrt(1/n1 + 1/n2),
n1 and n2 being the answers behind each average.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.core.content import CONTENT_DIR


@dataclass(frozen=True)
class NoiseRule:
    spread: float  # the standard deviation assumed for one answer on the 1-5 scale
    z: float  # how many standard errors a change must exceed
    warn_below: float  # participation rate under which results carry a warning


def load_noise_rule(path: Path = CONTENT_DIR / "noise.toml") -> NoiseRule:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    rule = NoiseRule(
        spread=float(data["change"]["spread"]),
        z=float(data["change"]["z"]),
        warn_below=float(data["participation"]["warn_below"]),
    )
    if rule.spread <= 0 or rule.z <= 0 or not 0 <= rule.warn_below <= 1:
        raise ValueError(f"{path.name}: values out of range")
    return rule


@cache
def noise_rule() -> NoiseRule:
    return load_noise_rule()


def noise_margin(answers_now: int, answers_before: int, rule: NoiseRule | None = None) -> float:
    """The smallest change that is more than noise between averages of these many answers."""
    rule = rule or noise_rule()
    if answers_now <= 0 or answers_before <= 0:
        return math.inf
    return rule.z * rule.spread * math.sqrt(1 / answers_now + 1 / answers_before)


def beyond_noise(
    change: float, answers_now: int, answers_before: int, rule: NoiseRule | None = None
) -> bool:
    return abs(change) > noise_margin(answers_now, answers_before, rule)


def low_participation(answered: int, asked: int, rule: NoiseRule | None = None) -> bool:
    """Fewer than the rule's share of the people asked answered (and someone was asked)."""
    rule = rule or noise_rule()
    return asked > 0 and answered < rule.warn_below * asked
