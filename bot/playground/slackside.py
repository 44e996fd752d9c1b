"""What Slack sends the bot, built and signed as Slack does, for the playground to send."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(secret, ts, body)}


def trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**9}.{uuid.uuid4().hex[:20]}"


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else {}


@dataclass
class SlackSide:
    """Sends Slack-shaped, signed requests to the bot's `/slack/events`."""

    events_url: str
    secret: str
    team_id: str
    team_domain: str = "acme"
    app_id: str = "A0VPEBOT"

    def post(self, body: bytes, content_type: str) -> Reply:
        request = urllib.request.Request(  # noqa: S310 - the bot, on loopback
            self.events_url,
            data=body,
            headers={**signed_headers(body, self.secret), "Content-Type": content_type},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return Reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read())

    def form(self, fields: dict[str, str]) -> Reply:
        return self.post(
            urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def command(
        self,
        text: str,
        user_id: str,
        user_name: str,
        channel_id: str,
        response_url: str,
        trigger: str | None = None,
    ) -> Reply:
        return self.form(
            {
                "token": "playground",
                "team_id": self.team_id,
                "team_domain": self.team_domain,
                "channel_id": channel_id,
                "channel_name": channel_id,
                "user_id": user_id,
                "user_name": user_name,
                "command": "/vpe",
                "text": text,
                "api_app_id": self.app_id,
                "is_enterprise_install": "false",
                "response_url": response_url,
                "trigger_id": trigger or trigger_id(),
            }
        )

    def interaction(self, payload: dict[str, Any]) -> Reply:
        base = {
            "team": {"id": self.team_id, "domain": self.team_domain},
            "api_app_id": self.app_id,
            "token": "playground",
            "trigger_id": payload.get("trigger_id") or trigger_id(),
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.form({"payload": json.dumps(base | payload)})

    def event(self, event: dict[str, Any]) -> Reply:
        envelope = {
            "token": "playground",
            "team_id": self.team_id,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}",
            "event_time": int(time.time()),
        }
        return self.post(json.dumps(envelope).encode(), "application/json")
