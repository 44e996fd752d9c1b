"""Socket Mode round trips with slack_sdk's builtin client and with Bolt's handler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond, Say
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from . import FakeSlack
from .conftest import APP_TOKEN, BOT_TOKEN


def slash_command(fake: FakeSlack, command: str, text: str = "") -> dict[str, Any]:
    """A slash_commands payload as Slack sends it, with a response_url on the fake."""
    return {
        "token": "verification-token",
        "team_id": "T1",
        "team_domain": "acme",
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": "U1",
        "user_name": "alice",
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": fake.response_url("slash", channel_id="C1", user_id="U1"),
        "trigger_id": "1111.2222.abcd",
    }


@pytest.fixture
def socket_client(fake: FakeSlack, client: WebClient) -> Iterator[SocketModeClient]:
    socket_client = SocketModeClient(app_token=APP_TOKEN, web_client=client)

    def ack_with_echo(client: SocketModeClient, request: SocketModeRequest) -> None:
        text = request.payload.get("text", "")
        response = SocketModeResponse(request.envelope_id, {"text": f"echo: {text}"})
        client.send_socket_mode_response(response)

    socket_client.socket_mode_request_listeners.append(ack_with_echo)  # type: ignore[arg-type]
    socket_client.connect()
    yield socket_client
    socket_client.close()


def test_the_builtin_client_connects_and_acks(
    fake: FakeSlack, socket_client: SocketModeClient
) -> None:
    assert fake.socket_connected()
    assert fake.calls_to("apps.connections.open")[0].token == APP_TOKEN
    envelope_id = fake.socket_push("slash_commands", slash_command(fake, "/pulse", "now"))
    ack = fake.socket_wait_ack(envelope_id)
    assert ack == {"envelope_id": envelope_id, "payload": {"text": "echo: now"}}
    [sent] = fake.socket_envelopes
    assert sent["accepts_response_payload"] is True
    assert "retry_attempt" not in sent


def test_events_carry_retry_details(fake: FakeSlack, socket_client: SocketModeClient) -> None:
    event = {"type": "event_callback", "event": {"type": "app_mention", "text": "hi"}}
    envelope_id = fake.socket_push("events_api", event, retry_attempt=1, retry_reason="timeout")
    fake.socket_wait_ack(envelope_id)
    [sent] = fake.socket_envelopes
    assert (sent["retry_attempt"], sent["retry_reason"]) == (1, "timeout")
    assert sent["accepts_response_payload"] is False


def test_a_disconnect_makes_the_client_reconnect(
    fake: FakeSlack, socket_client: SocketModeClient
) -> None:
    assert fake.socket_connected()
    fake.socket_disconnect()
    fake.wait_for("apps.connections.open", count=2)
    fake.wait_for(lambda: fake.socket_connection_count >= 2)
    envelope_id = fake.socket_push("slash_commands", slash_command(fake, "/pulse", "again"))
    assert fake.socket_wait_ack(envelope_id)["payload"] == {"text": "echo: again"}


def test_apps_connections_open_needs_an_app_token(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.apps_connections_open(app_token=BOT_TOKEN)
    assert caught.value.response["error"] == "not_allowed_token_type"


def test_a_bolt_app_over_socket_mode(fake: FakeSlack) -> None:
    app = App(client=WebClient(token=BOT_TOKEN, base_url=fake.api_url), signing_secret="unused")

    @app.command("/pulse")
    def pulse(ack: Ack, say: Say, respond: Respond, command: dict[str, Any]) -> None:
        ack(f"Pulse for {command['user_name']}")
        say(f"<@{command['user_id']}> asked for a pulse")
        respond("Done")

    handler = SocketModeHandler(app, APP_TOKEN)
    handler.client.connect()  # what handler.connect() does, but typed
    try:
        assert fake.socket_connected()
        envelope_id = fake.socket_push("slash_commands", slash_command(fake, "/pulse"))
        assert fake.socket_wait_ack(envelope_id)["payload"] == {"text": "Pulse for alice"}
        fake.wait_for(lambda: fake.responses)
    finally:
        handler.client.close()
    assert next(m["text"] for m in fake.messages("C1")) == "<@U1> asked for a pulse"
    assert fake.responses[0].body["text"] == "Done"
    assert fake.calls_to("auth.test")  # Bolt checked its token against the fake at start-up
