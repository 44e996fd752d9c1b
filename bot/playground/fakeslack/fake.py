"""FakeSlack: a Slack stand-in on loopback for end-to-end tests and the local playground."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .faults import Fail, Faults, Hang, RateLimited, Reset, ServerError
from .hooks import Hooks
from .screens import Screens
from .seed import Seeding
from .server import HttpServer
from .state import Call, ResponseHook, ResponsePost, SlackState
from .webapi import WebApi

if TYPE_CHECKING:
    from .socket_mode import SocketModeServer


class FakeSlack(Seeding, Screens):
    """Start it, seed a workspace, point the app's WebClient at `api_url`, then observe."""

    def __init__(
        self,
        port: int = 0,
        *,
        socket_port: int = 0,
        host: str = "127.0.0.1",
        socket_mode: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`socket_mode=False` serves the Web API only (no `websockets` needed): the
        playground sends the bot HTTP requests instead. `clock` (epoch seconds) stamps
        messages: the playground's moves forward when the page advances time."""
        self._state = SlackState(clock)
        self._socket_mode = socket_mode
        self._faults = Faults()
        self._host, self._port, self._socket_port = host, port, socket_port
        self._http: HttpServer | None = None
        self._socket: SocketModeServer | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._http is not None:
            return self
        web_api = WebApi(self._state, self._faults, lambda: self.url, lambda: self.socket_url)
        self._http = HttpServer(web_api, Hooks(self._state, self._faults), self._host, self._port)
        self._http.start()
        if self._socket_mode:
            from .socket_mode import SocketModeServer  # needs websockets (a dev dependency)

            self._socket = SocketModeServer(self._host, self._socket_port, self._app_id)
            self._socket.start()
        return self

    def stop(self) -> None:
        if self._socket is not None:
            self._socket.stop()
        if self._http is not None:
            self._http.stop()
        self._http = self._socket = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._running_http().port}"

    @property
    def api_url(self) -> str:
        """slack_sdk's base_url (and the bot's SLACK_API_URL): the trailing slash matters."""
        return f"{self.url}/api/"

    @property
    def socket_url(self) -> str:
        """Where apps.connections.open points; empty when started without Socket Mode."""
        if not self._socket_mode:
            return ""
        return f"ws://{self._host}:{self._running_socket().port}/"

    def response_url(
        self,
        name: str | None = None,
        *,
        channel_id: str | None = None,
        user_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """A response_url; posts to it land in `responses`. Bound to a channel (and a
        message / user), replace_original, delete_original and in_channel/ephemeral
        replies also act on the stored messages."""
        name = name or uuid.uuid4().hex[:12]
        with self._state.lock:
            channel = self._state.channels.get(channel_id) if channel_id else None
            if channel_id and channel is None:
                raise ValueError(f"unknown channel {channel_id!r}: add_channel it first")
            team_id = channel.team_id if channel else None
            self._state.hooks[name] = ResponseHook(name, team_id, channel_id, user_id, message_ts)
        return f"{self.url}/hooks/{quote(name)}"

    def dm_channel_id(self, user_id: str) -> str:
        """The id the bot's DM with `user_id` has (or will have once opened): "D" + user id."""
        return self._state.dm_channel_id(user_id)

    # -- observing ---------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._state.lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def responses(self) -> list[ResponsePost]:
        with self._state.lock:
            return list(self._state.responses)

    def messages(self, channel_id: str | None = None) -> list[dict[str, Any]]:
        """Stored messages, oldest first, with updates applied and deletions gone. Each has
        channel, ts, text, blocks, thread_ts, user (+ bot_id for the bot's), and
        ephemeral / visible_to for chat.postEphemeral."""
        with self._state.lock:
            found = [
                m for m in self._state.messages if channel_id is None or m["channel"] == channel_id
            ]
            return copy.deepcopy(found)

    def views(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return copy.deepcopy(list(self._state.views.values()))

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._state.lock:
            view_id = self._state.home_views.get(user_id)
            return copy.deepcopy(self._state.views[view_id]) if view_id else None

    @property
    def files(self) -> dict[str, tuple[str, bytes]]:
        """Uploaded files by id: (title, bytes)."""
        with self._state.lock:
            return {
                f.id: (f.title, f.content)
                for f in self._state.files.values()
                if f.content is not None
            }

    def wait_for(
        self,
        predicate_or_method: str | Callable[[], object],
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[Any]:
        """Wait until `count` calls to a method were answered, or a predicate holds.
        A predicate returning a list must return at least `count` items; the list is
        returned. On timeout, AssertionError says what the fake did see."""
        if isinstance(predicate_or_method, str):
            method = predicate_or_method

            def check() -> object:
                found = self.calls_to(method)
                return found if len(found) >= count else None
        else:
            check = predicate_or_method
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            satisfied = len(result) >= count if isinstance(result, list) else bool(result)
            if satisfied:
                return result if isinstance(result, list) else []
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(self._timeout_message(predicate_or_method, count, timeout))
            with self._state.changed:  # woken by every recorded call; polls meanwhile
                self._state.changed.wait(min(remaining, 0.05))

    def wait_quiet(self, quiet: float = 0.2, timeout: float = 15.0) -> None:
        """Wait until nothing reached the fake for `quiet` seconds (or `timeout` passed):
        work a bot still had in flight lands before the next test looks."""
        deadline = time.monotonic() + timeout
        while (now := time.monotonic()) < deadline:
            idle = now - self._state.last_activity
            if idle >= quiet:
                return
            time.sleep(quiet - idle)

    def reset_calls(self) -> None:
        """Forget calls, response_url posts, messages, views and files; keep the directory
        and the configured faults."""
        with self._state.lock:
            self._state.calls.clear()
            self._state.responses.clear()
            self._state.messages.clear()
            self._state.views.clear()
            self._state.home_views.clear()
            self._state.files.clear()
            self._state.used_triggers.clear()
            self._state.trigger_users.clear()
            self._state.modal_stacks.clear()
            self._state.view_errors.clear()
        if self._socket is not None:
            self._socket.clear()

    # -- faults ------------------------------------------------------------------------

    def fail_next(self, method: str, error: str = "channel_not_found", times: int = 1) -> None:
        self._faults.queue(method, Fail(error), times)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self._faults.queue(method, RateLimited(max(1, retry_after)), times)

    def server_error_next(
        self, method: str, status: int = 500, times: int = 1, *, after_post: bool = False
    ) -> None:
        """Answer a 5xx; `after_post`: only once the method ran (the message is posted)."""
        if not 500 <= status <= 599:
            raise ValueError(f"server errors are 5xx, not {status}")
        self._faults.queue(method, ServerError(status, after_post), times)

    def reset_next(self, method: str, times: int = 1, *, after_post: bool = False) -> None:
        """Read the request, then close the connection with a TCP reset and no answer.

        The method does not run, unless `after_post`: then it runs and the answer is lost.
        `method` may also be "response_url" or "file_upload". The call is recorded with
        status 0 and error "connection_reset"."""
        self._faults.queue(method, Reset(after_post), times)

    def hang_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Run the method (the message is posted), then hold the answer `seconds`: a client
        with a shorter timeout gives up without knowing it went through."""
        if seconds <= 0:
            raise ValueError("seconds must be > 0")
        self._faults.queue(method, Hang(seconds), times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        self._faults.delay(method, seconds, times)

    def set_rate_limit(
        self, method: str, per_second: float, burst: int = 1, per_channel: bool = False
    ) -> None:
        self._faults.set_rate_limit(method, per_second, burst, per_channel)

    def clear_faults(self) -> None:
        self._faults.clear()

    # -- Socket Mode -------------------------------------------------------------------

    def socket_connected(self, timeout: float = 5.0) -> bool:
        return self._running_socket().connected(timeout)

    def socket_push(
        self,
        type_: str,
        payload: dict[str, Any],
        retry_attempt: int = 0,
        retry_reason: str = "",
        *,
        accepts_response_payload: bool | None = None,
        timeout: float = 5.0,
    ) -> str:
        """Send an envelope to the connected app; returns its envelope_id."""
        return self._running_socket().push(
            type_, payload, retry_attempt, retry_reason, accepts_response_payload, timeout
        )

    def socket_wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        return self._running_socket().wait_ack(envelope_id, timeout)

    def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        self._running_socket().disconnect(reason)

    @property
    def socket_envelopes(self) -> list[dict[str, Any]]:
        return list(self._running_socket().envelopes)

    @property
    def socket_connection_count(self) -> int:
        """Connections ever accepted: goes up by one on each (re)connect."""
        return self._running_socket().connection_count

    # -- internals ---------------------------------------------------------------------

    def _app_id(self) -> str | None:
        with self._state.lock:
            team = next(iter(self._state.teams.values()), None)
            return team.app_id if team else None

    def _running_http(self) -> HttpServer:
        if self._http is None:
            raise RuntimeError("FakeSlack is not running: call start() or use it in a with block")
        return self._http

    def _running_socket(self) -> SocketModeServer:
        if self._socket is None:
            raise RuntimeError("FakeSlack is not running: call start() or use it in a with block")
        return self._socket

    def _timeout_message(self, what: str | Callable[[], object], count: int, timeout: float) -> str:
        seen = [f"{c.method}{f' -> {c.error}' if c.error else ''}" for c in self.calls]
        if isinstance(what, str):
            got = len(self.calls_to(what))
            head = f"expected {count} call(s) to {what} within {timeout}s, got {got}"
        else:
            head = f"condition {getattr(what, '__name__', what)!r} still false after {timeout}s"
        return f"{head}; calls seen: {seen or 'none'}"
