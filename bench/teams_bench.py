"""How fast results by team and the digest with its heatmap are, for 20 teams over two years.

Builds two years of weekly pulses (104) for 500 people in 20 teams of 25, 7 statements each
(about 364,000 answers), each pulse closed as the bot closes it (tallies per statement and
per team, complementary suppression), in a fresh SQLite file and, with --postgres URL, a
fresh PostgreSQL database. Then times `/vpe results by team` (the figures, the message and
the heatmap PNG) and the digest (assessment with the team signals, message, chart and
heatmap) as the bot computes them.

    python bench/teams_bench.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
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

from bot.blocks.team_results import render_team_results, team_heatmap
from bot.bootstrap import build_deps
from bot.core.config import Settings
from bot.pulses.by_team import team_results
from bot.pulses.lifecycle import closed_pulses, freeze_pulse
from bot.pulses.respondents import anonymity_key, respondent_token
from bot.pulses.results import pulse_results
from bot.services.digests import Digests
from bot.storage.db import migrate, unit_of_work
from bot.storage.models import Pulse, PulseAnswer, PulseRecipient, PulseTeam, PulseTeamMember
from tests.support.databases import fresh_database

TEAM, PEOPLE, TEAMS, WEEKS = "TBENCH", 500, 20, 104
ITEMS = [
    "predictability",
    "priorities",
    "cto_bottleneck",
    "process_clarity",
    "quality",
    "energy",
    "roadmap_link",
]
SETTINGS = {"anonymity_key": "bench-key-" + "0" * 32}


def build_history(url: str) -> int:
    """Insert the history with bulk statements and close each pulse; returns the answers."""
    settings = Settings(database_url=url, **SETTINGS)
    deps, key = build_deps(settings), anonymity_key(settings)
    rng, start = random.Random(7), datetime(2024, 11, 25, 9, tzinfo=UTC)
    people = [f"U{n:04d}" for n in range(PEOPLE)]
    team_of = {person: f"team-{n % TEAMS:02d}" for n, person in enumerate(people)}
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
                    audience_label="<#C0ENG>",
                    opened_at=opened,
                    closes_at=opened + timedelta(days=3),
                    closed_at=opened + timedelta(days=3),
                )
                .returning(Pulse.id)
            ).scalar_one()
            connection.execute(
                insert(PulseRecipient),
                [
                    {"pulse_id": pulse_id, "user_id": p, "team_id": TEAM, "status": "sent"}
                    for p in people
                ],
            )
            connection.execute(
                insert(PulseTeam),
                [
                    {
                        "pulse_id": pulse_id,
                        "key": f"team-{n:02d}",
                        "team_id": TEAM,
                        "name": f"Team {n:02d}",
                    }
                    for n in range(TEAMS)
                ],
            )
            connection.execute(
                insert(PulseTeamMember),
                [
                    {"pulse_id": pulse_id, "key": team_of[p], "user_id": p, "team_id": TEAM}
                    for p in people
                ],
            )
            drift = week / WEEKS  # one team's delivery slowly falls
            rows = []
            for person in rng.sample(people, k=rng.randint(440, 500)):
                token = respondent_token(key, TEAM, pulse_id, person)
                falling = team_of[person] == "team-00"
                for item in ITEMS:
                    mean = 4 - 2 * drift if falling and item == "predictability" else 3.6
                    value = max(1, min(5, round(rng.gauss(mean, 0.9))))
                    rows.append(
                        {
                            "pulse_id": pulse_id,
                            "item": item,
                            "respondent": token,
                            "team_id": TEAM,
                            "value": value,
                        }
                    )
            connection.execute(insert(PulseAnswer), rows)
            freeze_pulse(Session(bind=connection), key, pulse_id, rng)  # as close_pulse does
            answers += len(rows)
    deps.engine.dispose()
    return answers


def timed(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median and max wall time, and median CPU time of this process (the machine is shared:
    wall time grows with other people's load, CPU time much less), in milliseconds."""
    action()  # warm-up: caches, the chart library's first import
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(samples), max(samples), statistics.median(cpu)


def measure(label: str, url: str, runs: int) -> None:
    migrate(url)
    started = time.perf_counter()
    answers = build_history(url)
    built = time.perf_counter() - started
    deps = build_deps(Settings(database_url=url, **SETTINGS))
    digests = Digests(deps)

    def figures() -> object:
        with unit_of_work(deps.sessions) as session:
            latest, previous = closed_pulses(session, TEAM, 2)
            whole = pulse_results(session, deps.pulse, latest, previous, 5)
            teams = team_results(session, deps.pulse, latest, previous, 5)
        return render_team_results(whole, teams, deps.catalog, "en"), teams

    def by_team() -> object:
        _, teams = figures()
        return team_heatmap(teams, deps.catalog, "en")  # type: ignore[arg-type]

    def digest() -> object:
        message = digests.digest_message(TEAM, "en")
        return message, team_heatmap(digests.teams(TEAM, 5), deps.catalog, "en")

    only = timed(figures, runs)
    results = timed(by_team, runs)
    posted = timed(digest, runs)
    print(f"{label}: {answers:,} answers in {TEAMS} teams built in {built:.0f} s")
    for name, (median, most, cpu) in (
        ("results by team, figures", only),
        ("results by team + heatmap", results),
        ("digest + chart + heatmap", posted),
    ):
        print(f"  {name:26} median {median:6.1f} ms   max {most:6.1f} ms   CPU {cpu:6.1f} ms")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    deps.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throw-away database is made there")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        measure("SQLite", f"sqlite:///{Path(directory) / 'bench.db'}", args.runs)
    if args.postgres:
        os.environ["TEST_DATABASE_URL"] = args.postgres
        with fresh_database("postgresql", Path(tempfile.gettempdir())) as url:
            measure("PostgreSQL", url, args.runs)


if __name__ == "__main__":
    main()
