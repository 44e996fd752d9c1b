"""conversations.* methods."""

from __future__ import annotations

from typing import Any

from ..state import Channel
from ._base import ApiError, Ctx, ok
from ._shapes import channel_json
from .chat import echo, visible_channel

MAX_MPIM_USERS = 8


def conversations_open(ctx: Ctx) -> dict[str, Any]:
    existing_id = ctx.text("channel")
    if existing_id is not None:
        channel = visible_channel(ctx.state, ctx.team, existing_id)
        return _opened(ctx, channel, already_open=True)
    user_ids = [u.strip() for u in (ctx.text("users") or "").split(",") if u.strip()]
    if not user_ids:
        raise ApiError("users_list_not_supplied")
    if len(user_ids) > MAX_MPIM_USERS:
        raise ApiError("too_many_users")
    for user_id in user_ids:
        user = ctx.state.user_in(ctx.team, user_id)
        if user is None:
            raise ApiError("user_not_found")
        if user.is_bot:
            raise ApiError("cannot_dm_bot")
        if user.deleted:
            raise ApiError("user_disabled")
    if len(user_ids) == 1:
        channel, existed = ctx.state.open_dm(ctx.team, ctx.state.users[user_ids[0]])
    else:
        channel, existed = _open_mpim(ctx, user_ids)
    return _opened(ctx, channel, already_open=existed)


def conversations_members(ctx: Ctx) -> dict[str, Any]:
    channel = visible_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    members, next_cursor = ctx.page(channel.members)
    return ok(members=members, response_metadata={"next_cursor": next_cursor})


def conversations_info(ctx: Ctx) -> dict[str, Any]:
    channel = visible_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    body = channel_json(ctx.state, channel, ctx.flag("include_num_members"))
    return ok(channel=body)


def conversations_list(ctx: Ctx) -> dict[str, Any]:
    wanted = set((ctx.text("types") or "public_channel").split(","))
    exclude_archived = ctx.flag("exclude_archived")
    matching = [
        c
        for c in ctx.state.channels.values()
        if c.team_id == ctx.team.id
        and _kind(c) in wanted
        and (c.bot_member or not c.is_private)
        and not (exclude_archived and c.is_archived)
    ]
    chunk, next_cursor = ctx.page(matching)
    return ok(
        channels=[channel_json(ctx.state, c) for c in chunk],
        response_metadata={"next_cursor": next_cursor},
    )


def conversations_history(ctx: Ctx) -> dict[str, Any]:
    channel = visible_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    oldest, latest = float(ctx.text("oldest") or 0), float(ctx.text("latest") or "inf")
    top_level = [
        m
        for m in reversed(ctx.state.messages)  # Slack lists history newest first
        if m["channel"] == channel.id
        and not m["ephemeral"]
        and m.get("thread_ts") in (None, m["ts"])
        and oldest <= float(m["ts"]) <= latest
    ]
    chunk, next_cursor = ctx.page(top_level)
    metadata = (ctx.text("include_all_metadata") or "").lower() in ("1", "true")
    return ok(
        messages=[echo(m, metadata) for m in chunk],
        has_more=bool(next_cursor),
        pin_count=0,
        response_metadata={"next_cursor": next_cursor},
    )


def conversations_replies(ctx: Ctx) -> dict[str, Any]:
    channel = visible_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    ts = ctx.required("ts", "thread_not_found")
    if ctx.state.find_message(channel.id, ts) is None:
        raise ApiError("thread_not_found")
    thread = [
        m
        for m in ctx.state.messages
        if m["channel"] == channel.id
        and not m["ephemeral"]
        and (m["ts"] == ts or m.get("thread_ts") == ts)
    ]
    chunk, next_cursor = ctx.page(thread, limit_default=1000)
    return ok(
        messages=[echo(m) for m in chunk],
        has_more=bool(next_cursor),
        response_metadata={"next_cursor": next_cursor},
    )


def _opened(ctx: Ctx, channel: Channel, already_open: bool) -> dict[str, Any]:
    if ctx.flag("return_im"):
        body = ok(channel=channel_json(ctx.state, channel))
    else:
        body = ok(channel={"id": channel.id})
    if already_open:
        body.update(no_op=True, already_open=True)
    return body


def _open_mpim(ctx: Ctx, user_ids: list[str]) -> tuple[Channel, bool]:
    members = sorted({*user_ids, ctx.team.bot_user_id})
    for channel in ctx.state.channels.values():
        if (
            channel.is_mpim
            and channel.team_id == ctx.team.id
            and sorted(channel.members) == members
        ):
            return channel, True
    names = "--".join(ctx.state.users[u].name for u in user_ids)
    channel = Channel(
        id=ctx.state.new_id("G"),
        team_id=ctx.team.id,
        name=f"mpdm-{names}-1",
        members=members,
        is_private=True,
        is_mpim=True,
    )
    ctx.state.channels[channel.id] = channel
    return channel, False


def _kind(channel: Channel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "private_channel" if channel.is_private else "public_channel"
