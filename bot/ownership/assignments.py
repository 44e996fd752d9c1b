"""Who holds the CTO and VP Engineering roles, who owns each area, and who owns it in effect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ownership.handover import open_steps
from bot.qa.knowledge import Owner
from bot.storage.models import AreaOwner, RoleHolder
from bot.storage.sql import delete_row, upsert

Role = Literal["cto", "vp_engineering"]
ROLES: tuple[Role, ...] = ("cto", "vp_engineering")


@dataclass(frozen=True)
class Assignments:
    """A team's own answers. A role missing from `holders` is unknown; None means vacant.
    `handing_over`: the areas the CTO keeps until their handover step is done, by due date."""

    holders: dict[Role, str | None] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    handing_over: dict[str, date] = field(default_factory=dict)

    def holder(self, role: Role) -> str | None:
        return self.holders.get(role)

    def vacant(self, role: Role) -> bool:
        return role in self.holders and self.holders[role] is None

    def role_of(self, user_id: str) -> Role | None:
        return next((role for role in ROLES if self.holders.get(role) == user_id), None)


@dataclass(frozen=True)
class Responsibility:
    """Who owns an area in this team, and through which role.

    `people` is empty when nobody is known to hold the owning role. `falls_to_cto` is set
    when the area belongs to the VP Engineering by default but the team said it has none;
    `handover_due` when the CTO keeps it until it is handed over to the VP Engineering;
    `vpe_vacant` when a shared area is still shared, but only the CTO is there to decide.
    """

    area: str
    default: Owner
    people: tuple[str, ...]
    via: Owner | None
    assigned: bool = False
    falls_to_cto: bool = False
    handover_due: date | None = None
    vpe_vacant: bool = False


def load_assignments(session: Session, team_id: str) -> Assignments:
    holders: dict[Role, str | None] = {}
    for row in session.scalars(select(RoleHolder).where(RoleHolder.team_id == team_id)):
        for role in ROLES:
            if row.role == role:
                holders[role] = row.user_id
    owners = {
        row.area: row.user_id
        for row in session.scalars(select(AreaOwner).where(AreaOwner.team_id == team_id))
    }
    return Assignments(holders=holders, owners=owners, handing_over=open_steps(session, team_id))


def set_role_holder(
    session: Session, team_id: str, role: Role, user_id: str | None, by: str, now: datetime
) -> None:
    """Give `role` to `user_id`, or record that nobody holds it with None."""
    values = {"team_id": team_id, "role": role, "user_id": user_id}
    upsert(session, RoleHolder, ["team_id", "role"], values | {"updated_by": by, "updated_at": now})


def set_area_owner(
    session: Session, team_id: str, area: str, user_id: str, by: str, now: datetime
) -> None:
    values = {"team_id": team_id, "area": area, "user_id": user_id}
    upsert(session, AreaOwner, ["team_id", "area"], values | {"updated_by": by, "updated_at": now})


def reset_area_owner(session: Session, team_id: str, area: str) -> bool:
    """Back to the default owner by role; False when the area had no owner of its own."""
    return delete_row(session, AreaOwner, (team_id, area))


def who_owns(area: str, default: Owner, team: Assignments) -> Responsibility:
    """Resolve an area's owner: a named owner first, then the role that owns it by default."""
    named = team.owners.get(area)
    if named is not None:
        return Responsibility(area, default, (named,), team.role_of(named), assigned=True)
    cto = _known(team.holder("cto"))
    if default == "cto":
        return Responsibility(area, default, cto, "cto")
    if team.vacant("vp_engineering"):
        # Without a VP Engineering, the CTO carries that role's areas, and decides the shared
        # ones alone: they stay shared, to be split again once a VP Engineering arrives.
        if default == "shared":
            return Responsibility(area, default, cto, "shared", vpe_vacant=True)
        return Responsibility(area, default, cto, "cto", falls_to_cto=True)
    due = team.handing_over.get(area)
    if default == "vp_engineering" and due is not None and team.holder("vp_engineering"):
        return Responsibility(area, default, cto, "cto", handover_due=due)
    vpe = _known(team.holder("vp_engineering"))
    if default == "vp_engineering":
        return Responsibility(area, default, vpe, "vp_engineering")
    return Responsibility(area, default, (*cto, *vpe), "shared")


def _known(user_id: str | None) -> tuple[str, ...]:
    return (user_id,) if user_id else ()
