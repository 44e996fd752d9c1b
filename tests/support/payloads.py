"""Slack payloads, from real shapes kept in tests/payloads/, with the fields a test changes."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"


@cache
def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return loaded


def payload(name: str, **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(_load(name))
    body.update(changes)
    return body


def slash_command(text: str, *, user_id: str, response_url: str, **changes: str) -> dict[str, str]:
    body = payload(
        "slash_command",
        text=text,
        user_id=user_id,
        response_url=response_url,
        trigger_id=f"{uuid.uuid4().int % 10**11}.738474920.{uuid.uuid4().hex[:12]}",
        **changes,
    )
    return {key: str(value) for key, value in body.items()}
