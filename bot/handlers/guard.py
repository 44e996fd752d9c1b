"""The boundary around every piece of work done for a person: they always get an answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient, WebhookResponse
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


class RetryingRespond(Respond):
    """Bolt's `respond`, retried when retrying helps: a 429 (after its Retry-After), a 500 or
    503, a dropped connection. Bolt's own retries only a dropped connection, once, and a 5xx
    or 429 at the response_url would otherwise lose the answer without a word in the logs."""

    def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any] | Block] | None = None,
        attachments: Sequence[dict[str, Any] | Attachment] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):
            message = _build_message(**text)
        else:
            message = _build_message(
                text=text,
                blocks=blocks,
                attachments=attachments,
                response_type=response_type,
                replace_original=replace_original,
                delete_original=delete_original,
                unfurl_links=unfurl_links,
                unfurl_media=unfurl_media,
                thread_ts=thread_ts,
                metadata=metadata,
            )
        client = WebhookClient(
            url=self.response_url,
            proxy=self.proxy,
            ssl=self.ssl,
            retry_handlers=[
                RateLimitErrorRetryHandler(max_retry_count=2),
                ServerErrorRetryHandler(max_retry_count=2),
                ConnectionErrorRetryHandler(max_retry_count=2),
            ],
        )
        response = client.send_dict(message)
        if response.status_code != 200:
            log.warning(
                "an answer could not be posted to its response_url: %s %s",
                response.status_code,
                str(response.body)[:80],
            )
        return response


def retrying_respond(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Global middleware: every listener's `respond` is a RetryingRespond."""
    if context.response_url:
        context["respond"] = RetryingRespond(response_url=context.response_url)
    return next()
