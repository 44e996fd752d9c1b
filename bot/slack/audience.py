"""Who a pulse goes to: the people in channels, user groups and lists, humans only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.people import People
from bot.team.directory import Person


@dataclass(frozen=True)
class Targets:
    """What the command named, as Slack ids (stored as-is for schedules)."""

    channels: list[str] = field(default_factory=list)
    usergroups: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"channels": self.channels, "usergroups": self.usergroups, "users": self.users}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Targets:
        return cls(
            list(data.get("channels", [])),
            list(data.get("usergroups", [])),
            list(data.get("users", [])),
        )

    def __bool__(self) -> bool:
        return bool(self.channels or self.usergroups or self.users)


class AudienceProblem(Exception):
    """Something named cannot be used; `key` and `values` make the message."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def describe(targets: Targets) -> str:
    """A short label that Slack renders as names: `<#C1>, <!subteam^S1>, 2 people`."""
    parts = [f"<#{c}>" for c in targets.channels] + [f"<!subteam^{s}>" for s in targets.usergroups]
    parts += [f"<@{u}>" for u in targets.users[:3]]
    if len(targets.users) > 3:
        parts.append(f"+{len(targets.users) - 3}")
    return ", ".join(parts)


def resolve_audience(
    client: WebClient, people: People, team_id: str, targets: Targets, bot_user_id: str
) -> dict[str, Person]:
    """Every active human in the targets, once each and in order, with what Slack says of
    them (their language for the DM, the leadership check); never bots, the app, or
    deactivated users."""
    user_ids: list[str] = []
    for channel in targets.channels:
        user_ids += _channel_members(client, channel)
    for group in targets.usergroups:
        user_ids += _group_members(client, group)
    user_ids += targets.users
    unique = [uid for uid in dict.fromkeys(user_ids) if uid not in (bot_user_id, "USLACKBOT")]
    known = people.get_many(client, team_id, unique)
    return {
        uid: known[uid]
        for uid in unique
        if uid in known and not known[uid].is_bot and not known[uid].deleted
    }


def _channel_members(client: WebClient, channel: str) -> list[str]:
    try:
        pages = client.conversations_members(channel=channel, limit=200)
        return [member for page in pages for member in page["members"]]
    except SlackApiError as error:
        if error.response.get("error") in ("channel_not_found", "not_in_channel"):
            raise AudienceProblem("pulse.cmd.channel_missing", channel=channel) from None
        raise


def _group_members(client: WebClient, group: str) -> list[str]:
    try:
        return list(client.usergroups_users_list(usergroup=group)["users"])
    except SlackApiError as error:
        if error.response.get("error") in ("no_such_subteam", "subteam_not_found"):
            raise AudienceProblem("pulse.cmd.group_missing") from None
        raise
