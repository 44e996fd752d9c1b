"""Views, the external file upload flow and response_url, through slack_sdk's clients."""

from __future__ import annotations

from typing import Any
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from . import FakeSlack


def home(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"type": "home", "blocks": list(blocks)}


def modal(title: str, *blocks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": list(blocks),
        **extra,
    }


DIVIDER = {"type": "divider"}
TEXT_INPUT = {
    "type": "input",
    "block_id": "answer",
    "label": {"type": "plain_text", "text": "Answer"},
    "element": {"type": "plain_text_input", "action_id": "text"},
}


def api_error(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as caught:
        call()
    data = caught.value.response.data
    assert isinstance(data, dict)
    return data


# -- views -----------------------------------------------------------------------------


def test_views_publish_stores_the_home_tab(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_publish(user_id="U1", view=home(DIVIDER))["view"]
    assert view["id"].startswith("V")
    assert view["type"] == "home"
    assert view["state"] == {"values": {}}
    assert view["hash"]
    again = client.views_publish(user_id="U1", view=home(DIVIDER, DIVIDER), hash=view["hash"])
    assert again["view"]["id"] == view["id"]  # one Home tab per user, updated in place
    stored = fake.home_view("U1")
    assert stored is not None
    assert len(stored["blocks"]) == 2
    stale = api_error(lambda: client.views_publish(user_id="U1", view=home(DIVIDER), hash="old"))
    assert stale["error"] == "hash_conflict"


def test_views_publish_rejects_what_slack_rejects(client: WebClient) -> None:
    too_many = api_error(lambda: client.views_publish(user_id="U1", view=home(*[DIVIDER] * 101)))
    assert too_many["error"] == "invalid_arguments"
    assert too_many["response_metadata"]["messages"] == [
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
    ]
    as_modal = api_error(lambda: client.views_publish(user_id="U1", view=modal("Hi", DIVIDER)))
    assert "/view/type" in as_modal["response_metadata"]["messages"][0]
    unknown = api_error(lambda: client.views_publish(user_id="U404", view=home(DIVIDER)))
    assert unknown["error"] == "user_not_found"


def test_views_open_validates_modals_and_spends_triggers(
    fake: FakeSlack, client: WebClient
) -> None:
    long_title = api_error(
        lambda: client.views_open(trigger_id="t1", view=modal("x" * 25, DIVIDER))
    )
    assert long_title["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    no_submit = api_error(lambda: client.views_open(trigger_id="t2", view=modal("Ask", TEXT_INPUT)))
    assert "submit is required" in no_submit["response_metadata"]["messages"][0]
    metadata = modal("Ask", DIVIDER, private_metadata="m" * 3001)
    assert api_error(lambda: client.views_open(trigger_id="t3", view=metadata))["error"] == (
        "invalid_arguments"
    )

    submit = {"type": "plain_text", "text": "Send"}
    opened = client.views_open(
        trigger_id="t4", view=modal("Ask", TEXT_INPUT, submit=submit, external_id="ask-1")
    )
    reused = api_error(lambda: client.views_open(trigger_id="t4", view=modal("Ask", DIVIDER)))
    assert reused["error"] == "exchanged_trigger_id"
    updated = client.views_update(external_id="ask-1", view=modal("Thanks", DIVIDER))
    assert updated["view"]["id"] == opened["view"]["id"]
    assert [v["title"]["text"] for v in fake.views()] == ["Thanks"]
    assert api_error(lambda: client.views_update(view_id="V404", view=modal("x", DIVIDER)))[
        "error"
    ] == ("not_found")


# -- files -----------------------------------------------------------------------------


def test_files_upload_v2_end_to_end(fake: FakeSlack, client: WebClient) -> None:
    response = client.files_upload_v2(
        channel="C1",
        content=b"week,score\n1,3\n",
        filename="pulse.csv",
        title="Delivery pulse",
        initial_comment="This week's pulse",
    )
    file_id = response["file"]["id"]
    assert fake.files[file_id] == ("Delivery pulse", b"week,score\n1,3\n")
    [message] = fake.messages("C1")
    assert message["text"] == "This week's pulse"
    assert message["files"][0]["id"] == file_id
    assert message["files"][0]["name"] == "pulse.csv"
    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


def test_files_upload_v2_without_a_channel_and_with_a_missing_upload(
    fake: FakeSlack, client: WebClient
) -> None:
    response = client.files_upload_v2(content="private notes", filename="notes.txt")
    assert fake.files[response["file"]["id"]] == ("notes.txt", b"private notes")
    assert fake.messages() == []
    url = client.files_getUploadURLExternal(filename="never.txt", length=3)
    missing = [{"id": url["file_id"], "title": "never"}]
    assert api_error(lambda: client.files_completeUploadExternal(files=missing))["error"] == (
        "file_not_found"
    )


def test_an_upload_url_can_fail(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error_next("file_upload", status=500)
    # slack_sdk posts to the upload URL with plain urllib, which raises on a 5xx.
    with pytest.raises(HTTPError, match="500"):
        client.files_upload_v2(content="x", filename="x.txt")


# -- response_url ----------------------------------------------------------------------


def test_response_url_posts_are_captured_and_validated(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url("cmd"))
    assert webhook.send(text="Working on it", response_type="ephemeral").body == "ok"
    bad = webhook.send(blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}])
    assert (bad.status_code, bad.body) == (400, "invalid_blocks")
    assert webhook.send(text="").body == "no_text"
    assert [(r.name, r.status) for r in fake.responses] == [
        ("cmd", 200),
        ("cmd", 400),
        ("cmd", 400),
    ]
    assert fake.responses[0].body == {"text": "Working on it", "response_type": "ephemeral"}


def test_a_bound_response_url_acts_on_the_conversation(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="Pick one")["ts"]
    url = fake.response_url("action", channel_id="C1", user_id="U1", message_ts=ts)
    WebhookClient(url).send(text="Picked", replace_original=True)
    WebhookClient(url).send(text="Everyone sees this", response_type="in_channel")
    WebhookClient(url).send(text="Only Alice sees this")
    texts = [(m["text"], m["ephemeral"]) for m in fake.messages("C1")]
    assert texts == [
        ("Picked", False),
        ("Everyone sees this", False),
        ("Only Alice sees this", True),
    ]
    WebhookClient(url).send(delete_original=True)
    assert next(m["text"] for m in fake.messages("C1")) == "Everyone sees this"
