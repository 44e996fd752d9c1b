"""Delivery from the systems at scale.

1. The first sync of a repository with 10,000 merged pull requests against the stand-in
   GitHub (in its own process, like the real one), under a rate limit that binds: the time
   against the floor that limit sets, and the sync process's peak memory.
2. `/vpe signals` and the digest (with its chart) on two years of pulses and two years of
   weekly delivery figures for 20 repositories.

    python bench/delivery_bench.py [--limit 25 --window 10] [--skip-sync | --skip-signals]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

PULLS, REPO, TOKEN, TEAM = 10_000, "acme/monolith", "ghp_bench", "TBENCH"


def serve(
    limit: int, window: float, queue: multiprocessing.Queue, stop: multiprocessing.Event
) -> None:  # type: ignore[type-arg]
    from bot.playground.fakegithub import FakeGitHub
    from bot.playground.fakegithub.history import add_weeks_of_pulls

    with FakeGitHub(TOKEN, rate_limit=limit, window=window) as github:
        now = datetime.now(UTC)
        weeks = PULLS // 100
        add_weeks_of_pulls(github, REPO, now, [1.0 + (n % 7) / 3 for n in range(weeks)], 100)
        queue.put(github.api_url)
        stop.wait()
        queue.put((len(github.requests), github.limited))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sync_bench(limit: int, window: float) -> None:
    context = multiprocessing.get_context("spawn")
    queue, stop = context.Queue(), context.Event()
    server = context.Process(target=serve, args=(limit, window, queue, stop), daemon=True)
    server.start()
    api_url = queue.get(timeout=120)
    from bot.bootstrap import build_deps, build_services
    from bot.core.config import Settings
    from bot.storage.db import migrate

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'sync.db'}"
        migrate(url)
        settings = Settings(
            database_url=url,
            github_token=TOKEN,
            github_api_url=api_url,
            github_repositories=(REPO,),
        )
        delivery = build_services(build_deps(settings)).delivery
        before = peak_mb()
        started = time.perf_counter()
        outcomes = delivery.sync_team(TEAM)
        took = time.perf_counter() - started
        stop.set()
        requests, limited = queue.get(timeout=30)
        server.join(timeout=30)
        with delivery.deps.engine.connect() as connection:
            merged = connection.exec_driver_sql("SELECT sum(merged) FROM delivery_weeks").scalar()
    counted = requests - limited  # a refused request costs no quota; it is asked again
    floor = (math.ceil(counted / limit) - 1) * window
    print(f"first sync of {PULLS:,} merged pull requests: {outcomes[0].status}, {merged:,} counted")
    print(f"  requests {counted} (+{limited} refused at the limit), {limit} per {window:g} s")
    print(f"  floor the rate limit sets: {floor:.1f} s")
    print(f"  took {took:.1f} s = {took / floor:.2f} x the floor (target <= 1.2)")
    print(f"  peak memory {peak_mb():.0f} MB (before the sync {before:.0f} MB; target < 150)")


def timed(action: Any, runs: int) -> tuple[float, float]:
    """Medians of wall time and of this process's CPU time, in ms, after a warm-up. On a
    shared machine the CPU time is what the work costs; the wall time adds the waiting."""
    action()
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def signals_bench(runs: int) -> None:
    import random

    from sqlalchemy import insert

    from bot.blocks.digest import digest_chart
    from bot.bootstrap import build_deps
    from bot.core.config import Settings
    from bot.services.digests import Digests
    from bot.storage.db import migrate
    from bot.storage.models import DeliverySource, DeliveryWeek

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from signals_bench import build_history  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        migrate(url)
        answers = build_history(url)
        deps = build_deps(Settings(database_url=url, anonymity_key="bench-key-" + "0" * 32))
        digests = Digests(deps)
        pulses_only = timed(lambda: digests.signals_message(TEAM, "en"), runs)
        rng = random.Random(3)
        monday = datetime.now(UTC).date()
        monday -= timedelta(days=monday.weekday())
        with deps.engine.begin() as connection:
            for repo in range(20):
                source_id = connection.execute(
                    insert(DeliverySource)
                    .values(team_id=TEAM, kind="github", name=f"acme/repo{repo}", cursor={})
                    .returning(DeliverySource.id)
                ).scalar_one()
                rows = [
                    {
                        "source_id": source_id,
                        "week": monday - timedelta(weeks=104 - week),
                        "team_id": TEAM,
                        "merged": 50,
                        "lead_hours": sorted(rng.expovariate(1 / 30) for _ in range(50)),
                        "deployments": 10,
                        "failed_deployments": rng.randint(0, 2),
                        "releases": 0,
                        "failure_changes": rng.randint(0, 2),
                        "restore_hours": [rng.expovariate(1 / 3)],
                        "sprints_planned": 20,
                        "sprints_completed": rng.randint(8, 20),
                        "sprints_added": 3,
                        "sprint_ratios": [rng.uniform(0.4, 1.0)],
                    }
                    for week in range(104)
                ]
                connection.execute(insert(DeliveryWeek), rows)
        signals = timed(lambda: digests.signals_message(TEAM, "en"), runs)
        digest = timed(lambda: digests.digest_message(TEAM, "en"), runs)
        picture = digests.picture(TEAM)
        words = digests.words("en")
        chart = timed(lambda: digest_chart(picture.inputs.history, words), runs)
        print(f"two years: {answers:,} pulse answers, 20 repositories x 104 weeks of figures")
        print(f"  /vpe signals     wall {signals[0]:6.1f} ms   CPU {signals[1]:6.1f} ms")
        print(f"  ... pulses only  wall {pulses_only[0]:6.1f} ms   CPU {pulses_only[1]:6.1f} ms")
        print(f"  digest + chart   wall {digest[0]:6.1f} ms   CPU {digest[1]:6.1f} ms")
        print(f"  the chart alone  wall {chart[0]:6.1f} ms   CPU {chart[1]:6.1f} ms")
        print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        deps.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=25, help="requests per window")
    parser.add_argument("--window", type=float, default=10.0, help="seconds")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--skip-sync", action="store_true")
    parser.add_argument("--skip-signals", action="store_true")
    args = parser.parse_args()
    if not args.skip_sync:
        sync_bench(args.limit, args.window)
    if not args.skip_signals:
        signals_bench(args.runs)


if __name__ == "__main__":
    main()
