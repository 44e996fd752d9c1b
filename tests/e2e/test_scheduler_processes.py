"""Scheduler processes: one leader at a time, failover when it dies, no slot run twice."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.storage.db import make_engine, make_session_factory, unit_of_work
from bot.storage.models import Pulse, ScheduleRun
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment, run_cli
from tests.support.inprocess import PEOPLE, TEAM


def leads(bot: BotProcess) -> bool:
    return "scheduler is the leader" in bot.output()


def wait_until(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_one_leader_then_failover_and_each_slot_once(
    database: str, jobs_fake: FakeSlack, tmp_path: Path
) -> None:
    engine = make_engine(database)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    spec = ScheduleSpec(
        "weekly",
        now.weekday(),
        f"{(now - timedelta(hours=1)).hour:02d}:00",
        "UTC",
        3,
        {"channels": ["C0JOBS"]},
        ["energy"],
        None,
    )
    with unit_of_work(sessions) as session:
        save_schedule(session, TEAM, spec, "U0ADMIN", now - timedelta(days=8))
    env = bot_environment(jobs_fake.api_url, database, SLACK_BOT_TOKEN="xoxb-jobs-token")
    first = BotProcess(["scheduler"], env, tmp_path).start()
    if database.startswith("sqlite"):
        wait_until(lambda: leads(first), 20, "the first scheduler to lead")
        second = run_cli(["scheduler"], env, tmp_path, timeout=30)
        assert second.returncode == 2
        assert "SQLite runs as a single process" in second.stderr
        first.stop()
        return
    wait_until(lambda: leads(first), 20, "the first scheduler to lead")
    second = BotProcess(["scheduler"], env, tmp_path).start()
    time.sleep(3)
    assert not leads(second), "one leader at a time"
    wait_until(lambda: len(jobs_fake.calls_to("chat.postMessage")) >= len(PEOPLE), 20, "the DMs")
    assert first.process is not None
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(10)
    killed_at = time.monotonic()
    wait_until(lambda: leads(second), 60, "the standby to take over")
    assert time.monotonic() - killed_at < 60
    time.sleep(2)
    second.stop()
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(ScheduleRun)) == 1
        assert session.scalar(select(func.count()).select_from(Pulse)) == 1
    messaged = [c.params["channel"] for c in jobs_fake.calls_to("chat.postMessage")]
    assert sorted(messaged) == sorted(PEOPLE), "each person once, across the failover"
    engine.dispose()
