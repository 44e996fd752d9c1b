"""views.open, views.push, views.update and views.publish."""

from __future__ import annotations

from typing import Any

from ..validation import error_messages, view_errors
from ._base import ApiError, Ctx, ok
from ._shapes import view_hash, with_block_ids


def views_open(ctx: Ctx) -> dict[str, Any]:
    user = _exchange_trigger(ctx)
    view = _valid_view(ctx, ("modal",))
    record = _store(ctx, view, view_id=None, root_view_id=None, previous_view_id=None)
    if user is not None:  # a new modal replaces whatever the person had open
        ctx.state.modal_stacks[user] = [record["id"]]
    return ok(view=record)


def views_push(ctx: Ctx) -> dict[str, Any]:
    user = _exchange_trigger(ctx)
    view = _valid_view(ctx, ("modal",))
    stack = ctx.state.modal_stacks.get(user or "") or []
    if len(stack) >= 3:  # Slack keeps at most three views in a modal's stack
        raise ApiError("push_limit_reached")
    previous = stack[-1] if stack else None
    root = ctx.state.views[stack[0]]["root_view_id"] if stack else None
    record = _store(ctx, view, view_id=None, root_view_id=root, previous_view_id=previous)
    if user is not None:
        ctx.state.modal_stacks[user] = [*stack, record["id"]]
    return ok(view=record)


def views_update(ctx: Ctx) -> dict[str, Any]:
    view_id, external_id = ctx.text("view_id"), ctx.text("external_id")
    if view_id is None and external_id is None:
        raise ApiError("invalid_arguments", ["[ERROR] view_id or external_id is required"])
    existing = ctx.state.views.get(view_id or "") if view_id else _by_external_id(ctx, external_id)
    if existing is None or existing["team_id"] != ctx.team.id:
        raise ApiError("not_found")
    _check_hash(ctx, existing)
    view = _valid_view(ctx, (existing["type"],))
    record = _store(
        ctx,
        view,
        view_id=existing["id"],
        root_view_id=existing["root_view_id"],
        previous_view_id=existing["previous_view_id"],
    )
    return ok(view=record)


def views_publish(ctx: Ctx) -> dict[str, Any]:
    user = ctx.state.user_in(ctx.team, ctx.required("user_id"))
    if user is None:
        raise ApiError("user_not_found")
    existing_id = ctx.state.home_views.get(user.id)
    existing = ctx.state.views.get(existing_id or "")
    if existing is not None:
        _check_hash(ctx, existing)
    view = _valid_view(ctx, ("home",))
    record = _store(ctx, view, view_id=existing_id, root_view_id=None, previous_view_id=None)
    ctx.state.home_views[user.id] = record["id"]
    return ok(view=record)


def _exchange_trigger(ctx: Ctx) -> str | None:
    """Spend the trigger_id; the person it was issued to, when the fake issued it."""
    trigger_id = ctx.required("trigger_id")
    # A trigger_id works once on Slack; a second views.open with it is a bot bug.
    if trigger_id in ctx.state.used_triggers:
        raise ApiError("exchanged_trigger_id")
    ctx.state.used_triggers.add(trigger_id)
    return ctx.state.trigger_users.get(trigger_id)


def _valid_view(ctx: Ctx, allowed_types: tuple[str, ...]) -> dict[str, Any]:
    view = ctx.params.get("view")
    if view is None or view == "":
        raise ApiError("invalid_arguments", ["[ERROR] missing required field: view"])
    errors = view_errors(view, allowed_types)
    if errors:
        raise ApiError("invalid_arguments", error_messages(errors))
    assert isinstance(view, dict)  # view_errors rejects anything else
    return view


def _check_hash(ctx: Ctx, existing: dict[str, Any]) -> None:
    sent = ctx.text("hash")
    if sent is not None and sent != existing["hash"]:
        raise ApiError("hash_conflict")


def _by_external_id(ctx: Ctx, external_id: str | None) -> dict[str, Any] | None:
    for view in ctx.state.views.values():
        if view["team_id"] == ctx.team.id and view["external_id"] == external_id:
            return view
    return None


def _store(
    ctx: Ctx,
    view: dict[str, Any],
    view_id: str | None,
    root_view_id: str | None,
    previous_view_id: str | None,
) -> dict[str, Any]:
    new_id = view_id or ctx.state.new_id("V")
    external_id = view.get("external_id") or ""
    if external_id:
        other = _by_external_id(ctx, external_id)
        if other is not None and other["id"] != new_id:
            raise ApiError("duplicate_external_id")
    team = ctx.team
    record: dict[str, Any] = {
        "id": new_id,
        "team_id": team.id,
        "type": view["type"],
        "blocks": with_block_ids(view["blocks"]),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "title": view.get("title"),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "previous_view_id": previous_view_id,
        "root_view_id": root_view_id or new_id,
        "app_id": team.app_id,
        "external_id": external_id,
        "app_installed_team_id": team.id,
        "bot_id": team.bot_id,
    }
    record["hash"] = view_hash(record)
    ctx.state.views[new_id] = record
    return dict(record)
