"""action plans, replies to anonymous comments, quiet days

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_pulse", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=32), nullable=True),
        sa.Column("overdue_told_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_action_plans_team_id"), "action_plans", ["team_id"], unique=False)
    op.create_table(
        "comment_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_author", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_comment_replies_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_replies")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "workspace_holidays",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "day", name=op.f("pk_workspace_holidays")),
    )
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("holiday_country", sa.String(length=8), nullable=True))
    with op.batch_alter_table("pulses") as batch:
        batch.add_column(sa.Column("away", sa.SmallInteger(), nullable=True))
    op.create_index(
        "ix_comment_replies_team_pulse", "comment_replies", ["team_id", "pulse_id"], unique=False
    )


def downgrade() -> None:
    with op.batch_alter_table("pulses") as batch:
        batch.drop_column("away")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("holiday_country")
    op.drop_table("workspace_holidays")
    op.drop_index("ix_comment_replies_team_pulse", table_name="comment_replies")
    op.drop_table("comment_replies")
    op.drop_index(op.f("ix_action_plans_team_id"), table_name="action_plans")
    op.drop_table("action_plans")
