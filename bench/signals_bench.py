"""How fast `/vpe signals` and the digest are on two years of weekly pulses for 500 people.

Builds the history (104 closed pulses x 500 people x 7 statements: about 364,000 answers)
in a fresh SQLite file, and in a fresh PostgreSQL database when --postgres URL is given,
then times the assessment and the digest (with its chart) as the bot computes them.

    python bench/signals_bench.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from bot.bootstrap import build_deps
from bot.core.config import Settings
from bot.pulses.lifecycle import freeze_pulse
from bot.services.digests import Digests
from bot.storage.db import migrate
from bot.storage.models import CtoCheckin, Pulse, PulseAnswer, PulseRecipient
from tests.support.databases import fresh_database

TEAM, PEOPLE, WEEKS = "TBENCH", 500, 104
ITEMS = [
    "predictability",
    "priorities",
    "cto_bottleneck",
    "process_clarity",
    "quality",
    "energy",
    "roadmap_link",
]


def build_history(url: str) -> int:
    """Insert the history with bulk statements; returns the number of answers."""
    deps = build_deps(Settings(database_url=url, anonymity_key="bench-key-" + "0" * 32))
    rng, start = random.Random(7), datetime(2024, 11, 25, 9, tzinfo=UTC)
    answers = 0
    with deps.engine.begin() as connection:
        for week in range(WEEKS):
            opened = start + timedelta(weeks=week)
            pulse_id = connection.execute(
                insert(Pulse)
                .values(
                    team_id=TEAM,
                    status="closed",
                    items=ITEMS,
                    timezone="Europe/Paris",
                    audience_label="#engineering",
                    opened_at=opened,
                    closes_at=opened + timedelta(days=3),
                    closed_at=opened + timedelta(days=3),
                )
                .returning(Pulse.id)
            ).scalar_one()
            people = [f"U{n:04d}" for n in range(PEOPLE)]
            connection.execute(
                insert(PulseRecipient),
                [
                    {
                        "pulse_id": pulse_id,
                        "user_id": p,
                        "team_id": TEAM,
                        "status": "sent",
                        "language": "en",
                        "attempts": 1,
                    }
                    for p in people
                ],
            )
            drift = week / WEEKS  # predictability slowly falls, like a growing team
            rows = [
                {
                    "pulse_id": pulse_id,
                    "item": item,
                    "respondent": f"{week}-{n}",
                    "team_id": TEAM,
                    "value": max(
                        1,
                        min(
                            5,
                            round(
                                rng.gauss(4 - 2 * drift if item == "predictability" else 3.6, 0.9)
                            ),
                        ),
                    ),
                }
                for n in range(PEOPLE)
                for item in ITEMS
            ]
            connection.execute(insert(PulseAnswer), rows)
            freeze_pulse(Session(bind=connection), b"bench", pulse_id, rng)  # as close_pulse does
            connection.execute(
                insert(CtoCheckin).values(
                    pulse_id=pulse_id,
                    team_id=TEAM,
                    operations_share=rng.choice([35, 60, 85]),
                    decisions_waiting=rng.choice([1, 4, 8]),
                )
            )
            answers += len(rows)
    deps.engine.dispose()
    return answers


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    action()  # warm-up: caches, the chart library's first import
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def measure(label: str, url: str, runs: int) -> None:
    migrate(url)
    started = time.perf_counter()
    answers = build_history(url)
    built = time.perf_counter() - started
    deps = build_deps(Settings(database_url=url, anonymity_key="bench-key-" + "0" * 32))
    digests = Digests(deps)
    signals = timed(lambda: digests.signals_message(TEAM, "en"), runs)
    digest = timed(lambda: digests.digest_message(TEAM, "en"), runs)
    assessment = timed(lambda: digests.picture(TEAM), runs)
    print(f"{label}: {answers:,} answers built in {built:.0f} s")
    print(f"  assessment only  median {assessment[0]:6.1f} ms   max {assessment[1]:6.1f} ms")
    print(f"  /vpe signals     median {signals[0]:6.1f} ms   max {signals[1]:6.1f} ms")
    print(f"  digest + chart   median {digest[0]:6.1f} ms   max {digest[1]:6.1f} ms")
    deps.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throw-away database is made there")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        measure("SQLite", f"sqlite:///{Path(directory) / 'bench.db'}", args.runs)
    if args.postgres:
        os.environ["TEST_DATABASE_URL"] = args.postgres
        with fresh_database("postgresql", Path(tempfile.gettempdir())) as url:
            measure("PostgreSQL", url, args.runs)


if __name__ == "__main__":
    main()
