from sqlalchemy import inspect

from bot.storage.db import current_revision, downgrade, head_revision, make_engine, migrate


def test_upgrade_to_head_then_down_to_base(empty_database_url: str) -> None:
    migrate(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {"workspaces", "slack_users", "seen_deliveries"} <= tables
        # OAuth states exist before any workspace does: a table without a team. Rate budgets
        # are keyed by a hash of the bot token and method, and hold nothing of a workspace.
        for table in tables - {"alembic_version", "slack_oauth_states", "rate_budgets"}:
            columns = {column["name"] for column in inspect(engine).get_columns(table)}
            assert "team_id" in columns, f"{table} has no team_id"
        downgrade(empty_database_url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert current_revision(engine) is None
    finally:
        engine.dispose()


def test_models_and_migrations_agree(empty_database_url: str) -> None:
    """Autogenerate finds nothing to do: the schema is only ever changed by migrations."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.db import include_object
    from bot.storage.models import Base

    migrate(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object, "compare_type": False}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_0008_brings_earlier_pulses_under_the_rules(empty_database_url: str) -> None:
    """Pulses of earlier versions: known people read from what the database holds, closed
    pulses reduced to their tallies, per-person reminder counts folded into the pulse."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, func, insert, select

    migrate(empty_database_url, "0007")
    engine = make_engine(empty_database_url)
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    try:
        old = MetaData()
        old.reflect(engine)
        t = old.tables
        with engine.begin() as connection:
            connection.execute(
                insert(t["leaders"]),
                [{"team_id": "T1", "user_id": "ULEAD", "added_by": "X", "added_at": now}],
            )
            connection.execute(
                insert(t["slack_users"]),
                [
                    {
                        "team_id": "T1",
                        "user_id": "UADMIN",
                        "is_admin": True,
                        "is_owner": False,
                        "is_bot": False,
                        "deleted": False,
                        "fetched_at": now,
                    }
                ],
            )
            pulse = {
                "team_id": "T1",
                "items": ["energy"],
                "timezone": "UTC",
                "opened_at": now,
                "closes_at": now,
                "started_by": None,
                "asked": None,
                "respondents": None,
            }
            connection.execute(
                insert(t["pulses"]),
                [
                    pulse
                    | {
                        "id": 1,
                        "status": "closed",
                        "started_by": "UBOSS",
                        "audience_label": "<#C1>, <@UNAMED>",
                        "asked": 6,
                        "respondents": 5,
                    },
                    pulse | {"id": 2, "status": "closed", "audience_label": "<#C1>"},
                    pulse | {"id": 3, "status": "open", "audience_label": "<@U1>, <@U2>, +2"},
                ],
            )
            first = ["UBOSS", "UNAMED", "ULEAD", "UADMIN", "UA", "UB"]
            recipient = {
                "team_id": "T1",
                "status": "sent",
                "attempts": 1,
                "language": "en",
                "answered": True,
            }
            connection.execute(
                insert(t["pulse_recipients"]),
                [recipient | {"pulse_id": 1, "user_id": u, "reminders_sent": 0} for u in first]
                + [
                    recipient | {"pulse_id": 2, "user_id": u, "reminders_sent": 0}
                    for u in ("UA", "UB", "UC")
                ]
                + [
                    recipient | {"pulse_id": 3, "user_id": u, "reminders_sent": n % 2}
                    for n, u in enumerate(("U1", "U2", "UA", "UB"))
                ],
            )
            answer = {"team_id": "T1", "item": "energy", "value": 3}
            connection.execute(
                insert(t["pulse_answers"]),
                [
                    answer | {"pulse_id": p, "respondent": f"r{p}{n}"}
                    for p, n in [(1, n) for n in range(5)] + [(2, n) for n in range(3)] + [(3, 0)]
                ],
            )
            connection.execute(
                insert(t["pulse_tallies"]),
                [{"pulse_id": 1, "item": "energy", "value": 3, "team_id": "T1", "count": 5}],
            )
            connection.execute(
                insert(t["pulse_comments"]),
                [
                    {"pulse_id": 1, "respondent": f"r1{n}", "team_id": "T1", "text": f"c{n}"}
                    for n in range(4)
                ],
            )
        migrate(empty_database_url)
        new = MetaData()
        new.reflect(engine)
        t = new.tables
        with engine.connect() as connection:
            counted = dict(
                connection.execute(
                    select(t["pulse_recipients"].c.user_id, t["pulse_recipients"].c.counted).where(
                        t["pulse_recipients"].c.pulse_id == 1
                    )
                ).all()
            )
            pulses = {row.id: row for row in connection.execute(select(t["pulses"]))}
            answers = connection.execute(
                select(t["pulse_answers"].c.pulse_id, func.count()).group_by(
                    t["pulse_answers"].c.pulse_id
                )
            ).all()
            positions = sorted(connection.scalars(select(t["pulse_comments"].c.position)))
            tallied = connection.scalar(
                select(t["pulse_tallies"].c.count).where(t["pulse_tallies"].c.pulse_id == 2)
            )
            open_counted = set(
                connection.scalars(
                    select(t["pulse_recipients"].c.counted).where(
                        t["pulse_recipients"].c.pulse_id == 3
                    )
                )
            )
        assert {user for user, flag in counted.items() if flag} == {"UA", "UB"}
        first_pulse = pulses[1]
        assert (first_pulse.counted_asked, first_pulse.counted_respondents) == (2, 1)
        assert first_pulse.counted_commenters == 0, "every known person may have commented"
        assert (pulses[2].asked, pulses[2].respondents, tallied) == (3, 3, 3)
        assert [tuple(row) for row in answers] == [(3, 1)], "only the open pulse keeps answers"
        assert positions == [0, 1, 2, 3]
        assert pulses[3].reminders_sent == 1
        assert open_counted == {False}, "a label with +N hid some named people: nobody counts"
        columns = {c["name"] for c in inspect(engine).get_columns("pulse_recipients")}
        assert columns.isdisjoint({"answered", "reminders_sent"})
        downgrade(empty_database_url, "0007")
        columns = {c["name"] for c in inspect(engine).get_columns("pulse_recipients")}
        assert {"answered", "reminders_sent"} <= columns
    finally:
        engine.dispose()
