"""teams, their members per pulse and their frozen figures

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=32), nullable=False),
        sa.Column("manager_id", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "key", name=op.f("pk_teams")),
    )
    op.create_table(
        "pulse_team_members",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_team_members_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", "key", "user_id", name=op.f("pk_pulse_team_members")),
    )
    with op.batch_alter_table("pulse_team_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_team_members_team_id"), ["team_id"], unique=False
        )

    op.create_table(
        "pulse_team_tallies",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_team_tallies_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint(
            "pulse_id", "key", "item", "value", name=op.f("pk_pulse_team_tallies")
        ),
    )
    with op.batch_alter_table("pulse_team_tallies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_team_tallies_team_id"), ["team_id"], unique=False
        )

    op.create_table(
        "pulse_teams",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("manager_id", sa.String(length=32), nullable=True),
        sa.Column("asked", sa.Integer(), nullable=True),
        sa.Column("respondents", sa.Integer(), nullable=True),
        sa.Column("counted_asked", sa.Integer(), nullable=True),
        sa.Column("counted_respondents", sa.Integer(), nullable=True),
        sa.Column("threshold", sa.Integer(), nullable=True),
        sa.Column("hidden", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_teams_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", "key", name=op.f("pk_pulse_teams")),
    )
    with op.batch_alter_table("pulse_teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_teams_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pulse_teams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_teams_team_id"))

    op.drop_table("pulse_teams")
    with op.batch_alter_table("pulse_team_tallies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_team_tallies_team_id"))

    op.drop_table("pulse_team_tallies")
    with op.batch_alter_table("pulse_team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_team_members_team_id"))

    op.drop_table("pulse_team_members")
    op.drop_table("teams")
