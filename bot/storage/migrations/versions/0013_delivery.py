"""delivery sources and their weekly figures

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:26:32.745842
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("team_name", sa.String(length=80), nullable=True),
        sa.Column("api_url", sa.String(length=300), nullable=True),
        sa.Column("token", sa.Text(), nullable=True),
        sa.Column("from_env", sa.Boolean(), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=False),
        sa.Column("syncing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_sources")),
        sa.UniqueConstraint("team_id", "kind", "name", name=op.f("uq_delivery_sources_team_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("delivery_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_sources_team_id"), ["team_id"], unique=False)

    op.create_table(
        "delivery_weeks",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("lead_hours", sa.JSON(), nullable=False),
        sa.Column("deployments", sa.Integer(), nullable=False),
        sa.Column("failed_deployments", sa.Integer(), nullable=False),
        sa.Column("releases", sa.Integer(), nullable=False),
        sa.Column("failure_changes", sa.Integer(), nullable=False),
        sa.Column("restore_hours", sa.JSON(), nullable=False),
        sa.Column("sprints_planned", sa.Integer(), nullable=False),
        sa.Column("sprints_completed", sa.Integer(), nullable=False),
        sa.Column("sprints_added", sa.Integer(), nullable=False),
        sa.Column("sprint_ratios", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["delivery_sources.id"],
            name=op.f("fk_delivery_weeks_source_id_delivery_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "week", name=op.f("pk_delivery_weeks")),
    )
    with op.batch_alter_table("delivery_weeks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_weeks_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery_weeks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_weeks_team_id"))

    op.drop_table("delivery_weeks")
    with op.batch_alter_table("delivery_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_sources_team_id"))

    op.drop_table("delivery_sources")
