"""The bot in the test process, for property tests that send it thousands of requests.

No subprocess: Deps on a fresh database (every configured backend), the Web API pointed at a
FakeSlack, the Bolt app from `bot.runtime.bolt_app.build_app`, and signed requests dispatched
through Bolt exactly as the HTTP adapter does (`app.dispatch(BoltRequest(raw body, signed
headers))`).
After each request the harness waits for the lazy work Bolt submitted to the executor, then
returns what happened: the HTTP answer, the response_url posts, the Web API calls, and any
error logged by the bot or by Bolt.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import tomllib
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ParamSpec, TypeVar

import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy import select

from bot.bootstrap import Deps, build_deps, build_services
from bot.core.config import Settings
from bot.core.i18n import CONTENT_DIR
from bot.pulses.answers import record_answer, record_comment
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, open_pulse
from bot.pulses.outbox import mark_sent
from bot.runtime.bolt_app import build_app
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseAnswer, PulseComment, PulseRecipient
from tests.fakeslack import Call, FakeSlack, ResponsePost
from tests.support.inprocess import Clock, database  # noqa: F401 - the fresh database fixture
from tests.support.payloads import payload, slash_command
from tests.support.signing import SIGNING_SECRET, form_body, signed_headers

TEAM, OTHER_TEAM = "T0REL", "T0RELX"
BOT_TOKEN, BOT_USER = "xoxb-reliability-token", "UBOTREL"
ADMIN, MEMBER, FRENCH = "U0RADMIN", "U0RMEMBER", "U0RFRENCH"
ENGINEERS = ("U0RENG1", "U0RENG2", "U0RENG3")
STRANGER = "U0RNOBODY"  # unknown to Slack: users.info answers user_not_found
CHANNEL, LEADS = "C0RGEN", "C0RLEAD"
LANG_OF = {
    ADMIN: "en",
    MEMBER: "en",
    FRENCH: "fr",
    STRANGER: "en",
    **dict.fromkeys(ENGINEERS, "en"),
}
ITEMS = ["predictability", "priorities", "energy"]

P = ParamSpec("P")
T = TypeVar("T")


def scaled(examples: int, backend: str) -> int:
    """Examples for one property: all of them on SQLite, half on PostgreSQL (its run comes
    on top of SQLite's); RELIABILITY_SCALE multiplies both for a longer soak."""
    scale = float(os.environ.get("RELIABILITY_SCALE", "1"))
    share = 1.0 if backend == "sqlite" else 0.5
    return max(5, int(examples * scale * share))


# -- the fake workspace ------------------------------------------------------------------


@pytest.fixture(scope="session")
def reliability_slack() -> Iterator[FakeSlack]:
    """One workspace: an admin, a member, a French-speaking member, three engineers."""
    with FakeSlack() as fake:
        fake.add_team(TEAM, "Reliable", "reliable", BOT_TOKEN, BOT_USER, "B0REL", "A0REL")
        fake.add_user(TEAM, ADMIN, "ada", "Ada Admin", is_admin=True)
        fake.add_user(TEAM, MEMBER, "sam", "Sam Member")
        fake.add_user(TEAM, FRENCH, "marie", "Marie Dupont", locale="fr-FR")
        for user in ENGINEERS:
            fake.add_user(TEAM, user, user.lower(), tz="America/New_York")
        people = [ADMIN, MEMBER, FRENCH, *ENGINEERS]
        fake.add_channel(TEAM, CHANNEL, "general", [*people, BOT_USER])
        fake.add_channel(TEAM, LEADS, "leadership", [ADMIN, BOT_USER])
        fake.add_usergroup(TEAM, "S0RENG", "engineers", list(ENGINEERS))
        yield fake


# -- waiting for lazy listeners ----------------------------------------------------------


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, remembering what it runs so a test can wait for all of it."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="reliability-lazy")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self.failures: list[BaseException] = []

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)
            error = None if future.cancelled() else future.exception()
            if error is not None:
                self.failures.append(error)

    def drain(self, timeout: float = 60.0) -> None:
        """Wait until nothing submitted is still running (work may submit more work)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                waiting = list(self._pending)
            if not waiting:
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{len(waiting)} lazy listener(s) still running")
            wait_futures(waiting, timeout=left)


# -- errors in the logs --------------------------------------------------------------------


class ErrorLog(logging.Handler):
    """Errors logged by the bot or Bolt: a traceback in `request failed`, Bolt's `Failed to
    run…`, and the guard's "database unavailable" (the database is healthy in these tests)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[str] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not (
            record.levelno >= logging.ERROR
            or "Failed to run" in message
            or "database unavailable" in message
        ):
            return
        detail = f"{record.name} {record.levelname}: {message}"
        if record.exc_info and record.exc_info[1] is not None:
            detail += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
        with self._lock:
            self.records.append(detail)

    def since(self, mark: int) -> list[str]:
        with self._lock:
            return self.records[mark:]

    def mark(self) -> int:
        with self._lock:
            return len(self.records)


@pytest.fixture(scope="session")
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    loggers = [logging.getLogger(name) for name in ("bot", "slack_bolt")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


# -- what one request did --------------------------------------------------------------------


@dataclass
class Outcome:
    """One request: Bolt's answer, then everything its lazy work did."""

    status: int
    body: str
    responses: list[ResponsePost]
    calls: list[Call]
    errors: list[str]

    def calls_to(self, method: str, ok: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (not ok or (c.error is None))]

    @property
    def ack(self) -> dict[str, Any]:
        if not self.body:
            return {}
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    def texts(self) -> list[str]:
        return [message_text(post.body) for post in self.responses]

    def assert_clean(self, what: object) -> None:
        """Never 5xx, nothing raised or logged as an error, every response_url post accepted.

        (Web API calls may fail: Slack refusing a channel is handled and told, not a bug.)"""
        assert self.status < 500, f"{what!r}: HTTP {self.status} {self.body[:300]}"
        assert not self.errors, f"{what!r}: errors logged:\n" + "\n".join(self.errors)[:4000]
        rejected = [p for p in self.responses if p.status != 200]
        assert not rejected, f"{what!r}: response_url posts refused by Slack: {rejected}"


def message_text(message: dict[str, Any]) -> str:
    """A message's fallback text plus every text in its blocks (all a reader can see)."""
    parts: list[str] = [str(message.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    blocks = message.get("blocks")
    walk(json.loads(blocks) if isinstance(blocks, str) else blocks)
    return "\n".join(parts)


# -- the harness -----------------------------------------------------------------------------


class Harness:
    """The bot as Bolt runs it, on one database; requests go in signed, outcomes come out."""

    def __init__(self, deps: Deps, fake: FakeSlack, log: ErrorLog, backend: str) -> None:
        self.deps, self.fake, self.log, self.backend = deps, fake, log, backend
        self.executor = TrackingExecutor()
        self.services = build_services(deps)
        self.app: App = build_app(self.services, self.executor)
        self.requests = 0

    def examples(self, count: int) -> int:
        return scaled(count, self.backend)

    def close(self) -> None:
        self.executor.drain()
        self.executor.shutdown(wait=True)
        self.deps.engine.dispose()

    # -- sending ---------------------------------------------------------------------------

    def dispatch(self, raw: str, content_type: str, hook: str | None = None) -> Outcome:
        calls_before, mark = len(self.fake.calls), self.log.mark()
        failures_before = len(self.executor.failures)
        headers: dict[str, str | Sequence[str]] = {
            "content-type": content_type,
            **signed_headers(raw.encode()),
        }
        response = self.app.dispatch(BoltRequest(body=raw, headers=headers))
        self.executor.drain()
        self.requests += 1
        errors = self.log.since(mark) + [
            "lazy work raised: " + "".join(traceback.format_exception(error))
            for error in self.executor.failures[failures_before:]
        ]
        responses = [p for p in self.fake.responses if hook is not None and p.name == hook]
        return Outcome(
            status=response.status,
            body=response.body if isinstance(response.body, str) else str(response.body),
            responses=responses,
            calls=self.fake.calls[calls_before:],
            errors=errors,
        )

    def hook(self, prefix: str) -> tuple[str, str]:
        name = f"{prefix}-{uuid.uuid4().hex[:16]}"
        return name, self.fake.response_url(name)

    def command(self, text: str, user: str = MEMBER, channel: str = CHANNEL) -> Outcome:
        """`/vpe <text>` typed by `user`, form-encoded and signed as Slack sends it."""
        name, url = self.hook("cmd")
        body = slash_command(text, user_id=user, response_url=url, team_id=TEAM)
        body |= {"channel_id": channel, "user_name": user.lower()}
        raw = form_body(body).decode()
        return self.dispatch(raw, "application/x-www-form-urlencoded", name)

    def event(self, event: dict[str, Any]) -> Outcome:
        envelope = {
            "token": "verification-token",
            "team_id": TEAM,
            "api_app_id": "A0REL",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:14].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        return self.dispatch(json.dumps(envelope), "application/json")

    def action(
        self,
        action_id: str,
        value: Any,
        user: str = MEMBER,
        container: tuple[str, str] | None = None,
        *,
        action_ts: str | None = None,
    ) -> Outcome:
        """A button click (block_actions) on a message in `container` (channel, ts)."""
        name, url = self.hook("act")
        channel, ts = container or (CHANNEL, "1700000000.000100")
        click = payload("block_actions")
        click["actions"] = [
            {
                "action_id": action_id,
                "block_id": action_id.rsplit(":", 1)[0][:255] or "b",
                "value": value,
                "type": "button",
                "action_ts": action_ts or f"{time.time():.6f}",
            }
        ]
        click["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": not channel.startswith("D"),
        }
        click["channel"] = {"id": channel, "name": "directmessage"}
        click["user"] = {"id": user, "username": user.lower(), "team_id": TEAM}
        click["team"] = {"id": TEAM, "domain": "reliable"}
        click["response_url"] = url
        click["trigger_id"] = f"{uuid.uuid4().int % 10**11}.738474920.{uuid.uuid4().hex[:12]}"
        raw = form_body({"payload": json.dumps(click)}).decode()
        return self.dispatch(raw, "application/x-www-form-urlencoded", name)

    def submit_view(
        self, callback_id: str, values: Any, metadata: str, user: str = MEMBER
    ) -> Outcome:
        """A modal submitted (view_submission), with `metadata` as the raw private_metadata."""
        body = payload("view_submission")
        body["user"] = {"id": user, "username": user.lower(), "team_id": TEAM}
        body["team"] = {"id": TEAM, "domain": "reliable"}
        body["trigger_id"] = f"{uuid.uuid4().int % 10**11}.738474920.{uuid.uuid4().hex[:12]}"
        body["view"] |= {
            "callback_id": callback_id,
            "private_metadata": metadata,
            "state": {"values": values},
            "team_id": TEAM,
            "app_id": "A0REL",
        }
        raw = form_body({"payload": json.dumps(body)}).decode()
        return self.dispatch(raw, "application/x-www-form-urlencoded", self.hook_in(metadata))

    @staticmethod
    def hook_in(metadata: str) -> str | None:
        """The response_url hook named in a modal's metadata (the start modal keeps one)."""
        match = re.search(r"/hooks/([\w-]+)", metadata)
        return match.group(1) if match else None

    # -- seeding ---------------------------------------------------------------------------

    def dm(self, user: str, text: str = "pulse") -> tuple[str, str]:
        """A bot message in the DM with `user` (a pulse or check-in to click on)."""
        channel = self.deps.clients.base.conversations_open(users=user)["channel"]["id"]
        return channel, self.fake.add_message(channel, text)


@dataclass
class Pulses:
    """Pulses seeded for the click tests, and the DM message each person clicks in."""

    open_id: int
    closed_id: int
    other_id: int
    asked: tuple[str, ...]
    checkin_user: str
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)


def seed_pulses(harness: Harness) -> Pulses:
    """An open pulse asked to the member and the French member (the admin is its CTO, asked
    only the check-in); a closed pulse; and an open pulse of another workspace."""
    deps, now = harness.deps, harness.deps.clock.now()
    asked = (MEMBER, FRENCH)

    def plan(team: str, people: tuple[str, ...], opened: datetime) -> PulsePlan:
        return PulsePlan(
            team_id=team,
            recipients=[Recipient(p, LANG_OF[p]) for p in people],
            items=ITEMS,
            opened_at=opened,
            closes_at=opened + timedelta(days=3),
            timezone="Europe/Paris",
        )

    with unit_of_work(deps.sessions) as session:
        closed = open_pulse(session, plan(TEAM, asked, now - timedelta(days=10)))
        for person in asked:
            mark_sent(session, closed.id, person, f"D{person}", "1.0")
            record_answer(session, deps.answer_key, TEAM, closed.id, person, "energy", 4)
        close_pulse(session, deps.answer_key, TEAM, closed.id, now - timedelta(days=7))
        other = open_pulse(session, plan(OTHER_TEAM, (MEMBER,), now - timedelta(hours=1)))
        mark_sent(session, other.id, MEMBER, f"D{MEMBER}", "1.0")
        record_answer(session, deps.answer_key, OTHER_TEAM, other.id, MEMBER, "energy", 2)
        opened = open_pulse(session, plan(TEAM, asked, now - timedelta(hours=1)))
        for person in asked:
            mark_sent(session, opened.id, person, f"D{person}", "1.0")
        record_answer(session, deps.answer_key, TEAM, opened.id, MEMBER, "energy", 3)
        record_comment(session, deps.answer_key, TEAM, opened.id, FRENCH, "Trop de réunions")
        opened.checkin_user = ADMIN
        pulses = Pulses(opened.id, closed.id, other.id, asked, ADMIN)
    for user in (ADMIN, MEMBER, FRENCH, STRANGER, *ENGINEERS):
        if user != STRANGER:
            pulses.messages[user] = harness.dm(user)
    return pulses


def ask_again(harness: Harness, pulses: Pulses, user: str) -> None:
    """Put back someone `forget me` took off the open pulse, so later taps can count."""
    with unit_of_work(harness.deps.sessions) as session:
        if session.get(PulseRecipient, (pulses.open_id, user)) is None:
            session.add(
                PulseRecipient(
                    pulse_id=pulses.open_id,
                    user_id=user,
                    team_id=TEAM,
                    status="sent",
                    language=LANG_OF[user],
                )
            )


def answers_of(harness: Harness, pulse_id: int) -> set[tuple[str, str, int]]:
    with unit_of_work(harness.deps.sessions) as session:
        rows = session.execute(
            select(PulseAnswer.item, PulseAnswer.respondent, PulseAnswer.value).where(
                PulseAnswer.pulse_id == pulse_id
            )
        ).all()
    return {(row.item, row.respondent, row.value) for row in rows}


def comments_of(harness: Harness, pulse_id: int) -> set[tuple[str, str]]:
    with unit_of_work(harness.deps.sessions) as session:
        rows = session.execute(
            select(PulseComment.respondent, PulseComment.text).where(
                PulseComment.pulse_id == pulse_id
            )
        ).all()
    return {(row.respondent, row.text) for row in rows}


def pulse_ids(harness: Harness) -> set[int]:
    with unit_of_work(harness.deps.sessions) as session:
        return set(session.scalars(select(Pulse.id)))


# -- fixtures ----------------------------------------------------------------------------------


def make_harness(url: str, fake: FakeSlack, log: ErrorLog, backend: str) -> Harness:
    settings = Settings(
        database_url=url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        anonymity_key="reliability-anonymity-key-0123456789abcdef",
    )
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    fake.reset_calls()
    fake.clear_faults()
    return Harness(build_deps(settings, clock=clock), fake, log, backend)


@pytest.fixture
def harness(
    database: str,  # noqa: F811 - the fixture imported above
    reliability_slack: FakeSlack,
    error_log: ErrorLog,
    backend: str,
) -> Iterator[Harness]:
    """A fresh bot on a fresh, migrated database; the fake's recordings cleared."""
    bot = make_harness(database, reliability_slack, error_log, backend)
    yield bot
    bot.close()


# -- which language a text is in ---------------------------------------------------------------


class Languages:
    """Tell English from French with the project's own sentences.

    Every string of content/*.toml filed under an `en` or `fr` key is cut at its
    placeholders; the pieces of 12+ characters that appear nowhere in the other language
    (nor in the shared, language-less strings such as command usages) identify a language.
    A text is in French when it holds French pieces and no English ones.
    """

    MIN = 12

    def __init__(self) -> None:
        corpus: dict[str, list[str]] = {"en": [], "fr": [], "shared": []}

        def walk(node: Any, lang: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("en", "fr"):
                        walk(value, key)
                    elif key.endswith("_fr"):
                        walk(value, "fr")
                    else:
                        walk(value, lang)
            elif isinstance(node, list):
                for item in node:
                    walk(item, lang)
            elif isinstance(node, str):
                corpus[lang].append(node)

        for path in sorted(CONTENT_DIR.glob("*.toml")):
            with path.open("rb") as handle:
                walk(tomllib.load(handle), "shared")
        joined = {lang: "\n".join(texts) for lang, texts in corpus.items()}
        self.pieces: dict[str, list[str]] = {}
        for lang, other in (("en", "fr"), ("fr", "en")):
            found = set()
            for text in corpus[lang]:
                for piece in re.split(r"\{[^{}]*\}|`[^`]*`|\n|\*|_", text):
                    piece = piece.strip(" .,:;!?()'\"")
                    if (
                        len(piece) >= self.MIN
                        and piece not in joined[other]
                        and piece not in joined["shared"]
                    ):
                        found.add(piece)
            self.pieces[lang] = sorted(found, key=len)
        self._patterns = {
            lang: re.compile("|".join(re.escape(p) for p in reversed(pieces)))
            for lang, pieces in self.pieces.items()
        }
        vocabulary = {lang: set(self.WORD.findall(text.lower())) for lang, text in joined.items()}
        self.words = {
            lang: vocabulary[lang] - vocabulary[other] - vocabulary["shared"]
            for lang, other in (("en", "fr"), ("fr", "en"))
        }

    WORD = re.compile(r"[^\W\d_]{3,}")
    MARKUP = re.compile(r"`[^`]*`|<[^>]*>")

    def of(self, text: str, typed: str = "") -> set[str]:
        """The languages whose own sentences the text contains; for a text too short to hold
        one, the languages whose own words it uses (the words the user typed left out)."""
        found = {lang for lang, pattern in self._patterns.items() if pattern.search(text)}
        if found:
            return found
        typed_words = set(self.WORD.findall(typed.lower()))
        words = set(self.WORD.findall(self.MARKUP.sub(" ", text).lower())) - typed_words
        return {lang for lang, own in self.words.items() if words & own}


@pytest.fixture(scope="session")
def languages() -> Languages:
    return Languages()
