"""Acknowledge at once, then act once per Slack request, whatever Slack's retries.

Events carry an event_id that Slack keeps across its retries; commands, clicks and modal
submissions carry a trigger_id unique to one user gesture. The first handler to claim the
id in the database does the work; copies are acknowledged and dropped. `on()` wires a
listener that way: `ack()` first (Slack waits 3 seconds at most), the work afterwards as a
Bolt lazy listener, and a polite private answer instead of silence when the work fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.core.i18n import Lang
from bot.handlers.errors import failure_key
from bot.handlers.parsing import parse_command
from bot.handlers.routing import CommandCall
from bot.storage.db import unit_of_work
from bot.storage.seen_requests import claim_request, release_request

if TYPE_CHECKING:
    from bot.bootstrap import Deps, Services

log = logging.getLogger(__name__)


def request_key(body: dict[str, Any]) -> str | None:
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    trigger = body.get("trigger_id")
    if trigger:
        return f"{body.get('type') or 'command'}:{trigger}"
    return None


def first_request(deps: Deps, context: BoltContext, body: dict[str, Any]) -> bool:
    """True for the first copy of this gesture or event; False for any copy after it.

    With the database down, work proceeds (and answers "try again"): dropping a first
    request would be worse than the rare duplicate.
    """
    key, team_id = request_key(body), context.team_id
    if key is None or not team_id:
        return True
    try:
        with unit_of_work(deps.sessions) as session:
            return claim_request(session, team_id, key, deps.clock.now())
    except SQLAlchemyError:
        log.warning("database unavailable: cannot check for a repeated request")
        return True


def release(deps: Deps, context: BoltContext, body: dict[str, Any]) -> None:
    """Undo the claim when the work failed, so that Slack's own retry can do it again."""
    key, team_id = request_key(body), context.team_id
    if key and team_id:
        with unit_of_work(deps.sessions) as session:
            release_request(session, team_id, key)


@dataclass
class Interaction:
    """A click, an event or a modal submission, with what its handler needs."""

    body: dict[str, Any]
    context: BoltContext
    client: WebClient
    respond: Respond
    services: Services

    @property
    def deps(self) -> Deps:
        return self.services.deps

    @property
    def team_id(self) -> str:
        return self.context.team_id or ""

    @property
    def user_id(self) -> str:
        return self.context.user_id or ""

    @property
    def action(self) -> dict[str, Any]:
        """The clicked element (block_actions)."""
        actions = self.body.get("actions") or [{}]
        return dict(actions[0])

    @property
    def event(self) -> dict[str, Any]:
        return dict(self.body.get("event") or {})

    def lang(self) -> Lang:
        """The person's language (Slack's locale, else the workspace's, else English)."""
        return self.deps.people.language(self.client, self.team_id, self.user_id)

    def t(self, key: str, **values: Any) -> str:
        return self.deps.catalog.t(key, self.lang(), **values)

    def as_command(self, text: str, respond: Respond | None = None) -> CommandCall:
        """This click read as the `/vpe` command it stands for (routed, locked, answered
        privately like the command itself). The router comes from Bolt's context, where
        `register_all` put it."""
        return CommandCall(
            team_id=self.team_id,
            user_id=self.user_id,
            channel_id=self.context.channel_id or "",
            command=parse_command(text),
            lang=self.lang(),
            client=self.client,
            respond=respond or self.respond,
            services=self.services,
            router=self.context["router"],
            trigger_id=self.body.get("trigger_id"),
        )

    def whisper(self, text: str) -> None:
        """A private answer that leaves the message it came from as it was."""
        self.respond(text=text, response_type="ephemeral", replace_original=False)


Work = Callable[[Interaction], None]
Listener = Callable[..., Any]


def on(
    listener: Listener,
    services: Services,
    work: Work,
    *,
    errors: bool = True,
    when: Callable[[dict[str, Any]], bool] | None = None,
) -> None:
    """Register `work` behind `listener` (e.g. `app.action(ID)`): ack, then once per request.

    `errors=False` for work with nobody to answer privately (events): a failure is logged by
    Bolt and nothing is said. `when(body)` skips requests the work has nothing to do with
    (acknowledged all the same: an unacknowledged event comes back three times).
    """

    def acknowledge(ack: Ack) -> None:
        ack()

    def run(
        body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        if when is not None and not when(body):
            return
        if not first_request(services.deps, context, body):
            return
        done = Interaction(body, context, client, respond, services)
        if not errors:
            work(done)
            return
        try:
            work(done)
        except Exception as error:
            key = failure_key(error)
            lang = done.lang() if done.user_id else "en"
            done.whisper(services.deps.catalog.t(key, lang))

    listener(ack=acknowledge, lazy=[run])


Submission = Callable[[Interaction, Ack], None]


def on_submit(
    listener: Listener, services: Services, work: Submission, then: Work | None = None
) -> None:
    """A modal submission whose answer is the ack itself (errors shown beside the fields),
    and `then`, work done after the ack (e.g. redrawing the message the modal came from).

    A copy of a submission already handled is acknowledged without doing anything again.
    """

    def run(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        if not first_request(services.deps, context, body):
            ack()
            return
        work(Interaction(body, context, client, respond, services), ack)

    def after(
        body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        if then is not None:
            then(Interaction(body, context, client, respond, services))

    if then is None:
        listener(run)
    else:
        listener(ack=run, lazy=[after])
