"""Handover reminders against the fake Slack: both told once when a step is due."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from bot.bootstrap import build_services
from bot.ownership.assignments import set_role_holder
from bot.services.digests import Digests
from bot.services.handover import Handovers
from bot.storage.db import unit_of_work
from tests.fakeslack import FakeSlack
from tests.support.inprocess import PEOPLE, TEAM, Clock, make_deps

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
CTO, VPE = PEOPLE[0], PEOPLE[1]


def reminders(fake: FakeSlack) -> list[str]:
    return [
        str(call.params["channel"])
        for call in fake.calls_to("chat.postMessage")
        if "Handover step due" in str(call.params.get("text"))
    ]


def test_a_due_step_is_told_to_both_once(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(START)
    deps, other = make_deps(database, jobs_fake, clock), make_deps(database, jobs_fake, clock)
    with unit_of_work(deps.sessions) as session:
        set_role_holder(session, TEAM, "cto", CTO, CTO, START)
        set_role_holder(session, TEAM, "vp_engineering", VPE, CTO, START)
    handovers = Handovers(deps, Digests(deps))
    steps, _ = handovers.plan(TEAM)
    assert [step.due_on for step in steps][:3] == [START.date() + timedelta(days=30)] * 3
    due = datetime.combine(steps[0].due_on, time(), UTC)
    clock.moment = due - timedelta(seconds=1)
    handovers.tick()
    assert reminders(jobs_fake) == [], "not due yet"
    clock.moment = due
    handovers.tick()
    Handovers(other, Digests(other)).tick()  # a second scheduler finds the slots claimed
    assert sorted(reminders(jobs_fake)) == sorted([CTO, VPE] * 3)
    clock.moment = START + timedelta(days=31)
    handovers.tick()
    assert len(reminders(jobs_fake)) == 6, "one message per person and step, never again"


def test_digest_and_home_show_progress(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(START)
    services = build_services(make_deps(database, jobs_fake, clock))
    with unit_of_work(services.deps.sessions) as session:
        set_role_holder(session, TEAM, "vp_engineering", VPE, CTO, START)
    message, _ = services.digests.digest_message(TEAM, "en")
    assert "Handover to" not in message.text + json.dumps(message.blocks)
    services.handovers.plan(TEAM)
    message, _ = services.digests.digest_message(TEAM, "fr")
    assert f"Passation à <@{VPE}>*\u00a0: 0 sujet transmis sur 8" in json.dumps(
        message.blocks, ensure_ascii=False
    )
    client = services.deps.clients.for_team(TEAM)
    services.home.publish(client, TEAM, PEOPLE[3])
    home = json.dumps(jobs_fake.home_view(PEOPLE[3]))
    assert "0 of 8 areas handed over" in home
