"""The playground's JSON API answers the page on loopback only (issue 13, items 15 and 5).

A page on another site could POST `text/plain` to http://127.0.0.1:3000/api/send with its
own Origin and change the demo's settings (CSRF), and a name of the attacker's that
resolves to 127.0.0.1 could do the same with its own Host (DNS rebinding). The API now
takes JSON only, from its own origin, for a Host naming the loopback address it serves.
"""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from bot.playground.demo import LEADERSHIP
from tests.support.playground import Playground
from tests.support.signing import raw_post

CHANGE = {"user": "U0CEO", "conv": LEADERSHIP, "text": "/vpe settings timezone Asia/Tokyo"}


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Playground]:
    running = Playground(tmp_path_factory.mktemp("playground-http"))
    yield running
    running.stop()


def send(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url + "/api/send", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def workspace(playground: Playground) -> tuple[int, str | None]:
    with sqlite3.connect(playground.directory / "playground.db") as connection:
        row = connection.execute("SELECT anonymity_threshold, timezone FROM workspaces").fetchone()
    return int(row[0]), row[1]


def test_a_foreign_page_cannot_drive_the_playground(playground: Playground) -> None:
    url, port = playground.url, urlsplit(playground.url).port
    zone = workspace(playground)[1]
    assert zone != "Asia/Tokyo"
    body = json.dumps(CHANGE).encode()
    own = {"Origin": url, "Content-Type": "application/json"}
    refused = {
        "foreign origin": (body, own | {"Origin": "https://evil.example"}),
        "null origin": (body, own | {"Origin": "null"}),
        "text/plain": (body, own | {"Content-Type": "text/plain"}),
        "a form": (body, own | {"Content-Type": "application/x-www-form-urlencoded"}),
        "rebound host": (body, own | {"Host": f"evil.example:{port}"}),
        "rebound host and origin": (
            body,
            own | {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
        ),
        "another port": (body, own | {"Origin": f"http://127.0.0.1:{port + 1}"}),
    }
    seen = {name: send(url, data, headers) for name, (data, headers) in refused.items()}
    assert seen == {
        "foreign origin": 403,
        "null origin": 403,
        "text/plain": 415,
        "a form": 415,
        "rebound host": 403,
        "rebound host and origin": 403,
        "another port": 403,
    }
    threshold = json.dumps(CHANGE | {"text": "/vpe settings anonymity 4"}).encode()
    assert send(url, threshold, own) == 200, "the page itself still works"
    localhost = own | {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}
    assert send(url, json.dumps(CHANGE | {"text": "/vpe help"}).encode(), localhost) == 200
    deadline = time.monotonic() + 10
    while workspace(playground)[0] != 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workspace(playground) == (4, zone), "none of the refused requests had an effect"


def test_a_body_over_the_cap_is_refused_unread(playground: Playground) -> None:
    # The length is announced and only the first bytes are sent: the answer must come
    # before the body is read (a server waiting for it gets no answer out). Sending the
    # whole megabyte would race the refusal: a client still writing when the server has
    # answered and closed gets a broken pipe instead of the 413.
    headers = {"Origin": playground.url, "Content-Type": "application/json"}
    answer = raw_post(
        playground.url + "/api/send", headers | {"Content-Length": "1000013"}, b'{"text": "x'
    )
    assert answer.split(b" ")[1:2] == [b"413"], answer[:200] or "no answer within 10 s"
