"""The playground's page and its small JSON API (plain WSGI, no framework, no build step)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.playground import blockkit
from bot.playground.demo import (
    BOT_USER,
    ENGINEERING,
    GROUP,
    GROUP_HANDLE,
    LEADERSHIP,
    PEOPLE,
    TEAM,
    TIMEZONE,
)
from bot.playground.world import World
from bot.runtime.health import health_report
from bot.runtime.request_gate import MAX_BODY, read_body

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CHANNELS = {LEADERSHIP: "leadership", ENGINEERING: "engineering"}
Handler = Callable[[World, dict[str, Any]], dict[str, Any]]


def static(name: str) -> bytes:
    return resources.files("bot.playground").joinpath("static", name).read_bytes()


def page(world: World) -> bytes:
    """The page, with the people and channels filled in."""
    people = "".join(
        f'<option value="{p.user_id}">{html.escape(p.real_name)} · {html.escape(p.title)}</option>'
        for p in PEOPLE
    )
    channels = "".join(f'<li data-conv="{cid}"># {name}</li>' for cid, name in CHANNELS.items())
    text = static("page.html").decode()
    return text.replace("{{people}}", people).replace("{{channels}}", channels).encode()


def conversation(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """What a person sees in a channel, their DM with the bot, or the Home tab, and any modal."""
    user, conv = str(body.get("user", "")), str(body.get("conv", ""))
    names = world.names()
    if conv == "home":
        view = world.slack.home_view(user)
        inner = blockkit.blocks(view["blocks"], names, names) if view else ""
        content = f'<div class="home">{inner or "<p class=empty>Loading the Home tab…</p>"}</div>'
    else:
        channel = world.slack.dm_channel_id(user) if conv == "dm" else conv
        content = "".join(
            message(m, names)
            for m in world.slack.messages(channel)
            if visible(m, user) and not m.get("thread_ts_parent")
        )
        content = content or '<p class="empty">No messages yet.</p>'
    return {"html": content, "modal": modal(world, user, names), "time": clock_label(world)}


def visible(message: dict[str, Any], user: str) -> bool:
    return not message.get("ephemeral") or user in (message.get("visible_to") or [user])


def message(raw: dict[str, Any], names: blockkit.Names) -> str:
    author = names.get(str(raw.get("user") or ""), "vpe-bot" if raw.get("bot_id") else "someone")
    is_bot = bool(raw.get("bot_id")) or raw.get("user") == BOT_USER
    when = datetime.fromtimestamp(float(raw.get("ts", 0)), ZoneInfo(TIMEZONE)).strftime("%a %H:%M")
    body = (
        blockkit.blocks(raw["blocks"], names)
        if raw.get("blocks")
        else blockkit.mrkdwn(str(raw.get("text", "")), names)
    )
    files = "".join(attachment(f) for f in raw.get("files", []))
    private = '<span class="only-you">Only visible to you</span>' if raw.get("ephemeral") else ""
    avatar = "🤖" if is_bot else html.escape(author[:1])
    return (
        f'<div class="msg" data-ts="{html.escape(str(raw.get("ts", "")))}" '
        f'data-channel="{html.escape(str(raw.get("channel", "")))}">'
        f'<div class="avatar{" bot" if is_bot else ""}">{avatar}</div><div class="msg-body">'
        f'<div class="meta"><b>{html.escape(author)}</b> <span>{when}</span> {private}</div>'
        f"{body}{files}</div></div>"
    )


def attachment(file: dict[str, Any]) -> str:
    """An uploaded image drawn in place; any other file (the decision report's PDF) a link
    that opens it in a new tab."""
    url, title = f"/files/{html.escape(file['id'])}", html.escape(file.get("title", ""))
    if str(file.get("mimetype", "")).startswith("image/"):
        return f'<div class="b-image"><img src="{url}" alt="{title}"></div>'
    name = html.escape(str(file.get("name") or title))
    return f'<div class="b-file"><a href="{url}" target="_blank" rel="noopener">📄 {name}</a></div>'


def modal(world: World, user: str, names: blockkit.Names) -> str | None:
    view = world.slack.open_modal(user)
    if view is None:
        return None
    title = blockkit.text_of(view.get("title"), names)
    submit = blockkit.text_of(view.get("submit"), names) if view.get("submit") else ""
    close = blockkit.text_of(view.get("close"), names) or "Cancel"
    errors = json.dumps(view.get("errors") or {})
    buttons = f'<button class="btn" data-close="1">{close}</button>'
    if submit:
        buttons += f'<button class="btn primary" data-submit="1">{submit}</button>'
    return (
        f'<div class="modal" data-view="{html.escape(view["id"])}" '
        f'data-errors="{html.escape(errors)}">'
        f'<div class="modal-title">{title}</div>'
        f'<div class="modal-body">{blockkit.blocks(view["blocks"], names, names)}</div>'
        f'<div class="modal-foot">{buttons}</div></div>'
    )


def clock_label(world: World) -> str:
    return world.clock.now().astimezone(ZoneInfo(TIMEZONE)).strftime("%A %d %B %Y, %H:%M")


MENTION = re.compile(r"(?<![\w<|])([#@])([\w.\-]+)")


def escape_like_slack(text: str, channel_names: Mapping[str, str]) -> str:
    """What Slack makes of `#channel`, `@person` and `@group` typed in the composer: the
    escaped links the bot parses (`<#C1|name>`, `<@U1>`, `<!subteam^S1|@name>`).
    `channel_names`: channel id -> name."""
    channels = {name: cid for cid, name in channel_names.items()}
    people = {p.name: p.user_id for p in PEOPLE} | {"vpe-bot": BOT_USER}
    groups = {GROUP_HANDLE: GROUP}

    def link(match: re.Match[str]) -> str:
        sigil, name = match.group(1), match.group(2)
        if sigil == "#" and name in channels:
            return f"<#{channels[name]}|{name}>"
        if sigil == "@" and name in people:
            return f"<@{people[name]}>"
        if sigil == "@" and name in groups:
            return f"<!subteam^{groups[name]}|@{name}>"
        if sigil == "@" and name in ("here", "channel", "everyone"):
            return f"<!{name}>"
        return match.group(0)

    return MENTION.sub(link, text)


def send(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """The composer: `/vpe …` is a slash command; other text a DM or a mention."""
    user, conv = str(body["user"]), str(body["conv"])
    text = escape_like_slack(str(body.get("text", "")).strip(), world.slack.channel_names(TEAM))
    person = next(p for p in PEOPLE if p.user_id == user)
    channel = world.slack.open_dm_with(TEAM, user) if conv == "dm" else conv
    if text.startswith("/vpe"):
        url = world.slack.response_url(channel_id=channel, user_id=user)
        command_text = text[len("/vpe") :].strip()
        reply = world.send.command(
            command_text, user, person.name, channel, url, trigger=world.new_trigger(user)
        )
        return {"status": reply.status}
    ts = world.slack.add_message(channel, text, user=user)
    if conv == "dm":
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
        }
    elif f"<@{BOT_USER}>" in text:
        event = {
            "type": "app_mention",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        }
    else:
        return {"status": 200}
    return {"status": world.send.event(event).status}


def chosen(kind: str, value: str, label: object) -> dict[str, Any]:
    """What block_actions says was picked: a button's value, or a select's choice."""
    if kind == "static_select":
        text = {"type": "plain_text", "text": str(label or value)}
        return {"selected_option": {"text": text, "value": value}} if value else {}
    if kind == "users_select":
        return {"selected_user": value or None}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind.startswith("conv") else "selected_channel"
        return {key: value or None}
    return {"value": value} if value else {}


def action(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """A click on a button or a choice in a select, as Slack's block_actions."""
    user = str(body["user"])
    element = {
        "action_id": body.get("action_id", ""),
        "block_id": body.get("block_id", ""),
        "type": body.get("kind", "button"),
        "action_ts": f"{world.clock.now().timestamp():.6f}",
    }
    element |= chosen(str(element["type"]), str(body.get("value") or ""), body.get("label"))
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM},
        "actions": [element],
        "trigger_id": world.new_trigger(user),
    }
    if body.get("view"):
        payload["view"] = world.slack.view(str(body["view"]))
        payload["container"] = {"type": "view", "view_id": body["view"]}
    else:
        channel = str(body.get("channel", ""))
        payload["container"] = {
            "type": "message",
            "message_ts": body.get("ts", ""),
            "channel_id": channel,
            "is_ephemeral": bool(body.get("ephemeral")),
        }
        payload["channel"] = {"id": channel, "name": channel}
        payload["message"] = {"ts": body.get("ts", "")}
        payload["response_url"] = world.slack.response_url(
            channel_id=channel, user_id=user, message_ts=str(body.get("ts", ""))
        )
    if str(body.get("conv")) == "home":
        payload["container"] = {"type": "view", "view_id": ""}
    return {"status": world.send.interaction(payload).status}


def submit(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """A modal's submit button, as Slack's view_submission; errors go back to the page."""
    user, view_id = str(body["user"]), str(body["view"])
    view = world.slack.view(view_id)
    view["state"] = {"values": body.get("values", {})}
    reply = world.send.interaction(
        {
            "type": "view_submission",
            "user": {"id": user, "team_id": TEAM},
            "view": view,
            "trigger_id": world.new_trigger(user),
        }
    )
    answer = reply.json() if reply.body else {}
    action = answer.get("response_action")
    if action == "errors":
        world.slack.set_view_errors(view_id, answer.get("errors", {}))
        return {"status": reply.status, "errors": answer.get("errors", {})}
    if action == "clear":
        world.slack.close_modals(user)
        return {"status": reply.status}
    world.slack.close_view(view_id)
    return {"status": reply.status}


def close(world: World, body: dict[str, Any]) -> dict[str, Any]:
    world.slack.close_view(str(body["view"]))
    return {"status": 200}


def home(world: World, body: dict[str, Any]) -> dict[str, Any]:
    user = str(body["user"])
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": world.slack.dm_channel_id(user),
        "tab": "home",
        "event_ts": f"{world.clock.now().timestamp():.6f}",
    }
    return {"status": world.send.event(event).status}


def advance(world: World, body: dict[str, Any]) -> dict[str, Any]:
    """Move the bot's clock forward, then let the scheduler run."""
    now = world.clock.now().astimezone(ZoneInfo(TIMEZONE))
    target = {
        "hour": lambda: now + timedelta(hours=1),
        "day": lambda: now + timedelta(days=1),
        "monday9": lambda: next_weekday(now, 0, 9),
        "monday10": lambda: next_weekday(now, 0, 10, 5),
        "close": lambda: now + timedelta(days=3, minutes=1),
        "month": lambda: now + timedelta(days=30),
    }.get(str(body.get("to")), lambda: now)()
    world.advance(target)
    return {"status": 200, "time": clock_label(world)}


def next_weekday(now: datetime, weekday: int, hour: int, minute: int = 0) -> datetime:
    days = (weekday - now.weekday()) % 7
    candidate = (now + timedelta(days=days)).replace(hour=hour, minute=minute, second=30)
    return candidate if candidate > now else candidate + timedelta(days=7)


ROUTES: dict[str, Handler] = {
    "/api/conversation": conversation,
    "/api/send": send,
    "/api/action": action,
    "/api/submit": submit,
    "/api/close": close,
    "/api/home": home,
    "/api/advance": advance,
}
STATIC = {"/page.css": "text/css", "/page.js": "text/javascript"}


LOOPBACK = ("127.0.0.1", "localhost")


def foreign(environ: WSGIEnvironment) -> str | None:
    """Why a request does not come from the page itself, or None.

    The page is served on loopback, but any site a person visits can send their browser to
    it: a cross-site POST (CSRF), or a name of the attacker's that resolves to 127.0.0.1
    (DNS rebinding, which also lets it read the answers). So the Host must name the
    loopback address and port served, any Origin must be that same origin, and the API
    takes JSON only (a cross-site page cannot send it without a preflight nobody answers).
    """
    port = str(environ.get("SERVER_PORT", ""))
    hosts = {f"{name}:{port}" for name in LOOPBACK}
    if str(environ.get("HTTP_HOST", "")) not in hosts:
        return "403 Forbidden"
    if environ.get("REQUEST_METHOD") != "POST":
        return None
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None and origin not in {f"http://{host}" for host in hosts}:
        return "403 Forbidden"
    kind = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    return None if kind == "application/json" else "415 Unsupported Media Type"


class PlaygroundApp:
    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", "/"))
        refused = foreign(environ)
        if refused is not None:
            return _reply(start_response, refused, "text/plain", refused.encode())
        if path == "/":
            return _reply(start_response, "200 OK", "text/html; charset=utf-8", page(self.world))
        if path == "/healthz":
            status, report = health_report(self.world.deps)
            state = "200 OK" if status == 200 else "503 Service Unavailable"
            return _reply(start_response, state, "application/json", json.dumps(report).encode())
        if path in STATIC:
            return _reply(start_response, "200 OK", STATIC[path], static(path.lstrip("/")))
        if path.startswith("/files/"):
            found = self.world.slack.files.get(path.removeprefix("/files/"))
            if found:
                kind = "application/pdf" if found[1].startswith(b"%PDF-") else "image/png"
                return _reply(start_response, "200 OK", kind, found[1])
        handler = ROUTES.get(path)
        if handler is None or environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, "404 Not Found", "text/plain", b"not found")
        raw = read_body(environ, MAX_BODY)
        if raw is None:
            return _reply(start_response, "413 Content Too Large", "text/plain", b"too large")
        try:
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict):
                raise TypeError(type(body).__name__)
            answer = json.dumps(handler(self.world, body)).encode()
        except (ValueError, TypeError, KeyError, StopIteration):
            return _reply(start_response, "400 Bad Request", "text/plain", b"bad request")
        return _reply(start_response, "200 OK", "application/json", answer)


def _reply(start_response: StartResponse, status: str, kind: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]
