"""The Socket Mode connection of `vpe-bot run`: Bolt's handler, kept out of the runners."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


class SocketLink:
    """One WebSocket to Slack for an app; Bolt's handler does the reconnecting."""

    def __init__(self, app: App, app_token: str) -> None:
        self._handler = SocketModeHandler(app, app_token=app_token, web_client=app.client)

    def connect(self) -> None:
        self._handler.client.connect()

    def is_connected(self) -> bool:
        return bool(self._handler.client.is_connected())

    def close(self) -> None:
        self._handler.client.close()
