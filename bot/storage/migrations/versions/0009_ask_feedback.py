"""questions refused or rated in /vpe ask, and the phrasings leadership taught

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ask_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_feedback")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("ask_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ask_feedback_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ask_feedback_created_at"), ["created_at"], unique=False
        )
    op.create_table(
        "ask_taught",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_taught")),
        sa.UniqueConstraint("team_id", "question", name=op.f("uq_ask_taught_team_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("ask_taught", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ask_taught_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ask_taught", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ask_taught_team_id"))
    op.drop_table("ask_taught")
    with op.batch_alter_table("ask_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ask_feedback_created_at"))
        batch_op.drop_index(batch_op.f("ix_ask_feedback_team_id"))
    op.drop_table("ask_feedback")
