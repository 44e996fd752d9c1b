"""A stand-in Linear GraphQL API on loopback: a team's cycles, a bad key, rate limits, pages.

It answers the one query the connector sends (bot/delivery/linear.py) with Linear's shapes:
`{"data": {"team": {"cycles": {"nodes": [...], "pageInfo": {...}}}}}`, errors as
`{"errors": [{"message", "extensions": {"code"}}]}` with HTTP 400.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from .loopback import LoopbackServer


@dataclass
class Cycle:
    number: int
    starts_at: str
    completed_at: str
    planned: int
    added: int
    completed: int

    def shape(self) -> dict[str, Any]:
        scope = [self.planned, self.planned + self.added]
        return {
            "number": self.number,
            "startsAt": self.starts_at,
            "endsAt": self.completed_at,
            "completedAt": self.completed_at,
            "issueCountHistory": scope,
            "completedIssueCountHistory": [0, self.completed],
        }


class FakeLinear(LoopbackServer):
    def __init__(self, key: str = "lin_api_test", page_size: int = 50) -> None:
        super().__init__()
        self.key, self.page_size = key, page_size
        self.teams: dict[str, list[Cycle]] = {}
        self.faults: list[str] = []  # "ratelimited", "500"
        self.requests = 0
        self._lock = threading.Lock()

    @property
    def api_url(self) -> str:
        return self.base_url + "/graphql"

    def answer(self, auth: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests += 1
            fault = self.faults.pop(0) if self.faults else None
        if fault == "500":
            return 500, {}, {"errors": [{"message": "Internal error"}]}
        if fault == "ratelimited":
            reset = str(int((time.time() + 1) * 1000))
            error = {"message": "Rate limit exceeded", "extensions": {"code": "RATELIMITED"}}
            return 400, {"X-RateLimit-Requests-Reset": reset}, {"errors": [error]}
        if auth != self.key:
            code = {"code": "AUTHENTICATION_ERROR"}
            error = {"message": "Authentication required, not authenticated", "extensions": code}
            return 400, {}, {"errors": [error]}
        variables = body.get("variables") or {}
        cycles = self.teams.get(str(variables.get("team")))
        if cycles is None:
            return 200, {}, {"data": {"team": None}}
        since = str(variables.get("since") or "")
        chosen = [c for c in sorted(cycles, key=lambda c: c.number) if c.completed_at > since]
        start = int(variables.get("after") or 0)
        page = chosen[start : start + self.page_size]
        more = start + self.page_size < len(chosen)
        info = {"hasNextPage": more, "endCursor": str(start + self.page_size) if more else None}
        nodes = [c.shape() for c in page]
        return 200, {}, {"data": {"team": {"cycles": {"nodes": nodes, "pageInfo": info}}}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeLinear

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        status, extra, answer = self.fake.answer(self.headers.get("Authorization", ""), body)
        raw = json.dumps(answer).encode()
        self.send_response(status)
        for key, value in extra.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


FakeLinear.handler = _Handler
