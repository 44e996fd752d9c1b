"""Answering through a response_url, retried when retrying helps.

Bolt's own `respond` retries only a dropped connection, once; a 5xx or a 429 at the
response_url would lose the answer without a word in the logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.slack.clients import respond_retry_handlers

log = logging.getLogger(__name__)


def as_dicts(items: Sequence[dict[str, Any] | Block | Attachment] | None) -> list[Any] | None:
    if items is None:
        return None
    return [item.to_dict() if isinstance(item, Block | Attachment) else item for item in items]


class RetryingRespond(Respond):
    """Bolt's `respond`, retried after a 429 (its Retry-After), a 500 or 503, a reset."""

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
        fields: dict[str, Any] = (
            dict(text)
            if isinstance(text, dict)
            else {
                "text": text,
                "blocks": as_dicts(blocks),
                "attachments": as_dicts(attachments),
                "response_type": response_type,
                "replace_original": replace_original,
                "delete_original": delete_original,
                "unfurl_links": unfurl_links,
                "unfurl_media": unfurl_media,
                "thread_ts": thread_ts,
                "metadata": metadata,
            }
        )
        message = {name: value for name, value in fields.items() if value is not None}
        client = WebhookClient(
            url=self.response_url,
            proxy=self.proxy,
            ssl=self.ssl,
            retry_handlers=respond_retry_handlers(),
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


class DirectMessage(Respond):
    """`respond` where there is no response_url (a modal opened from a Home tab, say): the
    answer goes by DM, and when Slack refuses even that, a warning in the log."""

    def __init__(self, client: WebClient, user_id: str) -> None:
        super().__init__(response_url=None)
        self._client, self._user_id = client, user_id

    def __call__(
        self, text: str | dict[str, Any] = "", *args: Any, **kwargs: Any
    ) -> WebhookResponse:
        message = text if isinstance(text, dict) else {"text": text, "blocks": kwargs.get("blocks")}
        try:
            self._client.chat_postMessage(
                channel=self._user_id,
                text=str(message.get("text") or ""),
                blocks=message.get("blocks"),
            )
        except SlackApiError as error:
            reason = str(error.response.get("error"))
            log.warning("an answer could not be sent by DM either: %s", reason)
            return WebhookResponse(url="", status_code=404, body=reason, headers={})
        return WebhookResponse(url="", status_code=200, body="ok", headers={})
