"""A stand-in Jira Cloud on loopback: scrum boards, closed sprints and their sprint reports,
with Basic authentication (email and API token), pages (`startAt`, `isLast`) and 429s."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .loopback import LoopbackServer


@dataclass
class Sprint:
    id: int
    board: int
    start: str
    complete: str
    planned: int
    added: int
    completed: int
    removed: int = 0


class FakeJira(LoopbackServer):
    def __init__(self, email: str = "bot@example.com", token: str = "jira-token") -> None:
        super().__init__()
        self.email, self.token = email, token
        self.projects: dict[str, list[int]] = {}  # project key -> board ids
        self.sprints: list[Sprint] = []
        self.faults: list[str] = []  # "429", "500"
        self.requests = 0
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.base_url

    def answer(self, path: str, auth: str) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests += 1
            fault = self.faults.pop(0) if self.faults else None
        if fault == "429":
            return 429, {"Retry-After": "1"}, {"errorMessages": ["Rate limit exceeded."]}
        if fault == "500":
            return 500, {}, {"errorMessages": ["Internal server error"]}
        expected = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
        if auth != f"Basic {expected}":
            return 401, {}, {"errorMessages": ["Client must be authenticated."]}
        parts = urlsplit(path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        start, size = int(query.get("startAt", "0")), int(query.get("maxResults", "50"))
        if parts.path == "/rest/agile/1.0/board":
            boards = [
                {"id": b, "type": "scrum"}
                for b in self.projects.get(query.get("projectKeyOrId", ""), [])
            ]
            return 200, {}, _page(boards, start, size)
        if parts.path.startswith("/rest/agile/1.0/board/") and parts.path.endswith("/sprint"):
            board = int(parts.path.split("/")[5])
            sprints = [_sprint(s) for s in self.sprints if s.board == board]
            return 200, {}, _page(sprints, start, size)
        if parts.path == "/rest/greenhopper/1.0/rapid/charts/sprintreport":
            found = [s for s in self.sprints if str(s.id) == query.get("sprintId")]
            if not found:
                return 404, {}, {"errorMessages": ["Sprint not found"]}
            return 200, {}, _report(found[0])
        return 404, {}, {"errorMessages": ["Not found"]}


def _page(values: list[Any], start: int, size: int) -> dict[str, Any]:
    chunk = values[start : start + size]
    return {
        "maxResults": size,
        "startAt": start,
        "isLast": start + size >= len(values),
        "values": chunk,
    }


def _sprint(s: Sprint) -> dict[str, Any]:
    return {
        "id": s.id,
        "self": f"/rest/agile/1.0/sprint/{s.id}",
        "state": "closed",
        "name": f"Sprint {s.id}",
        "startDate": s.start,
        "endDate": s.complete,
        "completeDate": s.complete,
        "originBoardId": s.board,
    }


def _report(s: Sprint) -> dict[str, Any]:
    total = s.planned + s.added - s.removed

    def issue(n: int) -> dict[str, Any]:
        return {"id": n, "key": f"K-{s.id}-{n}"}

    return {
        "contents": {
            "completedIssues": [issue(n) for n in range(s.completed)],
            "issuesNotCompletedInCurrentSprint": [issue(n) for n in range(s.completed, total)],
            "puntedIssues": [issue(-n - 1) for n in range(s.removed)],
            "issueKeysAddedDuringSprint": {f"K-{s.id}-{n}": True for n in range(s.added)},
        },
        "sprint": _sprint(s),
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeJira

    def do_GET(self) -> None:
        status, extra, body = self.fake.answer(self.path, self.headers.get("Authorization", ""))
        raw = json.dumps(body).encode()
        self.send_response(status)
        for key, value in extra.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


FakeJira.handler = _Handler
