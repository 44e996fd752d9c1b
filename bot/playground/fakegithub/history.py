"""Made-up but plausible histories for the stand-in: the playground's demo and the tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from .server import Deployment, FakeGitHub, Pull, Release


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_weeks_of_pulls(
    github: FakeGitHub,
    repo: str,
    now: datetime,
    lead_days: list[float],
    per_week: int = 5,
    first_number: int = 1,
) -> int:
    """One week per entry of `lead_days` (oldest first, the last ending a day before `now`),
    each with `per_week` pull requests merged after that many days; returns the next number."""
    number = first_number
    weeks = len(lead_days)
    monday = (now - timedelta(days=now.weekday())).replace(hour=10, minute=0, second=0)
    for index, days in enumerate(lead_days):
        start = monday - timedelta(weeks=weeks - index)
        for n in range(per_week):
            merged = start + timedelta(days=n % 5, hours=n)
            opened = merged - timedelta(days=days)
            github.repo(repo).pulls.append(
                Pull(number, f"Change {number}", iso(opened), iso(merged), iso(merged))
            )
            number += 1
    return number


def add_deployments(
    github: FakeGitHub, repo: str, now: datetime, weeks: int, per_week: int, failed_every: int
) -> None:
    """Production deployments, one in `failed_every` failed and fixed two hours later."""
    deployments = github.repo(repo).deployments
    monday = (now - timedelta(days=now.weekday())).replace(hour=14, minute=0, second=0)
    ident = len(deployments) + 1
    for week in range(weeks):
        start = monday - timedelta(weeks=weeks - week)
        for n in range(per_week):
            at = start + timedelta(days=n % 5, minutes=n)
            failed = failed_every and ident % failed_every == 0
            state = "failure" if failed else "success"
            deployments.append(Deployment(ident, "production", iso(at), iso(at), state))
            ident += 1
            if failed:
                later = at + timedelta(hours=2)
                deployments.append(
                    Deployment(ident, "production", iso(later), iso(later), "success")
                )
                ident += 1


def add_releases(github: FakeGitHub, repo: str, now: datetime, weeks: int) -> None:
    releases = github.repo(repo).releases
    for week in range(weeks):
        at = now - timedelta(weeks=weeks - week, days=1)
        releases.append(Release(len(releases) + 1, f"v1.{week}", iso(at)))
