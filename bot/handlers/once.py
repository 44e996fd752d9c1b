"""At most one effect per Slack delivery, however often Slack (or anyone) sends it again.

Events carry an event_id that Slack keeps across its retries; commands, clicks and modal
submissions carry a trigger_id unique to one user gesture. The first handler to claim the
id in the database does the work; copies are acknowledged and dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.db import unit_of_work
from bot.deliveries import claim_delivery, release_delivery
from bot.deps import Deps

log = logging.getLogger(__name__)


def delivery_key(body: dict[str, Any]) -> str | None:
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    trigger = body.get("trigger_id")
    if trigger:
        return f"{body.get('type') or 'command'}:{trigger}"
    return None


def team_of(body: dict[str, Any]) -> str:
    team = body.get("team_id") or body.get("team") or (body.get("user") or {}).get("team_id")
    return str(team.get("id", "") if isinstance(team, dict) else team or "")


def first_delivery(deps: Deps, body: dict[str, Any]) -> bool:
    """True for the first delivery of this gesture or event; False for any copy.

    With the database down, work proceeds (and answers "try again"): dropping a first
    delivery would be worse than the rare duplicate.
    """
    key, team_id = delivery_key(body), team_of(body)
    if key is None or not team_id:
        return True
    try:
        with unit_of_work(deps.sessions) as session:
            return claim_delivery(session, team_id, key, deps.clock.now())
    except SQLAlchemyError:
        log.warning("database unavailable: cannot check for a repeated delivery")
        return True


def forget_delivery(deps: Deps, body: dict[str, Any]) -> None:
    """Undo the claim when the work failed, so that Slack's own retry can do it again."""
    key, team_id = delivery_key(body), team_of(body)
    if key and team_id:
        with unit_of_work(deps.sessions) as session:
            release_delivery(session, team_id, key)
