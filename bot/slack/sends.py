"""Posting a message exactly once when Slack's answer may be lost: "maybe sent".

Slack sometimes posts a message and still answers 500 or 503, or the answer never comes (a
timeout, a connection reset once the request has left). Posting again blindly would give
the person the message twice. Each post the scheduler makes (pulse DMs, reminders, close
notices, digests) carries a marker in its message metadata; when the outcome is unknown, the
conversation is read (conversations.history, paced through the workspace's gate) and the
message is posted again only if the marker is not there.

slack_sdk's own retry handlers leave marked posts alone (bot.slack.markers.is_marked): the
caller does this look-first retry instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.markers import marked, marker_of
from bot.slack.ratelimit import gate_of

log = logging.getLogger(__name__)

# How far back to look: a post cannot be older than its first attempt, give or take the
# difference between our clock and Slack's.
CLOCK_MARGIN = 120.0


@dataclass
class Resend:
    """How a send with an unknown outcome is retried: pause (doubling) before looking."""

    pause: float = 2.0
    retries: int = 2


class UnknownOutcome(Exception):
    """Still unknown after the retries: the message may or may not be there."""


def unknown_outcome(error: Exception) -> bool:
    """The request may have reached Slack and been done: a 5xx, a timeout, a lost answer."""
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        return isinstance(status, int) and status >= 500
    cause: BaseException = error
    if isinstance(error, URLError) and isinstance(error.reason, BaseException):
        cause = error.reason  # urllib's wrapper around what happened to the socket
    return isinstance(cause, TimeoutError | ConnectionResetError | RemoteDisconnected)


def post_once(
    client: WebClient,
    channel: str,
    kwargs: dict[str, Any],
    key: str,
    resend: Resend,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str, str]:
    """chat.postMessage with the marker; (channel, ts). When the outcome is unknown: pause,
    look for the marker in the conversation, post again only if it is not there. A look
    that fails in a passing way is tried again after the next pause, never taken for "not
    there"; at most `resend.retries + 1` looks in all.

    Raises SlackApiError for Slack's refusals, UnknownOutcome when it stays unknown.
    """
    gate = gate_of(client, "chat.postMessage")
    since = time.time() - CLOCK_MARGIN
    looks = 0
    while True:
        if gate is not None:
            gate.wait(channel)
        try:
            sent = client.chat_postMessage(channel=channel, **marked(kwargs, key))
            return str(sent["channel"]), str(sent["ts"])
        except (SlackApiError, OSError) as error:
            if not unknown_outcome(error):
                raise
            log.info("a post's outcome is unknown (%s); looking before posting again", _why(error))
        while True:
            if looks > resend.retries:
                raise UnknownOutcome(f"{key}: outcome unknown after {looks} looks")
            sleep(resend.pause * 2**looks)
            looks += 1
            found = find_marked(client, channel, key, since)
            if found is not LOOK_FAILED:
                break
        if isinstance(found, tuple):
            return found


class _LookFailed:
    """The look itself failed in a passing way (5xx, timeout, rate limit after retries)."""


LOOK_FAILED = _LookFailed()


def find_marked(
    client: WebClient, channel: str, key: str, since: float
) -> tuple[str, str] | _LookFailed | None:
    """(channel, ts) of the message carrying `key` posted since `since`; None when it is not
    there; LOOK_FAILED when Slack could not be asked just now.

    `channel` may be a user id (a DM): the DM's channel is opened first. One page of history
    (the conversation's newest messages since then). Slack refusing the look for good (a
    missing scope, the bot not in the channel) counts as not there: it would never tell.
    """
    gate = gate_of(client, "conversations.history")
    try:
        if channel.startswith(("U", "W")):
            channel = str(client.conversations_open(users=channel)["channel"]["id"])
        if gate is not None:
            gate.wait()
        history = client.conversations_history(
            channel=channel, oldest=f"{since:.6f}", limit=100, include_all_metadata=True
        )
    except SlackApiError as error:
        if unknown_outcome(error) or error.response.status_code == 429:
            log.info("could not look for an earlier post: %s", _why(error))
            return LOOK_FAILED
        log.warning(
            "cannot look for an earlier post (%s): posting again", error.response.get("error")
        )
        return None
    except OSError as error:
        log.info("could not look for an earlier post: %s", _why(error))
        return LOOK_FAILED
    messages: list[dict[str, Any]] = history.get("messages", [])
    for message in messages:
        if marker_of(message) == key:
            return channel, str(message["ts"])
    return None


def _why(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"HTTP {getattr(error.response, 'status_code', '?')}"
    return type(error).__name__
