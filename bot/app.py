"""Building the Bolt app: the Web API client, request verification, and the handlers."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.deps import Deps
from bot.handlers import register_all


def build_app(deps: Deps) -> App:
    """The Bolt app, in single-workspace token mode.

    `process_before_response=True`: the ack listener answers Slack at once, and the real work
    runs as a lazy listener on Bolt's thread pool, so nothing waits on Bolt's 10 ms ack poll.
    """
    settings = deps.settings
    app = App(
        client=deps.clients.for_team(""),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        logger=logging.getLogger("bot.bolt"),
    )
    register_all(app, deps)
    return app
