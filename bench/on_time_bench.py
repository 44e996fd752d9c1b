"""How soon after HH:MM:00 a scheduled pulse's first DM leaves, through the real clock processes.

Per run: a fresh database, migrated (the Procfile's release); WORKSPACES workspaces in the
fake Slack, each installed through the installation store (OAuth mode, encrypted tokens)
with PEOPLE people in one channel; K `vpe-bot scheduler` processes (the Procfile's clock)
started on that database. Once one of them leads, every workspace gets a weekly pulse
schedule for the same UTC minute, the next one at least LEAD seconds away (a schedule
saved as the schedule modal saves it). The fake Slack stamps each chat.postMessage when it
arrives; per workspace, the first DM's arrival minus HH:MM:00 is its delay.

Reported per K: the delay of the first DM over all workspaces and runs (median, worst),
the time until the last DM, and DMs per person (must be exactly 1: one leader runs the
slot, whatever K). SQLite allows one scheduler; several need PostgreSQL.

    python bench/on_time_bench.py                                  # SQLite, 1 process
    python bench/on_time_bench.py --postgres postgresql://postgres@127.0.0.1:5432/postgres \\
        --processes 1,3 --runs 3
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

from bot.bootstrap import build_deps
from bot.core.config import Settings
from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.storage.db import migrate, unit_of_work
from tests.fakeslack import FakeSlack
from tests.support.botproc import BotProcess, bot_environment
from tests.support.databases import fresh_database

CLIENT_ID = "111.222"
CLIENT_SECRET = "bench-client-secret"  # noqa: S105 - the fake Slack's, nobody else's
LEAD = 8.0  # seconds between the schedules being saved and their minute, at least


def team_id(n: int) -> str:
    return f"T0W{n:03d}"


def people(n: int, count: int) -> list[str]:
    return [f"U{n:03d}P{p:03d}" for p in range(count)]


def oauth_settings(url: str, key: str, api_url: str) -> Settings:
    return Settings(
        database_url=url,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        token_encryption_keys=(key,),
        slack_api_url=api_url,
        anonymity_key="bench-anonymity-key-0123456789abcdef0123",
    )


def prepare(fake: FakeSlack, url: str, key: str, workspaces: int, per_team: int) -> None:
    """The workspaces in Slack, and each one's installation in the database."""
    deps = build_deps(oauth_settings(url, key, fake.api_url))
    assert deps.installations is not None
    for n in range(workspaces):
        team, token = team_id(n), f"xoxb-bench-{n}"
        fake.add_team(team, team, team.lower(), token, f"UB{n:03d}", f"B{n:03d}", "A0VPEBOT")
        for user in people(n, per_team):
            fake.add_user(team, user, user.lower())
        fake.add_channel(team, f"C{n:03d}", "engineering", [*people(n, per_team), f"UB{n:03d}"])
        deps.installations.save(
            Installation(
                app_id="A0VPEBOT",
                enterprise_id=None,
                team_id=team,
                bot_token=token,
                bot_id=f"B{n:03d}",
                bot_user_id=f"UB{n:03d}",
                bot_scopes=["chat:write", "im:write", "users:read", "channels:read"],
                user_id="U0ADMIN",
                installed_at=time.time(),
            )
        )
    deps.engine.dispose()


def schedule_all(settings: Settings, workspaces: int, slot: datetime) -> None:
    deps = build_deps(settings)
    now = datetime.now(UTC)
    with unit_of_work(deps.sessions) as session:
        for n in range(workspaces):
            spec = ScheduleSpec(
                "weekly",
                slot.weekday(),
                slot.strftime("%H:%M"),
                "UTC",
                3,
                {"channels": [f"C{n:03d}"]},
                ["energy"],
                None,
            )
            save_schedule(session, team_id(n), spec, "U0ADMIN", now)
    deps.engine.dispose()


def next_minute(after: float) -> datetime:
    moment = datetime.fromtimestamp(time.time() + after, UTC)
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


@dataclass
class Run:
    first: list[float]  # per workspace: its first DM, seconds after HH:MM:00
    last: float  # the last DM of all, seconds after HH:MM:00
    dms: int
    expected: int
    per_person: list[int]  # the distinct numbers of DMs a person got: [1] when right
    leaders: int  # processes that led at some point


def one_run(backend: str, processes: int, workspaces: int, per_team: int) -> Run:
    key = Fernet.generate_key().decode()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(backend, Path(tmp)) as url,
        FakeSlack() as fake,
    ):
        migrate(url)
        prepare(fake, url, key, workspaces, per_team)
        env = bot_environment(
            fake.api_url,
            url,
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET=CLIENT_SECRET,
            TOKEN_ENCRYPTION_KEYS=key,
        )
        del env["SLACK_BOT_TOKEN"]
        clocks = [BotProcess(["scheduler"], env, Path(tmp)).start() for _ in range(processes)]
        try:
            deadline = time.monotonic() + 60
            while not any("scheduler is the leader" in c.output() for c in clocks):
                assert time.monotonic() < deadline, clocks[0].output()
                time.sleep(0.2)
            time.sleep(2)  # the catch-up pass right after start finds nothing
            fake.reset_calls()
            slot = next_minute(LEAD)
            schedule_all(oauth_settings(url, key, fake.api_url), workspaces, slot)
            expected = workspaces * per_team
            deadline = time.monotonic() + (slot.timestamp() - time.time()) + 90
            while len(dms(fake)) < expected and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(2)  # anything more (a double) would land now
            leaders = sum("scheduler is the leader" in c.output() for c in clocks)
        finally:
            for clock in clocks:
                clock.stop()
        sent = dms(fake)
        first: dict[str, float] = {}
        for team, at in sent:
            first[team] = min(first.get(team, at), at)
        per_person = Counter(dm_channels(fake))
        return Run(
            first=[at - slot.timestamp() for at in first.values()],
            last=max((at for _, at in sent), default=math.inf) - slot.timestamp(),
            dms=len(sent),
            expected=expected,
            per_person=sorted(set(per_person.values())),
            leaders=leaders,
        )


def dms(fake: FakeSlack) -> list[tuple[str, float]]:
    """(team, arrival) of each pulse DM that Slack accepted."""
    return [
        (call.team_id or "", call.at)
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200 and call.error is None and call.params.get("blocks")
    ]


def dm_channels(fake: FakeSlack) -> list[str]:
    return [
        str(call.params["channel"])
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200 and call.error is None and call.params.get("blocks")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="an admin URL; runs get throw-away databases")
    parser.add_argument("--processes", default="1", help="comma-separated counts, e.g. 1,3")
    parser.add_argument("--workspaces", type=int, default=10)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    backend = "sqlite"
    if args.postgres:
        os.environ["TEST_DATABASE_URL"] = args.postgres
        backend = "postgresql"
    for processes in (int(k) for k in args.processes.split(",")):
        if processes > 1 and backend == "sqlite":
            sys.exit("several scheduler processes need PostgreSQL (--postgres URL)")
        firsts: list[float] = []
        lasts: list[float] = []
        each: set[int] = set()
        for run in range(args.runs):
            result = one_run(backend, processes, args.workspaces, args.people)
            firsts += result.first
            lasts.append(result.last)
            each |= set(result.per_person)
            print(
                f"  run {run + 1}: {result.dms}/{result.expected} DMs, first DM "
                f"{min(result.first):.2f}-{max(result.first):.2f} s after the minute, "
                f"last {result.last:.2f} s, per person {result.per_person}, "
                f"leaders {result.leaders}",
                flush=True,
            )
        print(
            f"{backend}, {processes} clock process(es), {args.workspaces} workspaces x "
            f"{args.people} people, {args.runs} runs: first DM per workspace "
            f"median {statistics.median(firsts):.2f} s, worst {max(firsts):.2f} s after "
            f"HH:MM:00; last DM worst {max(lasts):.2f} s; DMs per person {sorted(each)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
