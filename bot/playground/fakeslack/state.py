"""What the fake knows: the workspace directory and everything it has recorded.

One re-entrant lock guards all of it. The HTTP server holds it around each Web API
method, so method code reads and writes freely; the facade takes it for the test's
reads. `changed` is a condition on that lock, notified after every recorded call, so
`wait_for` wakes as soon as something happens instead of sleeping a fixed interval.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What auth.test's X-OAuth-Scopes header claims; Bolt only logs it, but it keeps shapes honest.
DEFAULT_SCOPES = (
    "app_mentions:read,channels:history,channels:read,chat:write,commands,files:write,"
    "groups:history,groups:read,im:history,im:read,im:write,mpim:read,usergroups:read,users:read,users:read.email"
)


@dataclass
class Team:
    id: str
    name: str
    domain: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    app_id: str
    app_token: str | None = None
    scopes: str = DEFAULT_SCOPES
    # User tokens issued by oauth.v2.access: token -> the user it acts as.
    user_tokens: dict[str, str] = field(default_factory=dict)


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    locale: str = "en-US"
    tz: str = "Europe/Paris"
    is_app_user: bool = False
    email: str | None = None
    display_name: str = ""
    bot_id: str | None = None
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0


@dataclass
class Channel:
    id: str
    team_id: str
    name: str
    members: list[str]
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None
    # False means the bot was never invited: Slack answers not_in_channel (public) or
    # channel_not_found (private, since the bot cannot even see it).
    bot_member: bool = True
    is_archived: bool = False
    topic: str = ""
    purpose: str = ""
    created: int = field(default_factory=lambda: int(time.time()))


@dataclass
class Usergroup:
    id: str
    team_id: str
    handle: str
    name: str
    users: list[str]
    description: str = ""


@dataclass
class OAuthGrant:
    code: str
    team_id: str
    client_id: str | None
    client_secret: str | None
    scope: str
    authed_user_id: str | None
    user_scope: str | None
    user_token: str | None


@dataclass
class StoredFile:
    id: str
    team_id: str | None
    filename: str
    length: int
    title: str
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None
    completed: bool = False
    created: int = field(default_factory=lambda: int(time.time()))


@dataclass(frozen=True)
class ResponseHook:
    """What a response_url is bound to, so replace/delete/in_channel can act on messages."""

    name: str
    team_id: str | None = None
    channel_id: str | None = None
    user_id: str | None = None
    message_ts: str | None = None


@dataclass(frozen=True)
class Call:
    """One Web API request as the fake saw it (recorded just before the answer is sent)."""

    method: str
    params: dict[str, Any]
    team_id: str | None
    at: float
    token: str | None = None
    status: int = 200
    error: str | None = None


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url; `status` is what the fake answered (400 if rejected)."""

    name: str
    body: dict[str, Any]
    at: float = field(default_factory=time.time)
    status: int = 200


class SlackState:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock  # seconds since the epoch: what message timestamps are made of
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.teams: dict[str, Team] = {}
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.usergroups: dict[str, Usergroup] = {}
        self.oauth_grants: dict[str, OAuthGrant] = {}
        self.messages: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, str] = {}  # user id -> view id of the published Home tab
        self.files: dict[str, StoredFile] = {}
        self.calls: list[Call] = []
        self.responses: list[ResponsePost] = []
        self.hooks: dict[str, ResponseHook] = {}
        self.used_triggers: set[str] = set()
        # Who a trigger_id was issued to (a click, a command), and the modals each person has
        # open, bottom to top: what the playground shows. Issued triggers only; tests that
        # make up their own trigger_ids open modals that belong to nobody.
        self.trigger_users: dict[str, str] = {}
        self.modal_stacks: dict[str, list[str]] = {}
        self.view_errors: dict[str, dict[str, str]] = {}
        self._serial = itertools.count(1)
        self._last_ts_us = 0
        self.last_activity = time.monotonic()  # the last call or response_url post answered

    # -- identifiers -------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        """A Slack-looking id (upper-case, prefix letter) that cannot clash with another."""
        return f"{prefix}0{next(self._serial):08X}"

    def next_ts(self) -> str:
        """A message ts: "seconds.micros", unique and strictly increasing, like Slack's."""
        now_us = int(self.clock() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        seconds, micros = divmod(self._last_ts_us, 1_000_000)
        return f"{seconds}.{micros:06d}"

    # -- directory look-ups ------------------------------------------------------------

    def team_for_token(self, token: str) -> Team | None:
        for team in self.teams.values():
            if token == team.bot_token or token in team.user_tokens:
                return team
        # Single-workspace convenience: a test need not repeat the exact bot token.
        if token.startswith("xoxb-") and len(self.teams) == 1:
            return next(iter(self.teams.values()))
        return None

    def team_for_app_token(self, token: str) -> Team | None:
        for team in self.teams.values():
            if team.app_token == token:
                return team
        return next(iter(self.teams.values()), None)

    def user_in(self, team: Team, user_id: str) -> User | None:
        user = self.users.get(user_id)
        return user if user is not None and user.team_id == team.id else None

    def channel_in(self, team: Team, channel_ref: str) -> Channel | None:
        """A channel of `team` by id, or by name ("#general" or "general") as Slack allows."""
        channel = self.channels.get(channel_ref)
        if channel is not None:
            return channel if channel.team_id == team.id else None
        # A DM id names its user, so an event from DU1 can be answered before anyone
        # called conversations.open, as on Slack where the DM has existed all along.
        user = self.user_in(team, channel_ref[1:]) if channel_ref.startswith("D") else None
        if user is not None and not user.is_bot:
            return self.open_dm(team, user)[0]
        name = channel_ref.removeprefix("#")
        for candidate in self.channels.values():
            if candidate.team_id == team.id and candidate.name == name and not candidate.is_im:
                return candidate
        return None

    def dm_channel_id(self, user_id: str) -> str:
        # Deterministic so tests can name a DM without asking: user U42 -> DM channel DU42.
        return f"D{user_id}"

    def open_dm(self, team: Team, user: User) -> tuple[Channel, bool]:
        """The bot's DM channel with `user`, created on first use; also says if it existed."""
        channel_id = self.dm_channel_id(user.id)
        existing = self.channels.get(channel_id)
        if existing is not None:
            return existing, True
        channel = Channel(
            id=channel_id,
            team_id=team.id,
            name=channel_id,
            members=[user.id, team.bot_user_id],
            is_private=True,
            is_im=True,
            im_user=user.id,
        )
        self.channels[channel_id] = channel
        return channel, False

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        for message in self.messages:
            if message["channel"] == channel_id and message["ts"] == ts:
                return message
        return None

    def record(self, call: Call) -> None:
        with self.changed:
            self.calls.append(call)
            self.last_activity = time.monotonic()
            self.changed.notify_all()

    def record_response(self, post: ResponsePost) -> None:
        with self.changed:
            self.responses.append(post)
            self.last_activity = time.monotonic()
            self.changed.notify_all()
