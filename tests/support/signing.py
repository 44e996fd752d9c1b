"""Requests shaped and signed as Slack sends them (v0 HMAC-SHA256 over `v0:{ts}:{body}`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(secret, ts, body)}


@dataclass
class HttpResult:
    status: int
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


def post(url: str, body: bytes, headers: dict[str, str], content_type: str) -> HttpResult:
    request = urllib.request.Request(
        url, data=body, headers={**headers, "Content-Type": content_type}, method="POST"
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return HttpResult(response.status, response.read(), time.monotonic() - started)
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), time.monotonic() - started)


def get(url: str) -> HttpResult:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return HttpResult(response.status, response.read(), time.monotonic() - started)
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), time.monotonic() - started)


def form_body(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def raw_post(url: str, headers: dict[str, str], first_bytes: bytes, wait: float = 10.0) -> bytes:
    """Send a request's headers and only the first bytes of its body, then read the answer
    (or b"" when none comes within `wait` seconds): the answer must not wait for the rest."""
    parts = urlsplit(url)
    head = f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as connection:
        connection.sendall(head.encode() + b"\r\n" + first_bytes)
        try:
            return connection.recv(65536)
        except TimeoutError:
            return b""
