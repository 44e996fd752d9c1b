from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.team.directory import (
    Person,
    cached_people,
    cached_person,
    choose_language,
    ensure_workspace,
    remember_people,
    remember_person,
    workspace_language,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_a_cached_person_is_served_until_it_is_stale(session: Session) -> None:
    remember_person(session, "T1", Person("U1", locale="fr-FR", is_admin=True), NOW)
    session.flush()
    fresh = cached_person(session, "T1", "U1", NOW + timedelta(hours=1), timedelta(hours=6))
    assert fresh == Person("U1", locale="fr-FR", is_admin=True)
    assert cached_person(session, "T1", "U1", NOW + timedelta(hours=7), timedelta(hours=6)) is None
    assert cached_person(session, "T2", "U1", NOW, timedelta(hours=6)) is None


def test_a_users_list_walk_is_remembered_at_once_and_replaces_what_was_known(
    session: Session,
) -> None:
    remember_person(session, "T1", Person("U2", locale="en-US"), NOW - timedelta(hours=1))
    walk = [Person(f"U{n}", locale="fr-FR", is_owner=n == 1) for n in (3, 1, 2)]
    remember_people(session, "T1", walk, NOW)
    remember_people(session, "T1", [], NOW)  # an empty walk changes nothing
    session.flush()
    known = cached_people(session, "T1", ["U1", "U2", "U3", "U4"], NOW, timedelta(hours=6))
    assert known == {person.user_id: person for person in walk}, "U2 is the walk's, U4 unknown"
    assert cached_people(session, "T2", ["U1"], NOW, timedelta(hours=6)) == {}


def test_language_prefers_the_person_then_the_workspace_then_english(session: Session) -> None:
    ensure_workspace(session, "T1").language = "fr"
    session.flush()
    assert workspace_language(session, "T1") == "fr"
    assert workspace_language(session, "T-unknown") is None
    assert choose_language(Person("U1", locale="en-GB"), "fr") == "en"
    assert choose_language(Person("U1", locale="de-DE"), "fr") == "fr"
    assert choose_language(None, "fr") == "fr"
    assert choose_language(Person("U1"), None) == "en"


def test_a_change_made_in_one_statement_reads_back_in_the_same_session(session: Session) -> None:
    """Settings and roles are written without loading their row first (so that two at once
    both land); a session that had read the row sees the change, and a removed row is gone."""
    from bot.ownership.assignments import load_assignments, reset_area_owner, set_area_owner
    from bot.team.workspace import set_threshold, workspace_settings

    assert workspace_settings(session, "T9").threshold == 5
    set_threshold(session, "T9", 7)
    assert workspace_settings(session, "T9").threshold == 7
    set_area_owner(session, "T9", "hiring", "U1", "U0", NOW)
    assert load_assignments(session, "T9").owners == {"hiring": "U1"}
    set_area_owner(session, "T9", "hiring", "U2", "U0", NOW)
    assert load_assignments(session, "T9").owners == {"hiring": "U2"}
    assert reset_area_owner(session, "T9", "hiring")
    assert not reset_area_owner(session, "T9", "hiring")
    assert load_assignments(session, "T9").owners == {}
