"""pulses: schedules, runs, pulses, recipients, answers, comments, CTO check-ins

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:25:52.150373
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulse_schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("time_of_day", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("open_days", sa.SmallInteger(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_schedules")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("pulse_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_schedules_team_id"), ["team_id"], unique=False)

    op.create_table(
        "pulses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("audience_label", sa.String(length=300), nullable=False),
        sa.Column("started_by", sa.String(length=32), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin_user", sa.String(length=32), nullable=True),
        sa.Column("checkin_channel", sa.String(length=32), nullable=True),
        sa.Column("checkin_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulses")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.create_index("ix_pulses_team_status", ["team_id", "status"], unique=False)

    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("slot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_runs")),
        sa.UniqueConstraint("kind", "schedule_id", "slot_at", name=op.f("uq_schedule_runs_kind")),
    )
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_runs_team_id"), ["team_id"], unique=False)

    op.create_table(
        "cto_checkins",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("operations_share", sa.SmallInteger(), nullable=True),
        sa.Column("decisions_waiting", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_cto_checkins_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", name=op.f("pk_cto_checkins")),
    )
    with op.batch_alter_table("cto_checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cto_checkins_team_id"), ["team_id"], unique=False)

    op.create_table(
        "pulse_answers",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_answers_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", "item", "respondent", name=op.f("pk_pulse_answers")),
    )
    with op.batch_alter_table("pulse_answers", schema=None) as batch_op:
        batch_op.create_index("ix_pulse_answers_team_pulse", ["team_id", "pulse_id"], unique=False)

    op.create_table(
        "pulse_comments",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_comments_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", "respondent", name=op.f("pk_pulse_comments")),
    )
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_comments_team_id"), ["team_id"], unique=False)

    op.create_table(
        "pulse_recipients",
        sa.Column("pulse_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("reminders_sent", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pulse_id"], ["pulses.id"], name=op.f("fk_pulse_recipients_pulse_id_pulses")
        ),
        sa.PrimaryKeyConstraint("pulse_id", "user_id", name=op.f("pk_pulse_recipients")),
    )
    with op.batch_alter_table("pulse_recipients", schema=None) as batch_op:
        batch_op.create_index("ix_pulse_recipients_team_user", ["team_id", "user_id"], unique=False)

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("anonymity_threshold", sa.Integer(), server_default="5", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("anonymity_threshold")
        batch_op.drop_column("timezone")

    with op.batch_alter_table("pulse_recipients", schema=None) as batch_op:
        batch_op.drop_index("ix_pulse_recipients_team_user")

    op.drop_table("pulse_recipients")
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_comments_team_id"))

    op.drop_table("pulse_comments")
    with op.batch_alter_table("pulse_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_pulse_answers_team_pulse")

    op.drop_table("pulse_answers")
    with op.batch_alter_table("cto_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cto_checkins_team_id"))

    op.drop_table("cto_checkins")
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_runs_team_id"))

    op.drop_table("schedule_runs")
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.drop_index("ix_pulses_team_status")

    op.drop_table("pulses")
    with op.batch_alter_table("pulse_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_schedules_team_id"))

    op.drop_table("pulse_schedules")
