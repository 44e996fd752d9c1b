from sqlalchemy import inspect

from bot.storage.db import current_revision, downgrade, head_revision, make_engine, migrate


def test_upgrade_to_head_then_down_to_base(empty_database_url: str) -> None:
    migrate(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {"workspaces", "slack_users", "seen_deliveries"} <= tables
        # OAuth states exist before any workspace does: the one table without a team.
        for table in tables - {"alembic_version", "slack_oauth_states"}:
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
