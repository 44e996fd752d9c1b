"""Replies to anonymous comments, both ways, with the author anonymous throughout.

Leadership's reply goes by DM to whoever wrote the comment (found through the respondent
token); the answer to leadership is the same whether or not the author could be reached, so
that a failure tells nothing about who wrote it. The author's answer goes to the leadership
channel (or to the leader who replied, without one), never with a name.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.replies import Reply, render_answer_for_leadership, render_reply_for_author
from bot.core.i18n import Lang, normalise_language
from bot.pulses.replies import add_reply, comment_at, find_author, is_author, thread
from bot.pulses.results import pulse_results
from bot.storage.db import unit_of_work
from bot.storage.models import Pulse, PulseRecipient
from bot.team.digest_schedule import leadership_channel
from bot.team.workspace import workspace_settings

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)


class Replies:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def shown_comment(self, team_id: str, pulse_id: int, position: int) -> str | None:
        """The comment's words if results show it (closed pulse, K commenters), else None."""
        with unit_of_work(self.deps.sessions) as session:
            comment = comment_at(session, team_id, pulse_id, position)
            pulse = session.get(Pulse, pulse_id)
            if comment is None or pulse is None:
                return None
            threshold = workspace_settings(session, team_id).threshold
            found = pulse_results(session, self.deps.pulse, pulse, None, threshold)
            return comment.text if found.comments is not None else None

    def is_author(self, team_id: str, user_id: str, pulse_id: int, position: int) -> bool:
        """Whether this person wrote the comment (a read: nothing is written)."""
        with unit_of_work(self.deps.sessions) as session:
            comment = comment_at(session, team_id, pulse_id, position)
            return comment is not None and is_author(self.deps.answer_key, comment, user_id)

    def thread_of(self, team_id: str, pulse_id: int, position: int) -> Reply | None:
        with unit_of_work(self.deps.sessions) as session:
            comment = comment_at(session, team_id, pulse_id, position)
            if comment is None:
                return None
            messages = thread(session, team_id, pulse_id, position)
            return Reply(pulse_id, position, comment.text, tuple(messages))

    def from_leadership(
        self, team_id: str, leader_id: str, pulse_id: int, position: int, text: str
    ) -> bool:
        """Store leadership's reply and DM it to the author; False if the comment is not shown."""
        if self.shown_comment(team_id, pulse_id, position) is None:
            return False
        with unit_of_work(self.deps.sessions) as session:
            add_reply(session, team_id, pulse_id, position, False, text)
        with unit_of_work(self.deps.sessions) as session:
            comment = comment_at(session, team_id, pulse_id, position)
            author = find_author(self.deps.answer_key, session, comment) if comment else None
            lang = self._recipient_language(session, pulse_id, author) if author else "en"
        reply = self.thread_of(team_id, pulse_id, position)
        if author is None or reply is None:
            return True  # said the same way: nobody learns that the author is gone
        message = render_reply_for_author(reply, leader_id, self.deps.catalog, lang)
        try:
            client = self.deps.clients.for_team(team_id)
            client.chat_postMessage(channel=author, **message.as_kwargs())
        except (SlackApiError, OSError) as error:
            log.warning("a reply to a comment was not delivered: %s", type(error).__name__)
        return True

    def from_author(
        self, team_id: str, user_id: str, pulse_id: int, position: int, text: str, leader: str
    ) -> bool:
        """Store the author's answer and pass it on to leadership; False if not the author."""
        if not self.is_author(team_id, user_id, pulse_id, position):
            return False
        with unit_of_work(self.deps.sessions) as session:
            add_reply(session, team_id, pulse_id, position, True, text)
        with unit_of_work(self.deps.sessions) as session:
            channel = leadership_channel(session, team_id)
            lang: Lang = workspace_settings(session, team_id).language or "en"
        reply = self.thread_of(team_id, pulse_id, position)
        if reply is None or not (channel or leader):
            return True
        message = render_answer_for_leadership(reply, self.deps.catalog, lang)
        try:
            client = self.deps.clients.for_team(team_id)
            client.chat_postMessage(channel=channel or leader, **message.as_kwargs())
        except (SlackApiError, OSError) as error:
            log.warning("an answer to a reply was not passed on: %s", type(error).__name__)
        return True

    @staticmethod
    def _recipient_language(session: Session, pulse_id: int, user_id: str) -> Lang:
        """The language the pulse was sent in: read, never a lookup that writes (People
        caches a person when asked, and that write would date the author's click)."""
        found = session.scalars(
            select(PulseRecipient.language).where(
                PulseRecipient.pulse_id == pulse_id, PulseRecipient.user_id == user_id
            )
        ).first()
        return normalise_language(found) or "en"
