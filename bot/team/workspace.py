"""A workspace's own settings: anonymity threshold, language, time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.core.i18n import Lang, normalise_language
from bot.pulses.reporting import clamp_threshold
from bot.storage.db import unit_of_work
from bot.storage.models import Workspace
from bot.storage.sql import upsert
from bot.team.directory import ensure_workspace


@dataclass(frozen=True)
class WorkspaceSettings:
    threshold: int
    language: Lang | None
    timezone: str | None


def workspace_settings(session: Session, team_id: str) -> WorkspaceSettings:
    workspace = ensure_workspace(session, team_id)
    return WorkspaceSettings(
        threshold=clamp_threshold(workspace.anonymity_threshold),
        language=normalise_language(workspace.language),
        timezone=workspace.timezone,
    )


def set_setting(session: Session, team_id: str, column: str, value: object) -> None:
    """One setting, in one statement that touches its column only (see bot.storage.sql)."""
    upsert(session, Workspace, ["team_id"], {"team_id": team_id, column: value})


def set_threshold(session: Session, team_id: str, value: int) -> None:
    """3 to 10: the caller checks the range and tells the person; this never stores less."""
    set_setting(session, team_id, "anonymity_threshold", clamp_threshold(value))


def set_language(session: Session, team_id: str, language: Lang | None) -> None:
    set_setting(session, team_id, "language", language)


def set_timezone(session: Session, team_id: str, timezone: str | None) -> None:
    set_setting(session, team_id, "timezone", timezone)


def mark_installed(sessions: sessionmaker[Session], team_id: str | None) -> None:
    """A (re)install cancels any pending deletion of the workspace's data."""
    if not team_id:
        return
    with unit_of_work(sessions) as session:
        ensure_workspace(session, team_id).uninstalled_at = None


def mark_uninstalled(session: Session, team_id: str, now: datetime) -> None:
    ensure_workspace(session, team_id).uninstalled_at = now


def record_problem(session: Session, team_id: str, key: str, now: datetime, **values: str) -> None:
    """Remember what the bot could not do, for leadership to see (App Home, settings)."""
    ensure_workspace(session, team_id).last_problem = {
        "key": key,
        "values": values,
        "at": now.isoformat(),
    }


def clear_problem(session: Session, team_id: str, key_prefix: str) -> None:
    """It worked again: forget a problem of that kind."""
    workspace = ensure_workspace(session, team_id)
    if workspace.last_problem and str(workspace.last_problem.get("key", "")).startswith(key_prefix):
        workspace.last_problem = None


def last_problem(session: Session, team_id: str) -> dict[str, Any] | None:
    return ensure_workspace(session, team_id).last_problem
