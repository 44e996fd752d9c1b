"""auth.test, apps.connections.open and oauth.v2.access."""

from __future__ import annotations

from typing import Any

from ._base import ApiError, Ctx, ok


def auth_test(ctx: Ctx) -> dict[str, Any]:
    team = ctx.team
    user_id = team.user_tokens.get(ctx.token or "")
    body = ok(
        url=f"https://{team.domain}.slack.com/",
        team=team.name,
        user=_user_name(ctx, user_id or team.bot_user_id),
        team_id=team.id,
        user_id=user_id or team.bot_user_id,
        is_enterprise_install=False,
    )
    if user_id is None:
        body["bot_id"] = team.bot_id
    return body


def apps_connections_open(ctx: Ctx) -> dict[str, Any]:
    # Any xapp- token is an app-level token here; the server checked the prefix.
    return ok(url=ctx.socket_url)


def oauth_v2_access(ctx: Ctx) -> dict[str, Any]:
    client_id, client_secret = ctx.basic_auth or (ctx.text("client_id"), ctx.text("client_secret"))
    code = ctx.text("code")
    if client_id is None:
        raise ApiError("invalid_client_id")
    grant = ctx.state.oauth_grants.get(code or "")
    if grant is None:
        raise ApiError("invalid_code")
    if grant.client_id is not None and grant.client_id != client_id:
        raise ApiError("invalid_client_id")
    if grant.client_secret is not None and grant.client_secret != client_secret:
        raise ApiError("bad_client_secret")
    del ctx.state.oauth_grants[grant.code]  # codes are single-use, as on Slack
    team = ctx.state.teams[grant.team_id]
    authed_user: dict[str, Any] = {"id": grant.authed_user_id}
    if grant.user_token is not None and grant.authed_user_id is not None:
        team.user_tokens[grant.user_token] = grant.authed_user_id
        authed_user.update(
            scope=grant.user_scope or "", access_token=grant.user_token, token_type="user"
        )
    return ok(
        app_id=team.app_id,
        authed_user=authed_user,
        scope=grant.scope,
        token_type="bot",
        access_token=team.bot_token,
        bot_user_id=team.bot_user_id,
        team={"id": team.id, "name": team.name},
        enterprise=None,
        is_enterprise_install=False,
    )


def _user_name(ctx: Ctx, user_id: str) -> str:
    user = ctx.state.users.get(user_id)
    return user.name if user is not None else "bot"
