"""answers: time of the last tap, so the last tap wins

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 13:14:16.353565
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pulse_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tapped_at", sa.Float(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("pulse_answers", schema=None) as batch_op:
        batch_op.drop_column("tapped_at")
