"""The handover plan's first proposal, and who owns an area while it is handed over."""

from __future__ import annotations

from datetime import date, timedelta

from bot.ownership.assignments import Assignments, who_owns
from bot.ownership.handover import handover_config, propose_plan

AREAS = [
    "delivery",
    "deadlines_roadmap",
    "team_management",
    "talent_growth",
    "hiring",
    "processes",
    "quality",
    "org_structure",
]
START = date(2026, 12, 1)


def test_every_area_is_planned_over_thirty_sixty_ninety_days() -> None:
    plan = propose_plan(AREAS, [], START, handover_config())
    assert sorted(step.area for step in plan) == sorted(AREAS)
    days = [(step.due_on - START).days for step in plan]
    assert days == [30, 30, 30, 60, 60, 60, 90, 90]


def test_the_areas_the_signals_point_at_come_first() -> None:
    calm = propose_plan(AREAS, [], START, handover_config())
    assert calm[0].area == "delivery"  # the knowledge base's order
    energy = propose_plan(AREAS, ["losing_energy", "chaotic_delivery"], START, handover_config())
    assert [step.area for step in energy[:4]] == [
        "team_management",
        "talent_growth",
        "delivery",
        "deadlines_roadmap",
    ]
    chaotic = propose_plan(AREAS, ["chaotic_delivery"], START, handover_config())
    assert [step.area for step in chaotic[:2]] == ["delivery", "deadlines_roadmap"]
    assert chaotic[0].due_on == START + timedelta(days=30)


def test_the_cto_keeps_an_area_until_its_step_is_done() -> None:
    due = START + timedelta(days=30)
    holders = {"cto": "UCTO", "vp_engineering": "UVPE"}
    during = Assignments(holders=holders, handing_over={"delivery": due})  # type: ignore[arg-type]
    kept = who_owns("delivery", "vp_engineering", during)
    assert (kept.people, kept.via, kept.handover_due) == (("UCTO",), "cto", due)
    assert who_owns("hiring", "vp_engineering", during).people == ("UVPE",)
    assert who_owns("tech_vision", "cto", during).people == ("UCTO",)
    after = Assignments(holders=holders)  # type: ignore[arg-type]
    assert who_owns("delivery", "vp_engineering", after).people == ("UVPE",)
    named = Assignments(holders=holders, owners={"delivery": "UX"}, handing_over={"delivery": due})  # type: ignore[arg-type]
    assert who_owns("delivery", "vp_engineering", named).people == ("UX",)
