"""The Socket Mode connection of `vpe-bot run`: Bolt's handler, kept out of the runners."""

from __future__ import annotations

import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

# How long a stop waits for the WebSocket to close before going on without it.
CLOSE_WITHIN = 5.0


class SocketLink:
    """One WebSocket to Slack for an app; Bolt's handler does the reconnecting."""

    def __init__(self, app: App, app_token: str) -> None:
        self._handler = SocketModeHandler(app, app_token=app_token, web_client=app.client)

    def connect(self) -> None:
        self._handler.client.connect()

    def is_connected(self) -> bool:
        return bool(self._handler.client.is_connected())

    def close(self, timeout: float = CLOSE_WITHIN) -> bool:
        """Close the WebSocket; False if it did not close within `timeout` seconds (the
        client's receiving thread holds a lock while it waits on the socket): the stop then
        goes on, since the connection dies with the process anyway."""
        closing = threading.Thread(target=self._handler.client.close, daemon=True)
        closing.start()
        closing.join(timeout)
        return not closing.is_alive()
