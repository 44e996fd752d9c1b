"""The playground's demo history closes the loop: two actions (one late) and a reply thread."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.playground import blockkit
from bot.playground.demo import FOLLOW_UP, TEAM
from bot.playground.world import World
from bot.pulses.lifecycle import closed_pulses
from bot.storage.db import unit_of_work
from bot.storage.models import PulseRecipient


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    started = World(tmp_path / "playground", reset=True)
    yield started
    started.stop()


def test_the_demo_has_two_actions_one_late_and_a_comment_with_a_reply(world: World) -> None:
    world.tick()
    world.tick()
    digests = world.services.digests
    english = "\n".join(digests.action_lines(TEAM, "en"))
    french = "\n".join(digests.action_lines(TEAM, "fr"))
    assert "2 open, 1 overdue" in english
    assert "2 ouvertes, dont 1 en retard" in french
    late = [
        call
        for call in world.slack.calls_to("chat.postMessage")
        if call.params.get("channel") == "U0CTO" and "n°1" in str(call.params.get("text"))
    ]
    assert len(late) == 1, "the CTO hears once that the action is late (in French)"

    with unit_of_work(world.deps.sessions) as session:
        latest = closed_pulses(session, TEAM, 1)[0].id
    thread = world.services.replies.thread_of(TEAM, latest, 0)
    assert thread is not None
    assert [(m.from_author, m.text) for m in thread.messages] == [
        (False, FOLLOW_UP[0]),
        (True, FOLLOW_UP[1]),
    ]

    client = world.deps.clients.for_team(TEAM)
    world.services.home.publish(client, TEAM, "U0CEO")
    home = world.slack.calls_to("views.publish")[-1].params["view"]
    home_text = json.dumps(home if isinstance(home, dict) else json.loads(home), ensure_ascii=False)
    assert "2 ouvertes, dont 1 en retard" in home_text
    assert "Planifier une action" in home_text


def test_the_demo_group_reads_by_its_handle_never_its_id(world: World) -> None:
    shown = blockkit.mrkdwn("Audience: <!subteam^S0ENGINEERS>.", world.names())
    assert "@engineers" in shown
    assert "S0ENGINEERS" not in shown


def test_the_demo_pulses_were_sent_in_each_person_s_language(world: World) -> None:
    with unit_of_work(world.deps.sessions) as session:
        latest = closed_pulses(session, TEAM, 1)[0].id
        asked = dict(
            session.execute(
                select(PulseRecipient.user_id, PulseRecipient.language).where(
                    PulseRecipient.pulse_id == latest
                )
            ).all()
        )
    assert asked["U0ENG03"] == "fr", "Hugo reads French: a reply to his comment is French"
    assert asked["U0ENG02"] == "en"


def test_the_report_names_people_as_the_playground_shows_them(world: World) -> None:
    client = world.deps.clients.for_team(TEAM)
    assert world.services.reports.names(client, {"U0CTO"}) == {"U0CTO": "Thomas Moreau"}
