"""chat.* methods, and the message store they share with files and response_url."""

from __future__ import annotations

from typing import Any

from ..state import Channel, SlackState, Team
from ..validation import block_errors, error_messages
from ._base import ApiError, Ctx, ok
from ._shapes import bot_message, with_block_ids

MAX_TEXT = 40_000  # Slack truncates longer text and answers msg_too_long


def chat_post_message(ctx: Ctx) -> dict[str, Any]:
    channel = postable_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    text, blocks = message_content(ctx)
    thread_ts = ctx.text("thread_ts")
    metadata = message_metadata(ctx)
    record = store_message(ctx.state, ctx.team, channel, text, blocks, thread_ts)
    if "attachments" in ctx.params:
        record["attachments"] = ctx.params["attachments"]
    if metadata is not None:
        record["metadata"] = metadata
    return ok(channel=channel.id, ts=record["ts"], message=echo(record))


def message_metadata(ctx: Ctx) -> dict[str, Any] | None:
    """A post's `metadata` as Slack keeps it: an event_type and an object payload."""
    metadata = ctx.params.get("metadata")
    if metadata is None or metadata == "":
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not metadata["event_type"]
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


def chat_post_ephemeral(ctx: Ctx) -> dict[str, Any]:
    channel = postable_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    user = ctx.state.user_in(ctx.team, ctx.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    if channel.members and user.id not in channel.members:
        raise ApiError("user_not_in_channel")
    text, blocks = message_content(ctx)
    record = store_message(ctx.state, ctx.team, channel, text, blocks, ctx.text("thread_ts"))
    record.update(ephemeral=True, visible_to=user.id)
    return ok(message_ts=record["ts"])


def own_message(ctx: Ctx, refusal: str) -> tuple[Any, dict[str, Any]]:
    """The channel and the bot's own message that `channel` and `ts` name, as Slack finds
    them; `refusal` when the message is someone else's."""
    channel = visible_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    record = ctx.state.find_message(channel.id, ctx.required("ts", "message_not_found"))
    if record is None or record["ephemeral"]:
        raise ApiError("message_not_found")
    if record.get("bot_id") != ctx.team.bot_id:
        raise ApiError(refusal)
    return channel, record


def chat_update(ctx: Ctx) -> dict[str, Any]:
    channel, record = own_message(ctx, "cant_update_message")
    text, blocks = message_content(ctx)
    record["text"] = text
    # Slack keeps the previous blocks when the update carries none; [] removes them.
    if blocks is not None:
        record["blocks"] = with_block_ids(blocks)
    record["edited"] = {"user": ctx.team.bot_user_id, "ts": ctx.state.next_ts()}
    return ok(channel=channel.id, ts=record["ts"], text=text, message=echo(record))


def chat_delete(ctx: Ctx) -> dict[str, Any]:
    channel, record = own_message(ctx, "cant_delete_message")
    ctx.state.messages.remove(record)
    return ok(channel=channel.id, ts=record["ts"])


def chat_get_permalink(ctx: Ctx) -> dict[str, Any]:
    channel = visible_channel(ctx.state, ctx.team, ctx.required("channel", "channel_not_found"))
    ts = ctx.required("message_ts", "message_not_found")
    if ctx.state.find_message(channel.id, ts) is None:
        raise ApiError("message_not_found")
    link = f"https://{ctx.team.domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
    return ok(channel=channel.id, permalink=link)


# Keys of our stored records that are bookkeeping, not part of Slack's message object.
_RECORD_ONLY = frozenset({"channel", "ephemeral", "visible_to"})


def echo(record: dict[str, Any], metadata: bool = False) -> dict[str, Any]:
    """A stored record as Slack's message object (no bookkeeping keys, no nulls); its
    metadata only when asked for, as conversations.history's include_all_metadata does."""
    return {
        k: v
        for k, v in record.items()
        if k not in _RECORD_ONLY and v is not None and (metadata or k != "metadata")
    }


def message_content(ctx: Ctx) -> tuple[str, list[Any] | None]:
    """The text and blocks of a post, rejected the way Slack rejects them."""
    text = ctx.text("text") or ""
    blocks = ctx.params.get("blocks")
    if blocks is not None and blocks != "":
        if not isinstance(blocks, list):
            raise ApiError("invalid_blocks_format")
        errors = block_errors(blocks)
        if errors:
            raise ApiError("invalid_blocks", error_messages(errors), errors=errors)
    else:
        blocks = None
    if not text and not blocks and not ctx.params.get("attachments"):
        raise ApiError("no_text")
    if len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")
    return text, blocks


def visible_channel(state: SlackState, team: Team, ref: str) -> Channel:
    """A channel the bot can see (a private one it is not in is invisible to it)."""
    channel = state.channel_in(team, ref)
    if channel is None or (channel.is_private and not channel.bot_member):
        raise ApiError("channel_not_found")
    return channel


def postable_channel(state: SlackState, team: Team, ref: str) -> Channel:
    """Where a post goes; a user id means the bot's DM with that user, as on Slack."""
    user = state.user_in(team, ref) if ref[:1] in ("U", "W") else None
    if user is not None:
        if user.deleted:
            raise ApiError("user_disabled")
        if user.is_bot:
            raise ApiError("cannot_dm_bot")
        return state.open_dm(team, user)[0]
    channel = visible_channel(state, team, ref)
    if channel.is_archived:
        raise ApiError("is_archived")
    if not channel.bot_member:
        raise ApiError("not_in_channel")
    return channel


def store_message(
    state: SlackState,
    team: Team,
    channel: Channel,
    text: str,
    blocks: list[Any] | None,
    thread_ts: str | None,
) -> dict[str, Any]:
    """Record a bot message; returns the stored record (mutable, for the caller to extend)."""
    record = bot_message(team, state.next_ts(), text, blocks)
    record.update(channel=channel.id, ephemeral=False, visible_to=None)
    record.setdefault("blocks", None)
    if thread_ts is not None:
        record.update(thread_ts=thread_ts, parent_user_id=_parent_user(state, channel, thread_ts))
    else:
        record["thread_ts"] = None
    state.messages.append(record)
    return record


def _parent_user(state: SlackState, channel: Channel, thread_ts: str) -> str | None:
    parent = state.find_message(channel.id, thread_ts)
    return None if parent is None else parent.get("user")
