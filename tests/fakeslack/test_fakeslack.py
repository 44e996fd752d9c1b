"""The fake's Web API, driven through the real slack_sdk WebClient."""

from __future__ import annotations

import re
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from . import FakeSlack
from .conftest import APP_TOKEN, BOT_TOKEN


def error_of(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def button(text: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": "go"}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


# -- auth ------------------------------------------------------------------------------


def test_auth_test_answers_for_the_tokens_team(client: WebClient) -> None:
    response = client.auth_test()
    assert response.data == {
        "ok": True,
        "url": "https://acme.slack.com/",
        "team": "Acme",
        "user": "vpe-bot",
        "team_id": "T1",
        "user_id": "UBOT",
        "bot_id": "B1",
        "is_enterprise_install": False,
    }


def test_tokens_are_checked_like_slack(fake: FakeSlack) -> None:
    assert error_of(WebClient(base_url=fake.api_url).auth_test).response["error"] == "not_authed"
    app_client = WebClient(token=APP_TOKEN, base_url=fake.api_url)
    assert error_of(app_client.auth_test).response["error"] == "not_allowed_token_type"
    fake.add_team("T2", bot_token="xoxb-second")
    # With two workspaces, only their own tokens are accepted.
    stranger = WebClient(token="xoxb-unknown", base_url=fake.api_url)
    assert error_of(stranger.auth_test).response["error"] == "invalid_auth"
    second = WebClient(token="xoxb-second", base_url=fake.api_url)
    assert second.auth_test()["team_id"] == "T2"
    assert [c.team_id for c in fake.calls_to("auth.test")] == [None, None, None, "T2"]


def test_any_bot_token_works_with_a_single_workspace(fake: FakeSlack) -> None:
    client = WebClient(token="xoxb-whatever", base_url=fake.api_url)
    assert client.auth_test()["team_id"] == "T1"


def test_unknown_method(client: WebClient) -> None:
    error = error_of(lambda: client.api_call("chat.teleport"))
    assert error.response["error"] == "unknown_method"


def test_token_in_a_form_parameter_and_get_query(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url)
    assert client.api_call("auth.test", params={"token": BOT_TOKEN})["ok"]
    response = client.api_call(
        "users.info", http_verb="GET", params={"token": BOT_TOKEN, "user": "U1"}
    )
    assert response["user"]["name"] == "alice"


# -- chat ------------------------------------------------------------------------------


def test_post_message_returns_slack_shapes_and_is_stored(
    fake: FakeSlack, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="C1", text="hello", blocks=[section("*hi*")])
    second = client.chat_postMessage(channel="C1", text="reply", thread_ts=first["ts"])
    assert re.fullmatch(r"\d{10}\.\d{6}", first["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert first["channel"] == "C1"
    message = first["message"]
    assert message["user"] == "UBOT"
    assert message["bot_id"] == "B1"
    assert message["text"] == "hello"
    assert message["blocks"][0]["block_id"]  # Slack fills block ids in
    stored = fake.messages("C1")
    assert [m["text"] for m in stored] == ["hello", "reply"]
    assert stored[1]["thread_ts"] == first["ts"]
    assert fake.calls_to("chat.postMessage")[0].params["blocks"] == [section("*hi*")]


def test_post_message_to_a_user_id_goes_to_the_dm(fake: FakeSlack, client: WebClient) -> None:
    response = client.chat_postMessage(channel="U1", text="psst")
    assert response["channel"] == "DU1" == fake.dm_channel_id("U1")
    assert fake.messages("DU1")[0]["text"] == "psst"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_post_message_errors(client: WebClient) -> None:
    post = client.chat_postMessage
    assert error_of(lambda: post(channel="C404", text="x")).response["error"] == "channel_not_found"
    assert error_of(lambda: post(channel="C2", text="x")).response["error"] == "not_in_channel"
    assert error_of(lambda: post(channel="G2", text="x")).response["error"] == "channel_not_found"
    assert error_of(lambda: post(channel="C1")).response["error"] == "no_text"


def test_invalid_blocks_are_rejected_with_pointers(fake: FakeSlack, client: WebClient) -> None:
    long_button = [{"type": "actions", "elements": [button("x" * 76)]}]
    error = error_of(lambda: client.chat_postMessage(channel="C1", text="x", blocks=long_button))
    assert error.response["error"] == "invalid_blocks"
    messages = error.response["response_metadata"]["messages"]
    assert messages == [
        "[ERROR] text attribute cannot exceed 75 characters [json-pointer:/blocks/0/elements/0]"
    ]
    too_many = [section(str(i)) for i in range(51)]
    error = error_of(lambda: client.chat_postMessage(channel="C1", text="x", blocks=too_many))
    assert error.response["error"] == "invalid_blocks"
    assert "no more than 50 items" in error.response["response_metadata"]["messages"][0]
    assert client.chat_postMessage(channel="C1", text="x", blocks=too_many[:50])["ok"]
    assert len(fake.messages()) == 1


def test_form_encoded_blocks_are_validated_too(client: WebClient) -> None:
    bad = '[{"type": "section", "text": {"type": "mrkdwn"}}]'
    error = error_of(
        lambda: client.api_call("chat.postMessage", data={"channel": "C1", "blocks": bad})
    )
    assert error.response["error"] == "invalid_blocks"
    error = error_of(
        lambda: client.api_call("chat.postMessage", data={"channel": "C1", "blocks": "{"})
    )
    assert error.response["error"] == "invalid_blocks_format"


def test_ephemeral_update_and_delete(fake: FakeSlack, client: WebClient) -> None:
    ephemeral = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert set(ephemeral.data) == {"ok", "message_ts"}
    [stored] = fake.messages("C1")
    assert stored["ephemeral"]
    assert stored["visible_to"] == "U1"
    error = error_of(lambda: client.chat_postEphemeral(channel="G1", user="U2", text="x"))
    assert error.response["error"] == "user_not_in_channel"

    ts = client.chat_postMessage(channel="C1", text="v1", blocks=[section("one")])["ts"]
    updated = client.chat_update(channel="C1", ts=ts, text="v2")
    assert updated["message"]["text"] == "v2"
    assert fake.messages("C1")[1]["blocks"][0]["text"]["text"] == "one"  # blocks kept
    missing = error_of(lambda: client.chat_update(channel="C1", ts="1.000001", text="x"))
    assert missing.response["error"] == "message_not_found"
    client.chat_delete(channel="C1", ts=ts)
    assert [m["ts"] for m in fake.messages("C1")] == [ephemeral["message_ts"]]


# -- conversations, users, usergroups ----------------------------------------------------


def test_conversations_open_is_stable_and_checks_the_user(client: WebClient) -> None:
    first = client.conversations_open(users="U2")
    assert first.data == {"ok": True, "channel": {"id": "DU2"}}
    again = client.conversations_open(users="U2")
    assert again["channel"]["id"] == "DU2"
    assert again["already_open"] is True
    for user, error in (
        ("U404", "user_not_found"),
        ("UBOT", "cannot_dm_bot"),
        ("U3", "user_disabled"),
    ):
        assert (
            error_of(lambda u=user: client.conversations_open(users=u)).response["error"] == error
        )


def test_members_paginate_with_cursors(fake: FakeSlack, client: WebClient) -> None:
    members = [f"U{i:04d}" for i in range(250)]
    fake.add_channel("T1", "C250", "big", members)
    # A SlackResponse iterates by refilling itself, so read each page inside the loop.
    pages = [page["members"] for page in client.conversations_members(channel="C250")]
    assert [len(page) for page in pages] == [100, 100, 50]
    assert [m for page in pages for m in page] == members
    assert fake.calls_to("conversations.members")[1].params["cursor"]
    bad_cursor = error_of(lambda: client.conversations_members(channel="C250", cursor="nope"))
    assert bad_cursor.response["error"] == "invalid_cursor"
    gone = error_of(lambda: client.conversations_members(channel="C404"))
    assert gone.response["error"] == "channel_not_found"


def test_conversations_info(client: WebClient) -> None:
    channel = client.conversations_info(channel="C1", include_num_members=True)["channel"]
    assert channel["name"] == "general"
    assert channel["is_channel"]
    assert channel["num_members"] == 3
    assert client.conversations_info(channel="G1")["channel"]["is_private"] is True


def test_users_info(client: WebClient) -> None:
    alice = client.users_info(user="U1", include_locale=True)["user"]
    assert alice["locale"] == "fr-FR"
    assert alice["is_admin"] is True
    assert alice["tz"] == "Europe/Paris"
    assert alice["profile"]["real_name"] == "Alice Liddell"
    assert isinstance(alice["tz_offset"], int)
    assert "locale" not in client.users_info(user="U2")["user"]
    carol = client.users_info(user="U3")["user"]
    assert carol["deleted"] is True
    assert "tz" not in carol
    assert error_of(lambda: client.users_info(user="U404")).response["error"] == "user_not_found"


def test_users_list_and_usergroups(client: WebClient) -> None:
    ids = [u["id"] for page in client.users_list(limit=2) for u in page["members"]]
    assert ids == ["UBOT", "U1", "U2", "U3"]
    assert client.usergroups_users_list(usergroup="S1")["users"] == ["U1", "U2"]
    missing = error_of(lambda: client.usergroups_users_list(usergroup="S404"))
    assert missing.response["error"] == "no_such_subteam"


# -- OAuth ---------------------------------------------------------------------------------


def test_oauth_v2_access_exchanges_a_code_once(fake: FakeSlack) -> None:
    fake.add_oauth_code(
        "code-1", "T1", client_id="111.222", client_secret="s3cret", authed_user_id="U1"
    )
    client = WebClient(base_url=fake.api_url)
    response = client.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="code-1")
    assert response["access_token"] == BOT_TOKEN
    assert response["team"] == {"id": "T1", "name": "Acme"}
    assert response["bot_user_id"] == "UBOT"
    again = error_of(
        lambda: client.oauth_v2_access(client_id="111.222", client_secret="s3cret", code="code-1")
    )
    assert again.response["error"] == "invalid_code"


def test_a_dm_id_works_before_conversations_open(fake: FakeSlack, client: WebClient) -> None:
    assert client.chat_postMessage(channel=fake.dm_channel_id("U2"), text="hi")["channel"] == "DU2"
    assert client.conversations_info(channel="DU2")["channel"]["user"] == "U2"


def test_history_and_replies_include_seeded_messages(fake: FakeSlack, client: WebClient) -> None:
    question = fake.add_message("C1", "Who owns hiring?", user="U1")
    client.chat_postMessage(channel="C1", text="The VP Engineering", thread_ts=question)
    client.chat_postMessage(channel="C1", text="Later")
    history = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in history] == ["Later", "Who owns hiring?"]  # newest first
    assert history[1]["user"] == "U1"
    assert "bot_id" not in history[1]
    replies = client.conversations_replies(channel="C1", ts=question)["messages"]
    assert [m["text"] for m in replies] == ["Who owns hiring?", "The VP Engineering"]
    assert replies[1]["parent_user_id"] == "U1"
