"""The GitHub connector against the stand-in on loopback, every answer schema-checked."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.delivery.connector import Batch, Cursor, Week
from bot.delivery.github import GitHubRepository
from bot.delivery.http import HttpClient, SourceError, Unavailable
from bot.playground.fakegithub.history import add_deployments, add_weeks_of_pulls, iso
from bot.playground.fakegithub.server import Pull
from tests.support.github_schema import CheckedGitHub

NOW = datetime.now(UTC).replace(microsecond=0)
REPO = "acme/api"
GOOD = "ghp_good"


@pytest.fixture
def github() -> Iterator[CheckedGitHub]:
    with CheckedGitHub("ghp_good") as fake:
        yield fake


class Store:
    """What the sync service does with batches: add them up, keep the last cursor."""

    def __init__(self) -> None:
        self.total, self.cursor, self.commits = Week(), {}, 0  # type: ignore[var-annotated]

    def commit(self, batch: Batch, cursor: Cursor) -> None:
        for week in batch.weeks.values():
            self.total.add(week)
        self.cursor, self.commits = cursor, self.commits + 1


def connector(github: CheckedGitHub, token: str = GOOD, **client: Any) -> GitHubRepository:
    options: dict[str, Any] = {"backoff": 0.01, **client}
    http = HttpClient(f"GitHub {REPO}", {"Authorization": f"Bearer {token}"}, **options)
    return GitHubRepository(REPO, github.api_url, http)


def test_pages_of_merged_pull_requests_are_all_counted_with_their_lead_time(github):
    add_weeks_of_pulls(github, REPO, NOW, [1.0, 2.0, 3.0], per_week=90)  # 270: three pages
    github.repo(REPO).pulls.append(Pull(999, "Closed unmerged", iso(NOW), iso(NOW), None))
    store = Store()
    connector(github).sync({}, store.commit, NOW)
    assert store.total.merged == 270
    assert sorted(store.total.lead_hours)[135] == 48.0
    assert sum("/pulls" in r for r in github.requests) == 3
    assert github.checked == len(github.requests)


def test_second_sync_asks_with_the_etag_and_counts_nothing_twice(github):
    add_weeks_of_pulls(github, REPO, NOW, [1.0] * 4, per_week=10)
    add_deployments(github, REPO, NOW, weeks=2, per_week=3, failed_every=0)
    store = Store()
    connector(github).sync({}, store.commit, NOW)
    first = len(github.requests)
    connector(github).sync(store.cursor, store.commit, NOW + timedelta(hours=1))
    assert store.total.merged == 40
    assert store.total.deployments == 6
    assert len(github.requests) - first == 3  # one conditional request per list, all 304

    merged = iso(NOW + timedelta(minutes=90))
    github.repo(REPO).pulls.append(Pull(500, "New", iso(NOW), merged, merged, ("hotfix",)))
    connector(github).sync(store.cursor, store.commit, NOW + timedelta(hours=2))
    assert store.total.merged == 41
    assert store.total.failure_changes == 1


def test_a_sync_cut_short_by_errors_resumes_where_it_stopped(github):
    add_weeks_of_pulls(github, REPO, NOW, [2.0] * 5, per_week=100)  # 500: five pages
    store = Store()
    github.fail_next(*[None] * 2, *["500"] * 5)  # type: ignore[list-item]
    with pytest.raises(Unavailable):
        connector(github, retries=2).sync({}, store.commit, NOW)
    assert 0 < store.total.merged < 500
    connector(github).sync(store.cursor, store.commit, NOW + timedelta(minutes=5))
    assert store.total.merged == 500


def test_failed_deployments_count_with_their_time_to_restore(github):
    add_deployments(github, REPO, NOW, weeks=2, per_week=4, failed_every=4)
    store = Store()
    connector(github).sync({}, store.commit, NOW)
    assert store.total.failed_deployments == 2
    assert store.total.deployments == 8
    assert store.total.restore_hours == [2.0, 2.0]


def test_the_primary_rate_limit_is_waited_out_until_its_reset(github):
    github.rate_limit, github.window = 2, 1.0
    add_weeks_of_pulls(github, REPO, NOW, [1.0] * 3, per_week=100)
    waits: list[float] = []
    started = time.monotonic()
    connector(github, sleep=lambda s: (waits.append(s), time.sleep(s))).sync(
        {}, Store().commit, NOW
    )
    assert waits  # it spent the quota, waited for the reset and carried on
    assert all(w <= 2.0 for w in waits)
    assert github.limited == 0  # it waited when told the quota was spent: never refused
    assert time.monotonic() - started < 6


def test_a_secondary_limit_waits_what_retry_after_says(github):
    add_weeks_of_pulls(github, REPO, NOW, [1.0], per_week=3)
    github.fail_next("secondary")
    waits: list[float] = []
    store = Store()
    connector(github, sleep=waits.append).sync({}, store.commit, NOW)
    assert waits == [1.0]
    assert store.total.merged == 3


def test_a_secondary_limit_told_only_by_its_message_waits_a_minute(github):
    add_weeks_of_pulls(github, REPO, NOW, [1.0], per_week=3)
    github.fail_next("secondary403")
    waits: list[float] = []
    store = Store()
    connector(github, sleep=waits.append).sync({}, store.commit, NOW)
    assert waits == [60.0]
    assert store.total.merged == 3


def test_a_timeout_and_a_5xx_are_retried(github):
    add_weeks_of_pulls(github, REPO, NOW, [1.0], per_week=3)
    github.stall_seconds = 1.0
    github.fail_next("stall", "500")
    store = Store()
    connector(github, timeout=0.3).sync({}, store.commit, NOW)
    assert store.total.merged == 3


def test_a_bad_token_names_the_source_and_what_to_fix(github):
    github.repo(REPO)
    with pytest.raises(SourceError) as refused:
        connector(github, token="ghp_wrong").sync({}, Store().commit, NOW)
    assert "GitHub acme/api" in str(refused.value)
    assert "token" in str(refused.value)


def test_an_unknown_repository_says_to_check_its_name(github):
    http = HttpClient("GitHub acme/nope", {"Authorization": "Bearer ghp_good"})
    with pytest.raises(SourceError, match="Check the name"):
        GitHubRepository("acme/nope", github.api_url, http).sync({}, Store().commit, NOW)


def test_an_unreachable_api_url_says_so():
    http = HttpClient("GitHub acme/api", {}, retries=0)
    with pytest.raises(SourceError, match="API URL"):
        GitHubRepository(REPO, "http://127.0.0.1:9", http).sync({}, Store().commit, NOW)
