"""The pulse fan-out under Slack's rate limits and faults: one DM each, Retry-After honoured.

In process, against the fake Slack and a fresh database on every backend. No assertion on
speed (that is bench/fanout_bench.py's job): only on what reached Slack, and when.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.bootstrap import Deps, build_deps
from bot.core.config import Settings
from bot.services.pulse_sending import SENDERS, PulseSender
from bot.slack.audience import Targets
from bot.slack.sends import Resend
from bot.storage.db import unit_of_work
from bot.storage.models import PulseRecipient
from tests.fakeslack import Call, FakeSlack

TEAM, TOKEN, CHANNEL = "T0FAN", "xoxb-fanout-token", "C0FAN"
PEOPLE = [f"U0FAN{n:03d}" for n in range(60)]
RETRY_AFTER = 1  # what the fake answers under these limits: ceil(missing token / rate) s
# Calls already on their way when a 429 came back may still land just after it.
IN_FLIGHT = 0.5


@pytest.fixture
def fan_fake(fake_slack: FakeSlack) -> Iterator[FakeSlack]:
    """A workspace of 60 people in one channel, in the session's fake Slack."""
    fake_slack.add_team(TEAM, "Fan", "fan", TOKEN, "UBOTFAN", "B0FAN", "A0FAN")
    for user in PEOPLE:
        fake_slack.add_user(TEAM, user, user.lower())
    fake_slack.add_channel(TEAM, CHANNEL, "everyone", [*PEOPLE, "UBOTFAN"])
    fake_slack.reset_calls()
    fake_slack.clear_faults()
    yield fake_slack
    fake_slack.clear_faults()


def fan_deps(database: str, fake: FakeSlack) -> Deps:
    return build_deps(
        Settings(
            database_url=database,
            slack_bot_token=TOKEN,
            slack_api_url=fake.api_url,
            anonymity_key="fanout-test-anonymity-key-0123456789ab",
        )
    )


def open_pulse_for_everyone(deps: Deps, sender: PulseSender) -> int:
    plan = sender.plan(
        deps.clients.for_team(TEAM),
        TEAM,
        Targets(channels=[CHANNEL]),
        items=["energy", "quality"],
        open_for=timedelta(days=3),
        language=None,
        timezone="Europe/Paris",
        started_by=None,
    )
    assert len(plan.recipients) == len(PEOPLE)
    return sender.open(plan)


def pulse_posts(fake: FakeSlack) -> list[Call]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.params.get("channel") in PEOPLE and "pulse-" in json.dumps(c.params.get("blocks"))
    ]


def dms_per_person(fake: FakeSlack) -> Counter[str]:
    channels = {fake.dm_channel_id(user): user for user in PEOPLE}
    return Counter(
        channels[m["channel"]]
        for m in fake.messages()
        if m["channel"] in channels and "pulse-" in json.dumps(m.get("blocks"))
    )


def statuses(deps: Deps, pulse_id: int) -> dict[str, str]:
    """Each recipient's delivery status."""
    with unit_of_work(deps.sessions) as session:
        rows = session.execute(
            select(PulseRecipient.user_id, PulseRecipient.status).where(
                PulseRecipient.pulse_id == pulse_id
            )
        ).all()
    return dict(rows)


def test_a_fan_out_under_a_tight_limit_honours_every_retry_after(
    database: str, fan_fake: FakeSlack
) -> None:
    deps = fan_deps(database, fan_fake)
    sender = PulseSender(deps)
    pulse_id = open_pulse_for_everyone(deps, sender)
    fan_fake.set_rate_limit("chat.postMessage", per_second=20, burst=5)

    sender.deliver(deps.clients.for_team(TEAM), pulse_id)

    assert dms_per_person(fan_fake) == Counter(dict.fromkeys(PEOPLE, 1)), "one DM each"
    assert set(statuses(deps, pulse_id).values()) == {"sent"}
    calls = sorted(pulse_posts(fan_fake), key=lambda c: c.at)
    refused = [c for c in calls if c.status == 429]
    assert refused, "the limit was hit, so the test exercised the pauses"
    assert all(c.status in (200, 429) for c in calls)
    for no in refused:
        deadline = no.at + RETRY_AFTER
        # The refused person's own retry came after the deadline...
        again = [c for c in calls if c.params["channel"] == no.params["channel"] and c.at > no.at]
        assert again, f"{no.params['channel']} was retried"
        assert again[0].at >= deadline
        # ...and so did everyone else's calls, but those already on their way.
        early = [c for c in calls if no.at + IN_FLIGHT <= c.at < deadline]
        assert early == [], f"{len(early)} call(s) went during a pause"
    gate = deps.clients.pacer.gate(TOKEN, "chat.postMessage")
    assert gate.refused == len(refused)
    assert gate.refused <= gate.pauses * SENDERS, "no retry storm: one 429 per sender per pause"


def test_5xx_timeouts_and_429s_mixed_still_end_with_one_dm_each(
    database: str, fan_fake: FakeSlack
) -> None:
    deps = fan_deps(database, fan_fake)
    sender = PulseSender(deps)
    deps.clients.resend = Resend(pause=1.0)
    pulse_id = open_pulse_for_everyone(deps, sender)
    client = deps.clients.for_team(TEAM)
    client.timeout = 0.5
    fan_fake.set_rate_limit("chat.postMessage", per_second=40, burst=10)
    # In the order they fire: one refusal for good, then 5xx (someone may get four in a row,
    # more than slack_sdk's three retries), 429s; meanwhile the first three sends are
    # answered only after the client gave up on them, and Slack may post them all the same.
    fan_fake.fail_next("chat.postMessage", "account_inactive")
    fan_fake.server_error_next("chat.postMessage", 503, times=4)
    fan_fake.server_error_next("chat.postMessage", 500, times=3)
    fan_fake.rate_limit_next("chat.postMessage", retry_after=1, times=3)
    fan_fake.server_error_next("chat.postMessage", 502, times=2)
    fan_fake.delay_next("chat.postMessage", 1.0, times=3)

    sender.deliver(client, pulse_id)
    for _ in range(3):  # what the scheduler's resume does each minute, for passing failures
        if "pending" not in statuses(deps, pulse_id).values():
            break
        sender.deliver(client, pulse_id)

    final = statuses(deps, pulse_id)
    refused = [user for user, status in final.items() if status == "failed"]
    assert len(refused) == 1, final
    assert set(final.values()) == {"sent", "failed"}
    reached = [user for user in PEOPLE if user not in refused]
    assert dms_per_person(fan_fake) == Counter(dict.fromkeys(reached, 1)), "one DM each"
    per_channel: defaultdict[str, list[Call]] = defaultdict(list)
    for call in pulse_posts(fan_fake):
        per_channel[call.params["channel"]].append(call)
    assert len(per_channel[refused[0]]) == 1, "a permanent error is not retried"
    assert fan_fake.calls_to("conversations.history"), "timed-out sends were looked for"
    for channel_calls in per_channel.values():
        channel_calls.sort(key=lambda c: c.at)
        for before, after in itertools.pairwise(channel_calls):
            if before.status == 429:
                assert after.at >= before.at + RETRY_AFTER, "retried before Retry-After"
