"""Portable statements that SQLite and PostgreSQL both run atomically.

A change people make is one statement that touches only its own columns (an upsert, an
UPDATE, a DELETE), never a read of the row followed by a write of all of it: two changes at
once then both land, instead of the second replacing what the first had just written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Session


def insert_for(session: Session, model: type[DeclarativeBase]) -> Any:
    """An INSERT that knows ON CONFLICT, in the dialect of the session's database."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


def insert_once(
    session: Session, model: type[DeclarativeBase], keys: list[str], **values: Any
) -> bool:
    """Insert a row unless one with the same `keys` exists; True when this call inserted it.

    The database's unique constraint decides, so concurrent callers cannot both win.
    """
    key_column = getattr(model, keys[0])
    statement = (
        insert_for(session, model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(key_column)
    )
    # RETURNING rather than rowcount: drivers disagree on rowcount for a skipped insert.
    return session.execute(statement).first() is not None


def upsert(
    session: Session,
    model: type[DeclarativeBase],
    keys: list[str],
    values: dict[str, Any],
    newer: str | None = None,
) -> None:
    """Insert, or update the non-key columns of the existing row.

    `newer` names a column that orders writes: the existing row is only replaced by a row
    whose value there is not older, so the last write wins whatever the arrival order.
    """
    statement = insert_for(session, model).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in keys}
    condition = None
    if newer is not None:
        condition = getattr(model, newer) <= statement.excluded[newer]
    session.execute(
        statement.on_conflict_do_update(index_elements=keys, set_=changes, where=condition)
    )


def upsert_many(
    session: Session, model: type[DeclarativeBase], keys: list[str], rows: list[dict[str, Any]]
) -> None:
    """`upsert` for many rows of the same columns in one statement (batched by the driver);
    rows are written in key order, so two callers writing overlapping rows never deadlock."""
    if not rows:
        return
    statement = insert_for(session, model)
    changes = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    ordered = sorted(rows, key=lambda row: tuple(str(row[key]) for key in keys))
    session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes), ordered)


def delete_row(session: Session, model: type[DeclarativeBase], key: object) -> bool:
    """Delete the row with this primary key; False when there was none (or another caller
    deleted it first: one DELETE, so two at once never fail, and exactly one says True)."""
    columns = list(inspect(model).primary_key)
    values = key if isinstance(key, tuple) else (key,)
    condition = [column == value for column, value in zip(columns, values, strict=True)]
    result = session.execute(delete(model).where(*condition))
    return bool(getattr(result, "rowcount", 0))
