"""Slack's JSON for users, conversations and bot messages, built from the directory."""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..state import Channel, SlackState, Team, User


def user_json(team: Team, user: User, include_locale: bool = False) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "real_name": user.real_name,
        "real_name_normalized": user.real_name,
        "display_name": user.display_name,
        "display_name_normalized": user.display_name,
        "status_text": user.status_text,
        "status_emoji": user.status_emoji,
        "status_expiration": user.status_expiration,
        "team": team.id,
        "image_48": f"https://avatars.example/{user.id}_48.png",
    }
    if user.email is not None:
        profile["email"] = user.email
    if user.bot_id is not None:
        profile["bot_id"] = user.bot_id
    body: dict[str, Any] = {
        "id": user.id,
        "team_id": team.id,
        "name": user.name,
        "deleted": user.deleted,
        "real_name": user.real_name,
        "profile": profile,
        "is_bot": user.is_bot,
        "is_app_user": user.is_app_user,
        "updated": 1700000000,
    }
    if user.deleted:
        # Slack drops these for deactivated accounts; code that indexes user["tz"] breaks there.
        return body
    offset, label = _tz_offset(user.tz)
    body.update(
        color="9f69e7",
        tz=user.tz,
        tz_label=label,
        tz_offset=offset,
        is_admin=user.is_admin,
        is_owner=user.is_owner,
        is_primary_owner=False,
        is_restricted=False,
        is_ultra_restricted=False,
        is_email_confirmed=True,
    )
    if include_locale:
        body["locale"] = user.locale
    return body


def channel_json(
    state: SlackState, channel: Channel, include_num_members: bool = False
) -> dict[str, Any]:
    if channel.is_im:
        user = state.users.get(channel.im_user or "")
        return {
            "id": channel.id,
            "created": channel.created,
            "is_im": True,
            "is_org_shared": False,
            "context_team_id": channel.team_id,
            "user": channel.im_user,
            "is_user_deleted": bool(user and user.deleted),
            "is_archived": False,
            "priority": 0,
        }
    body: dict[str, Any] = {
        "id": channel.id,
        "name": channel.name,
        "name_normalized": channel.name,
        "is_channel": not channel.is_private and not channel.is_mpim,
        "is_group": channel.is_private and not channel.is_mpim,
        "is_im": False,
        "is_mpim": channel.is_mpim,
        "is_private": channel.is_private,
        "is_archived": channel.is_archived,
        "is_general": channel.name == "general",
        "is_shared": False,
        "is_ext_shared": False,
        "is_org_shared": False,
        "is_member": channel.bot_member,
        "created": channel.created,
        "creator": "",
        "context_team_id": channel.team_id,
        "topic": {"value": channel.topic, "creator": "", "last_set": 0},
        "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
    }
    if include_num_members:
        body["num_members"] = len(channel.members)
    return body


def bot_message(team: Team, ts: str, text: str, blocks: list[Any] | None) -> dict[str, Any]:
    """The `message` object Slack echoes back for a bot post."""
    message: dict[str, Any] = {
        "type": "message",
        "user": team.bot_user_id,
        "bot_id": team.bot_id,
        "app_id": team.app_id,
        "team": team.id,
        "text": text,
        "ts": ts,
        "bot_profile": {
            "id": team.bot_id,
            "app_id": team.app_id,
            "name": "bot",
            "team_id": team.id,
            "deleted": False,
            "updated": int(time.time()),
        },
    }
    if blocks is not None:
        message["blocks"] = with_block_ids(blocks)
    return message


def with_block_ids(blocks: list[Any]) -> list[Any]:
    """Slack fills in a block_id on every block that lacks one; so do we."""
    filled = []
    for block in blocks:
        if isinstance(block, dict) and "block_id" not in block:
            block = {**block, "block_id": uuid.uuid4().hex[:5]}
        filled.append(block)
    return filled


def view_hash(view: dict[str, Any]) -> str:
    digest = hashlib.sha256(repr(sorted(view.items())).encode()).hexdigest()
    return f"{int(time.time())}.{digest[:8]}"


def _tz_offset(tz: str) -> tuple[int, str]:
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return 0, tz
    offset = now.utcoffset()
    return (int(offset.total_seconds()) if offset else 0), now.tzname() or tz
