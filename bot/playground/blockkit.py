"""Block Kit to HTML, close enough to Slack that a screenshot explains the product.

Interactive elements carry data attributes (action id, block id, value, kind) that the
page's script turns into the payloads Slack would send.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Names = Mapping[str, str]  # Slack ids (users, channels, groups) to display names

_MENTION = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<(https?://[^>|]+)(?:\|([^>]*))?>")


def mrkdwn(text: str, names: Names) -> str:
    """Slack's mrkdwn (bold, italics, code, strike, quotes, mentions, dates, links) as HTML."""
    lines = [_line(line, names) for line in text.split("\n")]
    return "<br>".join(lines)


def _line(line: str, names: Names) -> str:
    line = line.replace("\x00", "")  # the placeholders below use it
    quoted = line.startswith("> ") or line.startswith("&gt; ")
    if quoted:
        line = line.split(" ", 1)[1] if " " in line else ""
    placeholders: list[str] = []

    def keep(fragment: str) -> str:
        placeholders.append(fragment)
        return f"\x00{len(placeholders) - 1}\x00"

    line = _LINK.sub(lambda m: keep(_anchor(m.group(1), m.group(2))), line)
    line = _MENTION.sub(lambda m: keep(_mention(m.group(1), m.group(2), m.group(3), names)), line)
    # Slack's own escapes (what the bot writes for people's text) show as the characters.
    line = line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = html.escape(line, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", text)
    text = re.sub(r"(?<![\w~])~([^~\n]+)~(?![\w~])", r"<s>\1</s>", text)
    text = re.sub("\x00(\\d+)\x00", lambda m: placeholders[int(m.group(1))], text)
    return f'<span class="quote">{text}</span>' if quoted else text


def _anchor(url: str, label: str | None) -> str:
    return f'<a href="{html.escape(url)}" target="_blank">{html.escape(label or url)}</a>'


def _mention(sigil: str, target: str, label: str | None, names: Names) -> str:
    if sigil == "@":
        name = names.get(target, label or target)
        return f'<span class="mention">@{html.escape(name)}</span>'
    if sigil == "#":
        name = names.get(target, label or target)
        return f'<span class="mention">#{html.escape(name)}</span>'
    if target.startswith("date^"):
        return html.escape(_date(target, label))
    if target.startswith("subteam^"):
        group = target.split("^", 1)[1]
        name = names.get(group, (label or group).lstrip("@"))
        return f'<span class="mention">@{html.escape(name)}</span>'
    return html.escape(label or f"@{target}")


READER_ZONE = ZoneInfo("Europe/Paris")


def _date(token: str, fallback: str | None) -> str:
    parts = token.split("^")
    try:
        moment = datetime.fromtimestamp(int(parts[1]), READER_ZONE)
    except (IndexError, ValueError, OverflowError, OSError):
        return fallback or ""
    # Slack writes the date in the reader's own time zone: the demo's people are in Paris.
    return moment.strftime("%d/%m/%Y %H:%M")


def text_of(obj: Mapping[str, Any] | None, names: Names) -> str:
    """A text object (plain_text or mrkdwn) as HTML."""
    if not obj:
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj.get("text", "")), names)
    return html.escape(str(obj.get("text", "")))


def _attrs(element: Mapping[str, Any], block_id: str) -> str:
    values = {
        "data-action": element.get("action_id", ""),
        "data-block": block_id,
        "data-kind": element.get("type", ""),
        "data-value": element.get("value", ""),
    }
    return " ".join(f'{key}="{html.escape(str(value))}"' for key, value in values.items())


def button(element: Mapping[str, Any], block_id: str, names: Names) -> str:
    style = element.get("style") or "default"
    confirm = element.get("confirm")
    ask = ""
    if confirm:
        question = f"{text_of(confirm.get('title'), names)}: {text_of(confirm.get('text'), names)}"
        ask = f' data-confirm="{html.escape(re.sub("<[^>]+>", "", question))}"'
    label = text_of(element.get("text"), names)
    return f'<button class="btn {style}" {_attrs(element, block_id)}{ask}>{label}</button>'


def _options(options: Sequence[Mapping[str, Any]], chosen: set[str], names: Names) -> str:
    rendered = []
    for option in options:
        value = str(option.get("value", ""))
        selected = " selected" if value in chosen else ""
        label = text_of(option.get("text"), names)
        rendered.append(f'<option value="{html.escape(value)}"{selected}>{label}</option>')
    return "".join(rendered)


INITIAL_PICKS = (
    "initial_conversations",
    "initial_conversation",
    "initial_channels",
    "initial_channel",
    "initial_users",
    "initial_user",
)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


def select(element: Mapping[str, Any], block_id: str, names: Names, choices: Names) -> str:
    """Static and multi selects, and the conversation/user pickers (from `choices`)."""
    kind = str(element.get("type", ""))
    multiple = " multiple" if kind.startswith("multi_") else ""
    if "static" in kind:
        initial = element.get("initial_options") or (
            [element["initial_option"]] if element.get("initial_option") else []
        )
        chosen = {str(o.get("value")) for o in initial}
        options = _options(element.get("options", []), chosen, names)
    else:
        wanted = "C" if "conversation" in kind or "channel" in kind else "U"
        initial = {
            str(value)
            for key in INITIAL_PICKS
            for value in _as_list(element.get(key))
            if value is not None
        }
        options = "".join(
            f'<option value="{html.escape(key)}"{" selected" if key in initial else ""}>'
            f"{html.escape(name)}</option>"
            for key, name in choices.items()
            if key.startswith(wanted)
        )
    if not multiple and " selected>" not in options:
        # Nothing chosen yet: Slack shows the placeholder, and every option stays choosable.
        hint = re.sub("<[^>]+>", "", text_of(element.get("placeholder"), names))
        options = f'<option value="" disabled selected hidden>{hint}</option>{options}'
    return f'<select class="select" {_attrs(element, block_id)}{multiple}>{options}</select>'


def input_element(element: Mapping[str, Any], block_id: str, names: Names, choices: Names) -> str:
    kind = str(element.get("type", ""))
    attrs = _attrs(element, block_id)
    if kind == "plain_text_input":
        initial = html.escape(str(element.get("initial_value") or ""))
        placeholder = html.escape(re.sub("<[^>]+>", "", text_of(element.get("placeholder"), names)))
        if element.get("multiline"):
            return (
                f'<textarea class="field" {attrs} placeholder="{placeholder}">{initial}</textarea>'
            )
        return f'<input class="field" {attrs} value="{initial}" placeholder="{placeholder}">'
    if kind == "number_input":
        initial = html.escape(str(element.get("initial_value") or ""))
        return f'<input class="field" type="number" {attrs} value="{initial}">'
    if kind == "timepicker":
        initial = html.escape(str(element.get("initial_time") or ""))
        return f'<input class="field" type="time" {attrs} value="{initial}">'
    if kind == "datepicker":
        initial = html.escape(str(element.get("initial_date") or ""))
        return f'<input class="field" type="date" {attrs} value="{initial}">'
    if "select" in kind:
        return select(element, block_id, names, choices)
    return f'<span class="unsupported">[{html.escape(kind)}]</span>'


def block(
    raw: Mapping[str, Any], names: Names, choices: Names, file_url: Callable[[str], str]
) -> str:
    """One block as HTML."""
    kind, block_id = raw.get("type"), str(raw.get("block_id", ""))
    if kind == "header":
        return f'<div class="b-header">{text_of(raw.get("text"), names)}</div>'
    if kind == "divider":
        return '<hr class="b-divider">'
    if kind == "section":
        fields = "".join(
            f'<div class="field-cell">{text_of(f, names)}</div>' for f in raw.get("fields", [])
        )
        accessory = raw.get("accessory")
        extra = _element(accessory, block_id, names, choices, file_url) if accessory else ""
        body = text_of(raw.get("text"), names)
        grid = f'<div class="fields">{fields}</div>' if fields else ""
        return f'<div class="b-section"><div class="b-text">{body}{grid}</div>{extra}</div>'
    if kind == "context":
        parts = [_element(e, block_id, names, choices, file_url) for e in raw.get("elements", [])]
        return f'<div class="b-context">{" ".join(parts)}</div>'
    if kind == "actions":
        parts = [_element(e, block_id, names, choices, file_url) for e in raw.get("elements", [])]
        return f'<div class="b-actions">{"".join(parts)}</div>'
    if kind == "image":
        return _image(raw, names, file_url)
    if kind == "input":
        label = text_of(raw.get("label"), names)
        optional = ' <span class="optional">(optional)</span>' if raw.get("optional") else ""
        field = input_element(raw.get("element") or {}, block_id, names, choices)
        return f'<label class="b-input"><span class="label">{label}{optional}</span>{field}</label>'
    return f'<div class="unsupported">[{html.escape(str(kind))}]</div>'


def _element(
    element: Mapping[str, Any],
    block_id: str,
    names: Names,
    choices: Names,
    file_url: Callable[[str], str],
) -> str:
    kind = element.get("type")
    if kind == "button":
        return button(element, block_id, names)
    if kind in ("mrkdwn", "plain_text"):
        return f"<span>{text_of(element, names)}</span>"
    if kind == "image":
        url = element.get("image_url") or file_url(str((element.get("slack_file") or {}).get("id")))
        alt = html.escape(str(element.get("alt_text", "")))
        return f'<img class="ctx-img" src="{html.escape(str(url))}" alt="{alt}">'
    return input_element(element, block_id, names, choices)


def _image(raw: Mapping[str, Any], names: Names, file_url: Callable[[str], str]) -> str:
    url = raw.get("image_url") or file_url(str((raw.get("slack_file") or {}).get("id")))
    alt = html.escape(str(raw.get("alt_text", "")))
    title = text_of(raw.get("title"), names)
    caption = f'<div class="caption">{title}</div>' if title else ""
    return f'<div class="b-image">{caption}<img src="{html.escape(str(url))}" alt="{alt}"></div>'


def blocks(
    raw: Sequence[Mapping[str, Any]],
    names: Names,
    choices: Names | None = None,
    file_url: Callable[[str], str] = lambda file_id: f"/files/{file_id}",
) -> str:
    """A message's or a view's blocks as HTML."""
    return "".join(block(b, names, choices or {}, file_url) for b in raw)
