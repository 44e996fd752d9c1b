"""The playground reaches the decision (a report to open) and walks through a handover."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bot.playground.demo import LEADERSHIP
from tests.support.playground import Playground


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Playground]:
    running = Playground(tmp_path_factory.mktemp("playground-decision"))
    yield running
    running.stop()


def call(playground: Playground, route: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Origin": playground.url, "Content-Type": "application/json"}
    request = urllib.request.Request(
        playground.url + route, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def seen(playground: Playground, user: str, conv: str, wanted: str) -> str:
    """The conversation's page once it shows `wanted` (the bot answers after its ack)."""
    deadline = time.monotonic() + 20
    while True:
        page = str(call(playground, "/api/conversation", {"user": user, "conv": conv})["html"])
        if wanted in page or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


def test_the_demo_reaches_the_decision_and_a_handover(playground: Playground) -> None:
    say = {"user": "U0CEO", "conv": LEADERSHIP}
    call(playground, "/api/send", say | {"text": "/vpe report"})
    dm = seen(playground, "U0CEO", "dm", ".pdf")
    link = re.search(r'<a href="(/files/[^"]+)"[^>]*>📄 ([^<]+\.pdf)', dm)
    assert link is not None, dm
    with urllib.request.urlopen(playground.url + link.group(1), timeout=10) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")

    call(playground, "/api/send", say | {"text": "/vpe roles set vpe @lea"})
    seen(playground, "U0CEO", LEADERSHIP, "est désormais VP Engineering")
    call(playground, "/api/send", say | {"text": "/vpe handover"})
    plan = seen(playground, "U0CEO", LEADERSHIP, "Plan de passation")
    assert "Plan de passation" in plan  # Camille reads French
    call(playground, "/api/advance", {"to": "month"})
    for person in ("U0CTO", "U0ENG01"):
        reminder = seen(playground, person, "dm", "passation")
        assert "passation à échéance" in reminder
