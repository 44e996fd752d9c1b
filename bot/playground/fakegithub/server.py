"""The stand-in's state and HTTP side: repositories, faults, rate limits, pages and ETags.

Routes (GitHub's): /repos/{owner}/{repo}/pulls, /deployments, /deployments/{id}/statuses,
/releases. A wrong token gets 401 "Bad credentials"; past `rate_limit` requests in a window
every request gets GitHub's primary-limit 403 until the window resets; `fail_next` queues
5xx answers, secondary limits (429 with Retry-After) or stalls (a timeout for the client).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..loopback import LoopbackServer
from . import shapes


@dataclass
class Pull:
    number: int
    title: str
    created_at: str
    updated_at: str
    merged_at: str | None
    labels: tuple[str, ...] = ()


@dataclass
class Deployment:
    id: int
    environment: str
    created_at: str
    status_at: str
    state: str  # success | failure | error | pending | inactive


@dataclass
class Release:
    id: int
    tag: str
    created_at: str


@dataclass
class Repo:
    pulls: list[Pull] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)


class FakeGitHub(LoopbackServer):
    """Start with `with FakeGitHub(token) as github:`; `github.api_url` is the base URL."""

    def __init__(
        self, token: str = "ghp_test", rate_limit: int = 5000, window: float = 3600
    ) -> None:
        super().__init__()
        self.token, self.rate_limit, self.window = token, rate_limit, window
        self.repos: dict[str, Repo] = {}
        self.faults: list[str] = []  # "500", "401", "secondary", "secondary403", "stall"
        self.requests: list[str] = []
        self.limited = 0  # requests refused by the primary rate limit
        self.stall_seconds = 3.0
        self._lock = threading.Lock()
        self._window_start = time.time()
        self._used = 0
        self._counted = False  # the first window starts at the first request

    # State -------------------------------------------------------------------------------
    def repo(self, name: str) -> Repo:
        return self.repos.setdefault(name, Repo())

    def fail_next(self, *faults: str) -> None:
        with self._lock:
            self.faults.extend(faults)

    @property
    def api_url(self) -> str:
        return self.base_url

    # Answers -----------------------------------------------------------------------------
    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests.append(path)
            fault = self.faults.pop(0) if self.faults else None
        if fault == "stall":
            time.sleep(self.stall_seconds)
        if fault == "500":
            return 502, {}, shapes.error("Server Error", 502)
        if fault == "401":
            return 401, {}, shapes.error("Bad credentials", 401)
        if fault == "secondary403":
            message = "You have exceeded a secondary rate limit. Please wait a few minutes."
            return 403, {}, shapes.error(message, 403)
        if fault == "secondary":
            message = "You have exceeded a secondary rate limit."
            return 429, {"Retry-After": "1"}, shapes.error(message, 429)
        auth = headers.get("authorization", "")
        if auth not in (f"Bearer {self.token}", f"token {self.token}"):
            return 401, {}, shapes.error("Bad credentials", 401)
        limits = self._count()
        if limits is None:
            with self._lock:
                self.limited += 1
            return 403, self._limit_headers(), shapes.error("API rate limit exceeded.", 403)
        status, extra, body = self._route(path)
        etag = 'W/"' + hashlib.sha256(json.dumps(body).encode()).hexdigest()[:32] + '"'
        extra = {**limits, **extra, "ETag": etag}
        if status == 200 and headers.get("if-none-match") == etag:
            with self._lock:
                self._used -= 1  # GitHub: a 304 costs no rate limit
            return 304, {"ETag": etag}, None
        return status, extra, body

    def _count(self) -> dict[str, str] | None:
        with self._lock:
            now = time.time()
            if not self._used and not self._counted:
                self._window_start, self._counted = float(int(now)), True  # on whole seconds
            if now >= self._window_start + self.window:
                self._window_start, self._used = float(int(now)), 0
            if self._used >= self.rate_limit:
                return None
            self._used += 1
        return self._limit_headers()

    def _limit_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, self.rate_limit - self._used)),
            "X-RateLimit-Reset": str(int(self._window_start + self.window + 0.999)),
            "X-RateLimit-Used": str(self._used),
            "X-RateLimit-Resource": "core",
        }

    def _route(self, path: str) -> tuple[int, dict[str, str], Any]:
        parts = urlsplit(path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        segments = parts.path.strip("/").split("/")
        if len(segments) < 4 or segments[0] != "repos":
            return 404, {}, shapes.error("Not Found", 404)
        name = f"{segments[1]}/{segments[2]}"
        repo = self.repos.get(name)
        if repo is None:
            return 404, {}, shapes.error("Not Found", 404)
        base, rest = self.api_url, segments[3:]
        items: list[Any]
        if rest == ["pulls"]:
            pulls = [p for p in repo.pulls if query.get("state", "open") in ("closed", "all")]
            pulls.sort(key=lambda p: p.updated_at, reverse=query.get("direction") != "asc")
            items = [(shapes.pull, p) for p in pulls]
            repo_shape = shapes.repository(base, name)
            render = lambda f, p: f(base, name, repo_shape, p)  # noqa: E731
        elif rest == ["deployments"]:
            ordered = sorted(repo.deployments, key=lambda d: d.created_at, reverse=True)
            items = [(shapes.deployment, d) for d in ordered]
            render = lambda f, d: f(base, name, d)  # noqa: E731
        elif len(rest) == 3 and rest[0] == "deployments" and rest[2] == "statuses":
            found = [d for d in repo.deployments if str(d.id) == rest[1]]
            if not found:
                return 404, {}, shapes.error("Not Found", 404)
            items = [(shapes.deployment_status, found[0])] if found[0].state != "queued" else []
            render = lambda f, d: f(base, name, d)  # noqa: E731
        elif rest == ["releases"]:
            releases = sorted(repo.releases, key=lambda r: r.created_at, reverse=True)
            items = [(shapes.release, r) for r in releases]
            render = lambda f, r: f(base, name, r)  # noqa: E731
        else:
            return 404, {}, shapes.error("Not Found", 404)
        return self._paged(parts.path, query, items, render)

    def _paged(
        self, path: str, query: dict[str, str], items: list[Any], render: Any
    ) -> tuple[int, dict[str, str], Any]:
        per_page = min(100, int(query.get("per_page", "30")))
        page = max(1, int(query.get("page", "1")))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        last = max(1, -(-len(items) // per_page))
        if page < last:
            others = "&".join(f"{k}={v}" for k, v in query.items() if k != "page")
            link = f"{self.api_url}{path}?{others}&page="
            headers["Link"] = f'<{link}{page + 1}>; rel="next", <{link}{last}>; rel="last"'
        return 200, headers, [render(f, item) for f, item in chunk]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeGitHub

    def do_GET(self) -> None:
        headers = {key.lower(): value for key, value in self.headers.items()}
        status, extra, body = self.fake.answer(self.path, headers)
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for key, value in extra.items():
            self.send_header(key, value)
        if raw:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if raw:
            self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


FakeGitHub.handler = _Handler
