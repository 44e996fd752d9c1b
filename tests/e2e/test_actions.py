"""Action plans through signed requests: planned from results, in the digest, late once."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.blocks.actions import moved_lines
from bot.bootstrap import build_deps, build_services
from bot.core.config import Settings
from bot.pulses.lifecycle import closed_pulses
from bot.pulses.results import pulse_results
from bot.runtime.jobs import scheduled_jobs
from bot.services.actions import Actions
from bot.services.digests import Digests
from bot.storage.db import unit_of_work
from bot.storage.models import ActionPlan
from bot.team.workspace import set_threshold, workspace_settings
from tests.e2e.test_signals import BOT_KEY, home_for
from tests.fakeslack import FakeSlack
from tests.support.botproc import BOT_TOKEN
from tests.support.history import seed_pulse
from tests.support.inprocess import TEAM, Clock, make_deps
from tests.support.payloads import payload
from tests.support.signing import HttpResult, form_body, post, signed_headers
from tests.support.slack import SlackWorkspace

ENGINEERS = [f"U0ACT{n}" for n in range(1, 9)]


@pytest.fixture
def pulsed(slack: SlackWorkspace, e2e_engine: Engine) -> SlackWorkspace:
    """Two closed pulses where predictability averages 3.0, shown (8 people, K = 5)."""
    start = datetime.now(UTC) - timedelta(weeks=3)
    with Session(e2e_engine) as session, session.begin():
        for week in range(2):
            answers = {"predictability": [3] * 8, "energy": [4] * 8}
            seed_pulse(
                session,
                slack.team_id,
                start + timedelta(weeks=week),
                answers,
                ENGINEERS,
                key=BOT_KEY,
            )
    for user in ENGINEERS:
        slack.fake.add_user(slack.team_id, user, user.lower())
    return slack


def button_ids(blocks: list[dict[str, object]]) -> list[str]:
    return [
        str(element.get("action_id"))
        for block in blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])  # type: ignore[attr-defined]
    ]


def plan_from_modal(slack: SlackWorkspace, user_id: str, due: date) -> HttpResult:
    values = {
        "what": {"value": {"type": "plain_text_input", "value": "Weekly release train <!here>"}},
        "owner": {"value": {"type": "users_select", "selected_user": "U0CTO"}},
        "due": {"value": {"type": "datepicker", "selected_date": due.isoformat()}},
        "item": {
            "value": {"type": "static_select", "selected_option": {"value": "predictability"}}
        },
    }
    return slack.submit_view("action_plan", values, {"lang": "en"}, user_id)


def pick_step(slack: SlackWorkspace, value: str) -> None:
    """Choose a next step in the digest's select, as Slack sends it."""
    click = payload("block_actions")
    click["actions"] = [
        {
            "action_id": "action_from_step",
            "block_id": "steps",
            "type": "static_select",
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": "x"}},
            "action_ts": f"{time.time():.6f}",
        }
    ]
    click["user"] = {"id": "U0ADMIN", "team_id": slack.team_id}
    click["team"] = {"id": slack.team_id, "domain": "acme"}
    click["channel"] = {"id": "C0GENERAL", "name": "general"}
    click["trigger_id"] = f"{time.monotonic_ns()}.1.U0ADMIN"
    click["response_url"] = slack.fake.response_url(f"step-{time.monotonic_ns()}")
    raw = form_body({"payload": json.dumps(click)})
    headers = signed_headers(raw)
    assert post(slack.events_url, raw, headers, "application/x-www-form-urlencoded").status == 200


def in_process(slack: SlackWorkspace, database: str, moment: datetime) -> Actions:
    settings = Settings(
        database_url=database,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=slack.fake.api_url,
        anonymity_key="test-anonymity-key-0123456789abcdef0123456789",
    )
    return Actions(build_deps(settings, clock=Clock(moment)))


def dms_to(slack: SlackWorkspace, user_id: str) -> list[str]:
    return [
        str(call.params.get("text"))
        for call in slack.fake.calls_to("chat.postMessage")
        if call.params.get("channel") == user_id
    ]


def test_an_action_planned_from_results_is_in_the_digest_and_late_once(
    pulsed: SlackWorkspace, e2e_engine: Engine, e2e_database: str
) -> None:
    slack = pulsed
    results = slack.command_reply("results", user_id="U0ADMIN")
    assert "action_new" in button_ids(results.body["blocks"])
    slack.click("action_new", "", "U0ADMIN", "C0GENERAL", "1.1")
    modal = slack.fake.wait_for("views.open")[0].params["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    assert modal["callback_id"] == "action_plan"

    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    refused = plan_from_modal(slack, "U0MEMBER", tomorrow)
    assert "Only the leadership team" in refused.body.decode()
    too_early = plan_from_modal(slack, "U0ADMIN", tomorrow - timedelta(days=3))
    assert "Pick today or a later day" in too_early.body.decode()
    assert plan_from_modal(slack, "U0ADMIN", tomorrow).status == 200
    slack.fake.wait_for(lambda: [t for t in dms_to(slack, "U0ADMIN") if "Planned action" in t])
    with e2e_engine.connect() as connection:
        rows = connection.execute(select(ActionPlan.owner, ActionPlan.baseline)).all()
    assert rows == [("U0CTO", 3.0)], "one action, baselined on the shown average"

    listing = slack.command_reply("actions", user_id="U0MEMBER")
    assert "Weekly release train &lt;!here&gt;" in listing.body["text"]
    assert "overdue" not in listing.body["text"]

    slack.fake.reset_calls()
    slack.command_reply("digest now", user_id="U0ADMIN")
    digest = json.dumps(slack.fake.wait_for("chat.postMessage")[0].params["blocks"])
    assert "1 open, 0 overdue" in digest
    assert "Weekly release train" in digest
    step = next(
        element["options"][0]
        for block in slack.fake.calls_to("chat.postMessage")[0].params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "action_from_step"
    )
    pick_step(slack, step["value"])
    prefilled = json.dumps(slack.fake.wait_for("views.open")[0].params["view"])
    assert step["text"]["text"].rstrip("…")[:40] in prefilled, "the step's words, ready to plan"
    home = json.dumps(home_for(slack, "U0ADMIN"), ensure_ascii=False)
    assert "1 open, 0 overdue" in home
    assert "Weekly release train" in home
    owner_home = json.dumps(home_for(slack, "U0CTO"), ensure_ascii=False)
    assert "Weekly release train" in owner_home, "the owner sees the actions they own"
    assert "action_new" not in owner_home, "but plans none"
    assert "Weekly release train" not in json.dumps(home_for(slack, "U0MEMBER"))

    # Three days later the action is late: its owner hears it once, whoever runs the job.
    later = datetime.now(UTC) + timedelta(days=3)
    first, second = (in_process(slack, e2e_database, later) for _ in range(2))
    slack.fake.reset_calls()
    barrier = threading.Barrier(2)

    def run(actions: Actions) -> None:
        barrier.wait()
        actions.tick()

    threads = [threading.Thread(target=run, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    services = build_services(first.deps)
    next(job for job in scheduled_jobs(services) if job.id == "actions").run()
    first.tick()
    told = dms_to(slack, "U0CTO")
    assert len(told) == 1, told
    assert "is past its date" in told[0]
    digest_later, _ = Digests(first.deps).digest_message(slack.team_id, "en")
    assert "1 open, 1 overdue" in digest_later.text + json.dumps(digest_later.blocks)

    # A new pulse closes: results say how predictability moved since the action was planned.
    with Session(e2e_engine) as session, session.begin():
        answers = {"predictability": [4] * 8, "energy": [4] * 8}
        seed_pulse(
            session,
            slack.team_id,
            datetime.now(UTC) - timedelta(hours=1),
            answers,
            ENGINEERS,
            key=BOT_KEY,
        )
    moved = json.dumps(slack.command_reply("results", user_id="U0ADMIN").body["blocks"])
    assert "3.0 \\u2192 4.0 \\u25b2 since it was planned" in moved

    # The owner marks it done; a member who does not own it cannot.
    action_id = first.listing(slack.team_id)[0][0].id
    refused_done = slack.command_reply(f"action done {action_id}", user_id="U0MEMBER")
    assert "Only the leadership team" in refused_done.body["text"]
    # The owner's "Mark done" in the overdue DM.
    clicked = slack.action(
        {
            "type": "block_actions",
            "actions": [
                {
                    "action_id": "action_done",
                    "type": "button",
                    "block_id": "b",
                    "value": str(action_id),
                    "action_ts": "1",
                }
            ],
            "trigger_id": "9.8.7",
            "channel": {"id": "DU0CTO"},
        },
        user_id="U0CTO",
    )
    assert clicked is not None
    assert f"Action #{action_id} is done" in clicked.body["text"]
    again = slack.command_reply(f"action done {action_id}", user_id="U0CTO")
    assert "was already done" in again.body["text"]
    assert (
        "~Weekly release train" in slack.command_reply("actions").body["blocks"][1]["text"]["text"]
    )
    digest_done, _ = Digests(first.deps).digest_message(slack.team_id, "en")
    assert "Actions*: none open" in json.dumps(digest_done.blocks)


def test_action_add_by_command_in_both_languages(pulsed: SlackWorkspace) -> None:
    slack = pulsed
    due = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    member = slack.command_reply(f'action add "Fix CI" <@U0CTO> due {due}', user_id="U0MEMBER")
    assert "Only the leadership team" in member.body["text"]
    added = slack.command_reply(
        f'action add "Fix CI" <@U0CTO> due {due} predictability', user_id="U0ADMIN"
    )
    assert "Planned action #" in added.body["text"]
    french = slack.command_reply(
        f'action ajouter "Réparer la CI" <@U0CTO> pour {due}', user_id="U0FRENCH"
    )
    assert "Seule l’équipe de direction" in french.body["text"]
    bad_date = slack.command_reply('action add "Fix CI" <@U0CTO> due 2027-13-45', user_id="U0ADMIN")
    assert "is not a date" in bad_date.body["text"]
    past = slack.command_reply('action add "Fix CI" <@U0CTO> due 2020-01-01', user_id="U0ADMIN")
    assert "Jan 1, 2020 has already passed" in past.body["text"], "the day written out"
    bad_item = slack.command_reply(
        f'action add "Fix CI" <@U0CTO> due {due} velocity', user_id="U0ADMIN"
    )
    assert "is not a pulse statement" in bad_item.body["text"]
    typo = slack.command_reply("action add Fix", user_id="U0MEMBER")
    assert "Use `/vpe action add" in typo.body["text"]
    listing = slack.command_reply("actions", user_id="U0FRENCH")
    assert "Fix CI" in listing.body["text"]
    assert "pour le" in listing.body["text"]


def test_a_baseline_a_stricter_threshold_now_hides_is_not_shown_through_an_action(
    database: str, jobs_fake: FakeSlack
) -> None:
    """Six answered when the action was planned (shown at K = 5); at K = 7 that figure is
    hidden in results, so the action says nothing of it either."""
    now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    deps = make_deps(database, jobs_fake, Clock(now))
    people = [f"U0BASE{n}" for n in range(8)]
    with unit_of_work(deps.sessions) as session:
        seed_pulse(session, TEAM, now - timedelta(weeks=2), {"predictability": [2] * 6}, people[:6])
    actions = Actions(deps)
    actions.plan(TEAM, "Freeze priorities", "U0JOB1", date(2027, 2, 1), "U0JOB2", "predictability")
    with unit_of_work(deps.sessions) as session:
        seed_pulse(session, TEAM, now - timedelta(days=4), {"predictability": [4] * 8}, people)

    def moved() -> list[str]:
        with unit_of_work(deps.sessions) as session:
            latest = closed_pulses(session, TEAM, 1)[0]
            threshold = workspace_settings(session, TEAM).threshold
            shown = pulse_results(session, deps.pulse, latest, None, threshold)
        return moved_lines(actions.for_results(TEAM), shown, deps.catalog, "en")

    assert len(moved()) == 1
    assert "2.0 → 4.0 ▲" in moved()[0]
    with unit_of_work(deps.sessions) as session:
        set_threshold(session, TEAM, 7)
    assert moved() == [], "the planned-from figure is hidden now; today's still shows"
