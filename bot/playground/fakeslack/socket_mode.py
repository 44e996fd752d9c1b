"""Slack's Socket Mode, server side, on the `websockets` package's threaded server.

The protocol, as slack_sdk's clients expect it: on connect the server sends
{"type": "hello", ...}; it then pushes envelopes {"envelope_id", "type", "payload",
"accepts_response_payload", ...}; the app answers each with {"envelope_id", "payload"?}
(the ack, which for slash commands and view submissions may carry the response). A
{"type": "disconnect"} message asks the client to reconnect through apps.connections.open.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

logger = logging.getLogger(__name__)

# The interactive payload types whose ack may carry a response (errors, a new view, options).
_RESPONDING_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


class SocketModeServer:
    def __init__(self, host: str, port: int, app_id: Callable[[], str | None]) -> None:
        self._app_id = app_id
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self.envelopes: list[dict[str, Any]] = []
        self.connection_count = 0  # connections ever opened, to observe reconnects
        # Frequent pings: slack_sdk's builtin client holds its socket lock through a blocking
        # recv (3 s timeout) and close() waits for that lock, so traffic makes close() prompt.
        # A short close timeout: that client never answers a close frame.
        self._server: Server = serve(
            self._handle, host, port, compression=None, ping_interval=0.2, close_timeout=0.5
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fakeslack-socket-mode", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def connected(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: bool(self._connections), timeout)

    def push(
        self,
        type_: str,
        payload: dict[str, Any],
        retry_attempt: int,
        retry_reason: str,
        accepts_response_payload: bool | None,
        timeout: float,
    ) -> str:
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "type": type_,
            "payload": payload,
            "accepts_response_payload": _accepts_response(type_, payload)
            if accepts_response_payload is None
            else accepts_response_payload,
        }
        if type_ == "events_api":  # only Events API envelopes carry retry details
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        if not self.connected(timeout):
            raise AssertionError(f"no Socket Mode client connected within {timeout}s")
        with self._changed:
            # Like Slack, deliver to one connection: the newest, which is the live one
            # while a client reconnects.
            targets = list(reversed(self._connections))
            self.envelopes.append(envelope)
        for connection in targets:
            try:
                connection.send(json.dumps(envelope))
                return str(envelope["envelope_id"])
            except ConnectionClosed:
                continue
        raise AssertionError("every Socket Mode connection closed before the envelope went out")

    def wait_ack(self, envelope_id: str, timeout: float) -> dict[str, Any]:
        with self._changed:
            if self._changed.wait_for(lambda: envelope_id in self._acks, timeout):
                return self._acks[envelope_id]
            acked = sorted(self._acks)
        raise AssertionError(
            f"no ack for envelope {envelope_id} within {timeout}s (acks received: {acked})"
        )

    def disconnect(self, reason: str) -> None:
        """Ask every client to reconnect, as Slack does before a server rotation."""
        message = json.dumps(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fakeslack"}}
        )
        with self._changed:
            targets = list(self._connections)
        for connection in targets:
            with contextlib.suppress(ConnectionClosed):
                connection.send(message)

    def _handle(self, connection: ServerConnection) -> None:
        with self._changed:
            self._connections.append(connection)
            self.connection_count += 1
            count = len(self._connections)
            self._changed.notify_all()
        started = time.monotonic()
        try:
            connection.send(json.dumps(self._hello(count)))
            for raw in connection:
                self._receive(raw)
        except ConnectionClosed:
            pass  # the builtin client drops the TCP connection without a close frame
        finally:
            with self._changed:
                self._connections.remove(connection)
                self._changed.notify_all()
            logger.debug("socket mode connection closed after %.1fs", time.monotonic() - started)

    def _hello(self, num_connections: int) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": num_connections,
            "debug_info": {
                "host": "fakeslack",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self._app_id()},
        }

    def _receive(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            logger.warning("non-JSON Socket Mode message ignored: %r", raw)
            return
        if isinstance(message, dict) and isinstance(message.get("envelope_id"), str):
            with self._changed:
                self._acks[message["envelope_id"]] = message
                self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            self._acks.clear()
            self.envelopes.clear()


def _accepts_response(type_: str, payload: dict[str, Any]) -> bool:
    if type_ == "slash_commands":
        return True
    return type_ == "interactive" and payload.get("type") in _RESPONDING_INTERACTIONS
