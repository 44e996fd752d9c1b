"""The non-API endpoints: response_url posts and file upload URLs.

Slack answers these in plain text, not JSON: "ok" for a good response_url post, HTTP 400
with "invalid_blocks" / "no_text" / "invalid_payload" for a bad one, "OK - <bytes>" for an
upload. Faults apply to them under the pseudo-method names "response_url" and
"file_upload", so a test can make a response_url expire or an upload fail.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .faults import Fail, Faults, RateLimited, Reset, ServerError
from .methods.chat import store_message
from .state import ResponseHook, ResponsePost, SlackState
from .validation import block_errors
from .webapi import Answer, reset_answer, text_answer

RESPONSE_URL = "response_url"
FILE_UPLOAD = "file_upload"


class Hooks:
    def __init__(self, state: SlackState, faults: Faults) -> None:
        self._state = state
        self._faults = faults

    def response_url(self, name: str, params: dict[str, Any] | None) -> Answer:
        injected = self._injected(RESPONSE_URL)
        if injected is not None:
            self._state.record_response(ResponsePost(name, params or {}, status=injected.status))
            return injected
        answer = _check_response(params)
        self._state.record_response(ResponsePost(name, params or {}, status=answer.status))
        if answer.status == 200 and params is not None:
            with self._state.lock:
                self._apply(self._state.hooks.get(name), params)
        return answer

    def upload(self, file_id: str, content: bytes) -> Answer:
        injected = self._injected(FILE_UPLOAD)
        if injected is not None:
            return injected
        with self._state.lock:
            file = self._state.files.get(file_id)
            if file is None:
                return text_answer("file_not_found", 404)
            file.content = content
        return text_answer(f"OK - {len(content)}")

    def _injected(self, pseudo_method: str) -> Answer | None:
        delay = self._faults.take_delay(pseudo_method)
        if delay > 0:
            time.sleep(delay)
        outcome = self._faults.take_outcome(pseudo_method, None, None)
        if isinstance(outcome, Fail):
            # Slack says 404 for a response_url that expired or was used up, 400 otherwise.
            status = 404 if outcome.error in ("expired_url", "used_url") else 400
            return text_answer(outcome.error, status)
        if isinstance(outcome, RateLimited):
            answer = text_answer("rate_limited", 429)
            answer.headers["Retry-After"] = str(outcome.retry_after)
            return answer
        if isinstance(outcome, ServerError):
            return text_answer("internal_error", outcome.status)
        if isinstance(outcome, Reset):
            return reset_answer()
        return None

    def _apply(self, hook: ResponseHook | None, body: dict[str, Any]) -> None:
        """What the post does to the conversation, when the URL is bound to one."""
        if hook is None or hook.channel_id is None:
            return
        channel = self._state.channels.get(hook.channel_id)
        team = self._state.teams.get(channel.team_id) if channel is not None else None
        if channel is None or team is None:
            return
        original = (
            self._state.find_message(channel.id, hook.message_ts) if hook.message_ts else None
        )
        if body.get("delete_original") and original is not None:
            self._state.messages.remove(original)
            return
        text, blocks = str(body.get("text") or ""), body.get("blocks")
        if body.get("replace_original") and original is not None:
            original["text"] = text
            original["blocks"] = blocks
            return
        thread_ts = body.get("thread_ts")
        record = store_message(self._state, team, channel, text, blocks, thread_ts)
        if body.get("response_type") != "in_channel":
            record.update(ephemeral=True, visible_to=hook.user_id)


def _check_response(params: dict[str, Any] | None) -> Answer:
    if params is None:
        return text_answer("invalid_payload", 400)
    blocks = params.get("blocks")
    if blocks is not None and block_errors(blocks):
        return text_answer("invalid_blocks", 400)
    if not params.get("delete_original") and not params.get("text") and not blocks:
        return text_answer("no_text", 400)
    return text_answer("ok")


def parse_hook_body(raw: bytes, form: dict[str, Any]) -> dict[str, Any] | None:
    """A response_url body: JSON, or a form with a JSON `payload` field as webhooks allow."""
    source: Any = form.get("payload") if "payload" in form else raw.decode("utf-8", "replace")
    if isinstance(source, dict):
        return source
    try:
        body = json.loads(source)
    except (TypeError, ValueError):
        return None
    return body if isinstance(body, dict) else None
