"""Two changes at once never lose one another (issue 13, item 18).

`/vpe org set engineers 45` then at once `/vpe org set teams 6` (as a leader types them, or
two leaders at once) showed "? engineers, 6 teams" about half the time: the second write
read the record, then replaced what the first had just changed. Each test sends signed
commands (or modal submissions) from threads released together, ROUNDS times, against the
running bot on SQLite and PostgreSQL, starting each round from a workspace that has nothing
stored yet (the first write is where the read-modify-write raced), and checks that every
change is kept and every person was told it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select, update

from bot.storage.models import (
    AreaOwner,
    DigestSchedule,
    Leader,
    OrgFacts,
    Pulse,
    PulseSchedule,
    RoleHolder,
    StrategicEvent,
    Workspace,
)
from tests.support.slack import SlackWorkspace

ROUNDS = 8
ADMIN, OWNER = "U0ADMIN", "U0OWNER"
TROUBLE = ("try again", "went wrong", "Only the leadership")


def at_once(slack: SlackWorkspace, commands: Sequence[tuple[str, str]]) -> list[str]:
    """Type each (text, user) from its own thread, all released together; their replies."""
    barrier = threading.Barrier(len(commands))
    replies: list[str] = [""] * len(commands)

    def type_it(index: int, text: str, user: str) -> None:
        barrier.wait()
        replies[index] = str(slack.command_reply(text, user_id=user).body["text"])

    threads = [
        threading.Thread(target=type_it, args=(n, text, user))
        for n, (text, user) in enumerate(commands)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for (text, _), reply in zip(commands, replies, strict=True):
        assert reply, f"{text}: no answer"
        assert not any(word in reply for word in TROUBLE), f"{text}: {reply}"
    return replies


def rounds(engine: Engine, team_id: str, *models: Any) -> Callable[[], None]:
    """Forget what the workspace has stored in `models`, so the next round starts afresh."""

    def reset() -> None:
        with engine.begin() as connection:
            for model in models:
                connection.execute(delete(model).where(model.team_id == team_id))

    return reset


def test_org_facts_set_at_once_are_all_kept(slack: SlackWorkspace, e2e_engine: Engine) -> None:
    reset = rounds(e2e_engine, slack.team_id, OrgFacts)
    for _ in range(ROUNDS):
        reset()
        at_once(
            slack,
            [
                ("org set engineers 45", ADMIN),
                ("org set teams 6", OWNER),
                ("org set managers 5", ADMIN),
            ],
        )
        with e2e_engine.connect() as connection:
            row = connection.execute(select(OrgFacts.engineers, OrgFacts.teams, OrgFacts.managers))
            assert tuple(row.one()) == (45, 6, 5)


def test_settings_changed_at_once_are_all_kept(slack: SlackWorkspace, e2e_engine: Engine) -> None:
    slack.fake.add_channel(slack.team_id, "C0LEAD", "leadership", [ADMIN, OWNER, "UBOT"])
    reset = rounds(e2e_engine, slack.team_id, DigestSchedule, Workspace)
    for _ in range(ROUNDS):
        reset()
        at_once(
            slack,
            [
                ("settings anonymity 4", ADMIN),
                ("settings language fr", OWNER),
                ("settings timezone Asia/Tokyo", ADMIN),
                ("settings channel <#C0LEAD|leadership>", OWNER),
                ("settings digest biweekly tuesday 10:00", ADMIN),
            ],
        )
        with e2e_engine.connect() as connection:
            workspace = connection.execute(
                select(
                    Workspace.anonymity_threshold,
                    Workspace.language,
                    Workspace.timezone,
                    Workspace.leadership_channel,
                )
            ).one()
            digest = connection.execute(
                select(
                    DigestSchedule.active, DigestSchedule.cadence, DigestSchedule.weekday
                ).add_columns(DigestSchedule.time_of_day)
            ).one()
        assert tuple(workspace) == (4, "fr", "Asia/Tokyo", "C0LEAD")
        assert tuple(digest) == (True, "biweekly", 1, "10:00"), "the chosen timing, not a default"


def test_roles_owners_and_leaders_changed_at_once_are_all_kept(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    reset = rounds(e2e_engine, slack.team_id, RoleHolder, AreaOwner, Leader)
    for _ in range(ROUNDS):
        reset()
        at_once(
            slack,
            [
                ("roles set cto <@U0CTO>", ADMIN),
                ("roles set vpe <@U0FRENCH>", OWNER),
                ("owners set hiring <@U0MEMBER>", ADMIN),
                ("owners set delivery <@U0FRENCH>", OWNER),
                ("leaders add <@U0MEMBER>", ADMIN),
                ("leaders add <@U0CTO>", OWNER),
            ],
        )
        with e2e_engine.connect() as connection:
            roles = dict(connection.execute(select(RoleHolder.role, RoleHolder.user_id)).all())
            owners = dict(connection.execute(select(AreaOwner.area, AreaOwner.user_id)).all())
            leaders = set(connection.scalars(select(Leader.user_id)))
        assert roles == {"cto": "U0CTO", "vp_engineering": "U0FRENCH"}
        assert owners == {"hiring": "U0MEMBER", "delivery": "U0FRENCH"}
        assert leaders == {"U0MEMBER", "U0CTO"}


def test_the_same_change_twice_at_once_is_answered_twice(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """Two leaders giving the same role, area or seat at once: one row, two polite answers."""
    reset = rounds(e2e_engine, slack.team_id, RoleHolder, AreaOwner, Leader, StrategicEvent)
    for _ in range(ROUNDS):
        reset()
        replies = at_once(
            slack,
            [
                ("roles set cto <@U0CTO>", ADMIN),
                ("roles set cto <@U0FRENCH>", OWNER),
                ("owners set hiring <@U0MEMBER>", ADMIN),
                ("owners set hiring <@U0MEMBER>", OWNER),
                ("leaders add <@U0MEMBER>", ADMIN),
                ("leaders add <@U0MEMBER>", OWNER),
            ],
        )
        added = [reply for reply in replies[4:] if "is now part of the leadership team" in reply]
        assert len(added) == 1, replies[4:]
        with e2e_engine.connect() as connection:
            assert connection.scalar(select(RoleHolder.user_id)) in ("U0CTO", "U0FRENCH")
            assert connection.scalar(select(func.count()).select_from(AreaOwner)) == 1
            assert connection.scalar(select(func.count()).select_from(Leader)) == 1
        at_once(
            slack,
            [
                ("owners reset hiring", ADMIN),
                ("owners reset hiring", OWNER),
                ("leaders remove <@U0MEMBER>", ADMIN),
                ("leaders remove <@U0MEMBER>", OWNER),
            ],
        )


def test_events_added_and_removed_at_once(slack: SlackWorkspace, e2e_engine: Engine) -> None:
    reset = rounds(e2e_engine, slack.team_id, StrategicEvent)
    for _ in range(ROUNDS):
        reset()
        at_once(
            slack,
            [
                ('event add fundraising 2030-01 "Series B"', ADMIN),
                ('event add restructuring 2030-02 "Platform"', OWNER),
            ],
        )
        with e2e_engine.connect() as connection:
            events = dict(connection.execute(select(StrategicEvent.label, StrategicEvent.id)).all())
        assert set(events) == {"Series B", "Platform"}
        first = events["Series B"]
        replies = at_once(
            slack, [(f"event remove {first}", ADMIN), (f"event remove {first}", OWNER)]
        )
        assert sorted("Removed" in reply for reply in replies) == [False, True]


@pytest.mark.parametrize("stop", [False, True])
def test_schedules_saved_at_once_leave_one_active_schedule(
    slack: SlackWorkspace, e2e_engine: Engine, stop: bool
) -> None:
    """Two leaders saving the schedule modal at once (or one stopping the schedule as the
    other saves it): one schedule active at most, so a slot never sends two pulses."""
    reset = rounds(e2e_engine, slack.team_id, PulseSchedule)
    meta = {"lang": "en", "channel": slack.general}

    def values(cadence: str) -> dict[str, Any]:
        def option(value: str) -> dict[str, Any]:
            return {"value": {"type": "static_select", "selected_option": {"value": value}}}

        return {
            "channels": {
                "value": {
                    "type": "multi_conversations_select",
                    "selected_conversations": [slack.general],
                }
            },
            "cadence": option(cadence),
            "weekday": option("1"),
            "time": {"value": {"type": "timepicker", "selected_time": "09:30"}},
            "timezone": {"value": {"type": "plain_text_input", "value": "Europe/Paris"}},
            "open_days": {"value": {"type": "number_input", "value": "3"}},
            "items": {
                "value": {"type": "multi_static_select", "selected_options": [{"value": "energy"}]}
            },
        }

    def save(barrier: threading.Barrier, done: list[int], cadence: str, user: str) -> None:
        barrier.wait()
        done.append(slack.submit_view("pulse_schedule", values(cadence), meta, user).status)

    def stop_it(barrier: threading.Barrier, done: list[int]) -> None:
        barrier.wait()
        reply = slack.command_reply("pulse schedule off", user_id=OWNER).body["text"]
        done.append(200 if "stopped" in reply else 500)

    for _ in range(ROUNDS):
        reset()
        slack.submit_view("pulse_schedule", values("weekly"), meta, ADMIN)
        barrier, statuses = threading.Barrier(2), []
        other = (
            (stop_it, (barrier, statuses))
            if stop
            else (save, (barrier, statuses, "monthly", OWNER))
        )
        threads = [
            threading.Thread(target=save, args=(barrier, statuses, "biweekly", ADMIN)),
            threading.Thread(target=other[0], args=other[1]),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200, 200]
        with e2e_engine.connect() as connection:
            active = connection.scalars(
                select(PulseSchedule.cadence).where(PulseSchedule.active.is_(True))
            ).all()
        assert len(active) <= 1 if stop else len(active) == 1, active


def test_two_pulses_started_at_once_open_one(slack: SlackWorkspace, e2e_engine: Engine) -> None:
    """Two leaders typing `/vpe pulse now` at once: one pulse, and the other is told so."""
    for _ in range(ROUNDS):
        with e2e_engine.begin() as connection:
            connection.execute(
                update(Pulse).where(Pulse.team_id == slack.team_id).values(status="closed")
            )
        replies = at_once(
            slack, [(f"pulse now <#{slack.general}|general>", user) for user in (ADMIN, OWNER)]
        )
        assert sorted("Pulse started" in reply for reply in replies) == [False, True], replies
        assert any("already open" in reply for reply in replies), replies
        with e2e_engine.connect() as connection:
            opened = connection.scalar(
                select(func.count()).select_from(Pulse).where(Pulse.status == "open")
            )
        assert opened == 1
