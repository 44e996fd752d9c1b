"""The marker a post carries in its message metadata, so it can be found again.

A post whose outcome is unknown is looked for by this marker before it is sent again
(bot.slack.sends); slack_sdk's retry handlers leave marked posts to that look (ratelimit).
"""

from __future__ import annotations

from typing import Any

EVENT_TYPE = "vpe_bot_send"  # the metadata event type of every marked post


def marker(kind: str, *parts: object) -> str:
    """A key naming one message to one conversation, e.g. marker("reminder", 12, 1)."""
    return ":".join([kind, *(str(part) for part in parts)])


def marked(kwargs: dict[str, Any], key: str) -> dict[str, Any]:
    """The post's arguments with the marker in its metadata."""
    return {**kwargs, "metadata": {"event_type": EVENT_TYPE, "event_payload": {"key": key}}}


def marker_of(message: dict[str, Any]) -> str | None:
    """The marker of a message read back with include_all_metadata, if it has ours."""
    metadata = message.get("metadata") or {}
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return None
    payload = metadata.get("event_payload") or {}
    key = payload.get("key") if isinstance(payload, dict) else None
    return key if isinstance(key, str) else None


def is_marked(data: bytes | str | None) -> bool:
    """Whether a request body is a marked post (its sender looks before posting again)."""
    if isinstance(data, str):
        return EVENT_TYPE in data
    return data is not None and EVENT_TYPE.encode() in data
