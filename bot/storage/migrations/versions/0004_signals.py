"""signals and digests: org facts, events, signal states, digest schedules

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:43:56.172332
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("time_of_day", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_schedules")),
        sa.UniqueConstraint("team_id", name=op.f("uq_digest_schedules_team_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "org_facts",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("engineers", sa.SmallInteger(), nullable=True),
        sa.Column("teams", sa.SmallInteger(), nullable=True),
        sa.Column("managers", sa.SmallInteger(), nullable=True),
        sa.Column("updated_by", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_org_facts")),
    )
    op.create_table(
        "signal_states",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("signal", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "signal", name=op.f("pk_signal_states")),
    )
    op.create_table(
        "strategic_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategic_events")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("strategic_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strategic_events_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leadership_channel", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("leadership_channel")

    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_column("completed_at")

    with op.batch_alter_table("strategic_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategic_events_team_id"))

    op.drop_table("strategic_events")
    op.drop_table("signal_states")
    op.drop_table("org_facts")
    op.drop_table("digest_schedules")
