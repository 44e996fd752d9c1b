"""The handover from the CTO to the VP Engineering, through signed requests and the fake Slack."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

from bot.core.i18n import day
from tests.support.payloads import payload
from tests.support.slack import SlackWorkspace

MARIE = "<@U0FRENCH|marie>"
CHRIS = "<@U0CTO|chris>"


def done_buttons(body: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The plan's "Done" buttons by area."""
    return {
        block["accessory"]["value"]: block["accessory"]
        for block in body["blocks"]
        if block.get("accessory", {}).get("action_id") == "handover_done"
    }


def tap(slack: SlackWorkspace, button: dict[str, str], user_id: str) -> str:
    click = payload("block_actions")
    click["actions"] = [{"action_id": button["action_id"], "value": button["value"]}]
    click["trigger_id"] = f"{time.monotonic_ns()}.738474920.{user_id}"
    reply = slack.action(click, user_id=user_id)
    assert reply is not None
    return str(reply.body["text"])


def test_a_handover_step_done_moves_the_area_and_the_vision_stays(slack: SlackWorkspace) -> None:
    refused = slack.command_reply("handover", user_id="U0ADMIN")
    assert "Name the VP Engineering first" in refused.body["text"]
    slack.command_reply(f"roles set cto {CHRIS}", user_id="U0ADMIN")
    slack.command_reply(f"roles set vpe {MARIE}", user_id="U0ADMIN")
    assert "Only the leadership team" in slack.command_reply("handover").body["text"]

    plan = slack.command_reply("handover", user_id="U0ADMIN")
    buttons = done_buttons(plan.body)
    assert set(buttons) == {
        "delivery",
        "deadlines_roadmap",
        "team_management",
        "talent_growth",
        "hiring",
        "processes",
        "quality",
        "org_structure",
    }
    assert "Technical vision" not in plan.body["text"]
    # Until its step is done, the CTO keeps delivery.
    before = slack.command_reply("ask who owns delivery?")
    assert "stays with <@U0CTO> (CTO) until it is handed over" in before.body["text"]

    assert "Only the CTO or the VP Engineering" in tap(slack, buttons["delivery"], "U0MEMBER")
    assert "from today, <@U0FRENCH> owns Delivery" in tap(slack, buttons["delivery"], "U0CTO")
    assert "rien n’a changé" in tap(slack, buttons["delivery"], "U0FRENCH")

    after = slack.command_reply("ask who owns delivery?")
    assert "<@U0FRENCH> (VP Engineering)" in after.body["text"]
    vision = slack.command_reply("ask who owns the technical vision?")
    assert "<@U0CTO> (CTO)" in vision.body["text"]
    hiring = slack.command_reply("ask who owns hiring?")
    assert "stays with <@U0CTO> (CTO)" in hiring.body["text"]
    signals = slack.command_reply("signals", user_id="U0ADMIN")
    assert "Signals: delivery health" in json.dumps(signals.body["blocks"])
    french = slack.command_reply("passation", user_id="U0FRENCH")
    assert "Seule l’équipe de direction" in french.body["text"]


def test_the_plan_is_edited_in_a_modal(slack: SlackWorkspace) -> None:
    slack.command_reply(f"roles set vpe {MARIE}", user_id="U0ADMIN")
    assert slack.command("handover edit", user_id="U0ADMIN").status == 200
    opened = slack.fake.wait_for("views.open")[0].params["view"]
    view = json.loads(opened) if isinstance(opened, str) else opened
    assert view["callback_id"] == "handover_plan"
    meta = json.loads(view["private_metadata"])
    soon, later = date.today() + timedelta(days=10), date.today() + timedelta(days=20)

    def step(area: str, order: int, due: date | None) -> dict[str, Any]:
        return {
            f"order:{area}": {
                "value": {"type": "static_select", "selected_option": {"value": str(order)}}
            },
            f"due:{area}": {
                "value": {"type": "datepicker", "selected_date": due and due.isoformat()}
            },
        }

    def areas(*ids: str) -> dict[str, Any]:
        options = [{"value": area} for area in ids]
        return {"areas": {"value": {"type": "multi_static_select", "selected_options": options}}}

    empty = slack.submit_view("handover_plan", areas(), meta, "U0ADMIN")
    assert "Keep at least one area" in empty.json()["errors"]["areas"]
    undated = areas("hiring") | step("hiring", 1, None)
    assert (
        "Pick the date"
        in slack.submit_view("handover_plan", undated, meta, "U0ADMIN").json()["errors"][
            "due:hiring"
        ]
    )
    values = areas("hiring", "quality") | step("hiring", 1, soon) | step("quality", 2, later)
    saved = slack.submit_view("handover_plan", values, meta, "U0ADMIN")
    assert saved.status == 200
    assert saved.body in (b"", b"{}") or "errors" not in saved.json()
    plan = slack.command_reply("handover", user_id="U0ADMIN")
    assert list(done_buttons(plan.body)) == ["hiring", "quality"]
    assert f"Engineering hiring · by {day(soon, 'en')}" in plan.body["text"]
    # Delivery left the plan: it is the VP Engineering's from the start.
    answer = slack.command_reply("ask who owns delivery?")
    assert "<@U0FRENCH> (VP Engineering)" in answer.body["text"]
