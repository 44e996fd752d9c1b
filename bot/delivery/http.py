"""A small JSON-over-HTTPS client for the delivery sources: retries, rate limits, ETags, pages.

Standard library only (urllib): the bot already carries enough dependencies, and every
source speaks plain JSON. What it does for every request:

- a 304 to a conditional request (`If-None-Match` with the ETag seen last time) means
  "nothing new" and costs no rate limit;
- a primary rate limit (403/429 with `X-RateLimit-Remaining: 0`) waits until
  `X-RateLimit-Reset`; a secondary one (`Retry-After`, or 403/429 without it) waits the
  time asked, or a minute;
- 5xx answers and timeouts are tried again with exponential backoff, a few times;
- 401 (and 403 that is no rate limit) raise `SourceError` naming the source and what to fix.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
SECONDARY_WAIT = 60.0  # seconds, GitHub's advice when a secondary limit gives no Retry-After
MAX_WAIT = 3600.0


class SourceError(Exception):
    """A source refused us for a reason the operator must fix (token, URL, access)."""

    def __init__(self, source: str, problem: str, fix: str) -> None:
        super().__init__(f"{source}: {problem} {fix}")
        self.source, self.problem, self.fix = source, problem, fix


class Unavailable(Exception):
    """A source kept failing (5xx, timeouts) after every retry: try again at the next sync."""


@dataclass
class Page:
    status: int  # 200, or 304 when the ETag still matched
    body: Any
    etag: str | None
    next_url: str | None


@dataclass
class HttpClient:
    """One source's connection: its name (for messages), headers, and how it waits."""

    source: str
    headers: Mapping[str, str]
    timeout: float = 20.0
    retries: int = 4
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.time
    requests: int = field(default=0, init=False)
    waited: float = field(default=0.0, init=False)
    # When the last answer said the quota is spent, the next request waits for its reset
    # instead of being refused (GitHub asks clients not to call while limited).
    resume_at: float = field(default=0.0, init=False)

    def get(self, url: str, etag: str | None = None) -> Page:
        return self.send(url, None, etag)

    def post(self, url: str, payload: Any) -> Page:
        return self.send(url, json.dumps(payload).encode(), None)

    def send(self, url: str, data: bytes | None, etag: str | None) -> Page:
        attempt = 0
        while True:
            if self.resume_at > self.now():
                self._pause(min(MAX_WAIT, self.resume_at - self.now()))
            headers = {"Accept": "application/json", **self.headers}
            if data is not None:
                headers["Content-Type"] = "application/json"
            if etag:
                headers["If-None-Match"] = etag
            request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                    self._note_quota(answer.headers)
                    return _page(answer.status, answer.read(), answer.headers)
            except urllib.error.HTTPError as error:
                if error.code == 304:
                    return Page(304, None, etag, None)
                body = error.read()
                wait = self._wait_for(error.code, error.headers, attempt, body)
            except (TimeoutError, urllib.error.URLError) as error:
                if isinstance(error, urllib.error.URLError) and not _transient(error):
                    raise SourceError(
                        self.source,
                        f"cannot reach {url.split('?')[0]} ({error.reason}).",
                        "Check the API URL setting and that this host can reach it.",
                    ) from None
                wait, body = self._backoff(attempt), b""
            attempt += 1
            if attempt > self.retries:
                raise Unavailable(f"{self.source}: still failing after {self.retries} retries")
            del body
            self._pause(wait)

    def _wait_for(self, code: int, headers: Message, attempt: int, body: bytes = b"") -> float:
        if code == 400:
            return self._graphql_error(headers, body)
        limited = headers.get("X-RateLimit-Remaining") == "0"
        retry_after = headers.get("Retry-After")
        # GitHub's secondary limits may come as a 403 that only its message tells apart.
        secondary = code == 403 and b"rate limit" in body.lower()
        if code in (403, 429) and (limited or retry_after or secondary or code == 429):
            if retry_after:
                return min(MAX_WAIT, float(retry_after))
            if limited and headers.get("X-RateLimit-Reset"):
                return min(MAX_WAIT, max(0.0, float(headers["X-RateLimit-Reset"]) - self.now()))
            return SECONDARY_WAIT
        if code == 401:
            raise SourceError(
                self.source,
                "the token was refused (401 Unauthorized).",
                "Check the token setting: it may be mistyped, expired or revoked.",
            )
        if code == 403:
            raise SourceError(
                self.source,
                "access denied (403 Forbidden).",
                "Give the token read access to this repository or project.",
            )
        if code == 404:
            raise SourceError(
                self.source,
                "not found (404).",
                "Check the name in the settings, and that the token can see it.",
            )
        if code >= 500:
            return self._backoff(attempt)
        raise SourceError(self.source, f"unexpected answer {code}.", "See the bot's log.")

    def _note_quota(self, headers: Message) -> None:
        reset = headers.get("X-RateLimit-Reset")
        if headers.get("X-RateLimit-Remaining") == "0" and reset:
            self.resume_at = float(reset)

    def _graphql_error(self, headers: Message, body: bytes) -> float:
        """GraphQL APIs (Linear) answer 400 with a code for a bad key or a rate limit."""
        try:
            errors = json.loads(body or b"{}").get("errors") or []
        except (ValueError, AttributeError):
            errors = []
        codes = {str((e.get("extensions") or {}).get("code", "")).upper() for e in errors}
        if "RATELIMITED" in codes:
            reset = headers.get("X-RateLimit-Requests-Reset")  # milliseconds since the epoch
            wait = float(reset) / 1000 - self.now() if reset else SECONDARY_WAIT
            return min(MAX_WAIT, max(0.0, wait))
        if "AUTHENTICATION_ERROR" in codes:
            raise SourceError(
                self.source,
                "the API key was refused.",
                "Check the API key setting: it may be mistyped or revoked.",
            )
        message = "; ".join(str(e.get("message", "")) for e in errors)[:200] or "bad request"
        raise SourceError(self.source, f"the request was refused ({message}).", "See the log.")

    def _backoff(self, attempt: int) -> float:
        return float(self.backoff * 2**attempt)

    def _pause(self, seconds: float) -> None:
        self.waited += seconds
        self.sleep(seconds)


def _transient(error: urllib.error.URLError) -> bool:
    reason = error.reason
    return isinstance(reason, TimeoutError | ConnectionResetError)


def _page(status: int, raw: bytes, headers: Message) -> Page:
    link = headers.get("Link") or ""
    match = LINK_NEXT.search(link)
    body = json.loads(raw) if raw else None
    return Page(status, body, headers.get("ETag"), match.group(1) if match else None)
