"""What the playground reads from the fake: whose modal is open, its errors, names, DMs."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from . import FakeSlack


def modal(title: str) -> dict[str, object]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "divider"}],
    }


def test_a_modal_belongs_to_whoever_the_trigger_was_issued_to(
    fake: FakeSlack, client: WebClient
) -> None:
    trigger = fake.issue_trigger("U1")
    opened = client.views_open(trigger_id=trigger, view=modal("Schedule"))["view"]
    assert fake.open_modal("U1")["id"] == opened["id"]
    assert fake.open_modal("U2") is None, "nobody else sees it"
    # A made-up trigger (as the e2e tests use) still opens a modal, which is nobody's.
    client.views_open(trigger_id="12345.98765.abcd", view=modal("Elsewhere"))
    assert fake.open_modal("U1")["id"] == opened["id"]


def test_pushed_views_stack_and_closing_shows_the_one_below(
    fake: FakeSlack, client: WebClient
) -> None:
    first = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal("One"))["view"]
    second = client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Two"))["view"]
    assert second["root_view_id"] == first["id"]
    assert second["previous_view_id"] == first["id"]
    assert fake.open_modal("U1")["id"] == second["id"]
    client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Three"))
    with pytest.raises(SlackApiError) as refused:
        client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Four"))
    assert refused.value.response["error"] == "push_limit_reached"
    fake.close_view(second["id"])
    assert fake.open_modal("U1")["id"] == first["id"]
    fake.close_modals("U1")
    assert fake.open_modal("U1") is None


def test_validation_errors_show_on_the_open_modal_until_it_closes(
    fake: FakeSlack, client: WebClient
) -> None:
    view = client.views_open(trigger_id=fake.issue_trigger("U2"), view=modal("Comment"))["view"]
    fake.set_view_errors(view["id"], {"comment": "Too long"})
    assert fake.open_modal("U2")["errors"] == {"comment": "Too long"}
    fake.close_view(view["id"])
    assert fake.open_modal("U2") is None


def test_channel_names_leave_out_direct_messages(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U1", text="hello")  # opens the DM
    names = fake.channel_names("T1")
    assert names["C1"] == "general"
    assert fake.dm_channel_id("U1") not in names


def test_a_person_writing_to_the_bot_opens_the_dm(fake: FakeSlack) -> None:
    channel = fake.open_dm_with("T1", "U2")
    ts = fake.add_message(channel, "who owns delivery?", user="U2")
    assert fake.messages(channel)[0]["ts"] == ts
    with pytest.raises(ValueError, match="unknown user"):
        fake.open_dm_with("T1", "U404")
