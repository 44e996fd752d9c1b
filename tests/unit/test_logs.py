import logging

import pytest

from bot.core.logs import NoPayloads, RedactSecrets


@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
        "xapp-1-A0123-456-abcdef",
        "xoxe.xoxp-1-abc",
        "gAAAAABnFernetTokenThatIsLongEnough_0123456789",
    ],
)
def test_tokens_never_reach_a_log_line(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.DEBUG, logger="test.redaction"):
        logger.debug("headers: %s", {"Authorization": f"Bearer {secret}"})
    assert secret not in caplog.text
    assert "[redacted]" in caplog.text


@pytest.mark.parametrize(
    ("logger", "line", "kept"),
    [
        (
            "slack_sdk.web.base_client",
            "Sending a request - url: https://slack.com/api/chat.update, query_params: {}, "
            "body_params: {'blocks': '[{\"text\": \"✓ Agree\"}]'}, files: {}, json_body: None",
            "Sending a request - url: https://slack.com/api/chat.update, ",
        ),
        (
            "slack_sdk.web.base_client",
            'Received the following response - status: 200, headers: {}, body: {"ok": true, '
            '"message": {"text": "✓ Agree"}}',
            "Received the following response - status: 200, ",
        ),
        (
            "slack_sdk.socket_mode.builtin.client",
            'on_message invoked: (message: {"payload": {"actions": [{"value": "7:energy:4"}]}})',
            "on_message invoked: (",
        ),
        (
            "slack_bolt.RequestVerification",
            "Invalid request signature detected (signature: v0=1, timestamp: 1, body: payload=…)",
            "Invalid request signature detected (signature: v0=1, timestamp: 1, ",
        ),
        (
            "bot.bolt",
            "Unhandled request ({'type': 'block_actions', 'action_id': 'pulse_answer:energy:4'})",
            "Unhandled request ",
        ),
        ("bot.bolt", 'Responding with status: 200 body: "{\\"text\\": \\"✓\\"}"', "Responding "),
    ],
)
def test_library_lines_lose_their_payload(
    logger: str, line: str, kept: str, caplog: pytest.LogCaptureFixture
) -> None:
    """What slack_sdk and Bolt log of requests and answers is cut where the payload starts."""
    handler_filter = NoPayloads()
    caplog.handler.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.DEBUG, logger=logger):
            logging.getLogger(logger).debug(line)
    finally:
        caplog.handler.removeFilter(handler_filter)
    (message,) = [record.getMessage() for record in caplog.records]
    assert message.startswith(kept)
    assert message.endswith("[payload not logged]")
    for leaked in ("✓", "energy:4", "payload="):
        assert leaked not in message


def test_our_own_lines_are_left_as_they_are(caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(NoPayloads())
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        logging.getLogger("bot.requests").info("request team=T1 kind=view pulse_comment body: 1")
    assert caplog.records[0].getMessage().endswith("body: 1")
