"""users.* and usergroups.* methods."""

from __future__ import annotations

from typing import Any

from ._base import ApiError, Ctx, ok
from ._shapes import user_json


def users_info(ctx: Ctx) -> dict[str, Any]:
    user = ctx.state.user_in(ctx.team, ctx.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    return ok(user=user_json(ctx.team, user, ctx.flag("include_locale")))


def users_list(ctx: Ctx) -> dict[str, Any]:
    members = [u for u in ctx.state.users.values() if u.team_id == ctx.team.id]
    # Slack's default page for users.list is "as many as fit"; 0 means the same here.
    chunk, next_cursor = ctx.page(members, limit_default=1000)
    include_locale = ctx.flag("include_locale")
    return ok(
        members=[user_json(ctx.team, u, include_locale) for u in chunk],
        cache_ts=1700000000,
        response_metadata={"next_cursor": next_cursor},
    )


def users_lookup_by_email(ctx: Ctx) -> dict[str, Any]:
    email = ctx.required("email", "users_not_found").lower()
    for user in ctx.state.users.values():
        if user.team_id == ctx.team.id and (user.email or "").lower() == email:
            return ok(user=user_json(ctx.team, user))
    raise ApiError("users_not_found")


def usergroups_list(ctx: Ctx) -> dict[str, Any]:
    include_users = ctx.flag("include_users")
    groups = []
    for group in ctx.state.usergroups.values():
        if group.team_id != ctx.team.id:
            continue
        body: dict[str, Any] = {
            "id": group.id,
            "team_id": group.team_id,
            "is_usergroup": True,
            "name": group.name,
            "description": group.description,
            "handle": group.handle,
            "is_external": False,
            "date_delete": 0,
            "user_count": len(group.users),
        }
        if include_users:
            body["users"] = list(group.users)
        groups.append(body)
    return ok(usergroups=groups)


def usergroups_users_list(ctx: Ctx) -> dict[str, Any]:
    group = ctx.state.usergroups.get(ctx.required("usergroup", "no_such_subteam"))
    if group is None or group.team_id != ctx.team.id:
        raise ApiError("no_such_subteam")
    return ok(users=list(group.users))
