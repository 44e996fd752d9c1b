"""What a person would have on screen: their open modal, channel names, their DM.

A mixin of FakeSlack for the playground, which draws these and acts on them as the Slack
client would: it issues the trigger_id of each click or command (so a modal opened with it
belongs to that person), shows validation errors a submission got back, and closes modals.
"""

from __future__ import annotations

import copy
import time
import uuid
from typing import Any

from .state import SlackState


class Screens:
    _state: SlackState

    def issue_trigger(self, user_id: str) -> str:
        """A fresh trigger_id, as Slack puts in a command or interaction by `user_id`."""
        trigger = f"{int(time.time())}.{uuid.uuid4().int % 10**9}.{uuid.uuid4().hex[:20]}"
        with self._state.lock:
            self._state.trigger_users[trigger] = user_id
        return trigger

    def open_modal(self, user_id: str) -> dict[str, Any] | None:
        """The modal on top of `user_id`'s screen (with any `errors` to show), or None."""
        with self._state.lock:
            stack = self._state.modal_stacks.get(user_id) or []
            if not stack:
                return None
            view = copy.deepcopy(self._state.views[stack[-1]])
            view["errors"] = dict(self._state.view_errors.get(view["id"], {}))
            return view

    def view(self, view_id: str) -> dict[str, Any]:
        """A stored view, as Slack puts it in an interaction payload. KeyError if unknown."""
        with self._state.lock:
            return copy.deepcopy(self._state.views[view_id])

    def set_view_errors(self, view_id: str, errors: dict[str, str]) -> None:
        """A submission was answered response_action=errors: show them under the inputs."""
        with self._state.lock:
            self._state.view_errors[view_id] = dict(errors)

    def close_view(self, view_id: str) -> None:
        """Close a modal view (submitted or cancelled): the one below it shows again."""
        with self._state.lock:
            self._state.view_errors.pop(view_id, None)
            for user, stack in self._state.modal_stacks.items():
                if view_id in stack:
                    self._state.modal_stacks[user] = stack[: stack.index(view_id)]

    def close_modals(self, user_id: str) -> None:
        """response_action=clear: every view of the person's modal closes."""
        with self._state.lock:
            for view_id in self._state.modal_stacks.pop(user_id, []):
                self._state.view_errors.pop(view_id, None)

    def channel_names(self, team_id: str) -> dict[str, str]:
        """Channel id -> name for the team's channels (not DMs)."""
        with self._state.lock:
            return {
                c.id: c.name
                for c in self._state.channels.values()
                if c.team_id == team_id and not c.is_im
            }

    def usergroup_handles(self, team_id: str) -> dict[str, str]:
        """User group id -> handle, as Slack shows `<!subteam^S1>` (`@handle`)."""
        with self._state.lock:
            return {g.id: g.handle for g in self._state.usergroups.values() if g.team_id == team_id}

    def open_dm_with(self, team_id: str, user_id: str) -> str:
        """The bot's DM with a person, opened if needed (as when they write to the bot)."""
        with self._state.lock:
            team = self._state.teams[team_id]
            user = self._state.user_in(team, user_id)
            if user is None:
                raise ValueError(f"unknown user {user_id!r}: add_user it first")
            channel, _ = self._state.open_dm(team, user)
            return channel.id
