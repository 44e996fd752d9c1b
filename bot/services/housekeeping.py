"""Routine clean-up, run every hour: old request marks, questions kept for review past 90
days, uninstalled workspaces' data."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.qa.feedback import forget_old
from bot.storage.db import unit_of_work
from bot.storage.housekeeping import forget_old_requests, purge_workspace, workspaces_to_purge

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)


def keep_house(deps: Deps) -> None:
    now = deps.clock.now()
    grace = timedelta(days=deps.settings.uninstall_grace_days)
    with unit_of_work(deps.sessions) as session:
        removed = forget_old_requests(session, now)
        questions = forget_old(session, now)
        for team_id in workspaces_to_purge(session, now, grace):
            purge_workspace(session, team_id)
            log.info("housekeeping: deleted the data of uninstalled workspace %s", team_id)
    if removed:
        log.info("housekeeping: forgot %d old request marks", removed)
    if questions:
        log.info("housekeeping: forgot %d questions kept for review", questions)
