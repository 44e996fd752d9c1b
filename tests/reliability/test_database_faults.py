"""The database goes away for 30 seconds under a running `vpe-bot serve`, then comes back.

The bot reaches PostgreSQL through a TCP proxy (tests/support/tcpproxy.py) that the test
cuts: every connection is dropped and new ones are black-holed, as in a network partition.
Meanwhile signed commands and pulse taps keep arriving. Expected: each gets a polite "try
again" (in the person's language) at its response_url within Slack's 3 seconds, /healthz
says 503, the process stays up, and no tap is shown as saved; once the network is back,
everything works again within seconds and no answer acknowledged before the cut is lost.

SQLite is a file in the bot's own process: there is no network between them to cut, so the
scenario is generated only when TEST_DATABASE_URL names a PostgreSQL server (nothing is
skipped: without it, the scenario is not collected). The proxy's own test runs everywhere.
"""

from __future__ import annotations

import json
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import make_url

from bot.core.i18n import default_catalog
from bot.storage.db import migrate
from bot.storage.models import PulseAnswer
from tests.fakeslack import FakeSlack, ResponsePost
from tests.support.botproc import BOT_TOKEN, BotProcess, bot_environment, free_port
from tests.support.databases import BACKENDS, fresh_database
from tests.support.payloads import payload, slash_command
from tests.support.signing import form_body, get, post, signed_headers
from tests.support.slack import SlackWorkspace
from tests.support.tcpproxy import Mode, TcpProxy

TEAM = "T0TEST"
ENGINEERS = [f"U0ENG{n}" for n in range(1, 6)]
FRENCH = "U0FRENCH"  # locale fr-FR in tests/support/slack.py
RESPONDENTS = [*ENGINEERS, FRENCH]
ITEMS = ("predictability", "priorities", "quality")
CUT_SECONDS = 30.0
SLACK_DEADLINE = 3.0  # seconds Slack gives an app to answer (here: to post at response_url)
CATALOG = default_catalog()
UNAVAILABLE = {lang: CATALOG.t("errors.unavailable", lang) for lang in ("en", "fr")}
AGREE = {"en": "✓ Agree", "fr": "✓ D’accord"}  # the 4 on the scale, as marked once saved
HELP_TITLE = {lang: CATALOG.t("help.title", lang) for lang in ("en", "fr")}
# (text, user): English and French speakers, every kind of command the brief names.
COMMANDS = [
    ("help", "U0MEMBER"),
    ("roles", FRENCH),
    ("ask who owns delivery?", "U0MEMBER"),
    ("pulse status", FRENCH),
    ("help", FRENCH),
    ("roles", "U0MEMBER"),
    ("ask qui porte la vision technique ?", FRENCH),
    ("pulse status", "U0MEMBER"),
]
POSTGRESQL = [name for name in BACKENDS if name == "postgresql"]
FORM = "application/x-www-form-urlencoded"


def lang_of(user: str) -> str:
    return "fr" if user == FRENCH else "en"


# -- the proxy itself (every backend) ----------------------------------------------------


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A tiny echo server standing in for the database."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=echo, args=(conn,), daemon=True).start()

    def echo(conn: socket.socket) -> None:
        with conn:
            try:
                while data := conn.recv(4096):
                    conn.sendall(data)
            except OSError:
                return

    threading.Thread(target=serve, daemon=True).start()
    yield int(server.getsockname()[1])
    server.close()


def roundtrip(port: int, timeout: float = 1.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(b"ping")
        return conn.recv(16)


def test_the_proxy_cuts_and_restores(echo_port: int) -> None:
    with TcpProxy(echo_port) as proxy:
        assert roundtrip(proxy.port) == b"ping"
        live = socket.create_connection(("127.0.0.1", proxy.port), timeout=1)
        live.sendall(b"a")
        assert live.recv(4) == b"a"

        assert proxy.cut("blackhole") == 1, "the open connection is dropped"
        try:
            dropped = live.recv(4) == b""  # EOF, or a reset
        except ConnectionResetError:
            dropped = True
        assert dropped
        live.close()
        with pytest.raises(TimeoutError):  # connects, then nothing ever comes back
            roundtrip(proxy.port, timeout=0.3)
        proxy.restore()
        assert roundtrip(proxy.port) == b"ping"
        deadline = time.monotonic() + 2
        while proxy.connections and time.monotonic() < deadline:
            time.sleep(0.01)  # the proxy notices the closed connection
        assert proxy.connections == 0

        proxy.cut("refuse")
        with pytest.raises(ConnectionRefusedError):
            roundtrip(proxy.port)
        proxy.restore()
        assert roundtrip(proxy.port) == b"ping", "the same port listens again"
        assert proxy.stats.held == 1
        assert proxy.stats.dropped == 1


# -- the bot behind the proxy (PostgreSQL only) --------------------------------------------


@dataclass
class Rig:
    fake: FakeSlack
    slack: SlackWorkspace
    bot: BotProcess
    url: str
    proxy: TcpProxy
    engine: Engine  # straight to PostgreSQL, never through the proxy

    def healthz(self) -> int:
        return get(self.url + "/healthz").status


@dataclass
class Sent:
    """A request the test sent, and what came back at its response_url."""

    kind: str  # "command" or "tap"
    text: str
    user: str
    hook: str
    started: float  # wall clock, like ResponsePost.at
    ack_status: int
    reply: ResponsePost | None = None

    @property
    def latency(self) -> float:
        return (self.reply.at - self.started) if self.reply else float("inf")

    @property
    def reply_text(self) -> str:
        return str(self.reply.body.get("text", "")) if self.reply else ""


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    with (
        FakeSlack() as fake,
        fresh_database("postgresql", tmp_path_factory.mktemp("pg")) as direct_url,
    ):
        fake.add_team(TEAM, "Acme", "acme", BOT_TOKEN, "UBOT", "B0BOT", "A0VPEBOT")
        slack = SlackWorkspace(fake, TEAM, "")
        slack.seed_people()
        for user in ENGINEERS:
            fake.add_user(TEAM, user, user.lower(), locale="en-US")
        fake.add_channel(TEAM, "C0ENG", "engineering", [*RESPONDENTS, "UBOT"])
        migrate(direct_url)
        target = make_url(direct_url)
        with TcpProxy(target.port or 5432, target.host or "127.0.0.1") as proxy:
            proxied = target.set(host="127.0.0.1", port=proxy.port)
            port = free_port()
            env = bot_environment(
                fake.api_url, proxied.render_as_string(hide_password=False), WEB_CONCURRENCY="2"
            )
            workdir = tmp_path_factory.mktemp("bot")
            bot = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port)], env, workdir)
            bot.start()
            url = f"http://127.0.0.1:{port}"
            slack.bot_url = url
            engine = create_engine(direct_url)
            try:
                bot.wait_healthy(url + "/healthz")
                yield Rig(fake, slack, bot, url, proxy, engine)
            finally:
                bot.stop()
                engine.dispose()


def send_command(rig: Rig, text: str, user: str) -> Sent:
    hook = f"cmd-{uuid.uuid4().hex[:12]}"
    response_url = rig.fake.response_url(hook, channel_id=rig.slack.general, user_id=user)
    body = slash_command(text, user_id=user, response_url=response_url, team_id=TEAM)
    raw = form_body(body)
    started = time.time()
    result = post(rig.slack.events_url, raw, signed_headers(raw), FORM)
    return Sent("command", text, user, hook, started, result.status)


def send_tap(rig: Rig, dm: dict[str, Any], user: str, item: str, value: int) -> Sent:
    """A tap on a pulse button, as Slack sends it, with a response_url of its own."""
    hook = f"tap-{uuid.uuid4().hex[:12]}"
    click = payload("block_actions")
    click["actions"] = [
        {
            "action_id": f"pulse_answer:{item}:{value}",
            "block_id": f"pulse-{dm['pulse']}-{item}",
            "value": f"{dm['pulse']}:{item}:{value}",
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
    ]
    click["container"] = {
        "type": "message",
        "message_ts": dm["ts"],
        "channel_id": dm["channel"],
        "is_ephemeral": False,
    }
    click["channel"] = {"id": dm["channel"], "name": "directmessage"}
    click["user"] = {"id": user, "team_id": TEAM}
    click["team"] = {"id": TEAM, "domain": "acme"}
    click["response_url"] = rig.fake.response_url(hook)
    click["trigger_id"] = f"{time.monotonic_ns()}.738474920.{uuid.uuid4().hex[:8]}"
    raw = form_body({"payload": json.dumps(click)})
    started = time.time()
    result = post(rig.slack.events_url, raw, signed_headers(raw), FORM)
    return Sent("tap", f"{item}={value}", user, hook, started, result.status)


def wait_reply(rig: Rig, sent: Sent, timeout: float = 10.0) -> Sent:
    def mine() -> list[ResponsePost]:
        return [r for r in rig.fake.responses if r.name == sent.hook]

    sent.reply = rig.fake.wait_for(mine, timeout=timeout)[0]
    return sent


def command_answered(rig: Rig, text: str, user: str) -> Sent:
    return wait_reply(rig, send_command(rig, text, user))


def tap_answered(rig: Rig, dm: dict[str, Any], user: str, item: str, value: int) -> Sent:
    """A tap that is not saved: it gets an answer at its response_url."""
    return wait_reply(rig, send_tap(rig, dm, user, item, value))


def updates_to(fake: FakeSlack, channels: set[str]) -> list[dict[str, Any]]:
    """Successful chat.update calls on these DMs: each one redraws a message with marks."""
    return [
        c.params
        for c in fake.calls_to("chat.update")
        if c.status == 200 and c.params.get("channel") in channels
    ]


def marks_of(fake: FakeSlack, dm: dict[str, Any]) -> dict[str, list[str]]:
    """The answers a person's pulse message shows as chosen (✓), by statement."""
    message = next(m for m in fake.messages(dm["channel"]) if m["ts"] == dm["ts"])
    prefix = f"pulse-{dm['pulse']}-"
    marks = {}
    for block in message.get("blocks") or []:
        item = str(block.get("block_id", "")).removeprefix(prefix)
        if block.get("type") == "actions" and item in ITEMS:
            chosen = [e["text"]["text"] for e in block["elements"]]
            if chosen := [label for label in chosen if label.startswith("✓")]:
                marks[item] = chosen
    return marks


def answer_rows(engine: Engine, pulse_id: int) -> set[tuple[str, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(PulseAnswer.item, PulseAnswer.respondent, PulseAnswer.value).where(
                PulseAnswer.pulse_id == pulse_id
            )
        ).all()
    return {(item, respondent, value) for item, respondent, value in rows}


def pulse_dms(fake: FakeSlack, users: list[str], timeout: float = 20) -> dict[str, dict[str, Any]]:
    """Each person's pulse DM: its pulse id, channel and ts."""

    def found() -> dict[str, dict[str, Any]]:
        dms = {}
        for user in users:
            channel = fake.dm_channel_id(user)
            for message in fake.messages(channel):
                header = str((message.get("blocks") or [{}])[0].get("block_id", ""))
                if header.startswith("pulse-") and header.endswith("-header"):
                    pulse = int(header.split("-")[1])
                    dms[user] = {"pulse": pulse, "channel": channel, "ts": message["ts"]}
        return dms

    deadline = time.monotonic() + timeout
    while len(dms := found()) < len(users):
        assert time.monotonic() < deadline, f"pulse DMs: {sorted(dms)} of {users}"
        time.sleep(0.1)
    return dms


def until(check: Callable[[], bool], timeout: float, every: float = 0.2) -> float:
    """Seconds until `check()` held; AssertionError after `timeout`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"{check.__name__} still false"
        time.sleep(every)
    return time.monotonic() - started


@dataclass
class CutLog:
    """What happened during the cut, for the assertions and tests/reliability/RESULTS-faults.md."""

    commands: list[Sent] = field(default_factory=list)
    taps: list[Sent] = field(default_factory=list)
    health: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def lat(items: list[Sent]) -> dict[str, float]:
            values = [s.latency for s in items]
            return {
                "median_s": round(statistics.median(values), 2),
                "max_s": round(max(values), 2),
            }

        everything = self.commands + self.taps
        return {
            "requests": len(everything),
            "answered_within_3s": sum(s.latency <= SLACK_DEADLINE for s in everything),
            "try_again_answers": sum(
                s.reply_text == UNAVAILABLE[lang_of(s.user)] for s in everything
            ),
            "help_answered_in_full": sum(
                HELP_TITLE[lang_of(s.user)] in json.dumps(s.reply.body if s.reply else {})
                for s in self.commands
            ),
            "commands": len(self.commands),
            "commands_by_lang": {
                lang: sum(lang_of(s.user) == lang for s in self.commands) for lang in ("en", "fr")
            },
            "command_latency": lat(self.commands),
            "taps": len(self.taps),
            "tap_latency": lat(self.taps),
            "healthz": {str(code): self.health.count(code) for code in sorted(set(self.health))},
        }


def during_the_cut(
    rig: Rig, dms: dict[str, dict[str, Any]], tappers: list[str], seconds: float
) -> CutLog:
    """Rounds of concurrent traffic: four commands, two taps and a health check each."""
    log = CutLog()
    ends, turn = time.monotonic() + seconds, 0
    with ThreadPoolExecutor(8) as pool:
        while time.monotonic() < ends:
            commands = [COMMANDS[(turn * 4 + k) % len(COMMANDS)] for k in range(4)]
            futures = [pool.submit(command_answered, rig, text, user) for text, user in commands]
            item, value = ITEMS[turn % len(ITEMS)], 1 + turn % 5
            taps = [pool.submit(tap_answered, rig, dms[u], u, item, value) for u in tappers]
            health = pool.submit(rig.healthz)
            log.commands += [f.result() for f in futures]
            log.taps += [f.result() for f in taps]
            log.health.append(health.result())
            rig.bot.assert_running()
            turn += 1
            time.sleep(0.5)
    return log


@dataclass
class Recovery:
    """How the bot came back: seconds from the call, and the "try again" still answered."""

    first_ok: float | None = None
    last_unavailable: float | None = None
    all_clear: float = 0.0
    unavailable: int = 0
    health_503: int = 0


def all_clear(rig: Rig, timeout: float, rounds: int = 3) -> Recovery:
    """Until `rounds` rounds in a row answer normally: each round, concurrent commands in
    both languages and health checks, so that every worker process (each has its own pool
    and circuit breaker) is seen to reach the database again."""
    started, streak, recovery = time.monotonic(), 0, Recovery()
    probes = [("pulse status", "U0MEMBER"), ("roles", FRENCH)] * 3
    with ThreadPoolExecutor(len(probes) + 2) as pool:
        while streak < rounds:
            elapsed = round(time.monotonic() - started, 2)
            assert elapsed < timeout, f"not all clear after {timeout}s: {recovery}"
            replies = [pool.submit(command_answered, rig, text, user) for text, user in probes]
            health = [pool.submit(rig.healthz) for _ in range(2)]
            failed = [r.result() for r in replies]
            failed = [s for s in failed if s.reply_text == UNAVAILABLE[lang_of(s.user)]]
            health_503 = sum(h.result() != 200 for h in health)
            recovery.unavailable += len(failed)
            recovery.health_503 += health_503
            if failed or health_503:
                recovery.last_unavailable, streak = elapsed, 0
                time.sleep(0.2)
                continue
            if recovery.first_ok is None:
                recovery.first_ok = elapsed
            streak += 1
    recovery.all_clear = round(time.monotonic() - started, 2)
    return recovery


if POSTGRESQL:  # generated only when there is a network to cut (see the module docstring)

    @pytest.mark.parametrize("backend", POSTGRESQL)
    @pytest.mark.parametrize(
        ("mode", "seconds"),
        [("blackhole", CUT_SECONDS), ("refuse", 10.0)],
        ids=["partition-30s", "refused-10s"],
    )
    def test_a_database_cut(rig: Rig, backend: str, mode: Mode, seconds: float) -> None:
        fake = rig.fake
        fake.reset_calls()
        all_clear(rig, timeout=15)  # every worker reaches the database (after an earlier case)
        closing = wait_reply(rig, send_command(rig, "pulse close", "U0ADMIN")).reply_text
        assert UNAVAILABLE["en"] != closing
        tappers = [ENGINEERS[3], FRENCH]  # they tap during the cut, then again after
        tapper_dms = {fake.dm_channel_id(user) for user in tappers}

        # Before: a pulse open with six people, three of whom answered three statements.
        started = wait_reply(rig, send_command(rig, "pulse now <#C0ENG|engineering>", "U0ADMIN"))
        assert "6 people" in started.reply_text, started.reply_text
        dms = pulse_dms(fake, RESPONDENTS)
        pulse_id = dms[FRENCH]["pulse"]
        for n, user in enumerate(ENGINEERS[:3]):
            for item in ITEMS:  # a saved tap has no reply: its message is redrawn, marked
                assert send_tap(rig, dms[user], user, item, 1 + (n + 2) % 5).ack_status == 200

        def all_marked() -> bool:
            return all(
                all(marks_of(fake, dms[user]).get(item) for item in ITEMS) for user in ENGINEERS[:3]
            )

        until(all_marked, timeout=20, every=0.1)
        acknowledged = answer_rows(rig.engine, pulse_id)
        assert len(acknowledged) == 9, "each tap marked in Slack is in the database"
        assert rig.healthz() == 200

        # The cut: commands, taps and health checks with the database unreachable.
        held_before = rig.proxy.stats.held
        dropped = rig.proxy.cut(mode)
        log = during_the_cut(rig, dms, tappers, seconds)
        assert updates_to(fake, tapper_dms) == [], "no tap made during the cut shown as saved"
        assert answer_rows(rig.engine, pulse_id) == acknowledged, "nothing written in the cut"

        for sent in log.commands + log.taps:
            assert sent.ack_status == 200, sent
            assert sent.latency <= SLACK_DEADLINE, (sent.text, sent.user, sent.latency)
            lang = lang_of(sent.user)
            if sent.kind == "command" and sent.text == "help":
                # The help needs no data: it is answered in full, database or not.
                shown = json.dumps(sent.reply.body if sent.reply else {}, ensure_ascii=False)
                assert HELP_TITLE[lang] in shown
            else:
                assert sent.reply_text == UNAVAILABLE[lang], (sent.text, sent.user, sent.reply)
                assert sent.reply is not None
                assert sent.reply.body.get("response_type") == "ephemeral", "private"
        assert set(log.health) == {503}, log.health
        rig.bot.assert_running()

        # Restored: commands, health and taps come back within seconds.
        rig.proxy.restore()
        restored = time.monotonic()
        recovery = all_clear(rig, timeout=15)
        for text, user in COMMANDS:
            answer = wait_reply(rig, send_command(rig, text, user))
            assert answer.reply_text != UNAVAILABLE[lang_of(user)], (text, user)
            assert answer.latency <= SLACK_DEADLINE, (text, answer.latency)
        status = wait_reply(rig, send_command(rig, "pulse status", "U0MEMBER")).reply_text
        assert "3/6 answered" in status, status

        for user in tappers:  # told to try again during the cut: they do
            assert send_tap(rig, dms[user], user, "quality", 4).ack_status == 200

        def taps_marked() -> bool:
            return all(marks_of(fake, dms[user]).get("quality") for user in tappers)

        until(taps_marked, timeout=10, every=0.1)
        taps_after = time.monotonic() - restored
        for user in tappers:
            assert marks_of(fake, dms[user]) == {"quality": [AGREE[lang_of(user)]]}, user
        after = answer_rows(rig.engine, pulse_id)
        assert acknowledged <= after, "every answer acknowledged before the cut is still there"
        assert len(after) == 9 + 2
        rig.bot.assert_running()

        figures = log.summary() | {
            "mode": mode,
            "cut_seconds": seconds,
            "connections_dropped_at_cut": dropped,
            "black_holed_connects": rig.proxy.stats.held - held_before,
            "tap_updates_during_cut": 0,
            "acknowledged_before_cut": len(acknowledged),
            "lost": len(acknowledged - after),
            "first_normal_answer_after_restore_s": recovery.first_ok,
            "last_unavailable_after_restore_s": recovery.last_unavailable,
            "unavailable_answers_after_restore": recovery.unavailable,
            "healthz_503_after_restore": recovery.health_503,
            "all_clear_after_restore_s": recovery.all_clear,
            "taps_saved_and_marked_after_restore_s": round(taps_after, 2),
        }
        print(f"\nFAULTS database-cut-{mode}", json.dumps(figures))
