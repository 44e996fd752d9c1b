"""The demo's delivery history, served by the stand-in GitHub and Linear on loopback.

Twelve weeks in which the API's lead time climbs and its deployments fail more often,
while the web app stays steady, and the last sprints end well short of their plan: what
`/vpe delivery`, the signals and the digest show with no account anywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.playground.fakegithub import FakeGitHub
from bot.playground.fakegithub.history import add_deployments, add_releases, add_weeks_of_pulls
from bot.playground.fakelinear import Cycle, FakeLinear

GITHUB_TOKEN, LINEAR_KEY = "ghp_playground", "lin_api_playground"
API_LEADS = [0.8, 0.9, 0.8, 1.0, 1.1, 1.0, 1.2, 1.5, 1.9, 2.6, 3.4, 4.1]
WEB_LEADS = [0.6, 0.7, 0.6, 0.6, 0.7, 0.8, 0.6, 0.7, 0.7, 0.6, 0.8, 0.7]
SPRINTS = [0.92, 0.88, 0.9, 0.81, 0.55, 0.78, 0.52, 0.47]  # two-week cycles, oldest first


def start_standins(now: datetime) -> tuple[FakeGitHub, FakeLinear]:
    github = FakeGitHub(GITHUB_TOKEN)
    add_weeks_of_pulls(github, "nimbus/api", now, API_LEADS, per_week=9)
    add_deployments(github, "nimbus/api", now, weeks=12, per_week=4, failed_every=6)
    add_weeks_of_pulls(github, "nimbus/web", now, WEB_LEADS, per_week=7, first_number=2000)
    add_releases(github, "nimbus/web", now, weeks=12)
    linear = FakeLinear(LINEAR_KEY)
    cycles = linear.teams.setdefault("NIM", [])
    fmt = "%Y-%m-%dT%H:%M:%S.000Z"
    for n, share in enumerate(SPRINTS):
        end = now - timedelta(weeks=2 * (len(SPRINTS) - n)) + timedelta(days=3)
        planned, added = 24, 3 + n % 3
        done = round((planned + added) * share)
        start = end - timedelta(weeks=2)
        cycles.append(Cycle(n + 1, start.strftime(fmt), end.strftime(fmt), planned, added, done))
    return github.start(), linear.start()


def standin_settings(github: FakeGitHub, linear: FakeLinear) -> dict[str, Any]:
    return {
        "github_token": GITHUB_TOKEN,
        "github_api_url": github.api_url,
        "github_repositories": ("nimbus/api", "nimbus/web"),
        # Teams of the demo's `/vpe teams`: a source counts for a team only when it exists.
        "github_teams": (
            ("nimbus/api", "Platform"),
            ("nimbus/web", "Payments"),
            ("NIM", "Payments"),
        ),
        "linear_api_key": LINEAR_KEY,
        "linear_api_url": linear.api_url,
        "linear_teams": ("NIM",),
    }
