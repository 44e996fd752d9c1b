"""Delivery sources mapped to the teams of `/vpe teams`: a source counts for its team only
while that team exists, and falls back to the organisation with a note when it goes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from bot.blocks.signals import SignalWords
from bot.blocks.sources import render_sources_modal
from bot.bootstrap import build_deps
from bot.core.config import Settings
from bot.core.i18n import default_catalog
from bot.delivery.mapping import release_team, team_names, unmapped
from bot.delivery.metrics import delivery, delivery_config
from bot.delivery.store import SourceWeek, ensure_source, source_rows
from bot.playground.fakegithub.history import add_weeks_of_pulls
from bot.pulses.questions import pulse_content
from bot.qa.knowledge import load_knowledge
from bot.signals.assess import MetricRise, TeamScore, assess
from bot.signals.rules import signals_config
from bot.storage.db import unit_of_work
from bot.team.teams import TeamSource, add_team, remove_team
from tests.support.github_schema import CheckedGitHub
from tests.unit.test_delivery import NOW, TODAY, rows_with_leads, service

TEAM = "T0MAPPED"
FREED = "T0FREED"
RISING = [1.0, 1.0, 1.1, 1.0, 1.1, 1.2, 1.3, 1.6, 2.0, 2.8, 3.6, 4.8]


@pytest.fixture
def github() -> Iterator[CheckedGitHub]:
    with CheckedGitHub("ghp_unit") as fake:
        add_weeks_of_pulls(fake, "acme/api", NOW, RISING)
        add_weeks_of_pulls(fake, "acme/web", NOW, RISING, first_number=500)
        yield fake


def add(session: Session, name: str) -> None:
    add_team(session, TEAM, name, TeamSource("channel", "C0" + name.upper()), "U0ADMIN", NOW)


def test_a_source_counts_for_its_team_only_while_teams_has_it(
    database_url: str, github: CheckedGitHub
) -> None:
    sync = service(database_url, github)  # GITHUB_TEAMS: acme/api=Payments
    assert [o.status for o in sync.sync_team(TEAM)] == ["ok", "ok"]
    before = json.dumps(sync.delivery_message(TEAM, "en").blocks, ensure_ascii=False)
    assert "Team Payments" not in before
    assert "`acme/api` names the team “Payments”, which `/vpe teams` does not have" in before

    with unit_of_work(sync.deps.sessions) as session:
        add(session, "  payments ")  # another case and spacing: the same team
    mapped = json.dumps(sync.delivery_message(TEAM, "en").blocks, ensure_ascii=False)
    assert "Team payments" in mapped
    assert "Organisation" in mapped
    assert "does not have" not in mapped
    assert "`acme/web`: " in mapped  # no team: the organisation only

    with unit_of_work(sync.deps.sessions) as session:
        assert remove_team(session, TEAM, "Payments")
        assert release_team(session, TEAM, "Payments") == ["acme/api"]
    after = json.dumps(sync.delivery_message(TEAM, "fr").blocks, ensure_ascii=False)
    assert "Équipe payments" not in after
    assert "absente de `/vpe teams`" in after


def test_removing_a_team_frees_the_sources_added_in_slack_whatever_the_case(
    session: Session,
) -> None:
    add_team(session, FREED, "Growth", TeamSource("channel", "C0GROWTH"), "U0ADMIN", NOW)
    ensure_source(session, FREED, "linear", "GRO", "GROWTH")
    ensure_source(session, FREED, "github", "acme/env", "growth", from_env=True)
    ensure_source(session, FREED, "linear", "OPS", "Platform")
    teams = team_names(session, FREED)
    assert unmapped(source_rows(session, FREED), teams) == [("OPS", "Platform")]

    assert remove_team(session, FREED, "growth")
    assert release_team(session, FREED, "growth") == ["GRO", "acme/env"]
    rows = {row.name: row.team_name for row in source_rows(session, FREED)}
    # The environment's source keeps GITHUB_FREEDS's name, which no longer matches a team.
    assert rows == {"GRO": None, "acme/env": "growth", "OPS": "Platform"}
    assert unmapped(source_rows(session, FREED), team_names(session, FREED)) == [
        ("acme/env", "growth"),
        ("OPS", "Platform"),
    ]


def test_the_form_offers_the_teams_and_says_how_to_add_one_without_any() -> None:
    catalog = build_deps(Settings(anonymity_key="k" * 40)).catalog
    offered = render_sources_modal([], catalog, "en", True, {"payments": "Payments"})
    team = next(b for b in offered["blocks"] if b.get("block_id") == "team")
    assert team["element"]["type"] == "static_select"
    assert team["element"]["options"][0]["value"] == "payments"
    assert team["element"]["options"][0]["text"]["text"] == "Payments"
    assert team["optional"] is True

    none = render_sources_modal([], catalog, "fr", True, {})
    assert all(b.get("block_id") != "team" for b in none["blocks"])
    assert "Ajoutez des équipes avec `/vpe teams add`" in json.dumps(none, ensure_ascii=False)


def team_rows(team: str | None, leads: list[float]) -> list[SourceWeek]:
    return [replace(row, team=team) for row in rows_with_leads(leads)]


def test_a_team_signal_cites_the_teams_rising_lead_time_beside_its_score() -> None:
    from tests.unit.test_signals_assess import inputs, weeks

    low = weeks([{"predictability": 2.2}, {"predictability": 2.1}, {"predictability": 2.0}], 8)
    rising = [1.0, 1.0, 1.1, 1.0, 1.1, 1.2, 1.3, 1.6, 2.0, 2.8, 3.6, 4.8]
    rows = team_rows("Payments", rising) + [
        replace(row, source="acme/web") for row in team_rows("Search", rising)
    ]
    figures = delivery(rows, TODAY, delivery_config())

    def chaotic(teams: dict[str, object], found: object = figures) -> tuple[object, ...]:
        picture = inputs(teams=teams, delivery=found)
        result = next(
            s for s in assess(picture, signals_config()).signals if s.id == "chaotic_delivery"
        )
        return result.evidence

    # Only the team with both a score and figures; "payments" matches whatever the case.
    cited = chaotic({"payments": low})
    assert cited == (
        TeamScore("payments", "predictability", 2.1, 3),
        MetricRise("lead_time", "Payments", 1.2, 4.8, 6),
    )
    words = SignalWords(
        default_catalog(), "fr", signals_config(), pulse_content(), load_knowledge()
    )
    assert words.evidence(cited[1]) == (
        "Le délai de livraison (médiane) est passé de 1,2 à 4,8 jours en 6 semaines (Payments)"
    )
    assert chaotic({"Web": low}) == (TeamScore("Web", "predictability", 2.1, 3),)
    assert chaotic({"Payments": low}, None)[1:] == ()

    # Half again longer is a rise; just under is not cited.
    just_under = [1.0] * 5 + [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.79]
    steady = delivery(team_rows("Payments", just_under), TODAY, delivery_config())
    assert chaotic({"Payments": low}, steady)[1:] == ()
    exactly = [1.0] * 5 + [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8]
    rose = delivery(team_rows("Payments", exactly), TODAY, delivery_config())
    assert chaotic({"Payments": low}, rose)[1:] == (
        MetricRise("lead_time", "Payments", 1.2, 1.8, 6),
    )
