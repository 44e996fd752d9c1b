"""unlinkable at rest: no per-person answered flag or reminder count; known people; frozen
comments; closed pulses reduced to their tallies

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00.000000

The data step brings pulses of earlier versions under the same rules, without the anonymity
key (a migration never sees it), so it errs on the side of hiding:

- known people (the requester, the leadership team, people named one by one) are read from
  `started_by`, the leaders list, the cached admin and owner flags and the `<@U…>` mentions of
  the audience label; a label ending in `+N` named more people than it shows, so nobody in
  that pulse counts;
- a closed pulse's counted numbers assume every known person answered and commented;
- closed pulses get their tallies if they have none, then lose their raw answers; their
  comments are rewritten in a shuffled order.
"""

import random
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

pulses = sa.table(
    "pulses",
    sa.column("id", sa.Integer),
    sa.column("team_id", sa.String),
    sa.column("status", sa.String),
    sa.column("started_by", sa.String),
    sa.column("audience_label", sa.String),
    sa.column("asked", sa.Integer),
    sa.column("respondents", sa.Integer),
    sa.column("counted_asked", sa.Integer),
    sa.column("counted_respondents", sa.Integer),
    sa.column("counted_commenters", sa.Integer),
    sa.column("reminders_sent", sa.SmallInteger),
)
recipients = sa.table(
    "pulse_recipients",
    sa.column("pulse_id", sa.Integer),
    sa.column("user_id", sa.String),
    sa.column("team_id", sa.String),
    sa.column("status", sa.String),
    sa.column("counted", sa.Boolean),
    sa.column("reminders_sent", sa.SmallInteger),
)
answers = sa.table(
    "pulse_answers",
    sa.column("pulse_id", sa.Integer),
    sa.column("item", sa.String),
    sa.column("value", sa.SmallInteger),
    sa.column("respondent", sa.String),
    sa.column("team_id", sa.String),
)
tallies = sa.table(
    "pulse_tallies",
    sa.column("pulse_id", sa.Integer),
    sa.column("item", sa.String),
    sa.column("value", sa.SmallInteger),
    sa.column("team_id", sa.String),
    sa.column("count", sa.Integer),
)
comments = sa.table(
    "pulse_comments",
    sa.column("pulse_id", sa.Integer),
    sa.column("respondent", sa.String),
    sa.column("team_id", sa.String),
    sa.column("text", sa.Text),
    sa.column("position", sa.Integer),
)
leaders = sa.table("leaders", sa.column("team_id", sa.String), sa.column("user_id", sa.String))
slack_users = sa.table(
    "slack_users",
    sa.column("team_id", sa.String),
    sa.column("user_id", sa.String),
    sa.column("is_admin", sa.Boolean),
    sa.column("is_owner", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_asked", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("counted_respondents", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("counted_commenters", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reminders_sent", sa.SmallInteger(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("pulse_recipients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counted", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))

    bind = op.get_bind()
    _carry_reminders(bind)
    _mark_known(bind)
    for pulse_id, team_id, asked, respondents in bind.execute(
        sa.select(pulses.c.id, pulses.c.team_id, pulses.c.asked, pulses.c.respondents).where(
            pulses.c.status == "closed"
        )
    ).all():
        _freeze(bind, pulse_id, team_id, asked, respondents)

    with op.batch_alter_table("pulse_recipients", schema=None) as batch_op:
        batch_op.drop_column("reminders_sent")
        batch_op.drop_column("answered")


def _carry_reminders(bind: sa.Connection) -> None:
    stage = (
        sa.select(sa.func.coalesce(sa.func.max(recipients.c.reminders_sent), 0))
        .where(recipients.c.pulse_id == pulses.c.id)
        .scalar_subquery()
    )
    bind.execute(sa.update(pulses).values(reminders_sent=stage))


def _mark_known(bind: sa.Connection) -> None:
    lead = {tuple(row) for row in bind.execute(sa.select(leaders.c.team_id, leaders.c.user_id))}
    lead |= {
        tuple(row)
        for row in bind.execute(
            sa.select(slack_users.c.team_id, slack_users.c.user_id).where(
                sa.or_(slack_users.c.is_admin, slack_users.c.is_owner)
            )
        )
    }
    rows = bind.execute(
        sa.select(pulses.c.id, pulses.c.team_id, pulses.c.started_by, pulses.c.audience_label)
    ).all()
    for pulse_id, team_id, started_by, label in rows:
        named = set(re.findall(r"<@([A-Z0-9]+)>", label or ""))
        hidden_names = re.search(r"\+\d+$", label or "") is not None
        asked = bind.execute(
            sa.select(recipients.c.user_id).where(recipients.c.pulse_id == pulse_id)
        ).scalars()
        known = [
            user
            for user in asked
            if hidden_names or user == started_by or user in named or (team_id, user) in lead
        ]
        if known:
            bind.execute(
                sa.update(recipients)
                .where(recipients.c.pulse_id == pulse_id, recipients.c.user_id.in_(known))
                .values(counted=False)
            )


def _count(bind: sa.Connection, query: sa.Select[Any]) -> int:
    return int(bind.execute(query).scalar() or 0)


def _freeze(
    bind: sa.Connection, pulse_id: int, team_id: str, asked: int | None, respondents: int | None
) -> None:
    of_pulse = recipients.c.pulse_id == pulse_id
    if respondents is None:  # closed before tallies existed: count what is there now
        has_tallies = _count(bind, sa.select(sa.func.count()).where(tallies.c.pulse_id == pulse_id))
        if not has_tallies:
            grouped = (
                sa.select(
                    answers.c.pulse_id,
                    answers.c.item,
                    answers.c.value,
                    answers.c.team_id,
                    sa.func.count(),
                )
                .where(answers.c.pulse_id == pulse_id)
                .group_by(answers.c.pulse_id, answers.c.item, answers.c.value, answers.c.team_id)
            )
            bind.execute(
                sa.insert(tallies).from_select(
                    ["pulse_id", "item", "value", "team_id", "count"], grouped
                )
            )
        respondents = _count(
            bind,
            sa.select(sa.func.count(sa.distinct(answers.c.respondent))).where(
                answers.c.pulse_id == pulse_id
            ),
        )
        asked = _count(
            bind, sa.select(sa.func.count()).where(of_pulse, recipients.c.status == "sent")
        )
    known = _count(bind, sa.select(sa.func.count()).where(of_pulse, ~recipients.c.counted))
    known_sent = _count(
        bind,
        sa.select(sa.func.count()).where(
            of_pulse, ~recipients.c.counted, recipients.c.status == "sent"
        ),
    )
    kept = bind.execute(
        sa.select(comments.c.respondent, comments.c.team_id, comments.c.text).where(
            comments.c.pulse_id == pulse_id
        )
    ).all()
    bind.execute(
        sa.update(pulses)
        .where(pulses.c.id == pulse_id)
        .values(
            asked=asked or 0,
            respondents=respondents,
            counted_asked=max(0, (asked or 0) - known_sent),
            counted_respondents=max(0, respondents - known),
            counted_commenters=max(0, len(kept) - known),
        )
    )
    bind.execute(sa.delete(answers).where(answers.c.pulse_id == pulse_id))
    shuffled = list(kept)
    random.SystemRandom().shuffle(shuffled)
    bind.execute(sa.delete(comments).where(comments.c.pulse_id == pulse_id))
    for position, (respondent, team, text) in enumerate(shuffled):
        bind.execute(
            sa.insert(comments).values(
                pulse_id=pulse_id, respondent=respondent, team_id=team, text=text, position=position
            )
        )


def downgrade() -> None:
    # Who answered cannot be told again without the key: everyone reads as "not answered".
    with op.batch_alter_table("pulse_recipients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answered", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("reminders_sent", sa.SmallInteger(), server_default="0", nullable=False)
        )
    stage = (
        sa.select(pulses.c.reminders_sent)
        .where(pulses.c.id == recipients.c.pulse_id)
        .scalar_subquery()
    )
    op.get_bind().execute(sa.update(recipients).values(reminders_sent=stage))
    with op.batch_alter_table("pulse_recipients", schema=None) as batch_op:
        batch_op.drop_column("counted")
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.drop_column("position")
    with op.batch_alter_table("pulses", schema=None) as batch_op:
        batch_op.drop_column("reminders_sent")
        batch_op.drop_column("counted_commenters")
        batch_op.drop_column("counted_respondents")
        batch_op.drop_column("counted_asked")
