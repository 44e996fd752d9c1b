"""The HTTP side: a stdlib ThreadingHTTPServer on loopback, in a background thread.

Routes:  /api/<method>        the Web API (GET query, form, multipart or JSON bodies)
         /hooks/<name>        response_url posts
         /upload/v1/<file id> upload URLs handed out by files.getUploadURLExternal
Threads matter: `delay_next` sleeps inside a request, and other requests must go on.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import socket
import struct
import threading
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .hooks import Hooks, parse_hook_body
from .webapi import Answer, Credentials, WebApi, json_answer, text_answer

logger = logging.getLogger(__name__)

# Parameters that carry JSON inside form fields; decoded so methods and tests see objects.
JSON_PARAMS = ("blocks", "attachments", "view", "files", "metadata")


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a stuck request must not keep the test process alive
    web_api: WebApi
    hooks: Hooks


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _serve(self) -> None:
        try:
            answer = self._route()
        except Exception as error:  # a fake's own bug should read as such, not as a hang
            logger.exception("fakeslack failed on %s", self.path)
            answer = json_answer({"ok": False, "error": f"fakeslack_bug: {error!r}"}, 500)
        if answer.reset:
            self._reset()
            return
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout was shorter than an injected delay)

    def _reset(self) -> None:
        """Drop the connection without a byte of answer: SO_LINGER 0 makes close() send RST."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # the real close (and the RST) follows when rfile closes

    def _route(self) -> Answer:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type") or ""
        if url.path.startswith("/api/"):
            try:
                params = parse_params(url.query, raw, content_type)
            except ValueError:
                return json_answer({"ok": False, "error": "invalid_json"})
            method = url.path.removeprefix("/api/")
            return self.server.web_api.handle(method, params, _credentials(self.headers))
        if url.path.startswith("/hooks/"):
            form = _form(raw, content_type)
            name = unquote(url.path.removeprefix("/hooks/"))
            return self.server.hooks.response_url(name, parse_hook_body(raw, form))
        if url.path.startswith("/upload/v1/"):
            file_id = url.path.removeprefix("/upload/v1/")
            return self.server.hooks.upload(file_id, _upload_bytes(raw, content_type))
        return text_answer("not_found", 404)


class HttpServer:
    def __init__(self, web_api: WebApi, hooks: Hooks, host: str, port: int) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.web_api = web_api
        self._server.hooks = hooks
        # A short poll interval: stop() waits for it, and tests stop the fake often.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fakeslack-http", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def parse_params(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    """All request parameters, wherever slack_sdk (or curl) put them."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        body = json.loads(raw or b"{}")  # ValueError on bad JSON: Slack says invalid_json
        if not isinstance(body, dict):
            raise ValueError("a JSON body must be an object")
        params.update(body)
    else:
        params.update(_form(raw, content_type))
    for key in JSON_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            # Undecodable stays a string: the method answers invalid_blocks_format or the like.
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def _form(raw: bytes, content_type: str) -> dict[str, Any]:
    if content_type.lower().startswith("multipart/form-data"):
        return _multipart(raw, content_type)
    if content_type.lower().startswith("application/json") or not raw:
        return {}
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _multipart(raw: bytes, content_type: str) -> dict[str, Any]:
    """Fields of a multipart body: text for plain fields, bytes for file parts."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        is_file = part.get_param("filename", header="content-disposition") is not None
        fields[name] = payload if is_file else payload.decode("utf-8", "replace")
    return fields


def _upload_bytes(raw: bytes, content_type: str) -> bytes:
    # slack_sdk posts the raw bytes; curl -F posts a multipart form with a file part.
    if content_type.lower().startswith("multipart/form-data"):
        for value in _multipart(raw, content_type).values():
            if isinstance(value, bytes):
                return value
    return raw


def _credentials(headers: Message) -> Credentials:
    auth = headers.get("Authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return Credentials(value.strip())
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return Credentials(None)
        return Credentials(None, (user, password))
    return Credentials(None)
