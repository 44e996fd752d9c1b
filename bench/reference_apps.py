"""The two reference Bolt apps of bench/ack_bench.py, served exactly as `vpe-bot serve` is.

Usage (from the repository root, with the bot's environment: SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET, SLACK_API_URL, DATABASE_URL, WEB_CONCURRENCY, WEB_THREADS…):
    python bench/reference_apps.py default --host 127.0.0.1 --port 3101
    python bench/reference_apps.py pbr --host 127.0.0.1 --port 3102

Both register one listener for `/vpe` that only calls `ack()`:
- `default`: Bolt's defaults (process_before_response=False). Bolt runs the listener on its
  thread pool and polls every 10 ms until `ack()` was called: the usual Bolt app.
- `pbr`: process_before_response=True. The listener runs in the request thread and the
  response goes out as soon as it returns: the floor for a signed, verified acknowledgement.

They run under the bot's own gunicorn set-up (`bot.runtime.gunicorn.serve_http`: gthread workers,
WEB_CONCURRENCY × WEB_THREADS, same timeouts and keep-alive) with Bolt's WSGI adapter
(`slack_bolt.adapter.wsgi.SlackRequestHandler`), and the same logging configuration. Bolt's
start-up auth.test goes to SLACK_API_URL (the fake Slack in the benchmark). GET /healthz
answers 200 without touching anything, so the benchmark can wait for readiness.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.core.config import configure_logging, load_settings
from bot.runtime.gunicorn import serve_http

KINDS = ("default", "pbr")


def build_reference(kind: str, token: str, signing_secret: str, api_url: str) -> App:
    """A Bolt app whose `/vpe` listener only acknowledges."""
    app = App(
        client=WebClient(token=token, base_url=api_url, timeout=10),
        signing_secret=signing_secret,
        process_before_response=(kind == "pbr"),
        logger=logging.getLogger(f"bench.reference.{kind}"),
    )

    @app.command("/vpe")
    def acknowledge(ack: Ack) -> None:
        ack()

    return app


class ReferenceWeb:
    """Bolt's WSGI adapter, plus a /healthz that answers 200 (the bot's WebApp, minus the DB)."""

    def __init__(self, app: App) -> None:
        self._slack = SlackRequestHandler(app)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return self._slack(environ, start_response)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = load_settings()
    configure_logging(settings)
    assert settings.slack_bot_token
    assert settings.slack_signing_secret

    def load() -> ReferenceWeb:
        # Built in each worker after the fork, as the bot builds its app.
        assert settings.slack_bot_token
        assert settings.slack_signing_secret
        app = build_reference(
            args.kind,
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_api_url,
        )
        return ReferenceWeb(app)

    serve_http(settings, load, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
