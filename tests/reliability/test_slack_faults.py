"""Slack misbehaving on every path that calls it, on every backend.

Faults come from the fake (bot/playground/fakeslack): 429 with Retry-After, 500 and 503, connection
resets, answers slower than the client's timeout, and Slack's permanent refusals
(invalid_blocks, channel_not_found, not_in_channel, account_inactive). The paths:

* through `vpe-bot serve` (signed requests): pulse DMs from `/vpe pulse now`, answers to
  `/vpe ask` at their response_url, the redraw (chat.update) after a tap, `/vpe digest now`;
* in-process, on a clock the test moves: reminders (PulseJobs.remind), the scheduled digest
  (Digests.run_schedules / resume_unfinished), and timeouts, with the client's timeout
  lowered to 1 s on the test's own Deps (production keeps its 10 s).

Expected: retried when retrying helps (429 honoured, 5xx, resets and timeouts retried
without doubles); recorded and reported to leadership when it does not (failed pulse
deliveries counted in `/vpe pulse status`, a refused scheduled digest shown in
`/vpe settings` and the App Home); and the bot keeps serving: `/vpe help` is answered after
every fault. Each case's outcome is printed as a `FAULTS slack` line (run with -s).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from bot.bootstrap import Deps
from bot.core.i18n import default_catalog
from bot.handlers.settings import setting_lines
from bot.pulses.lifecycle import PulsePlan, Recipient
from bot.services.digests import Digests
from bot.services.home import HomeTab
from bot.services.pulse_jobs import PulseJobs
from bot.services.pulse_sending import PulseSender
from bot.slack.response_url import RetryingRespond
from bot.storage.db import migrate, unit_of_work
from bot.storage.models import PulseRecipient, ScheduleRun
from bot.team.digest_schedule import set_leadership_channel
from tests.fakeslack import FakeSlack
from tests.support.botproc import BOT_TOKEN, BotProcess, bot_environment, free_port
from tests.support.databases import fresh_database, settle, wipe
from tests.support.history import seed_pulse
from tests.support.inprocess import PEOPLE, Clock, database, jobs_fake, make_deps  # noqa: F401
from tests.support.inprocess import TEAM as JOBS_TEAM
from tests.support.slack import SlackWorkspace

TEAM = "T0TEST"
ENGINEERS = [f"U0ENG{n}" for n in range(1, 10)]
ENG = "<#C0ENG|engineering>"
CATALOG = default_catalog()
HELP_TITLE = CATALOG.t("help.title", "en")
SAVED = CATALOG.t("pulse.checkin.saved", "en")
TRANSIENT = ["429", "500", "503", "reset"]
PERMANENT_DM = ["account_inactive", "channel_not_found", "not_in_channel", "invalid_blocks"]
FIGURES: list[dict[str, Any]] = []
FAILED_STATUS = {"429": 429, "500": 500, "503": 503, "reset": 0}


def inject(fake: FakeSlack, method: str, fault: str, times: int = 2) -> None:
    """Queue `times` copies of a passing fault on `method`."""
    if fault == "429":
        fake.rate_limit_next(method, retry_after=1, times=times)
    elif fault in ("500", "503"):
        fake.server_error_next(method, status=int(fault), times=times)
    elif fault == "reset":
        fake.reset_next(method, times=times)
    else:
        fake.fail_next(method, error=fault, times=times)


def attempts(fake: FakeSlack, method: str) -> dict[str, int]:
    """Calls to `method` by outcome: "ok", an HTTP status, or Slack's error."""
    counts: dict[str, int] = {}
    for call in fake.calls_to(method):
        key = "ok" if call.status == 200 and call.error is None else (call.error or "")
        key = {0: "reset", 429: "429", 500: "500", 503: "503"}.get(call.status, key)
        counts[key] = counts.get(key, 0) + 1
    return counts


def figure(path: str, fault: str, backend: str, **observed: Any) -> None:
    FIGURES.append({"path": path, "fault": fault, "backend": backend, **observed})


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    for row in FIGURES:
        print("\nFAULTS slack", json.dumps(row), end="")
    print()


# -- the bot as a process -----------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    """This module's fake; also serves the in-process workspace of tests.support.inprocess."""
    with FakeSlack() as fake:
        fake.add_team(TEAM, "Acme", "acme", BOT_TOKEN, "UBOT", "B0BOT", "A0VPEBOT")
        yield fake


@pytest.fixture(scope="module")
def served(
    backend: str, fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BotProcess, str, Engine]]:
    """`vpe-bot serve` on a fresh database of this backend."""
    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        migrate(url)
        port = free_port()
        env = bot_environment(fake_slack.api_url, url, WEB_CONCURRENCY="2")
        workdir = tmp_path_factory.mktemp("bot")
        bot = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port)], env, workdir)
        engine = create_engine(url)
        try:
            bot.start().wait_healthy(f"http://127.0.0.1:{port}/healthz")
            yield bot, f"http://127.0.0.1:{port}", engine
        finally:
            bot.stop()
            engine.dispose()


@pytest.fixture
def slack(
    fake_slack: FakeSlack, served: tuple[BotProcess, str, Engine]
) -> Iterator[SlackWorkspace]:
    """A clean workspace: the demo people, nine engineers in #engineering, #leadership."""
    bot, url, engine = served
    settle(engine, fake_slack)
    wipe(engine)
    fake_slack.reset_calls()
    fake_slack.clear_faults()
    workspace = SlackWorkspace(fake_slack, TEAM, url)
    workspace.seed_people()
    for user in ENGINEERS:
        fake_slack.add_user(TEAM, user, user.lower(), locale="en-US")
    fake_slack.add_channel(TEAM, "C0ENG", "engineering", [*ENGINEERS, "UBOT"])
    fake_slack.add_channel(TEAM, "C0LEAD", "leadership", ["U0ADMIN", "UBOT"])
    fake_slack.add_channel(TEAM, "C0SHUT", "private-lead", ["U0ADMIN"], bot_member=False)
    yield workspace
    fake_slack.clear_faults()
    bot.assert_running()
    still_serving(workspace)


def still_serving(slack: SlackWorkspace) -> None:
    """After any fault: the next command is answered."""
    help_reply = slack.command_reply("help")
    assert HELP_TITLE in json.dumps(help_reply.body), help_reply.body


def pulse_dm_posts(fake: FakeSlack) -> dict[str, int]:
    """Successful pulse DMs per person."""
    counts: dict[str, int] = {}
    for call in fake.calls_to("chat.postMessage"):
        if call.status == 200 and call.error is None and "pulse-" in json.dumps(call.params):
            counts[call.params["channel"]] = counts.get(call.params["channel"], 0) + 1
    return counts


def wait_until(check: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{getattr(check, '__name__', check)} still false"
        time.sleep(0.1)


# -- pulse DMs ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", TRANSIENT)
def test_pulse_dms_get_through_passing_faults(
    slack: SlackWorkspace, backend: str, fault: str
) -> None:
    inject(slack.fake, "chat.postMessage", fault, times=2)
    started = slack.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    assert "9 people" in started.body["text"]
    wait_until(lambda: len(pulse_dm_posts(slack.fake)) == 9)
    time.sleep(0.5)
    assert pulse_dm_posts(slack.fake) == dict.fromkeys(ENGINEERS, 1), "each person once"
    for user in ENGINEERS:
        dm = slack.fake.messages(slack.fake.dm_channel_id(user))
        assert len([m for m in dm if m.get("blocks")]) == 1
    status = slack.command_reply("pulse status")
    assert "0/9 answered" in status.body["text"]
    assert "could not be reached" not in status.body["text"]
    figure("pulse DM", fault, backend, calls=attempts(slack.fake, "chat.postMessage"), dms=9)


@pytest.mark.parametrize("error", PERMANENT_DM)
def test_a_refused_pulse_dm_is_counted_not_retried(
    slack: SlackWorkspace, backend: str, error: str
) -> None:
    slack.fake.fail_next("chat.postMessage", error=error)
    slack.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    wait_until(lambda: len(pulse_dm_posts(slack.fake)) == 8)
    time.sleep(0.5)
    assert len(slack.fake.calls_to("chat.postMessage")) == 9, "not retried"
    status = slack.command_reply("pulse status", user_id="U0ADMIN")
    assert "1 could not be reached" in status.body["text"], status.body["text"]
    assert "0/8 answered" in status.body["text"]
    figure("pulse DM", error, backend, calls=attempts(slack.fake, "chat.postMessage"), dms=8)


# -- answers at response_url ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "times"), [("429", 1), ("500", 1), ("503", 2), ("reset", 1), ("reset", 2)]
)
def test_an_ask_answer_reaches_its_response_url(
    slack: SlackWorkspace, backend: str, fault: str, times: int
) -> None:
    inject(slack.fake, "response_url", fault, times=times)
    before = len(slack.fake.responses)
    assert slack.command("ask who owns delivery?").status == 200
    answered = slack.fake.wait_for(
        lambda: [r for r in slack.fake.responses[before:] if r.status == 200], timeout=15
    )
    assert "Delivery" in json.dumps(answered[0].body)
    posts = slack.fake.responses[before:]
    assert [r.status for r in posts] == [FAILED_STATUS[fault]] * times + [200], "one answer"
    figure(
        "ask via response_url",
        f"{fault} x{times}",
        backend,
        posts=[r.status for r in posts],
    )


# -- the redraw after a tap -----------------------------------------------------------------


def a_pulse_dm(slack: SlackWorkspace, user: str) -> dict[str, Any]:
    slack.command_reply(f"pulse now {ENG}", user_id="U0ADMIN")
    wait_until(lambda: len(pulse_dm_posts(slack.fake)) == 9)
    # Slack has the nine DMs; wait until the bot has also recorded them as sent.
    wait_until(lambda: "Still sending" not in slack.command_reply("pulse status").body["text"])
    channel = slack.fake.dm_channel_id(user)
    message = next(m for m in slack.fake.messages(channel) if m.get("blocks"))
    pulse_id = int(str(message["blocks"][0]["block_id"]).split("-")[1])
    return {"pulse": pulse_id, "channel": channel, "ts": message["ts"]}


def marks(slack: SlackWorkspace, dm: dict[str, Any], item: str) -> list[str]:
    message = next(m for m in slack.fake.messages(dm["channel"]) if m["ts"] == dm["ts"])
    row = next(b for b in message["blocks"] if str(b.get("block_id", "")).endswith(f"-{item}"))
    return [e["text"]["text"] for e in row["elements"] if e["text"]["text"].startswith("✓")]


@pytest.mark.parametrize("fault", [*TRANSIENT, "message_not_found", "channel_not_found"])
def test_a_tap_is_saved_and_marked_through_faults(
    slack: SlackWorkspace, backend: str, fault: str
) -> None:
    user = ENGINEERS[0]
    dm = a_pulse_dm(slack, user)
    inject(slack.fake, "chat.update", fault, times=1)
    before = len(slack.fake.responses)
    result = slack.click(
        "pulse_answer:energy:4", f"{dm['pulse']}:energy:4", user, dm["channel"], dm["ts"]
    )
    assert result.status == 200
    if fault in TRANSIENT:  # retried: the message shows the choice, nothing else is said
        wait_until(lambda: marks(slack, dm, "energy") == ["✓ Agree"])
        time.sleep(0.5)
        replies = [r.body.get("text") for r in slack.fake.responses[before:]]
        assert replies == []
    else:  # refused: the message stays as it was, and the person hears it was saved
        replies = [
            r.body.get("text") for r in slack.fake.wait_for(lambda: slack.fake.responses[before:])
        ]
        assert replies == [SAVED], replies
        assert marks(slack, dm, "energy") == []
    status = slack.command_reply("pulse status")
    assert "1/9 answered" in status.body["text"], "saved either way"
    figure(
        "tap redraw (chat.update)",
        fault,
        backend,
        calls=attempts(slack.fake, "chat.update"),
        marked=bool(marks(slack, dm, "energy")),
        replies=replies,
    )


# -- `/vpe digest now` ----------------------------------------------------------------------


def with_history(engine: Engine, team_id: str, people: list[str]) -> None:
    """Two closed pulses with five answers each: the digest then has scores and a chart."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for days in (20, 10):
            answers = {"energy": [4, 3, 4, 5, 2], "quality": [3, 3, 4, 4, 5]}
            seed_pulse(session, team_id, now - timedelta(days=days), answers, people[:5])


def digests_in(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [m for m in fake.messages(channel) if "Delivery" in json.dumps(m.get("blocks"))]


def charts_in(fake: FakeSlack) -> int:
    return len(fake.files)


@pytest.fixture
def digest_ready(slack: SlackWorkspace, served: tuple[BotProcess, str, Engine]) -> SlackWorkspace:
    """History to show, and #leadership set as the digest's channel."""
    with_history(served[2], TEAM, ENGINEERS)
    saved = slack.command_reply("settings channel <#C0LEAD|leadership>", user_id="U0ADMIN")
    assert "C0LEAD" in saved.body["text"]
    slack.fake.reset_calls()
    return slack


@pytest.mark.parametrize("fault", TRANSIENT)
def test_digest_now_gets_through_passing_faults(
    digest_ready: SlackWorkspace, backend: str, fault: str
) -> None:
    slack = digest_ready
    inject(slack.fake, "chat.postMessage", fault, times=2)
    reply = slack.command_reply("digest now", user_id="U0ADMIN")
    assert reply.body["text"] == CATALOG.t("digest.posted", "en", channel="C0LEAD")
    assert len(digests_in(slack.fake, "C0LEAD")) == 1, "posted once"
    assert charts_in(slack.fake) == 1
    figure("digest now", fault, backend, calls=attempts(slack.fake, "chat.postMessage"), posted=1)


@pytest.mark.parametrize(
    ("method", "fault"),
    [("file_upload", "500"), ("file_upload", "reset"), ("files.getUploadURLExternal", "503")],
)
def test_digest_now_survives_a_failed_chart_upload(
    digest_ready: SlackWorkspace, backend: str, method: str, fault: str
) -> None:
    """The chart's upload URL has no retry in slack_sdk: the digest is posted and said so."""
    slack = digest_ready
    inject(slack.fake, method, fault, times=1)
    reply = slack.command_reply("digest now", user_id="U0ADMIN")
    assert reply.body["text"] == CATALOG.t("digest.posted", "en", channel="C0LEAD")
    assert len(digests_in(slack.fake, "C0LEAD")) == 1, "posted once"
    assert charts_in(slack.fake) == 1, "the chart too, on the second try"
    figure(f"digest now, chart ({method})", fault, backend, posted=1, charts=1)


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "invalid_blocks"])
def test_digest_now_refused_is_said_to_the_caller(
    digest_ready: SlackWorkspace, backend: str, error: str
) -> None:
    slack = digest_ready
    if error == "invalid_blocks":
        slack.fake.fail_next("chat.postMessage", error=error)
        expected = CATALOG.t("errors.unexpected", "en")
    else:  # the real thing: a channel the bot is not in, or one that is gone
        channel = "C0SHUT|private-lead" if error == "not_in_channel" else "C0GONE|gone"
        slack.command_reply(f"settings channel <#{channel}>", user_id="U0ADMIN")
        expected = CATALOG.t("digest.not_in_channel", "en", channel=channel.split("|")[0])
    slack.fake.reset_calls()
    reply = slack.command_reply("digest now", user_id="U0ADMIN")
    assert reply.body["text"] == expected
    calls = attempts(slack.fake, "chat.postMessage")
    assert calls == {error: 1}, "not retried"
    figure("digest now", error, backend, calls=calls, told=reply.body["text"][:60])


# -- the language look-up ---------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["reset", "500"])
def test_a_command_is_answered_when_users_info_keeps_failing(
    slack: SlackWorkspace, backend: str, fault: str
) -> None:
    """A first-time user (nothing cached) while users.info fails beyond its retries."""
    inject(slack.fake, "users.info", fault, times=6)
    reply = slack.command_reply("help", user_id="U0FRENCH")
    assert CATALOG.t("help.title", "en") in json.dumps(reply.body), "in the default language"
    figure("language look-up (users.info)", f"{fault} x6", backend, answered=True)


# -- in-process: scheduled digests, reminders, timeouts ----------------------------------------

BOSS = "U0JOBBOSS"  # a workspace admin: leadership


@pytest.fixture
def jobs(
    database: str,  # noqa: F811 - the fixtures imported above
    jobs_fake: FakeSlack,  # noqa: F811
) -> Iterator[tuple[Deps, Clock, FakeSlack]]:
    """Deps of a scheduler process on the jobs workspace, on a clock the test moves.

    The clock starts at the real time, so Slack's message timestamps and the bot's idea of
    "now" agree (resuming a digest looks for it in the channel's recent history)."""
    jobs_fake.add_user(JOBS_TEAM, BOSS, "boss", is_admin=True)
    jobs_fake.add_channel(JOBS_TEAM, "C0LEADJ", "leadership", ["UBOTJ", BOSS])
    clock = Clock(datetime.now(UTC))
    deps = make_deps(database, jobs_fake, clock)
    deps.clients.base.timeout = 1  # this test's own client; production keeps 10 s
    yield deps, clock, jobs_fake
    deps.engine.dispose()


def schedule_digest(deps: Deps, clock: Clock, channel: str = "C0LEADJ") -> None:
    with_history(deps.engine, JOBS_TEAM, PEOPLE)
    with unit_of_work(deps.sessions) as session:
        set_leadership_channel(
            session, JOBS_TEAM, channel, "Europe/Paris", clock.now() - timedelta(days=8)
        )


def runs_completed(deps: Deps) -> list[bool]:
    with unit_of_work(deps.sessions) as session:
        return [done is not None for done in session.scalars(select(ScheduleRun.completed_at))]


def problem_shown(deps: Deps, lang: str) -> str:
    lines = setting_lines(deps, JOBS_TEAM, lang, leader=True)  # type: ignore[arg-type]
    title = CATALOG.t("problems.title", lang)  # type: ignore[arg-type]
    return next((line for line in lines if title in line), "")


@pytest.mark.parametrize("fault", [*TRANSIENT, "500 x4"])
def test_a_scheduled_digest_gets_through_passing_faults(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    deps, clock, fake = jobs
    schedule_digest(deps, clock)
    if fault == "500 x4":  # more than slack_sdk retries: the run waits to be resumed
        fake.server_error_next("chat.postMessage", status=500, times=4)
    else:
        inject(fake, "chat.postMessage", fault, times=2)
    digests = Digests(deps)
    digests.run_schedules()
    if fault == "500 x4":
        assert digests_in(fake, "C0LEADJ") == []
        assert runs_completed(deps) == [False]
        clock.moment += timedelta(seconds=deps.settings.stale_claim_seconds + 60)
        digests.resume_unfinished()
    assert len(digests_in(fake, "C0LEADJ")) == 1, "posted once"
    assert runs_completed(deps) == [True]
    assert problem_shown(deps, "en") == ""
    digests.run_schedules()
    digests.resume_unfinished()
    assert len(digests_in(fake, "C0LEADJ")) == 1, "and only once"
    figure("scheduled digest", fault, backend, calls=attempts(fake, "chat.postMessage"), posted=1)


def test_a_scheduled_digest_that_timed_out_is_found_without_a_double(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str
) -> None:
    """Slack took longer than the client waits: the digest may be there. It is looked for in
    the channel after a pause, found, and the slot is done without posting again."""
    deps, clock, fake = jobs
    schedule_digest(deps, clock)
    fake.delay_next("chat.postMessage", 1.5)
    digests = Digests(deps)
    digests.run_schedules()
    assert fake.calls_to("conversations.history"), "looked for before posting again"
    assert runs_completed(deps) == [True]
    clock.moment += timedelta(seconds=deps.settings.stale_claim_seconds + 60)
    digests.resume_unfinished()
    assert len(digests_in(fake, "C0LEADJ")) == 1, "found in the channel, not posted again"
    figure(
        "scheduled digest", "timeout", backend, calls=attempts(fake, "chat.postMessage"), posted=1
    )


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_a_refused_scheduled_digest_is_shown_to_leadership(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, error: str
) -> None:
    deps, clock, fake = jobs
    fake.add_channel(JOBS_TEAM, "C0SHUTJ", "leads-closed", [BOSS], bot_member=False)
    schedule_digest(deps, clock, "C0SHUTJ" if error == "not_in_channel" else "C0GONEJ")
    digests = Digests(deps)
    digests.run_schedules()
    assert attempts(fake, "chat.postMessage") == {error: 1}, "not retried"
    assert runs_completed(deps) == [True], "done: trying again every minute would not help"
    english, french = problem_shown(deps, "en"), problem_shown(deps, "fr")
    assert error in english
    assert "could not be posted" in english
    assert "n’a pas pu être publié" in french
    client = deps.clients.for_team(JOBS_TEAM)
    HomeTab(deps, digests).publish(client, JOBS_TEAM, BOSS)
    HomeTab(deps, digests).publish(client, JOBS_TEAM, PEOPLE[0])
    assert "could not be posted" in json.dumps(fake.home_view(BOSS))
    assert "could not be posted" not in json.dumps(fake.home_view(PEOPLE[0])), "leaders only"

    with unit_of_work(deps.sessions) as session:  # leadership picks a channel that works
        set_leadership_channel(session, JOBS_TEAM, "C0LEADJ", "Europe/Paris", clock.now())
    clock.moment += timedelta(days=7)
    digests.run_schedules()
    assert len(digests_in(fake, "C0LEADJ")) == 1
    assert problem_shown(deps, "en") == "", "cleared once a digest gets through"
    figure(
        "scheduled digest",
        error,
        backend,
        recorded=True,
        settings=True,
        app_home=True,
        cleared=True,
    )


def open_and_deliver(deps: Deps, clock: Clock, language: str = "en") -> tuple[PulseSender, int]:
    sender = PulseSender(deps)
    plan = PulsePlan(
        JOBS_TEAM,
        [Recipient(u, language) for u in PEOPLE],
        ["energy"],
        clock.now(),
        clock.now() + timedelta(days=4),
        timezone="Europe/Paris",
        started_by=BOSS,
    )
    pulse_id = sender.open(plan)
    sender.deliver(deps.clients.for_team(JOBS_TEAM), pulse_id)
    return sender, pulse_id


def reminders_per_person(fake: FakeSlack) -> dict[str, int]:
    text = CATALOG.t("pulse.dm.reminder", "en", closes="")[:20]
    counts: dict[str, int] = {}
    for message in fake.messages():
        if message["text"].startswith(text):
            counts[message["channel"]] = counts.get(message["channel"], 0) + 1
    return counts


@pytest.mark.parametrize(
    "fault", [*TRANSIENT, "timeout", "account_inactive", "channel_not_found", "not_in_channel"]
)
def test_reminders_through_faults(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str, fault: str
) -> None:
    deps, clock, fake = jobs
    clock.moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday
    sender, _ = open_and_deliver(deps, clock)
    fake.reset_calls()
    clock.moment = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday, past halfway
    if fault == "timeout":
        fake.delay_next("chat.postMessage", 1.5)
    else:
        inject(fake, "chat.postMessage", fault, times=2 if fault in TRANSIENT else 1)
    jobs_ = PulseJobs(deps, sender)
    jobs_.remind()
    time.sleep(1.0)  # a reminder that timed out on our side lands meanwhile
    jobs_.remind()  # claimed already: nobody is reminded twice
    reached = reminders_per_person(fake)
    everyone = {fake.dm_channel_id(u): 1 for u in PEOPLE}
    if fault in (*TRANSIENT, "timeout"):
        assert reached == everyone, "each person reminded once"
    else:
        assert len(reached) == 4, "the others are reminded all the same"
        assert set(reached.values()) == {1}
    figure(
        "reminders",
        fault,
        backend,
        calls=attempts(fake, "chat.postMessage"),
        reminded=f"{len(reached)}/5",
    )


def test_a_pulse_dm_that_timed_out_is_not_sent_twice(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str
) -> None:
    deps, clock, fake = jobs
    fake.delay_next("chat.postMessage", 1.5)
    sender, pulse_id = open_and_deliver(deps, clock)
    time.sleep(1.0)
    PulseJobs(deps, sender).resume_sending()
    dms = {
        user: len([m for m in fake.messages(fake.dm_channel_id(user)) if m.get("blocks")])
        for user in PEOPLE
    }
    assert dms == dict.fromkeys(PEOPLE, 1), "one DM each"
    with unit_of_work(deps.sessions) as session:
        statuses = session.scalars(
            select(PulseRecipient.status).where(PulseRecipient.pulse_id == pulse_id)
        ).all()
    assert set(statuses) == {"sent"}
    figure("pulse DM", "timeout", backend, calls=attempts(fake, "chat.postMessage"), dms=5)


def test_a_close_notice_that_times_out_still_lets_leadership_hear(
    jobs: tuple[Deps, Clock, FakeSlack], backend: str
) -> None:
    """The close notice is cut short: the pulse is closed and the signal changes still go out."""
    deps, clock, fake = jobs
    sender, pulse_id = open_and_deliver(deps, clock)
    announced: list[str] = []
    fake.delay_next("chat.postMessage", 1.5)
    closed = PulseJobs(deps, sender, after_close=announced.append).close(JOBS_TEAM, pulse_id)
    assert closed
    assert announced == [JOBS_TEAM]
    figure("close notice", "timeout", backend, after_close=True)


def test_an_answer_still_refused_after_the_retries_is_logged(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    hook = fake_slack.response_url("lost-answer")
    fake_slack.server_error_next("response_url", status=500, times=3)
    with caplog.at_level(logging.WARNING, logger="bot.handlers.errors"):
        response = RetryingRespond(response_url=hook)(text="hello", response_type="ephemeral")
    assert response.status_code == 500
    assert [r.status for r in fake_slack.responses if r.name == "lost-answer"] == [500] * 3
    assert "could not be posted to its response_url: 500" in caplog.text
    fake_slack.clear_faults()
