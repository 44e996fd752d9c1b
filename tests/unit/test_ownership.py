from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.ownership.assignments import (
    Assignments,
    Responsibility,
    load_assignments,
    reset_area_owner,
    set_area_owner,
    set_role_holder,
    who_owns,
)

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_unknown_roles_leave_the_default_role_without_a_name() -> None:
    assert who_owns("delivery", "vp_engineering", Assignments()) == Responsibility(
        "delivery", "vp_engineering", (), "vp_engineering"
    )


def test_the_vp_engineering_owns_their_areas_and_shares_architecture() -> None:
    team = Assignments(holders={"cto": "UCTO", "vp_engineering": "UVPE"})
    assert who_owns("delivery", "vp_engineering", team).people == ("UVPE",)
    assert who_owns("tech_vision", "cto", team).people == ("UCTO",)
    shared = who_owns("architecture", "shared", team)
    assert (shared.people, shared.via) == (("UCTO", "UVPE"), "shared")


def test_without_a_vp_engineering_their_areas_fall_to_the_cto() -> None:
    team = Assignments(holders={"cto": "UCTO", "vp_engineering": None})
    resp = who_owns("delivery", "vp_engineering", team)
    assert resp.falls_to_cto
    assert resp.people == ("UCTO",)
    assert not who_owns("board", "cto", team).falls_to_cto


def test_without_a_vp_engineering_a_shared_area_stays_shared() -> None:
    team = Assignments(holders={"cto": "UCTO", "vp_engineering": None})
    resp = who_owns("architecture", "shared", team)
    assert (resp.via, resp.people, resp.vpe_vacant, resp.falls_to_cto) == (
        "shared",
        ("UCTO",),
        True,
        False,
    )


def test_a_named_owner_wins_over_the_role() -> None:
    team = Assignments(holders={"vp_engineering": "UVPE"}, owners={"hiring": "UHR"})
    resp = who_owns("hiring", "vp_engineering", team)
    assert (resp.people, resp.assigned, resp.via) == (("UHR",), True, None)
    assert (
        who_owns(
            "hiring",
            "vp_engineering",
            Assignments(holders={"vp_engineering": "UVPE"}, owners={"hiring": "UVPE"}),
        ).via
        == "vp_engineering"
    )


def test_assignments_are_stored_per_workspace(session: Session) -> None:
    set_role_holder(session, "T1", "cto", "UCTO", "UADMIN", NOW)
    set_role_holder(session, "T1", "vp_engineering", None, "UADMIN", NOW)
    set_area_owner(session, "T1", "hiring", "UHR", "UADMIN", NOW)
    set_role_holder(session, "T2", "cto", "UOTHER", "UADMIN", NOW)
    team = load_assignments(session, "T1")
    assert team.holders == {"cto": "UCTO", "vp_engineering": None}
    assert team.vacant("vp_engineering")
    assert team.owners == {"hiring": "UHR"}
    set_role_holder(session, "T1", "vp_engineering", "UVPE", "UADMIN", NOW)
    assert load_assignments(session, "T1").holder("vp_engineering") == "UVPE"
    assert reset_area_owner(session, "T1", "hiring")
    assert not reset_area_owner(session, "T1", "hiring")
    assert load_assignments(session, "T2").holders == {"cto": "UOTHER"}
