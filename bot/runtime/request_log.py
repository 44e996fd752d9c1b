"""One log line per Slack request: workspace, kind, latency, outcome; never payloads."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

log = logging.getLogger("bot.requests")


def request_kind(body: dict[str, Any]) -> str:
    """`command /vpe`, `action pulse_answer:energy:4`, `view pulse_comment`, `event message`."""
    kind = body.get("type") or ("command" if "command" in body else "unknown")
    if kind == "command":
        return f"command {body.get('command', '')}"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        # Pulse buttons carry the answer in their id (pulse_answer:energy:4): log the name only.
        return f"action {str(actions[0].get('action_id', '')).split(':')[0]}"
    if kind in ("view_submission", "view_closed"):
        return f"view {(body.get('view') or {}).get('callback_id', '')}"
    if kind == "event_callback":
        return f"event {(body.get('event') or {}).get('type', '')}"
    return str(kind)


def team_of(body: dict[str, Any]) -> str:
    team = body.get("team_id") or body.get("team")
    return str(team.get("id", "") if isinstance(team, dict) else team or "")


class LoggedApp(App):
    """Bolt's App, logging each request it dispatches (HTTP and Socket Mode alike)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        if req.lazy_only:
            return super().dispatch(req)
        started = time.perf_counter()
        outcome = "error"
        try:
            response = super().dispatch(req)
            outcome = str(response.status)
            return response
        finally:
            retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
            log.info(
                "request team=%s kind=%s latency_ms=%.1f outcome=%s retry=%s",
                team_of(req.body),
                request_kind(req.body),
                (time.perf_counter() - started) * 1000,
                outcome,
                retry,
            )
