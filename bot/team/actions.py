"""Action plans: what leadership committed to after a pulse, who owns it, by when.

An action is open until its owner or a leader marks it done; past its due date (in the
workspace's zone) it is overdue, and the owner is told so once (`claim_overdue_notice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.times import zone
from bot.storage.models import ActionPlan
from bot.team.workspace import workspace_settings

WHAT_LIMIT = 300


@dataclass(frozen=True)
class Action:
    """An action as people see it (a plain copy of its row)."""

    id: int
    what: str
    owner: str
    due: date
    status: str
    item: str | None = None
    baseline: float | None = None
    baseline_pulse: int | None = None

    @staticmethod
    def of(plan: ActionPlan) -> Action:
        return Action(
            plan.id,
            plan.what,
            plan.owner,
            plan.due,
            plan.status,
            plan.item,
            plan.baseline,
            plan.baseline_pulse,
        )


@dataclass(frozen=True)
class Baseline:
    """A statement's average as results last showed it, and the pulse it came from."""

    mean: float | None
    pulse_id: int | None


def add_action(
    session: Session,
    team_id: str,
    what: str,
    owner: str,
    due: date,
    created_by: str,
    now: datetime,
    item: str | None = None,
    baseline: Baseline | None = None,
) -> int:
    """Record a new open action; its id."""
    plan = ActionPlan(
        team_id=team_id,
        what=what[:WHAT_LIMIT],
        owner=owner,
        due=due,
        item=item,
        baseline=baseline.mean if baseline else None,
        baseline_pulse=baseline.pulse_id if baseline else None,
        status="open",
        created_by=created_by,
        created_at=now,
    )
    session.add(plan)
    session.flush()
    return plan.id


def actions_of(session: Session, team_id: str, include_done: bool = True) -> list[Action]:
    """The workspace's actions: open ones by due date, then done ones, latest first."""
    query = select(ActionPlan).where(ActionPlan.team_id == team_id)
    if not include_done:
        query = query.where(ActionPlan.status == "open")
    ordered = query.order_by(ActionPlan.due, ActionPlan.id)
    found = [Action.of(plan) for plan in session.scalars(ordered)]
    opened = [plan for plan in found if plan.status == "open"]
    done = sorted(
        (plan for plan in found if plan.status != "open"), key=lambda p: p.id, reverse=True
    )
    return opened + done


def action_by_id(session: Session, team_id: str, action_id: int) -> Action | None:
    plan = session.scalars(
        select(ActionPlan).where(ActionPlan.team_id == team_id, ActionPlan.id == action_id)
    ).first()
    return Action.of(plan) if plan else None


def mark_done(session: Session, team_id: str, action_id: int, by: str, now: datetime) -> bool:
    """Close an open action (one UPDATE); False when it was not open."""
    result = session.execute(
        update(ActionPlan)
        .where(
            ActionPlan.team_id == team_id,
            ActionPlan.id == action_id,
            ActionPlan.status == "open",
        )
        .values(status="done", done_at=now, done_by=by)
    )
    return bool(getattr(result, "rowcount", 0))


def local_today(session: Session, team_id: str, now: datetime) -> date:
    """Today in the workspace's zone (UTC until one is set): due dates are local days."""
    return now.astimezone(zone(workspace_settings(session, team_id).timezone)).date()


def is_overdue(plan: Action, today: date) -> bool:
    """Open, and its due date has passed (the due day itself still counts as on time)."""
    return plan.status == "open" and plan.due < today


def overdue_untold(session: Session, team_id: str, today: date) -> list[Action]:
    """Open actions past their date whose owner has not been told yet."""
    return [
        Action.of(plan)
        for plan in session.scalars(
            select(ActionPlan).where(
                ActionPlan.team_id == team_id,
                ActionPlan.status == "open",
                ActionPlan.due < today,
                ActionPlan.overdue_told_at.is_(None),
                ActionPlan.owner != "",  # an owner who ran `forget me` is not written to
            )
        )
    ]


def claim_overdue_notice(session: Session, action_id: int, now: datetime) -> bool:
    """True for the one caller, across processes, that tells the owner this action is late."""
    result = session.execute(
        update(ActionPlan)
        .where(ActionPlan.id == action_id, ActionPlan.overdue_told_at.is_(None))
        .values(overdue_told_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def release_overdue_notice(session: Session, action_id: int) -> None:
    """The DM did not go: let the next pass try again."""
    session.execute(
        update(ActionPlan).where(ActionPlan.id == action_id).values(overdue_told_at=None)
    )


def teams_with_open_actions(session: Session) -> list[str]:
    return list(
        session.scalars(select(ActionPlan.team_id).where(ActionPlan.status == "open").distinct())
    )
