"""The boundary around every piece of work done for a person: they always get an answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError

from bot.deps import Deps
from bot.i18n import Catalog, Lang

log = logging.getLogger(__name__)


def failure_key(error: BaseException) -> str:
    """The sentence for a failure, logged so that it is never hidden."""
    if isinstance(error, OperationalError | TimeoutError | DBAPIError):
        log.warning("database unavailable while handling a request: %s", type(error).__name__)
        return "errors.unavailable"
    log.error("request failed", exc_info=error)
    return "errors.unexpected"


@contextmanager
def answer_errors(say: Callable[[str], object], catalog: Catalog, lang: Lang) -> Iterator[None]:
    """Turn a failure into a polite message in `lang` instead of silence.

    A database that cannot be reached gets "try again"; anything else is logged with its
    traceback and the person is told nothing was changed.
    """
    try:
        yield
    except Exception as error:
        say(catalog.t(failure_key(error), lang))


@contextmanager
def answer_errors_privately(
    deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond
) -> Iterator[None]:
    """answer_errors for clicks and events: the language is looked up only on failure."""
    try:
        yield
    except Exception as error:
        key = failure_key(error)
        team_id, user_id = team_and_user(body)
        lang = deps.people.language(client, team_id, user_id) if user_id else "en"
        respond(text=deps.catalog.t(key, lang), response_type="ephemeral", replace_original=False)


def team_and_user(body: dict[str, Any]) -> tuple[str, str]:
    team, user = body.get("team") or {}, body.get("user") or {}
    team_id = team.get("id") if isinstance(team, dict) else team
    user_id = user.get("id") if isinstance(user, dict) else user
    return str(team_id or body.get("team_id") or ""), str(user_id or body.get("user_id") or "")
