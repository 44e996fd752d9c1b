"""Gathering a workspace's inputs and assessing them: the one entry point callers use."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.delivery.mapping import on_teams, team_names
from bot.delivery.metrics import Delivery, delivery, delivery_config, mondays
from bot.delivery.store import weeks_since
from bot.ownership.assignments import load_assignments
from bot.pulses.questions import PulseContent
from bot.qa.knowledge import KnowledgeBase
from bot.signals.assess import Assessment, Inputs, assess
from bot.signals.facts import events, org_size
from bot.signals.history import recent_checkins, recent_pulses, team_histories
from bot.signals.rules import SignalsConfig

HISTORY = 12  # pulses: three months of weekly pulses, enough for trends and the chart


def gather_inputs(
    session: Session,
    team_id: str,
    content: PulseContent,
    kb: KnowledgeBase,
    threshold: int,
    today: date,
) -> Inputs:
    return Inputs(
        history=recent_pulses(session, team_id, content, threshold, HISTORY),
        checkins=recent_checkins(session, team_id),
        org=org_size(session, team_id),
        events=events(session, team_id),
        team=load_assignments(session, team_id),
        areas=[(entry.id, entry.owner) for entry in kb.areas() if entry.owner],
        today=today,
        teams=team_histories(session, team_id, content, threshold, HISTORY),
        delivery=system_figures(session, team_id, today),  # teams: for team signals
    )


def system_figures(session: Session, team_id: str, today: date, *, detail: bool = True) -> Delivery:
    """The delivery figures of the workspace's sources (none when it has no source)."""
    config = delivery_config()
    first = mondays(today, config.weeks)[0]
    rows = on_teams(weeks_since(session, team_id, first), team_names(session, team_id))
    return delivery(rows, today, config, detail)


def assess_vpe_need(
    session: Session,
    team_id: str,
    content: PulseContent,
    kb: KnowledgeBase,
    config: SignalsConfig,
    threshold: int,
    today: date,
) -> tuple[Inputs, Assessment]:
    """The team's inputs and what they say about the need for a VP Engineering."""
    inputs = gather_inputs(session, team_id, content, kb, threshold, today)
    return inputs, assess(inputs, config)
