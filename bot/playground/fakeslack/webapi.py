"""The Web API pipeline: method look-up, authentication, injected faults, the method, the record.

Kept apart from the HTTP plumbing so the order of checks (which decides which error a
bot sees first) is visible in one place: unknown_method, then the token, then faults,
then the method itself. Every request is recorded, failures included.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .faults import Fail, Faults, Hang, Outcome, RateLimited, Reset, ServerError
from .methods import METHODS, ApiError, Ctx, Spec
from .state import Call, SlackState, Team


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    # True: send nothing and reset the connection (see faults.Reset); status is then 0.
    reset: bool = False


def json_answer(body: dict[str, Any], status: int = 200, **headers: str) -> Answer:
    return Answer(status, json.dumps(body).encode(), dict(headers))


def text_answer(text: str, status: int = 200) -> Answer:
    return Answer(status, text.encode(), {}, "text/plain; charset=utf-8")


def reset_answer() -> Answer:
    """No answer: the server resets the connection (recorded with status 0)."""
    return Answer(0, b"", reset=True)


@dataclass(frozen=True)
class Credentials:
    token: str | None
    basic: tuple[str, str] | None = None


class WebApi:
    def __init__(
        self,
        state: SlackState,
        faults: Faults,
        base_url: Callable[[], str],
        socket_url: Callable[[], str],
    ) -> None:
        self._state = state
        self._faults = faults
        self._base_url = base_url
        self._socket_url = socket_url

    def handle(self, method: str, params: dict[str, Any], credentials: Credentials) -> Answer:
        arrived = time.time()
        token = credentials.token or _text(params.pop("token", None))
        team: Team | None = None
        try:
            spec = METHODS.get(method)
            if spec is None:
                raise ApiError("unknown_method", req_method=method)
            team = self._authenticate(spec, token)
            outcome = self._outcome(method, team, params)
            if _after_post(outcome):
                # Slack did the work; the answer is what goes wrong.
                answer = self._run(spec, params, token, team, credentials)
                answer = self._after(outcome, answer)
            else:
                answer = self._injected(outcome) or self._run(
                    spec, params, token, team, credentials
                )
        except ApiError as error:
            answer = json_answer(error.body())
        if team is not None:
            answer.headers.setdefault("X-OAuth-Scopes", team.scopes)
        answer.headers["X-Slack-Req-Id"] = uuid.uuid4().hex
        self._state.record(
            Call(
                method,
                params,
                team.id if team else None,
                arrived,
                token,
                answer.status,
                _error(answer),
            )
        )
        return answer

    def _authenticate(self, spec: Spec, token: str | None) -> Team | None:
        if spec.auth == "client":
            return None
        if token is None:
            raise ApiError("not_authed")
        if spec.auth == "app":
            if not token.startswith("xapp-"):
                raise ApiError("not_allowed_token_type")
            return self._app_team(token)
        if token.startswith("xapp-"):
            raise ApiError("not_allowed_token_type")
        with self._state.lock:
            team = self._state.team_for_token(token)
        if team is None:
            raise ApiError("invalid_auth")
        return team

    def _app_team(self, token: str) -> Team | None:
        with self._state.lock:
            teams = list(self._state.teams.values())
        registered = [t for t in teams if t.app_token is not None]
        if not registered:
            # No app token was registered: any xapp- token is this app's.
            return teams[0] if teams else None
        for team in registered:
            if team.app_token == token:
                return team
        raise ApiError("invalid_auth")

    def _outcome(self, method: str, team: Team | None, params: dict[str, Any]) -> Outcome | None:
        delay = self._faults.take_delay(method)
        if delay > 0:
            time.sleep(delay)  # outside the state lock: other requests carry on meanwhile
        channel = _text(params.get("channel") or params.get("channel_id"))
        return self._faults.take_outcome(method, team.id if team else None, channel)

    def _after(self, outcome: Outcome | None, answer: Answer) -> Answer:
        """What the bot gets when a fault strikes after the method ran."""
        if isinstance(outcome, Hang):
            time.sleep(outcome.seconds)  # the client gave up meanwhile
            return answer
        if isinstance(outcome, ServerError):
            return json_answer({"ok": False, "error": "fatal_error"}, outcome.status)
        return reset_answer()

    def _injected(self, outcome: Outcome | None) -> Answer | None:
        if isinstance(outcome, Fail):
            raise ApiError(outcome.error)
        if isinstance(outcome, RateLimited):
            body = {"ok": False, "error": "ratelimited"}
            return json_answer(body, 429, **{"Retry-After": str(outcome.retry_after)})
        if isinstance(outcome, ServerError):
            return json_answer({"ok": False, "error": "fatal_error"}, outcome.status)
        if isinstance(outcome, Reset):
            return reset_answer()
        return None

    def _run(
        self,
        spec: Spec,
        params: dict[str, Any],
        token: str | None,
        team: Team | None,
        credentials: Credentials,
    ) -> Answer:
        ctx = Ctx(
            state=self._state,
            params=params,
            token=token,
            team_or_none=team,
            base_url=self._base_url(),
            socket_url=self._socket_url(),
            basic_auth=credentials.basic,
        )
        with self._state.lock:
            return json_answer(spec.handler(ctx))


def _after_post(outcome: Outcome | None) -> bool:
    return isinstance(outcome, Hang) or (
        isinstance(outcome, ServerError | Reset) and outcome.after_post
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _error(answer: Answer) -> str | None:
    if answer.reset:
        return "connection_reset"
    if answer.content_type.startswith("application/json"):
        body = json.loads(answer.body)
        if isinstance(body, dict) and body.get("ok") is False:
            return str(body.get("error"))
    return None
