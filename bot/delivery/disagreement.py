"""Where what people say (the pulse) and what the systems show (delivery figures) part ways.

Pure functions: the pulse's latest visible scores (already at or above K answers) and the
organisation's delivery figures in, the disagreements out. Thresholds: content/delivery.toml
`[disagreement]`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from bot.core.content import CONTENT_DIR
from bot.delivery.metrics import Delivery
from bot.signals.history import PulsePoint
from bot.signals.rules import below

Kind = Literal["says_predictable", "says_unpredictable", "says_quality", "says_poor_quality"]


@dataclass(frozen=True)
class Disagreement:
    kind: Kind
    score: float  # the pulse's, 1–5
    completion: float | None = None  # sprints, 0..1
    lead_start: float | None = None  # days
    lead_end: float | None = None
    failure: float | None = None  # 0..1


@cache
def _rules(path: Path = CONTENT_DIR / "delivery.toml") -> dict[str, Any]:
    with path.open("rb") as handle:
        rules: dict[str, Any] = tomllib.load(handle)["disagreement"]
    return rules


def _latest(history: Sequence[PulsePoint], dimension: str) -> float | None:
    for point in reversed(history):
        if point.visible and dimension in point.scores:
            return point.scores[dimension]
    return None


def disagreements(history: Sequence[PulsePoint], figures: Delivery | None) -> list[Disagreement]:
    org = figures.org if figures else None
    if org is None:
        return []
    rules = _rules()
    found: list[Disagreement] = []
    span = int(rules["span"])
    leads = [f.lead_days for _, f in org.weeks][-(span + 1) :]
    start, end = (leads[0], leads[-1]) if len(leads) == span + 1 else (None, None)
    # Two decimals, as lead times are kept (bot.signals.rules): 1.1 to 1.65 days is half again.
    rising = bool(start and end and not below(end, start * float(rules["lead_rise"])))
    completion = org.now.sprint_completion
    predictability = _latest(history, "predictability")
    if predictability is not None:
        slipping = completion is not None and completion < float(rules["completion_low"])
        if not below(predictability, float(rules["says_yes"])) and (slipping or rising):
            found.append(
                Disagreement(
                    "says_predictable",
                    predictability,
                    completion if slipping else None,
                    start if rising else None,
                    end if rising else None,
                )
            )
        steady = completion is not None and completion >= float(rules["completion_fine"])
        if below(predictability, float(rules["says_no"])) and steady and not rising:
            found.append(Disagreement("says_unpredictable", predictability, completion))
    quality, failure = _latest(history, "quality"), org.now.change_failure
    if quality is not None and failure is not None:
        if not below(quality, float(rules["says_yes"])) and failure > float(rules["failure_high"]):
            found.append(Disagreement("says_quality", quality, failure=failure))
        if below(quality, float(rules["says_no"])) and failure <= float(rules["failure_fine"]):
            found.append(Disagreement("says_poor_quality", quality, failure=failure))
    return found
