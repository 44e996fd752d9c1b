"""The handover's progress in one line, for the digest and the App Home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.handover import HandoverWords
from bot.core.i18n import Lang
from bot.ownership.assignments import load_assignments
from bot.ownership.handover import load_steps
from bot.storage.db import unit_of_work

if TYPE_CHECKING:
    from bot.bootstrap import Deps


def handover_progress(deps: Deps, team_id: str, lang: Lang) -> str | None:
    """How many areas are handed over and the next step; None without a VPE or a plan."""
    with unit_of_work(deps.sessions) as session:
        vpe = load_assignments(session, team_id).holder("vp_engineering")
        steps = load_steps(session, team_id) if vpe else []
    words = HandoverWords(deps.catalog, lang, deps.kb)
    return words.progress(steps, vpe, deps.clock.now().date())
