"""Running independent steps so that one's failure stops none of the others."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)


def run_steps(steps: Iterable[tuple[str, Callable[[], object]]], what: str) -> None:
    """Run each named step; a failure is logged with its traceback and the next one runs."""
    for name, step in steps:
        try:
            step()
        except Exception:
            log.exception("%s: %s failed", what, name)
