"""How close the pulse fan-out gets to the floor that Slack's rate limits allow.

In process: a fresh database (SQLite, or PostgreSQL with --postgres URL), the fake Slack
with PEOPLE users in one channel, chat.postMessage limited workspace-wide to RATE per second
with a burst of BURST (429 + Retry-After when over) and, stacked on it, to 1 per second per
channel. A pulse for everyone goes through PulseSender (plan, open, deliver); the delivery
is timed. Floor = (PEOPLE - BURST) / RATE seconds: the burst goes at once, the rest at RATE.

Each run is a child process, so its peak RSS and its threads are its own. Figures are the
median of --runs runs.

    python bench/fanout_bench.py                        # the grid of limits below, SQLite
    python bench/fanout_bench.py --postgres postgresql://postgres@127.0.0.1:5432/test
    python bench/fanout_bench.py --limits 50/50 --runs 3
    python bench/fanout_bench.py --limits 50/50 --senders 1,2,4,8,16,32 --runs 1
    python bench/fanout_bench.py --limits none --senders 1,2,4,8,16   # raw pipeline speed
    python bench/fanout_bench.py --limits 50/50 --memory  # + tracemalloc (slower; own runs)
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from sqlalchemy import func, select

import bot.services.pulse_sending as pulses_module
from bot.bootstrap import build_deps
from bot.core.config import Settings
from bot.playground.fakeslack.faults import Faults, Outcome, RateLimited, _Bucket
from bot.services.pulse_sending import PulseSender
from bot.slack.audience import Targets
from bot.storage.db import migrate, unit_of_work
from bot.storage.models import PulseRecipient
from tests.fakeslack import FakeSlack
from tests.support.databases import fresh_database

TEAM, TOKEN, CHANNEL = "TFAN", "xoxb-fanout-bench", "C0ALL"
GRID = ["50/50", "100/100", "20/20", "50/10"]


class StackedFaults(Faults):
    """The fake's faults with rate limits that stack (workspace budget AND per channel).

    FakeSlack keeps one limit per method; Slack applies both to chat.postMessage, so the
    bench layers them: a call passes only when every layer has a token, and then spends one
    from each; otherwise 429 with the longest wait, in whole seconds, at least 1.
    """

    def __init__(self) -> None:
        super().__init__()
        self._layers: dict[str, list[tuple[float, int, bool]]] = {}

    def set_rate_limit(self, method: str, per_second: float, burst: int, per_channel: bool) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        with self._lock:
            self._layers.setdefault(method, []).append((per_second, burst, per_channel))

    def clear(self) -> None:
        super().clear()
        with self._lock:
            self._layers.clear()

    def _spend_token(self, method: str, team_id: str | None, channel: str | None) -> Outcome | None:
        layers = self._layers.get(method)
        if not layers:
            return None
        now, wait, buckets = time.monotonic(), 0.0, []
        for index, (per_second, burst, per_channel) in enumerate(layers):
            key = (f"{method}#{index}", team_id, channel if per_channel else None)
            bucket = self._buckets.setdefault(key, _Bucket(float(burst), now))
            bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * per_second)
            bucket.updated = now
            if bucket.tokens < 1.0:
                wait = max(wait, (1.0 - bucket.tokens) / per_second)
            buckets.append(bucket)
        if wait > 0:
            return RateLimited(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= 1.0
        return None


def rss_now() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_once(args: argparse.Namespace) -> dict[str, Any]:
    """One fan-out in this process; returns its figures."""
    if args.senders:
        pulses_module.SENDERS = args.senders  # type: ignore[attr-defined]
    rate, burst = args.rate, args.burst
    with tempfile.TemporaryDirectory() as directory:
        backend = "postgresql" if args.postgres else "sqlite"
        if args.postgres:
            os.environ["TEST_DATABASE_URL"] = args.postgres
        with fresh_database(backend, Path(directory)) as url:
            migrate(url)
            fake = FakeSlack()
            fake._faults = StackedFaults()  # before start(): the Web API reads it
            with fake:
                return _fan_out(args, url, fake, rate, burst)


def _fan_out(
    args: argparse.Namespace, url: str, fake: FakeSlack, rate: float, burst: int
) -> dict[str, Any]:
    people = [f"U{n:05d}" for n in range(args.people)]
    fake.add_team(TEAM, "Fan", "fan", TOKEN, "UBOTF", "B0F", "A0F")
    for user in people:
        fake.add_user(TEAM, user, user.lower())
    fake.add_channel(TEAM, CHANNEL, "everyone", [*people, "UBOTF"])
    settings = Settings(
        database_url=url,
        slack_bot_token=TOKEN,
        slack_api_url=fake.api_url,
        anonymity_key="bench-fanout-key-0123456789abcdef0123",
    )
    deps = build_deps(settings)
    sender = PulseSender(deps)
    client = deps.clients.for_team(TEAM)

    started = time.perf_counter()
    plan = sender.plan(
        client,
        TEAM,
        Targets(channels=[CHANNEL]),
        items=["energy", "quality", "priorities"],
        open_for=timedelta(days=3),
        language=None,
        timezone="Europe/Paris",
        started_by=None,
    )
    pulse_id = sender.open(plan)
    planned = time.perf_counter() - started
    assert len(plan.recipients) == args.people

    fake.reset_calls()
    if rate > 0:
        fake.set_rate_limit("chat.postMessage", per_second=rate, burst=burst)
    fake.set_rate_limit("chat.postMessage", per_second=1, burst=1, per_channel=True)
    if args.latency > 0:  # Slack's own answer time, over the internet
        fake.delay_next("chat.postMessage", args.latency, times=10 * args.people)

    gc.collect()
    rss_before = rss_now()
    if args.memory:
        tracemalloc.start(1)
    started = time.perf_counter()
    sender.deliver(client, pulse_id)
    wall = time.perf_counter() - started
    traced_peak = fake_retained = 0
    if args.memory:
        traced_peak = tracemalloc.get_traced_memory()[1]
        before = tracemalloc.get_traced_memory()[0]
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    pacer = getattr(deps.clients, "pacer", None)  # None: the code before the shared gate
    gate = pacer.gate(TOKEN, "chat.postMessage") if pacer is not None else None

    calls = fake.calls_to("chat.postMessage")
    statuses = Counter(call.status for call in calls)
    with unit_of_work(deps.sessions) as session:
        left = dict(
            session.execute(
                select(PulseRecipient.status, func.count())
                .where(PulseRecipient.pulse_id == pulse_id)
                .group_by(PulseRecipient.status)
            ).all()
        )
    dms: Counter[str] = Counter(
        m["channel"] for m in fake.messages() if m.get("blocks") and m["channel"].startswith("D")
    )
    if args.memory:  # what the fake keeps (every call and message) is not the bot's
        fake.reset_calls()
        gc.collect()
        fake_retained = max(0, before - tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
    exactly_once = len(dms) == args.people and set(dms.values()) == {1}
    floor = (args.people - min(burst, args.people)) / rate if rate > 0 else 0.0
    return {
        "rate": rate,
        "burst": burst,
        "senders": getattr(pulses_module, "SENDERS", None),
        "people": args.people,
        "plan_s": planned,
        "wall_s": wall,
        "floor_s": floor,
        "ratio": wall / floor if floor else None,
        "posts": len(calls),
        "sent_ok": statuses.get(200, 0),
        "answered_429": statuses.get(429, 0),
        "other_status": {k: v for k, v in statuses.items() if k not in (200, 429)},
        "early_retries": early_retries(calls),
        "sent_in_pauses": sent_in_pauses(calls),
        "exactly_once": exactly_once,
        "duplicates": sum(1 for n in dms.values() if n > 1),
        "missing": args.people - len(dms),
        "db_status": left,
        "rss_before_mb": rss_before / 2**20,
        "max_rss_mb": max_rss / 2**20,
        "traced_peak_mb": traced_peak / 2**20,
        "fake_retained_mb": fake_retained / 2**20,
        "pauses": gate.pauses if gate is not None else None,
        "learnt_rate": gate.rate if gate is not None else None,
        "latency": args.latency,
    }


def sent_in_pauses(calls: list[Any]) -> int:
    """Calls that reached the fake from 0.5 s after a 429 until its Retry-After (1 s) ended:
    a sender that did not pause (calls already on their way land in the first instants)."""
    times = sorted(call.at for call in calls)
    count = 0
    for refused in (call for call in calls if call.status == 429):
        low = bisect.bisect_left(times, refused.at + 0.5)
        high = bisect.bisect_left(times, refused.at + 1.0)
        count += high - low
    return count


def early_retries(calls: list[Any]) -> int:
    """Calls to a channel sent before the Retry-After of that channel's previous 429."""
    by_channel: dict[str, list[Any]] = defaultdict(list)
    for call in calls:
        by_channel[str(call.params.get("channel"))].append(call)
    early = 0
    for channel_calls in by_channel.values():
        channel_calls.sort(key=lambda c: c.at)
        for before, after in itertools.pairwise(channel_calls):
            if before.status == 429 and after.at < before.at + 1.0:
                early += 1
    return early


def child(args: argparse.Namespace) -> None:
    print(json.dumps(run_once(args)))


def spawn(args: argparse.Namespace, limits: str, senders: int | None) -> dict[str, Any]:
    rate, burst = parse_limits(limits)
    command = [
        sys.executable,
        __file__,
        "--child",
        "--people",
        str(args.people),
        "--rate",
        str(rate),
        "--burst",
        str(burst),
    ]
    if senders:
        command += ["--senders", str(senders)]
    if args.postgres:
        command += ["--postgres", args.postgres]
    if args.memory:
        command += ["--memory"]
    if args.latency:
        command += ["--latency", str(args.latency)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def parse_limits(text: str) -> tuple[float, int]:
    if text == "none":
        return 0.0, 1
    rate, _, burst = text.partition("/")
    return float(rate), int(burst or 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--limits", default=",".join(GRID), help="RATE/BURST,... or none")
    parser.add_argument("--senders", default="", help="comma-separated sender counts to try")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="also a fresh PostgreSQL database")
    parser.add_argument("--memory", action="store_true", help="trace allocations (slower)")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the fake takes per chat.postMessage"
    )
    parser.add_argument("--json", action="store_true", help="print every run as JSON too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, default=50.0, help=argparse.SUPPRESS)
    parser.add_argument("--burst", type=int, default=50, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.senders = int(args.senders) if args.senders else None
        child(args)
        return
    backend = "postgresql" if args.postgres else "sqlite"
    sender_counts: list[int | None] = [int(s) for s in args.senders.split(",") if s] or [None]
    print(
        f"{args.people} people, {backend}, Slack latency {args.latency * 1000:.0f} ms, "
        f"median of {args.runs} run(s)"
    )
    print(
        "| limit (rate/burst) | senders | floor s | wall s (runs) | ratio | 429s | pauses "
        "| posts | exactly one DM each | max RSS MB | traced peak MB (fake's share) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for limits in args.limits.split(","):
        for senders in sender_counts:
            runs = [spawn(args, limits, senders) for _ in range(args.runs)]
            if args.json:
                for run in runs:
                    print(json.dumps(run), file=sys.stderr)
            print(row(limits, runs))


def row(limits: str, runs: list[dict[str, Any]]) -> str:
    def median(key: str) -> float:
        return statistics.median(float(run[key] or 0) for run in runs)

    walls = ", ".join(f"{run['wall_s']:.1f}" for run in runs)
    once = all(run["exactly_once"] for run in runs)
    ratio = f"{median('ratio'):.3f}" if runs[0]["ratio"] else "-"
    rate = f"{runs[0]['people'] / median('wall_s'):.0f}/s" if not runs[0]["ratio"] else ""
    pauses = f"{median('pauses'):.0f}" if runs[0]["pauses"] is not None else "-"
    traced = (
        f"{median('traced_peak_mb'):.1f} ({median('fake_retained_mb'):.1f})"
        if median("traced_peak_mb")
        else "-"
    )
    return (
        f"| {limits} | {runs[0]['senders']} | {median('floor_s'):.1f} "
        f"| {median('wall_s'):.2f} ({walls}) {rate} | {ratio} | {median('answered_429'):.0f} "
        f"| {pauses} | {median('posts'):.0f} | {'yes' if once else 'NO'} "
        f"| {median('max_rss_mb'):.0f} | {traced} |"
    )


if __name__ == "__main__":
    main()
