"""Socket Mode: the bot opens a WebSocket to Slack, so no public URL is needed."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)


def run_socket_mode(app: App, app_token: str) -> None:
    """Connect and serve until interrupted."""
    handler = SocketModeHandler(app, app_token=app_token, web_client=app.client)
    log.info("connecting to Slack in Socket Mode")
    handler.start()  # type: ignore[no-untyped-call]
