"""tallies frozen at the close, and the last problem to show leadership

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 13:15:41.428465
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulse_tallies",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_tallies_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", "item", "value", name=op.f("pk_pulse_tallies")),
    )
    with op.batch_alter_table("pulse_tallies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_tallies_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("respondents", sa.Integer(), nullable=True))

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_problem", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("last_problem")

    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.drop_column("respondents")
        batch_op.drop_column("asked")

    with op.batch_alter_table("pulse_tallies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_tallies_team_id"))

    op.drop_table("pulse_tallies")
