"""What reaches Bolt over HTTP: a body within the cap, signed by Slack, readable.

Bolt's WSGI adapter reads the whole body whatever its size, decodes it and parses it before
checking the signature, and logs the whole body when the signature is wrong. So an unsigned
50 MB POST was read whole (and logged), and an unsigned `payload=notjson`, a body that is not
UTF-8 or a timestamp header `abc` ended in an HTTP 500 with a traceback. The gate runs first,
in this order, so that nobody unsigned gets past the first cheap step:

1. the size: over `MAX_BODY` is a 413, answered from the Content-Length before anything is
   read (a body without one is read up to the cap and no further);
2. the signature, over the raw bytes (Slack's v0 scheme; slack_sdk's verifier decodes the body
   first, which fails on bytes that are not UTF-8): anything unsigned, forged or stale (more
   than five minutes away, as Bolt allows) is a 401, and its body is never logged;
3. then only, the text: not UTF-8, or a form or JSON that does not parse, is a 400.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

# Slack's largest payloads are modal submissions (a 100-block view and its state) and
# message events (40,000 characters of text plus its rich-text blocks): a few hundred KB at
# most. 1 MB leaves room for that with margin, and bounds what one request can make a
# worker hold (the 50 MB figure is in docs/reliability.md).
MAX_BODY = 1_000_000
SSL_CHECK_MAX = 512
TIMESTAMP_DIGITS = 12  # seconds since 1970: ten digits until the year 2286
FRESH_FOR = 5 * 60  # seconds a signed request stays acceptable, as in slack_sdk


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def body_length(environ: WSGIEnvironment) -> int | None:
    """The announced Content-Length; None when absent or not a number."""
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


def read_body(environ: WSGIEnvironment, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit` (then it is not read whole:
    an announced length over the limit is refused before reading a byte; a chunked body is
    read up to the limit and no further). No length and no chunks: no body (HTTP/1.1)."""
    stream = environ.get("wsgi.input")
    announced = body_length(environ)
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    if stream is None or (announced is None and not chunked):
        return b""
    if announced is not None and announced > limit:
        return None
    body: bytes = stream.read(limit + 1 if announced is None else announced)
    return None if len(body) > limit else body


class RequestGate:
    """Checks a POST to /slack/events before Bolt sees it."""

    def __init__(self, signing_secret: str, limit: int = MAX_BODY) -> None:
        self._secret = signing_secret.encode()
        self.limit = limit

    def admit(self, environ: WSGIEnvironment) -> Refusal | None:
        """None when the request may go on to Bolt (its body then re-readable from the
        environ); otherwise why not. Never raises on what the client sent."""
        body = read_body(environ, self.limit)
        if body is None:
            return Refusal(413, "request body too large")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if not self._signed(environ, body) and not ssl_check(body):
            return Refusal(401, "invalid request")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "request body is not UTF-8")
        if not parses(text, str(environ.get("CONTENT_TYPE") or "")):
            return Refusal(400, "request body does not parse")
        return None

    def _signed(self, environ: WSGIEnvironment, body: bytes) -> bool:
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not self._secret or not signature.isascii():
            return False
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > TIMESTAMP_DIGITS:
            return False
        if abs(time.time() - int(timestamp)) > FRESH_FOR:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)


def ssl_check(body: bytes) -> bool:
    """Slack's certificate check (`ssl_check=1`, sent to slash command URLs): Bolt answers it
    with an empty 200 before verifying anything, so it passes here too. Small forms only."""
    if len(body) > SSL_CHECK_MAX:
        return False
    fields = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
    return fields.get("ssl_check") == "1" and "payload" not in fields and "command" not in fields


def parses(text: str, content_type: str) -> bool:
    """Whether Bolt can read the body the way it will (`slack_bolt.request.internals`): JSON
    (an object), a form with a JSON `payload` object, or a plain form."""
    try:
        if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
            return isinstance(json.loads(text), dict)
        if "payload" in text:
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            return payload is None or isinstance(json.loads(payload), dict)
    except ValueError:
        return False
    return True
