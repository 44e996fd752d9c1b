"""Scheduled digests against the fake Slack: each slot posted once, resumed after a crash."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.bootstrap import Deps
from bot.services.digests import Digests, run_marker
from bot.storage.db import unit_of_work
from bot.storage.models import ScheduleRun
from bot.storage.slot_claims import claim_slot
from bot.team.digest_schedule import set_leadership_channel
from tests.fakeslack import FakeSlack
from tests.support.inprocess import TEAM, Clock, make_deps

CREATED = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 Paris
MONDAY_9 = datetime(2026, 11, 9, 8, 1, tzinfo=UTC)


def with_channel(deps: Deps, fake: FakeSlack) -> None:
    fake.add_channel(TEAM, "C0LEADJ", "leadership", ["UBOTJ"])
    with unit_of_work(deps.sessions) as session:
        set_leadership_channel(session, TEAM, "C0LEADJ", "Europe/Paris", CREATED)


def digests_posted(fake: FakeSlack) -> list[object]:
    return [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == "C0LEADJ"]


def test_two_schedulers_post_the_digest_once(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(MONDAY_9)
    first, second = make_deps(database, jobs_fake, clock), make_deps(database, jobs_fake, clock)
    with_channel(first, jobs_fake)
    barrier = threading.Barrier(2)

    def run(deps: Deps) -> None:
        barrier.wait()
        Digests(deps).run_schedules()

    threads = [threading.Thread(target=run, args=(d,)) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(digests_posted(jobs_fake)) == 1
    Digests(first).run_schedules()
    assert len(digests_posted(jobs_fake)) == 1, "the slot is done"
    clock.moment = MONDAY_9 + timedelta(weeks=1)
    Digests(first).run_schedules()
    assert len(digests_posted(jobs_fake)) == 2, "next Monday, next digest"
    with unit_of_work(first.sessions) as session:
        assert all(session.scalars(select(ScheduleRun.completed_at)).all())


def test_a_digest_cut_short_is_posted_once(database: str, jobs_fake: FakeSlack) -> None:
    clock = Clock(MONDAY_9)
    deps = make_deps(database, jobs_fake, clock)
    with_channel(deps, jobs_fake)
    with unit_of_work(deps.sessions) as session:
        posted_before_crash = claim_slot(
            session, TEAM, "digest", 1, MONDAY_9 - timedelta(weeks=2), MONDAY_9, completed=False
        )
        never_posted = claim_slot(
            session, TEAM, "digest", 1, MONDAY_9 - timedelta(weeks=1), MONDAY_9, completed=False
        )
    assert posted_before_crash is not None
    assert never_posted is not None
    jobs_fake.add_message(
        "C0LEADJ",
        "Delivery digest",
        blocks=[
            {
                "type": "header",
                "block_id": f"{run_marker(posted_before_crash)}header",
                "text": {"type": "plain_text", "text": "Delivery digest"},
            }
        ],
    )
    clock.moment = MONDAY_9 + timedelta(minutes=10)
    Digests(deps).resume_unfinished()
    posts = digests_posted(jobs_fake)
    assert len(posts) == 1, "only the digest that never reached Slack"
    blocks = posts[0].params["blocks"]  # type: ignore[attr-defined]
    assert blocks[0]["block_id"] == f"{run_marker(never_posted)}header"
    Digests(deps).resume_unfinished()
    assert len(digests_posted(jobs_fake)) == 1
