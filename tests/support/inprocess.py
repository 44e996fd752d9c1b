"""Deps built in the test process, on a fresh database, talking to the fake Slack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from bot.bootstrap import Deps, build_deps
from bot.core.config import Settings
from bot.storage.db import migrate
from tests.fakeslack import FakeSlack
from tests.support.databases import fresh_database

TEAM = "T0JOBS"
PEOPLE = [f"U0JOB{n}" for n in range(1, 6)]


@dataclass
class Clock:
    """A clock the test moves by hand."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment


def make_deps(url: str, fake: FakeSlack, clock: Clock) -> Deps:
    settings = Settings(
        database_url=url,
        slack_bot_token="xoxb-jobs-token",
        slack_api_url=fake.api_url,
        anonymity_key="jobs-test-anonymity-key-0123456789abcdef",
    )
    return build_deps(settings, clock=clock)


@pytest.fixture
def jobs_fake(fake_slack: FakeSlack) -> Iterator[FakeSlack]:
    """A second workspace in the fake, with five people in #jobs."""
    fake_slack.add_team(TEAM, "Jobs", "jobs", "xoxb-jobs-token", "UBOTJ", "B0J", "A0J")
    for user in PEOPLE:
        fake_slack.add_user(TEAM, user, user.lower())
    fake_slack.add_channel(TEAM, "C0JOBS", "jobs", [*PEOPLE, "UBOTJ"])
    fake_slack.reset_calls()
    fake_slack.clear_faults()
    yield fake_slack
    fake_slack.clear_faults()


@pytest.fixture
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    with fresh_database(backend, tmp_path) as url:
        migrate(url)
        yield url
