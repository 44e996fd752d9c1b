"""The HTTP surface: Slack's requests on /slack/*, and a health check on /healthz."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.bootstrap import Deps
from bot.runtime.bolt_app import hold_work, stop_holding
from bot.runtime.health import health_report
from bot.runtime.request_gate import MAX_BODY, RequestGate

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


EVENTS_PATH = "/slack/events"
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    413: "Content Too Large",
}


def json_response(
    start_response: Callable[..., Any], status: int, body: dict[str, Any]
) -> list[bytes]:
    payload = json.dumps(body).encode()
    reason = REASONS.get(status, "Service Unavailable")
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


class HealthOnly:
    """/healthz alone, for Socket Mode processes (Slack's traffic comes over the socket)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return json_response(start_response, *health_report(self._deps))
        return json_response(start_response, 404, {"error": "not found"})


class WebApp:
    """A WSGI application: Bolt's adapter for Slack, plus our own small endpoints.

    A POST to /slack/events passes the gate first (size, signature, then parsing: see
    `request_gate`). The work a request starts (Bolt's lazy listeners) is held until its
    response is sent: the server calls the body's `close()` after the last byte (PEP 3333),
    and that starts it.
    """

    def __init__(self, bolt: App, deps: Deps, max_body: int = MAX_BODY) -> None:
        self._slack = SlackRequestHandler(bolt, EVENTS_PATH)
        self._deps = deps
        self._gate = RequestGate(deps.settings.slack_signing_secret or "", max_body)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            return json_response(start_response, *health_report(self._deps))
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            refused = self._gate.admit(environ)
            if refused is not None:
                return json_response(start_response, refused.status, {"error": refused.reason})
        start_work = hold_work()
        try:
            body = self._slack(environ, start_response)
        except BaseException:
            start_work()
            raise
        finally:
            stop_holding()
        return ThenStart(body, start_work)


class ThenStart:
    """A response body that starts the request's held work when the server closes it."""

    def __init__(self, body: Iterable[bytes], start: Callable[[], None]) -> None:
        self._body, self._start = body, start

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        self._start()
