"""The Linear connector against the stand-in GraphQL API: cycles, pages, faults, evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import build_deps, build_services
from bot.core.config import Settings
from bot.delivery.connector import Batch, Cursor, Week
from bot.delivery.http import HttpClient, SourceError
from bot.delivery.linear import LinearTeam
from bot.playground.fakelinear import Cycle, FakeLinear
from tests.support.inprocess import Clock

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
KEY = "lin_api_good"


def add_cycles(fake: FakeLinear, team: str, shares: list[float], planned: int = 20) -> None:
    """Two-week cycles ending before NOW, oldest first, each finishing `share` of its scope."""
    cycles = fake.teams.setdefault(team, [])
    for n, share in enumerate(shares):
        end = NOW - timedelta(weeks=2 * (len(shares) - n)) + timedelta(days=1)
        start = end - timedelta(weeks=2)
        fmt = "%Y-%m-%dT%H:%M:%S.000Z"
        total = planned + 4
        cycles.append(
            Cycle(n + 1, start.strftime(fmt), end.strftime(fmt), planned, 4, round(total * share))
        )


@pytest.fixture
def linear() -> Iterator[FakeLinear]:
    with FakeLinear(KEY, page_size=3) as fake:
        yield fake


class Store:
    def __init__(self) -> None:
        self.total, self.cursor = Week(), {}  # type: ignore[var-annotated]

    def commit(self, batch: Batch, cursor: Cursor) -> None:
        for week in batch.weeks.values():
            self.total.add(week)
        self.cursor = cursor


def team(linear: FakeLinear, key: str = KEY, **options: object) -> LinearTeam:
    client = HttpClient("Linear ENG", {"Authorization": key}, backoff=0.01, **options)  # type: ignore[arg-type]
    return LinearTeam("ENG", linear.api_url, client)


def test_cycles_over_several_pages_give_plan_scope_added_and_completion(linear):
    add_cycles(linear, "ENG", [1.0, 0.5, 0.75, 0.5, 1.0, 0.25, 0.5])
    store = Store()
    team(linear).sync({}, store.commit, NOW)
    assert linear.requests == 3  # pages of three
    assert store.total.sprints_planned == 7 * 20
    assert store.total.sprints_added == 7 * 4
    assert store.total.sprint_ratios == [1.0, 0.5, 0.75, 0.5, 1.0, 0.25, 0.5]


def test_the_next_sync_reads_only_cycles_finished_since(linear):
    add_cycles(linear, "ENG", [1.0, 0.5])
    store = Store()
    team(linear).sync({}, store.commit, NOW)
    team(linear).sync(store.cursor, store.commit, NOW)
    assert len(store.total.sprint_ratios) == 2


def test_a_rate_limit_waits_for_its_reset_and_a_5xx_is_retried(linear):
    add_cycles(linear, "ENG", [1.0])
    linear.faults = ["ratelimited", "500"]
    waits: list[float] = []
    store = Store()
    team(linear, sleep=waits.append).sync({}, store.commit, NOW)
    assert len(waits) == 2
    assert 0 < waits[0] <= 1.5
    assert store.total.sprint_ratios == [1.0]


def test_a_bad_key_names_the_source_and_what_to_fix(linear):
    with pytest.raises(SourceError) as refused:
        team(linear, key="lin_api_wrong").sync({}, Store().commit, NOW)
    assert "Linear ENG" in str(refused.value)
    assert "API key" in str(refused.value)


def test_an_unknown_team_says_to_check_the_team_keys(linear):
    with pytest.raises(SourceError, match="LINEAR_TEAMS"):
        team(linear).sync({}, Store().commit, NOW)


def test_three_of_the_last_four_sprints_under_sixty_percent_reach_the_signals(
    empty_database_url: str, linear: FakeLinear
) -> None:
    from bot.storage.db import migrate

    migrate(empty_database_url)
    add_cycles(linear, "ENG", [0.9, 0.5, 0.8, 0.55, 0.4])
    settings = Settings(
        database_url=empty_database_url,
        anonymity_key="delivery-test-anonymity-key-0123456789abcdef",
        linear_api_key=KEY,
        linear_api_url=linear.api_url,
        linear_teams=("ENG",),
    )
    services = build_services(build_deps(settings, clock=Clock(NOW)))
    assert [o.status for o in services.delivery.sync_team("T0LINEAR")] == ["ok"]
    message = services.digests.signals_message("T0LINEAR", "en")
    assert "3 of the last 4 sprints finished under 60%" in str(message.blocks)
    shown = str(services.delivery.delivery_message("T0LINEAR", "en").blocks)
    assert "Sprints and cycles" in shown
