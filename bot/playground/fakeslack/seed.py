"""Filling the fake workspace: teams, people, channels, groups, OAuth codes, history.

A mixin of FakeSlack, kept apart so the facade file stays about running and observing.
Every `add_*` replaces an existing entry with the same id, so a test can adjust a seeded
workspace (say, deactivate a user) by adding it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .methods._shapes import with_block_ids
from .state import DEFAULT_SCOPES, Channel, OAuthGrant, SlackState, Team, User, Usergroup


class Seeding:
    _state: SlackState

    def add_team(
        self,
        team_id: str = "T1",
        name: str = "Acme",
        domain: str = "acme",
        bot_token: str | None = None,
        bot_user_id: str = "UBOT",
        bot_id: str = "B1",
        app_id: str = "A1",
        *,
        app_token: str | None = None,
        bot_name: str = "vpe-bot",
        scopes: str = DEFAULT_SCOPES,
    ) -> Team:
        """A workspace with the app installed; its bot user is added to the directory too."""
        team = Team(
            id=team_id,
            name=name,
            domain=domain,
            bot_token=bot_token or f"xoxb-{team_id}-fake",
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            app_token=app_token,
            scopes=scopes,
        )
        bot = User(bot_user_id, team_id, bot_name, bot_name, is_bot=True, bot_id=bot_id)
        with self._state.lock:
            self._state.teams[team_id] = team
            self._state.users[bot_user_id] = bot
        return team

    def add_user(
        self,
        team_id: str,
        user_id: str,
        name: str,
        real_name: str | None = None,
        *,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        locale: str = "en-US",
        tz: str = "Europe/Paris",
        is_app_user: bool = False,
        email: str | None = None,
        display_name: str | None = None,
        status_text: str = "",
        status_emoji: str = "",
        status_expiration: int = 0,
    ) -> User:
        user = User(
            id=user_id,
            team_id=team_id,
            name=name,
            real_name=real_name if real_name is not None else name,
            is_admin=is_admin,
            is_owner=is_owner,
            is_bot=is_bot,
            deleted=deleted,
            locale=locale,
            tz=tz,
            is_app_user=is_app_user,
            email=email,
            display_name=display_name if display_name is not None else name,
            status_text=status_text,
            status_emoji=status_emoji,
            status_expiration=status_expiration,
        )
        with self._state.lock:
            self._require_team(team_id)
            self._state.users[user_id] = user
        return user

    def add_channel(
        self,
        team_id: str,
        channel_id: str,
        name: str,
        members: Iterable[str] = (),
        is_private: bool = False,
        *,
        bot_member: bool = True,
        is_archived: bool = False,
        topic: str = "",
        purpose: str = "",
    ) -> Channel:
        """A channel; `members` is exactly what conversations.members lists (add the bot
        user's id yourself if it should appear). bot_member=False: the bot is not in it."""
        channel = Channel(
            id=channel_id,
            team_id=team_id,
            name=name,
            members=list(members),
            is_private=is_private,
            bot_member=bot_member,
            is_archived=is_archived,
            topic=topic,
            purpose=purpose,
        )
        with self._state.lock:
            self._require_team(team_id)
            self._state.channels[channel_id] = channel
        return channel

    def add_usergroup(
        self,
        team_id: str,
        group_id: str,
        handle: str,
        users: Iterable[str] = (),
        *,
        name: str | None = None,
        description: str = "",
    ) -> Usergroup:
        group = Usergroup(group_id, team_id, handle, name or handle, list(users), description)
        with self._state.lock:
            self._require_team(team_id)
            self._state.usergroups[group_id] = group
        return group

    def add_oauth_code(
        self,
        code: str,
        team_id: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        scope: str = DEFAULT_SCOPES,
        authed_user_id: str | None = None,
        user_token: str | None = None,
        user_scope: str | None = None,
    ) -> None:
        """A code oauth.v2.access will exchange once for `team_id`'s bot token. When
        client_id/client_secret are given, the exchange must present them."""
        grant = OAuthGrant(
            code, team_id, client_id, client_secret, scope, authed_user_id, user_scope, user_token
        )
        with self._state.lock:
            self._require_team(team_id)
            self._state.oauth_grants[code] = grant

    def add_message(
        self,
        channel_id: str,
        text: str,
        *,
        user: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """History for the bot to find: a message by `user` (by the bot if None); its ts."""
        with self._state.lock:
            channel = self._state.channels.get(channel_id)
            if channel is None:
                raise ValueError(f"unknown channel {channel_id!r}: add_channel it first")
            team = self._require_team(channel.team_id)
            ts = self._state.next_ts()
            author = {"user": user} if user else {"user": team.bot_user_id, "bot_id": team.bot_id}
            self._state.messages.append(
                {
                    "type": "message",
                    "channel": channel_id,
                    "ts": ts,
                    "text": text,
                    "blocks": with_block_ids(blocks) if blocks is not None else None,
                    "thread_ts": thread_ts,
                    "team": team.id,
                    "ephemeral": False,
                    "visible_to": None,
                    **author,
                }
            )
        return ts

    def _require_team(self, team_id: str) -> Team:
        team = self._state.teams.get(team_id)
        if team is None:
            raise ValueError(f"unknown team {team_id!r}: call add_team({team_id!r}) first")
        return team
