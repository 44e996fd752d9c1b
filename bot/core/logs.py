"""Logging: one format, and secrets scrubbed from every line whatever logged them."""

from __future__ import annotations

import logging
import re

# Slack tokens (bot, user, app-level, refresh, config) and Fernet-encrypted ones.
SECRET = re.compile(r"\b(?:xox[abeposr]|xapp)-[A-Za-z0-9-]+|\bgAAAAA[A-Za-z0-9_=-]{20,}")


class RedactSecrets(logging.Filter):
    """Replace tokens in the final message (slack_sdk's DEBUG lines include headers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = SECRET.sub("[redacted]", message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        # Alembic and APScheduler narrate every step at INFO; our own lines say what matters.
        for chatty in ("alembic", "apscheduler"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
