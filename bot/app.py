"""Building the Bolt app: the Web API client, request verification, and the handlers."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.deps import Deps
from bot.handlers import register_all
from bot.handlers.request_log import LoggedApp
from bot.slack.installations import state_store
from bot.slack.scopes import BOT_SCOPES

INSTALL_PATH, REDIRECT_PATH = "/slack/install", "/slack/oauth_redirect"


def oauth_settings(deps: Deps) -> OAuthSettings:
    """Install in many workspaces: slack_sdk's stores, in our database."""
    settings = deps.settings
    assert settings.slack_client_id
    assert settings.slack_client_secret
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=deps.installations,
        state_store=state_store(deps.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.slack_redirect_uri,
    )


def build_app(deps: Deps, executor: ThreadPoolExecutor | None = None) -> App:
    """The Bolt app: one workspace with a token, or many through OAuth installs.

    `process_before_response=True`: the ack listener answers Slack at once, and the real work
    runs as a lazy listener on the executor, so nothing waits on Bolt's 10 ms ack poll. The
    executor is ours so that a shutdown can wait for the work in flight.
    """
    settings = deps.settings
    app = LoggedApp(
        client=deps.clients.base,
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        logger=logging.getLogger("bot.bolt"),
        oauth_settings=oauth_settings(deps) if settings.oauth else None,
        listener_executor=executor or ThreadPoolExecutor(max_workers=16),
    )
    register_all(app, deps)
    return app
