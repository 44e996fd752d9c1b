import logging

import pytest

from bot.core.logs import RedactSecrets


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
