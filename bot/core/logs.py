"""Logging: one format; secrets and payloads kept out of every line, whatever logged them."""

from __future__ import annotations

import logging
import re

# Slack tokens (bot, user, app-level, refresh, config) and Fernet-encrypted ones.
SECRET = re.compile(r"\b(?:xox[abeposr]|xapp)-[A-Za-z0-9-]+|\bgAAAAA[A-Za-z0-9_=-]{20,}")
# The libraries that put what people wrote or chose into their lines: slack_sdk logs every
# Web API request and response body at DEBUG (a redrawn pulse DM shows the choices marked),
# Socket Mode every message; Bolt logs the body of a request whose signature fails (at INFO),
# and the bodies it answers or leaves unhandled. Our Bolt app logs as `bot.bolt`.
PAYLOAD_LOGGERS = ("slack_sdk", "slack_bolt", "bot.bolt")
# Where a payload starts in their lines: `body: …`, `body_params: …`, `message: …`, `({…})`.
PAYLOAD = re.compile(
    r"\b(?:query_params|body_params|json_body|files|headers|body|message|payload|request body)"
    r"\s*[:=]|\(\s*[{\[]",
    re.IGNORECASE,
)
NOT_LOGGED = "[payload not logged]"


def _replace(record: logging.LogRecord, message: str) -> None:
    record.msg, record.args = message, ()


class RedactSecrets(logging.Filter):
    """Replace tokens in the final message (slack_sdk's DEBUG lines include headers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = SECRET.sub("[redacted]", message)
        if cleaned != message:
            _replace(record, cleaned)
        return True


class NoPayloads(logging.Filter):
    """Cut a library's line where a payload starts: requests, answers, comments, the blocks
    of a pulse DM never reach a log, at any level. Our own lines never carry one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(PAYLOAD_LOGGERS):
            return True
        message = record.getMessage()
        found = PAYLOAD.search(message)
        if found is not None:
            _replace(record, message[: found.start()] + NOT_LOGGED)
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(NoPayloads())
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        # Alembic and APScheduler narrate every step at INFO; our own lines say what matters.
        for chatty in ("alembic", "apscheduler"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
