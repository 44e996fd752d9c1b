from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.storage.seen_requests import claim_request, release_request
from bot.team.directory import Person
from bot.team.leaders import (
    add_leader,
    added_leaders,
    is_leader,
    leaders_among,
    remove_leader,
)

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_admins_and_owners_lead_and_others_once_added(session: Session) -> None:
    assert is_leader(session, "T1", Person("UA", is_admin=True))
    assert is_leader(session, "T1", Person("UO", is_owner=True))
    assert not is_leader(session, "T1", Person("UM"))
    assert add_leader(session, "T1", "UM", "UA", NOW)
    assert not add_leader(session, "T1", "UM", "UA", NOW)
    assert is_leader(session, "T1", Person("UM"))
    assert not is_leader(session, "T2", Person("UM")), "leadership is per workspace"
    assert added_leaders(session, "T1") == ["UM"]
    assert remove_leader(session, "T1", "UM")
    assert not remove_leader(session, "T1", "UM")
    assert not is_leader(session, "T1", Person("UM"))


def test_deactivated_admins_and_bots_do_not_lead(session: Session) -> None:
    assert not is_leader(session, "T1", Person("UA", is_admin=True, deleted=True))
    assert not is_leader(session, "T1", Person("UB", is_admin=True, is_bot=True))


def test_leaders_among_a_crowd_are_those_is_leader_names(session: Session) -> None:
    add_leader(session, "T1", "UM", "UA", NOW)
    add_leader(session, "T2", "UX", "UA", NOW)
    crowd = [
        Person("UA", is_admin=True),
        Person("UO", is_owner=True),
        Person("UM"),
        Person("UX"),  # a leader in another workspace only
        Person("UD", is_admin=True, deleted=True),
        Person("UB", is_owner=True, is_bot=True),
        Person("UP"),
    ]
    among = leaders_among(session, "T1", crowd)
    assert among == {"UA", "UO", "UM"}
    assert among == {p.user_id for p in crowd if is_leader(session, "T1", p)}


def test_a_delivery_is_claimed_once_until_released(session: Session) -> None:
    assert claim_request(session, "T1", "event:Ev1", NOW)
    assert not claim_request(session, "T1", "event:Ev1", NOW)
    assert claim_request(session, "T2", "event:Ev1", NOW), "keys are per workspace"
    release_request(session, "T1", "event:Ev1")
    assert claim_request(session, "T1", "event:Ev1", NOW)
