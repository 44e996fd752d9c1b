"""The Jira Cloud connector against the stand-in: boards, closed sprints, sprint reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import build_deps, build_services
from bot.core.config import Settings
from bot.delivery.connector import Batch, Cursor, Week
from bot.delivery.http import HttpClient, SourceError
from bot.delivery.jira import JiraProject
from bot.playground.fakejira import FakeJira, Sprint
from tests.support.inprocess import Clock

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
BASIC = "Basic Ym90QGV4YW1wbGUuY29tOmppcmEtdG9rZW4="  # bot@example.com:jira-token


def add_sprints(fake: FakeJira, board: int, shares: list[float]) -> None:
    """Two-week sprints ending before NOW, oldest first; planned 20, 4 added, 1 removed."""
    fake.projects.setdefault("PAY", []).append(board)
    for n, share in enumerate(shares):
        end = NOW - timedelta(weeks=2 * (len(shares) - n)) + timedelta(days=2)
        fmt = "%Y-%m-%dT%H:%M:%S.000Z"
        start = (end - timedelta(weeks=2)).strftime(fmt)
        ident = board * 100 + n
        done = round(23 * share)
        fake.sprints.append(Sprint(ident, board, start, end.strftime(fmt), 20, 4, done, 1))


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    with FakeJira() as fake:
        yield fake


class Store:
    def __init__(self) -> None:
        self.total, self.cursor = Week(), {}  # type: ignore[var-annotated]

    def commit(self, batch: Batch, cursor: Cursor) -> None:
        for week in batch.weeks.values():
            self.total.add(week)
        self.cursor = cursor


def project(jira: FakeJira, auth: str = BASIC, **options: object) -> JiraProject:
    client = HttpClient("Jira PAY", {"Authorization": auth}, backoff=0.01, **options)  # type: ignore[arg-type]
    return JiraProject("PAY", jira.url, client)


def test_closed_sprints_give_plan_scope_added_and_completion(jira: FakeJira) -> None:
    add_sprints(jira, 7, [1.0, 0.5, 0.75])
    store = Store()
    project(jira).sync({}, store.commit, NOW)
    assert store.total.sprints_planned == 3 * 20
    assert store.total.sprints_added == 3 * 4
    assert store.total.sprint_ratios == [1.0, 0.522, 0.739]  # of the 23 left in each


def test_the_next_sync_reads_only_sprints_closed_since(jira: FakeJira) -> None:
    add_sprints(jira, 7, [1.0, 0.5])
    store = Store()
    project(jira).sync({}, store.commit, NOW)
    add_sprints(jira, 8, [0.9])
    project(jira).sync(store.cursor, store.commit, NOW)
    assert len(store.total.sprint_ratios) == 3


def test_429_and_5xx_are_waited_out(jira: FakeJira) -> None:
    add_sprints(jira, 7, [1.0])
    jira.faults = ["429", "500"]
    waits: list[float] = []
    store = Store()
    project(jira, sleep=waits.append).sync({}, store.commit, NOW)
    assert waits[0] == 1.0
    assert store.total.sprint_ratios == [1.0]


def test_a_bad_token_and_a_project_without_sprints_say_what_to_fix(jira: FakeJira) -> None:
    with pytest.raises(SourceError, match=r"Jira PAY.*token"):
        project(jira, auth="Basic bm9wZTpub3Bl").sync({}, Store().commit, NOW)
    with pytest.raises(SourceError, match="JIRA_PROJECTS"):
        project(jira).sync({}, Store().commit, NOW)


def test_jira_settings_feed_the_sync_and_the_sprints_evidence(
    empty_database_url: str, jira: FakeJira
) -> None:
    from bot.storage.db import migrate

    migrate(empty_database_url)
    add_sprints(jira, 7, [0.9, 0.5, 0.8, 0.55, 0.4])
    settings = Settings(
        database_url=empty_database_url,
        anonymity_key="delivery-test-anonymity-key-0123456789abcdef",
        jira_url=jira.url,
        jira_email="bot@example.com",
        jira_api_token="jira-token",
        jira_projects=("PAY",),
    )
    services = build_services(build_deps(settings, clock=Clock(NOW)))
    assert [o.status for o in services.delivery.sync_team("T0JIRA")] == ["ok"]
    message = services.digests.signals_message("T0JIRA", "en")
    assert "3 of the last 4 sprints finished under 60%" in str(message.blocks)


def test_a_project_added_in_slack_signs_in_with_its_own_email_and_token(
    empty_database_url: str, jira: FakeJira
) -> None:
    from cryptography.fernet import Fernet

    from bot.delivery.store import ensure_source
    from bot.slack.installations import TokenCipher
    from bot.storage.db import migrate, unit_of_work

    migrate(empty_database_url)
    add_sprints(jira, 7, [0.9, 0.7])
    key = Fernet.generate_key().decode()
    settings = Settings(
        database_url=empty_database_url,
        anonymity_key="delivery-test-anonymity-key-0123456789abcdef",
        token_encryption_keys=(key,),
    )
    services = build_services(build_deps(settings, clock=Clock(NOW)))
    with unit_of_work(services.deps.sessions) as session:
        token = TokenCipher([key]).encrypt("bot@example.com:jira-token")
        ensure_source(session, "T0JIRA2", "jira", "PAY", None, token=token, api_url=jira.url)
    assert [o.status for o in services.delivery.sync_team("T0JIRA2")] == ["ok"]


def test_the_sources_form_asks_jira_for_an_email_token_pair_and_its_site() -> None:
    from bot.handlers.sources import read_source

    def form(token: str, url: str) -> dict[str, object]:
        def text(value: str) -> dict[str, object]:
            return {"value": {"value": value}}

        values = {
            "kind": {"value": {"selected_option": {"value": "jira"}}},
            "name": text("PAY"),
            "team": text(""),
            "token": text(token),
            "api_url": text(url),
        }
        return {"state": {"values": values}}

    _, errors = read_source(form("just-a-token", ""))
    assert errors == {"token": "bad_jira_token", "api_url": "need_jira_url"}
    fields, errors = read_source(form("bot@example.com:jira-token", "https://acme.atlassian.net/"))
    assert errors == {}
    assert fields["api_url"] == "https://acme.atlassian.net"
