"""A test's view of Slack: people to act as, and requests sent to the bot as Slack sends them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from tests.fakeslack import FakeSlack, ResponsePost
from tests.support.payloads import payload, slash_command
from tests.support.signing import HttpResult, form_body, post, signed_headers

# The demo people every end-to-end test can act as.
PEOPLE: dict[str, dict[str, Any]] = {
    "U0ADMIN": {"name": "ada", "real_name": "Ada Admin", "is_admin": True},
    "U0OWNER": {"name": "olga", "real_name": "Olga Owner", "is_owner": True},
    "U0MEMBER": {"name": "sam", "real_name": "Sam Member"},
    "U0FRENCH": {"name": "marie", "real_name": "Marie Dupont", "locale": "fr-FR"},
    "U0CTO": {"name": "chris", "real_name": "Chris CTO"},
}


@dataclass
class SlackWorkspace:
    fake: FakeSlack
    team_id: str
    bot_url: str
    general: str = "C0GENERAL"

    def seed_people(self, suffix: str = "") -> dict[str, str]:
        """Add the demo people (ids get `suffix`, as Slack ids are unique across workspaces)."""
        ids = {user_id: user_id + suffix for user_id in PEOPLE}
        for user_id, profile in PEOPLE.items():
            self.fake.add_user(self.team_id, ids[user_id], **profile)
        self.general = "C0GENERAL" + suffix
        self.fake.add_channel(self.team_id, self.general, "general", [*ids.values(), "UBOT"])
        return ids

    @property
    def events_url(self) -> str:
        return self.bot_url + "/slack/events"

    def command(
        self, text: str, user_id: str = "U0MEMBER", name: str | None = None, **fields: str
    ) -> HttpResult:
        """Type `/vpe <text>` as `user_id`; returns the HTTP answer to Slack's request."""
        name = name or f"cmd-{time.monotonic_ns()}"
        body = slash_command(
            text,
            user_id=user_id,
            response_url=self.fake.response_url(
                name, channel_id=fields.get("channel_id", self.general), user_id=user_id
            ),
            team_id=self.team_id,
            **fields,
        )
        raw = form_body(body)
        return post(self.events_url, raw, signed_headers(raw), "application/x-www-form-urlencoded")

    def command_reply(self, text: str, user_id: str = "U0MEMBER", **fields: str) -> ResponsePost:
        """Type `/vpe <text>` and wait for the answer the bot posts to this command's response_url
        (never a late answer to an earlier request)."""
        name = f"cmd-{time.monotonic_ns()}"
        result = self.command(text, user_id, name, **fields)
        assert result.status == 200, result.body
        replies = self.fake.wait_for(
            lambda: [r for r in self.fake.responses if r.name == name], timeout=10
        )
        reply: ResponsePost = replies[0]
        return reply

    def action(self, payload: dict[str, Any], user_id: str = "U0MEMBER") -> ResponsePost | None:
        """Click: send a block_actions payload; return the first response_url post, if any."""
        name = f"act-{time.monotonic_ns()}"
        payload = payload | {
            "user": {"id": user_id, "team_id": self.team_id},
            "team": {"id": self.team_id, "domain": "acme"},
            "response_url": self.fake.response_url(name),
        }
        raw = form_body({"payload": json.dumps(payload)})
        result = post(
            self.events_url, raw, signed_headers(raw), "application/x-www-form-urlencoded"
        )
        assert result.status == 200, result.body
        replies: list[ResponsePost] = self.fake.wait_for(
            lambda: [r for r in self.fake.responses if r.name == name], timeout=10
        )
        return replies[0]

    def click(
        self,
        action_id: str,
        value: str,
        user_id: str,
        channel_id: str,
        message_ts: str,
    ) -> HttpResult:
        """Tap a button in a message (e.g. a pulse DM), as Slack sends it."""
        click = payload("block_actions")
        click["actions"] = [
            {
                "action_id": action_id,
                "block_id": action_id.rsplit(":", 1)[0],
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ]
        click["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        click["channel"] = {"id": channel_id, "name": "directmessage"}
        click["user"] = {"id": user_id, "team_id": self.team_id}
        click["team"] = {"id": self.team_id, "domain": "acme"}
        click["response_url"] = self.fake.response_url(f"tap-{time.monotonic_ns()}")
        click["trigger_id"] = f"{time.monotonic_ns()}.738474920.{user_id}"
        raw = form_body({"payload": json.dumps(click)})
        return post(self.events_url, raw, signed_headers(raw), "application/x-www-form-urlencoded")

    def submit_view(
        self, callback_id: str, values: dict[str, Any], metadata: dict[str, Any], user_id: str
    ) -> HttpResult:
        """Submit a modal, as Slack sends a view_submission."""
        body = payload("view_submission")
        body["user"] = {"id": user_id, "team_id": self.team_id}
        body["team"] = {"id": self.team_id, "domain": "acme"}
        body["trigger_id"] = f"{time.monotonic_ns()}.738474920.{user_id}"
        body["view"] |= {
            "callback_id": callback_id,
            "private_metadata": json.dumps(metadata),
            "state": {"values": values},
        }
        raw = form_body({"payload": json.dumps(body)})
        return post(self.events_url, raw, signed_headers(raw), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], event_id: str, retry: int | None = None) -> HttpResult:
        envelope = {
            "token": "verification-token",
            "team_id": self.team_id,
            "api_app_id": "A0VPEBOT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": "UBOT", "is_bot": True}],
        }
        raw = json.dumps(envelope).encode()
        headers = signed_headers(raw)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return post(self.events_url, raw, headers, "application/json")
