"""the handover from the CTO to the VP Engineering, area by area; the time to hire one

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hire_months", sa.SmallInteger(), server_default="4", nullable=False)
        )
    op.create_table(
        "handover_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_steps")),
        sa.UniqueConstraint("team_id", "area", name=op.f("uq_handover_steps_team_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("handover_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_steps_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handover_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_steps_team_id"))
    op.drop_table("handover_steps")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("hire_months")
