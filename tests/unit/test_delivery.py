"""Delivery figures: stored as aggregates only, tiered at DORA's edges, and evidence for the
"Deliveries are slipping" signal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.blocks.signals import SignalWords
from bot.bootstrap import build_deps, build_services
from bot.core.config import Settings
from bot.delivery.connector import Week
from bot.delivery.metrics import delivery, delivery_config, figures
from bot.delivery.store import SourceWeek
from bot.playground.fakegithub.history import add_weeks_of_pulls
from bot.services.delivery import DeliverySync
from bot.signals.assess import MetricRise, SprintsUnder, deliveries_slipping
from bot.signals.rules import signals_config
from bot.storage.db import unit_of_work
from bot.storage.models import Base
from bot.team.teams import TeamSource, add_team
from tests.support.github_schema import CheckedGitHub
from tests.support.inprocess import Clock

TODAY = date(2026, 12, 3)  # a Thursday
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
TEAM = "T0DELIVERY"
PERSONAL = ("author", "user", "login", "creator", "assignee", "email", "person", "member")


def test_the_delivery_tables_hold_no_column_that_could_name_a_person() -> None:
    for name in ("delivery_sources", "delivery_weeks"):
        columns = {column.name for column in Base.metadata.tables[name].columns}
        assert not [c for c in columns if any(word in c for word in PERSONAL)], columns
    weeks = {column.name for column in Base.metadata.tables["delivery_weeks"].columns}
    assert weeks == {
        "source_id", "week", "team_id", "merged", "lead_hours", "deployments",
        "failed_deployments", "releases", "failure_changes", "restore_hours",
        "sprints_planned", "sprints_completed", "sprints_added", "sprint_ratios",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("metric", "value", "tier"),
    [
        ("lead_time", 24.0, "elite"),
        ("lead_time", 24.01, "high"),
        ("lead_time", 168.0, "high"),
        ("lead_time", 720.01, "low"),
        ("deployment_frequency", 5.0, "elite"),
        ("deployment_frequency", 0.99, "medium"),
        ("deployment_frequency", 0.24, "low"),
        ("change_failure", 0.05, "elite"),
        ("change_failure", 0.151, "low"),
        ("time_to_restore", 1.0, "elite"),
        ("time_to_restore", 1.01, "high"),
    ],
)
def test_tiers_change_at_the_edges_written_in_content(metric, value, tier) -> None:
    assert delivery_config().tiers[metric].tier(value) == tier


def test_change_failure_counts_failed_deployments_and_fixes_over_deployments() -> None:
    week = Week(merged=10, deployments=8, failed_deployments=1, failure_changes=1)
    assert figures([week], use_releases=False, span=1).change_failure == pytest.approx(2 / 9)


def rows_with_leads(leads_days: list[float], ratios: list[float] = ()) -> list[SourceWeek]:  # type: ignore[assignment]
    monday = TODAY - timedelta(days=TODAY.weekday())
    out = []
    for n, days in enumerate(leads_days):
        week = Week(merged=3, lead_hours=[days * 24] * 3, deployments=2)
        if n < len(ratios):
            week.sprint_ratios = [ratios[n]]
            week.sprints_planned, week.sprints_completed = 10, round(10 * ratios[n])
        start = monday - timedelta(weeks=len(leads_days) - n)
        out.append(SourceWeek("acme/api", "Payments", start, week))
    return out


def slipping(rows: list[SourceWeek]):  # type: ignore[no-untyped-def]
    from tests.unit.test_signals_assess import inputs

    result = delivery(rows, TODAY, delivery_config())
    return deliveries_slipping(
        replace(inputs(), delivery=result), signals_config().signals["deliveries_slipping"]
    )


def test_lead_time_half_again_longer_over_six_weeks_is_evidence() -> None:
    result = slipping(rows_with_leads([1.0] * 5 + [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8]))
    assert result.active
    assert result.severity == "medium"
    assert result.evidence == (MetricRise("lead_time", "", 1.2, 1.8, 6),)


def test_lead_time_just_under_half_again_is_not() -> None:
    assert not slipping(rows_with_leads([1.0] * 5 + [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.79])).active


def test_three_of_the_last_four_sprints_under_sixty_percent_is_evidence() -> None:
    rows = rows_with_leads([1.0] * 12, [0.9] * 8 + [0.5, 0.9, 0.59, 0.4])
    result = slipping(rows)
    assert SprintsUnder("", 3, 4, 0.6) in result.evidence
    assert not slipping(rows_with_leads([1.0] * 12, [0.9] * 8 + [0.5, 0.9, 0.6, 0.4])).active


@pytest.fixture
def github() -> Iterator[CheckedGitHub]:
    with CheckedGitHub("ghp_unit") as fake:
        yield fake


def service(url: str, github: CheckedGitHub, **extra: object) -> DeliverySync:
    settings = Settings(
        database_url=url,
        github_token="ghp_unit",
        github_api_url=github.api_url,
        github_repositories=("acme/api", "acme/web"),
        github_teams=(("acme/api", "Payments"),),
        anonymity_key="delivery-test-anonymity-key-0123456789abcdef",
        **extra,  # type: ignore[arg-type]
    )
    return build_services(build_deps(settings, clock=Clock(NOW))).delivery


def test_a_sync_stores_weekly_figures_and_signals_cite_the_rising_lead_time(
    database_url: str, github: CheckedGitHub
) -> None:
    rising = [1.0, 1.0, 1.1, 1.0, 1.1, 1.2, 1.3, 1.6, 2.0, 2.8, 3.6, 4.8]
    add_weeks_of_pulls(github, "acme/api", NOW, rising)
    add_weeks_of_pulls(github, "acme/web", NOW, rising, first_number=500)
    sync = service(database_url, github)
    outcomes = sync.sync_team(TEAM)
    assert [o.status for o in outcomes] == ["ok", "ok"]
    with unit_of_work(sync.deps.sessions) as session:  # GITHUB_TEAMS names a team of /vpe teams
        add_team(session, TEAM, "Payments", TeamSource("channel", "C0PAY"), "U0ADMIN", NOW)
    text = sync.delivery_message(TEAM, "en").text
    assert "Lead time for changes (median): 3.2 days" in text  # the last four weeks
    blocks = str(sync.delivery_message(TEAM, "en").blocks)
    assert "1.0 days → 4.8 days over 12 weeks" in blocks
    assert "Team Payments" in blocks
    assert "DORA tier: high" in blocks

    digests = build_services(sync.deps).digests
    message = digests.signals_message(TEAM, "en")
    assert "Lead time (median) rose from 1.2 to 4.8 days over 6 weeks" in str(message.blocks)
    with inspect(sync.deps.engine).bind.connect() as connection:  # type: ignore[union-attr]
        stored = connection.exec_driver_sql(
            "SELECT sum(merged) FROM delivery_weeks WHERE team_id = 'T0DELIVERY'"
        ).scalar()
    assert stored == 2 * 12 * 5


def test_a_bad_token_is_reported_with_the_source_and_the_fix(
    database_url: str, github: CheckedGitHub
) -> None:
    github.repo("acme/api")
    github.repo("acme/web")
    github.token = "ghp_rotated"
    outcomes = service(database_url, github).sync_team("T0BADTOKEN")
    assert outcomes[0].status == "failed"
    assert "GitHub acme/api" in (outcomes[0].error or "")
    assert "token" in (outcomes[0].error or "")


def test_the_words_for_evidence_exist_in_both_languages() -> None:
    from bot.core.i18n import default_catalog
    from bot.pulses.questions import pulse_content
    from bot.qa.knowledge import load_knowledge

    for lang in ("en", "fr"):
        words = SignalWords(
            default_catalog(), lang, signals_config(), pulse_content(), load_knowledge()
        )
        assert "4" in words.evidence(SprintsUnder("Payments", 3, 4, 0.6))


def test_the_scheduled_sync_reads_each_source_once_per_slot_across_processes(
    empty_database_url: str, github: CheckedGitHub
) -> None:
    from bot.storage.db import migrate, unit_of_work
    from bot.storage.models import Workspace

    migrate(empty_database_url)
    add_weeks_of_pulls(github, "acme/api", NOW, [1.0] * 3)
    github.repo("acme/web")
    first, second = service(empty_database_url, github), service(empty_database_url, github)
    with unit_of_work(first.deps.sessions) as session:
        session.add(Workspace(team_id="T0SCHEDULED"))
    first.tick()
    read = len(github.requests)
    assert read > 0
    second.tick()
    first.tick()
    assert len(github.requests) == read  # the slot was claimed: nobody reads it again
    later = Clock(NOW + timedelta(hours=6))
    first.deps.clock = later
    first.tick()
    assert len(github.requests) > read  # the next slot reads again (conditional requests)


def digest_text(scores: dict[str, float], rows: list[SourceWeek], lang: str = "en") -> str:
    from bot.blocks.digest import render_digest
    from bot.core.i18n import default_catalog
    from bot.pulses.questions import pulse_content
    from bot.qa.knowledge import load_knowledge
    from bot.signals.assess import assess
    from tests.unit.test_signals_assess import inputs, weeks

    figures = delivery(rows, TODAY, delivery_config())
    picture = replace(inputs(), history=weeks([scores] * 3), delivery=figures)
    words = SignalWords(
        default_catalog(), lang, signals_config(), pulse_content(), load_knowledge()
    )  # type: ignore[arg-type]
    message = render_digest(
        picture.history, assess(picture, signals_config()), words, 5, delivery=figures
    )
    return str(message.blocks)


def test_the_digest_shows_system_figures_and_where_the_team_says_otherwise() -> None:
    slipping_sprints = rows_with_leads([1.0] * 12, [0.9] * 8 + [0.5, 0.5, 0.4, 0.4])
    text = digest_text({"predictability": 4.0}, slipping_sprints)
    assert "From the systems" in text
    assert "Lead time for changes (median): 1.0 days · DORA tier: elite" in text
    assert (
        "The team says delivery is predictable (4.0/5), but the systems disagree: "
        "sprints finished 45% of their scope" in text
    )
    french = digest_text({"predictability": 4.0}, slipping_sprints, "fr")
    assert "L’équipe trouve le delivery prévisible (4,0/5)" in french


def test_the_digest_points_out_the_reverse_too_and_is_quiet_when_they_agree() -> None:
    steady = rows_with_leads([1.0] * 12, [0.9] * 12)
    assert "is not predictable (2.5/5), yet sprints finish 90%" in digest_text(
        {"predictability": 2.5}, steady
    )
    assert "⚠️" not in digest_text({"predictability": 4.0}, steady)
    assert "⚠️" not in digest_text({"predictability": 3.4}, rows_with_leads([1.0] * 12, [0.5] * 12))
    assert "From the systems" not in digest_text({"predictability": 4.0}, [])


def test_settings_read_the_sources_and_name_what_is_malformed() -> None:
    from bot.core.config import ConfigError, load_settings

    settings = load_settings(
        {
            "GITHUB_REPOSITORIES": "acme/api, acme/web,acme/api",
            "GITHUB_TEAMS": "acme/api=Payments",
            "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
        },
        env_file=Path("/nonexistent"),
    )
    assert settings.github_repositories == ("acme/api", "acme/web")
    assert settings.github_teams == (("acme/api", "Payments"),)
    assert settings.github_api_url == "https://ghe.example.com/api/v3"
    with pytest.raises(ConfigError, match="owner/repo"):
        load_settings({"GITHUB_REPOSITORIES": "acme"}, env_file=Path("/nonexistent"))
    with pytest.raises(ConfigError, match="GITHUB_TEAMS"):
        load_settings({"GITHUB_TEAMS": "acme/api"}, env_file=Path("/nonexistent"))
    with pytest.raises(ConfigError, match="GITHUB_API_URL"):
        load_settings({"GITHUB_API_URL": "api.github.com"}, env_file=Path("/nonexistent"))


def test_rotate_tokens_re_encrypts_the_tokens_of_sources_added_in_slack(
    empty_database_url: str,
) -> None:
    from cryptography.fernet import Fernet

    from bot.delivery.store import ensure_source
    from bot.slack.installations import TokenCipher, rotate_tokens
    from bot.storage.db import make_engine, make_session_factory, migrate, unit_of_work

    migrate(empty_database_url)
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    engine = make_engine(empty_database_url)
    with unit_of_work(make_session_factory(engine)) as session:
        token = TokenCipher([old]).encrypt("ghp_rotate_me")
        ensure_source(session, "T0ROT", "github", "acme/api", None, token=token)
    assert rotate_tokens(engine, [new, old]) == 1
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token FROM delivery_sources").scalar()
    engine.dispose()
    assert TokenCipher([new]).decrypt(stored) == "ghp_rotate_me"


def test_with_many_workspaces_the_environment_sources_belong_to_none(
    database_url: str, github: CheckedGitHub
) -> None:
    from cryptography.fernet import Fernet

    sync = service(
        database_url,
        github,
        slack_client_id="123.456",
        slack_client_secret="secret-for-oauth",
        token_encryption_keys=(Fernet.generate_key().decode(),),
    )
    assert sync.sync_team("T0OAUTH") == []
    assert "No delivery source yet" in sync.delivery_message("T0OAUTH", "en").text


def test_a_sync_cut_short_keeps_its_cursor_and_the_next_one_counts_each_change_once(
    empty_database_url: str, github: CheckedGitHub
) -> None:
    from bot.storage.db import migrate

    migrate(empty_database_url)
    add_weeks_of_pulls(github, "acme/api", NOW, [1.0] * 5, per_week=100)  # five pages
    github.repo("acme/web")
    sync = service(empty_database_url, github)
    github.fail_next(None, None, "401")  # type: ignore[arg-type]  # the third page is refused
    first = sync.sync_team("T0RESUME")
    assert first[0].status == "failed"
    with sync.deps.engine.connect() as connection:
        partial = connection.exec_driver_sql("SELECT sum(merged) FROM delivery_weeks").scalar()
        error = connection.exec_driver_sql(
            "SELECT last_error FROM delivery_sources WHERE name = 'acme/api'"
        ).scalar()
    assert partial == 200
    assert "GitHub acme/api" in error
    assert [o.status for o in sync.sync_team("T0RESUME")] == ["ok", "ok"]
    with sync.deps.engine.connect() as connection:
        total = connection.exec_driver_sql("SELECT sum(merged) FROM delivery_weeks").scalar()
        error = connection.exec_driver_sql(
            "SELECT last_error FROM delivery_sources WHERE name = 'acme/api'"
        ).scalar()
    assert total == 500
    assert error is None


def test_without_sources_the_delivery_signal_is_not_listed_as_not_seen() -> None:
    from bot.blocks.signals import render_signals
    from bot.core.i18n import default_catalog
    from bot.pulses.questions import pulse_content
    from bot.qa.knowledge import load_knowledge
    from bot.signals.assess import assess
    from tests.unit.test_signals_assess import inputs

    words = SignalWords(
        default_catalog(), "en", signals_config(), pulse_content(), load_knowledge()
    )
    bare = inputs()
    assert "Deliveries are slipping" not in str(
        render_signals(assess(bare, signals_config()), bare, words, 5).blocks
    )
    steady = replace(bare, delivery=delivery(rows_with_leads([1.0] * 12), TODAY, delivery_config()))
    assert "Deliveries are slipping" in str(
        render_signals(assess(steady, signals_config()), steady, words, 5).blocks
    )
