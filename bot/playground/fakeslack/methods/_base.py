"""What every Web API method needs: the request context, Slack's error, parameter parsing."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..state import SlackState, Team

_T = TypeVar("_T")


class ApiError(Exception):
    """A Slack error answer: HTTP 200 with {"ok": false, "error": ...} plus extra fields."""

    def __init__(self, error: str, messages: Sequence[str] = (), **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = dict(extra)
        if messages:
            self.extra["response_metadata"] = {"messages": list(messages)}

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


@dataclass
class Ctx:
    """One Web API request, as a method function sees it."""

    state: SlackState
    params: dict[str, Any]
    token: str | None
    team_or_none: Team | None
    base_url: str  # http://127.0.0.1:PORT, for the URLs the fake hands out
    socket_url: str
    basic_auth: tuple[str, str] | None = None

    @property
    def team(self) -> Team:
        if self.team_or_none is None:  # only methods registered as token-free get here
            raise ApiError("not_authed")
        return self.team_or_none

    def text(self, name: str) -> str | None:
        """A string parameter; absent and empty are the same, as in Slack's form posts."""
        value = self.params.get(name)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else str(value)

    def required(self, name: str, error: str = "invalid_arguments") -> str:
        value = self.text(name)
        if value is None:
            if error == "invalid_arguments":
                raise ApiError(error, [f"[ERROR] missing required field: {name}"])
            raise ApiError(error)
        return value

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    def number(self, name: str, default: int) -> int:
        value = self.params.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError("invalid_arguments", [f"[ERROR] {name} must be a number"]) from None

    def page(self, items: Sequence[_T], limit_default: int = 100) -> tuple[list[_T], str]:
        """One page of `items` and Slack's next_cursor ("" on the last page)."""
        limit = self.number("limit", limit_default)
        limit = limit_default if limit <= 0 else min(limit, 1000)
        offset = _decode_cursor(self.text("cursor"))
        chunk = list(items[offset : offset + limit])
        more = offset + limit < len(items)
        return chunk, _encode_cursor(offset + limit) if more else ""


Method = Callable[[Ctx], dict[str, Any]]


def ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def _encode_cursor(offset: int) -> str:
    # Slack cursors are opaque base64 strings; keep ours opaque too so nobody parses them.
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        kind, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind == "offset" and number.isdigit():
            return int(number)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise ApiError("invalid_cursor")
