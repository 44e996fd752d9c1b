"""Many workspaces due at the same minute: tick → first DM per workspace → last DM.

WORKSPACES workspaces (OAuth installs, tokens encrypted in the database), PEOPLE people each
in one channel, one weekly pulse schedule per workspace whose slot is due now. The fake
Slack (in this process) limits chat.postMessage per workspace to RATE/s with a burst of
BURST, and, stacked on it, to 1/s per channel (bench/fanout_bench.StackedFaults); a 429
carries Retry-After in whole seconds.

Modes:
* `inline`: the scheduler's pass in this process with the in-process executor (the
  embedded default: `vpe-bot run`, SQLite or PostgreSQL);
* `engine`: PostgreSQL + a job engine (`--engine procrastinate`, jobs in PostgreSQL, or
  `--engine dramatiq`, jobs on the Redis at `--redis`); this process is the clock (it
  submits the jobs), `--workers N` `vpe-bot worker` processes take them.

Figures: tick → first DM of each workspace (median, last), tick → last DM, DMs sent, 429s,
doubles, and the CPU seconds the bot's processes used (DMs per CPU-second). The fake Slack's
own CPU is reported apart (it shares the machine: on 2 cores it is part of the load), and
so are PostgreSQL's and Redis's; `cpu_floor_s` is all of it spread over the machine's cores. With
`--closing N`, N more workspaces hold a pulse that comes due to close `--close-after` seconds
into the fan-out (the clock's close pass runs then): close_notice_* is that pass → the
notice to the person who started the pulse.

    python bench/scale_bench.py --mode inline --workspaces 10
    python bench/scale_bench.py --mode engine --workers 1,2,4 --workspaces 200 \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/scale_bench.py --mode engine --workers 2 --kill-after 2000   # SIGKILL one
    python bench/scale_bench.py --mode engine --workers 1 --closing 20 --close-after 10
    python bench/scale_bench.py --mode engine --engine dramatiq --workers 1,2 ...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import redis
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import update

from bench.fanout_bench import StackedFaults
from bot.bootstrap import bootstrap
from bot.core.config import load_settings
from bot.pulses.lifecycle import PulsePlan, Recipient, open_pulse
from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.runtime.engine import install_schema
from bot.slack.installations import installation_store
from bot.storage.db import make_engine, make_session_factory, migrate, unit_of_work
from bot.storage.models import PulseRecipient
from bot.team.workspace import mark_installed
from tests.fakeslack import FakeSlack
from tests.support.databases import fresh_database

CLIENT_ID, SECRET = "1.2", "bench-client-secret"
ANONYMITY = "bench-scale-anonymity-key-0123456789abcdef"


def team_of(n: int) -> str:
    return f"T{n:05d}"


def install_workspace(fake: FakeSlack, store: Any, n: int, people: int, *extra: str) -> list[str]:
    """Workspace n in the fake Slack and its OAuth install (token encrypted); its people."""
    team, token = team_of(n), f"xoxb-scale-{n}"
    fake.add_team(team, team, team.lower(), token, f"UB{n}", f"BB{n}", "A0SCALE")
    users = [f"U{n:05d}{p:03d}" for p in range(people)]
    for user in [*users, *extra]:
        fake.add_user(team, user, user.lower())
    store.save(
        Installation(
            app_id="A0SCALE",
            team_id=team,
            bot_token=token,
            bot_id=f"BB{n}",
            bot_user_id=f"UB{n}",
            user_id="U0ADMIN",
        )
    )
    return users


def seed(fake: FakeSlack, url: str, key: str, workspaces: int, people: int) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    store = installation_store(CLIENT_ID, engine, (key,), lambda t: mark_installed(sessions, t))
    now = datetime.now(UTC)
    for n in range(workspaces):
        channel = f"C{n:05d}"
        spec = ScheduleSpec(
            "weekly",
            now.weekday(),
            f"{(now - timedelta(hours=1)).hour:02d}:00",
            "UTC",
            3,
            {"channels": [channel]},
            ["energy", "quality", "priorities"],
            None,
        )
        team = team_of(n)
        users = install_workspace(fake, store, n, people)
        fake.add_channel(team, channel, "everyone", [*users, f"UB{n}"])
        with unit_of_work(sessions) as session:
            save_schedule(session, team, spec, "U0ADMIN", now - timedelta(days=8))
    engine.dispose()


def starter_of(n: int) -> str:
    return f"UC{n:05d}"


def seed_closing(fake: FakeSlack, url: str, key: str, first: int, count: int, people: int) -> None:
    """COUNT more workspaces, each with a pulse that everyone received and that is due to
    close: its close (and the notice to who started it) must not wait for the fan-out of the
    others."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    store = installation_store(CLIENT_ID, engine, (key,), lambda t: mark_installed(sessions, t))
    now = datetime.now(UTC)
    for n in range(first, first + count):
        team, starter = team_of(n), starter_of(n)
        users = install_workspace(fake, store, n, people, starter)
        plan = PulsePlan(
            team_id=team,
            recipients=[Recipient(user, "en") for user in users],
            items=["energy", "quality", "priorities"],
            opened_at=now - timedelta(days=3),
            closes_at=now - timedelta(minutes=1),
            started_by=starter,
        )
        with unit_of_work(sessions) as session:
            pulse_id = open_pulse(session, plan).id
            session.execute(
                update(PulseRecipient)
                .where(PulseRecipient.pulse_id == pulse_id)
                .values(status="sent")
            )
    engine.dispose()


def close_notices(fake: FakeSlack, closing: range) -> list[float]:
    """When each closing workspace's starter got the close notice."""
    starters = {starter_of(n) for n in closing}
    return sorted(
        call.at
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200 and not call.error and call.params.get("channel") in starters
    )


def environment(url: str, fake: FakeSlack, key: str, engine: str, broker: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_API_URL=fake.api_url,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=SECRET,
        SLACK_SIGNING_SECRET="0123456789abcdef0123456789abcdef",  # noqa: S106 - a fake
        TOKEN_ENCRYPTION_KEYS=key,
        ANONYMITY_KEY=ANONYMITY,
        JOB_ENGINE=engine,
        JOB_BROKER_URL=broker,
        LOG_LEVEL="WARNING",
    )
    return env


def cpu_of(pid: int) -> float:
    """User + system seconds of a live process (and its reaped children), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[index]) for index in (11, 12, 13, 14)) / ticks


def database_cpu(name: str = "postgres") -> float:
    """CPU seconds of every process of a server (PostgreSQL, Redis) on the machine: the
    server is part of the load."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as comm:
                if comm.read().strip() != name:
                    continue
            total += cpu_of(int(entry))
        except OSError:
            continue  # gone meanwhile
    return total


def delivered(fake: FakeSlack) -> tuple[Counter[str], dict[str, float], float, int]:
    """(successful DMs per person, first DM per workspace, last DM, 429s)."""
    sent: Counter[str] = Counter()
    first: dict[str, float] = {}
    last, refused = 0.0, 0
    for call in fake.calls_to("chat.postMessage"):
        if call.status == 429:
            refused += 1
            continue
        channel = str(call.params.get("channel", ""))
        if call.error or not channel.startswith("U") or channel.startswith("UC"):
            continue  # the check-in or a close notice would not start with U: only DMs
        sent[channel] += 1
        if call.team_id is not None:
            first[call.team_id] = min(first.get(call.team_id, call.at), call.at)
        last = max(last, call.at)
    return sent, first, last, refused


def run(args: argparse.Namespace, workers: int) -> dict[str, Any]:
    backend = "postgresql" if args.postgres else "sqlite"
    if args.postgres:
        os.environ["TEST_DATABASE_URL"] = args.postgres
    key = Fernet.generate_key().decode()
    total = args.workspaces * args.people
    with (
        tempfile.TemporaryDirectory() as directory,
        fresh_database(backend, Path(directory)) as url,
    ):
        migrate(url)
        fake = FakeSlack()
        fake._faults = StackedFaults()
        with fake:
            fake.set_rate_limit("chat.postMessage", per_second=args.rate, burst=args.burst)
            fake.set_rate_limit("chat.postMessage", per_second=1, burst=1, per_channel=True)
            engine_name = args.engine if args.mode == "engine" else "inline"
            if engine_name == "procrastinate":
                install_schema(url)
            if engine_name == "dramatiq":
                redis.Redis.from_url(args.redis).flushdb()
            seed(fake, url, key, args.workspaces, args.people)
            closing = range(args.workspaces, args.workspaces + args.closing)
            seed_closing(fake, url, key, closing.start, args.closing, args.people)
            env = environment(url, fake, key, engine_name, args.redis)
            settings = load_settings(env, env_file=Path("/nonexistent"))
            services = bootstrap(settings)
            fake.reset_calls()
            procs: list[subprocess.Popen[bytes]] = []
            for _ in range(workers if args.mode == "engine" else 0):
                command = [sys.executable, "-m", "bot", "worker"]
                command += ["--concurrency", str(args.concurrency)]
                procs.append(
                    subprocess.Popen(command, env=env, cwd=directory, stderr=subprocess.DEVNULL)
                )
            if procs:
                time.sleep(args.warmup)  # the workers are up and listening
            cpu_before = {p.pid: cpu_of(p.pid) for p in procs}
            own_before = resource.getrusage(resource.RUSAGE_SELF)
            database_before = database_cpu()
            broker_before = database_cpu("redis-server")
            tick = time.time()
            services.pulse_jobs.run_schedules()  # inline: the whole fan-out; engine: submit
            submitted = time.time() - tick
            killed = False
            # Closes come due in the middle of the fan-out (a later minute's pass of the clock).
            close_tick = 0.0
            deadline = time.monotonic() + args.timeout
            cpu_at_kill = 0.0
            next_pass = tick + 60.0
            while time.monotonic() < deadline:
                sent, _, _, _ = delivered(fake)
                count = len(sent)
                if time.time() >= next_pass:
                    # The clock's minute pass: a fan-out left unfinished (a claim of a killed
                    # worker, stale after STALE_CLAIM_SECONDS) is queued again.
                    next_pass += 60.0
                    services.pulse_jobs.resume_sending()
                if args.closing and not close_tick and time.time() >= tick + args.close_after:
                    close_tick = time.time()
                    services.pulse_jobs.close_due()
                if args.kill_after and not killed and count >= args.kill_after and procs:
                    cpu_at_kill = cpu_of(procs[0].pid) - cpu_before[procs[0].pid]
                    procs[0].send_signal(signal.SIGKILL)
                    procs[0].wait()
                    killed = True
                    replacement = [sys.executable, "-m", "bot", "worker"]
                    replacement += ["--concurrency", str(args.concurrency)]
                    procs[0] = subprocess.Popen(
                        replacement, env=env, cwd=directory, stderr=subprocess.DEVNULL
                    )
                    cpu_before[procs[0].pid] = 0.0
                if count >= total:
                    break
                time.sleep(0.2)
            while len(close_notices(fake, closing)) < args.closing and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.0)  # anything doubled late shows up
            worker_cpu = cpu_at_kill + sum(cpu_of(p.pid) - cpu_before[p.pid] for p in procs)
            database_used = database_cpu() - database_before if args.postgres else 0.0
            if engine_name == "dramatiq":
                database_used += database_cpu("redis-server") - broker_before
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
            own_after = resource.getrusage(resource.RUSAGE_SELF)
            own_cpu = (own_after.ru_utime - own_before.ru_utime) + (
                own_after.ru_stime - own_before.ru_stime
            )
            sent, first, last, refused = delivered(fake)
            closed = [at - close_tick for at in close_notices(fake, closing)]
            services.deps.engine.dispose()
            close = getattr(services.work, "close", None)
            if close is not None:
                close()
    firsts = sorted(at - tick for at in first.values())
    bot_cpu = worker_cpu + (own_cpu if args.mode == "inline" else 0.0)
    return {
        "mode": args.mode,
        "engine": args.engine if args.mode == "engine" else "inline",
        "backend": backend,
        "workers": workers if args.mode == "engine" else 0,
        "concurrency": args.concurrency if args.mode == "engine" else 0,
        "workspaces": args.workspaces,
        "people": args.people,
        "submit_s": round(submitted, 2),
        "first_dm_median_s": round(statistics.median(firsts), 2) if firsts else None,
        "first_dm_last_s": round(firsts[-1], 2) if firsts else None,
        "workspaces_reached": len(firsts),
        "last_dm_s": round(last - tick, 2) if last else None,
        "dms": sum(sent.values()),
        "people_reached": len(sent),
        "doubled": sum(count - 1 for count in sent.values() if count > 1),
        "lost": total - len(sent),
        "refused_429": refused,
        "bot_cpu_s": round(bot_cpu, 1),
        "clock_and_fake_cpu_s": round(own_cpu, 1),
        "dms_per_bot_cpu_s": round(sum(sent.values()) / bot_cpu, 1) if bot_cpu else None,
        # PostgreSQL's CPU, and Redis's with Dramatiq.
        "database_cpu_s": round(database_used, 1) if backend == "postgresql" else None,
        # Every CPU-second this run needed (bot, fake Slack and clock, PostgreSQL) spread
        # perfectly over the machine's cores: no schedule of this work can end sooner.
        "cpu_floor_s": round(
            (bot_cpu + (0.0 if args.mode == "inline" else own_cpu) + database_used)
            / (os.cpu_count() or 1),
            1,
        ),
        "killed_a_worker": killed,
        "closes_notified": len(closed),
        "close_notice_median_s": round(statistics.median(closed), 2) if closed else None,
        "close_notice_last_s": round(closed[-1], 2) if closed else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("inline", "engine"), default="engine")
    parser.add_argument("--engine", choices=("procrastinate", "dramatiq"), default="procrastinate")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="Dramatiq's broker")
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated (engine mode)")
    parser.add_argument("--concurrency", type=int, default=4, help="jobs at once per worker")
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL (required for engine)")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--closing", type=int, default=0, help="workspaces with a pulse to close")
    parser.add_argument("--close-after", type=float, default=10.0, help="closes due at tick + S")
    parser.add_argument("--kill-after", type=int, default=0, help="SIGKILL a worker after N DMs")
    args = parser.parse_args()
    if args.mode == "engine" and not args.postgres:
        parser.error("--mode engine needs --postgres URL")
    counts = [int(n) for n in args.workers.split(",")] if args.mode == "engine" else [0]
    for workers in counts:
        print(json.dumps(run(args, workers)), flush=True)


if __name__ == "__main__":
    main()
