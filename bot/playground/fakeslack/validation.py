"""Block Kit and view validation, borrowed from slack_sdk.models.

slack_sdk knows Slack's limits (75-character button text, 3000-character sections...)
but only raises one exception for a whole tree and drops what it does not know. Slack
answers with every problem and a JSON pointer to each, e.g.
"must be less than 76 characters [json-pointer:/blocks/0/accessory/text/text]". So we
parse with slack_sdk, then walk the parsed tree ourselves, validating node by node so we
can say where the problem is, and compare against the raw JSON to catch the keys and
types slack_sdk silently ignored (Slack rejects those).
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, BlockElement, Option, OptionGroup, TextObject

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
VIEW_TEXT_MAX = 24
PRIVATE_METADATA_MAX = 3000
CALLBACK_ID_MAX = 255


def error_messages(errors: list[str]) -> list[str]:
    """Slack's response_metadata.messages: each error prefixed with its severity."""
    return [f"[ERROR] {error}" for error in errors]


def block_errors(
    blocks: object, pointer: str = "/blocks", limit: int = MAX_MESSAGE_BLOCKS
) -> list[str]:
    """Everything Slack would object to in a blocks array; empty when it is acceptable."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(f"no more than {limit} items allowed [json-pointer:{pointer}]")
    for index, raw in enumerate(blocks):
        errors.extend(_one_block_errors(raw, f"{pointer}/{index}"))
    return errors


def view_errors(view: object, allowed_types: tuple[str, ...], pointer: str = "/view") -> list[str]:
    """Everything Slack would object to in a view (modal or Home tab)."""
    if not isinstance(view, dict):
        return [f"must be an object [json-pointer:{pointer}]"]
    view_type = view.get("type")
    if view_type not in allowed_types:
        return [f"must be one of {', '.join(allowed_types)} [json-pointer:{pointer}/type]"]
    errors: list[str] = []
    if view_type == "modal":
        errors.extend(_modal_errors(view, pointer))
    for key, limit in (
        ("private_metadata", PRIVATE_METADATA_MAX),
        ("callback_id", CALLBACK_ID_MAX),
    ):
        value = view.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors.append(
                f"must be a string of at most {limit} characters [json-pointer:{pointer}/{key}]"
            )
    if "blocks" not in view:
        errors.append(f"missing required field: blocks [json-pointer:{pointer}]")
    else:
        errors.extend(block_errors(view["blocks"], f"{pointer}/blocks", MAX_VIEW_BLOCKS))
    if not errors:
        # Whatever slack_sdk's View checks that we did not spell out above.
        errors.extend(_sdk_view_errors(view, pointer))
    return errors


def _modal_errors(view: dict[str, Any], pointer: str) -> list[str]:
    errors: list[str] = []
    if "title" not in view:
        errors.append(f"missing required field: title [json-pointer:{pointer}]")
    for key in ("title", "submit", "close"):
        if key in view:
            errors.extend(_short_plain_text_errors(view[key], f"{pointer}/{key}"))
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if has_input and "submit" not in view:
        # Slack refuses a modal with inputs that the user could never submit.
        errors.append(f"submit is required when an input block is present [json-pointer:{pointer}]")
    return errors


def _short_plain_text_errors(value: object, pointer: str) -> list[str]:
    if not isinstance(value, dict) or value.get("type") != "plain_text":
        return [f"must be a plain_text text object [json-pointer:{pointer}]"]
    text = value.get("text")
    if not isinstance(text, str) or not 1 <= len(text) <= VIEW_TEXT_MAX:
        return [f"must be less than {VIEW_TEXT_MAX + 1} characters [json-pointer:{pointer}/text]"]
    return []


def _sdk_view_errors(view: dict[str, Any], pointer: str) -> list[str]:
    from slack_sdk.models.views import View  # local: only needed on this rare path

    try:
        View(**view).validate_json()
    except _MODEL_ERRORS as error:
        return [f"{_describe(error)} [json-pointer:{pointer}]"]
    return []


def _one_block_errors(raw: object, pointer: str) -> list[str]:
    if not isinstance(raw, dict):
        return [f"must be an object [json-pointer:{pointer}]"]
    if "type" not in raw:
        return [f"missing required field: type [json-pointer:{pointer}]"]
    try:
        parsed = Block.parse(raw)
    except _MODEL_ERRORS as error:
        # A constructor deep inside the block refused its input; find which one.
        return _locate_parse_error(raw, pointer, error)
    if parsed is None:
        return [f"unsupported type: {raw['type']} [json-pointer:{pointer}/type]"]
    errors: list[str] = []
    _walk(parsed, raw, pointer, errors)
    return errors


def _locate_parse_error(raw: dict[str, Any], pointer: str, error: Exception) -> list[str]:
    for key, value in raw.items():
        children = value if isinstance(value, list) else [value]
        for index, child in enumerate(children):
            if not isinstance(child, dict) or "type" not in child:
                continue
            where = f"{pointer}/{key}/{index}" if isinstance(value, list) else f"{pointer}/{key}"
            try:
                BlockElement.parse(child)
            except _MODEL_ERRORS as inner:
                return _locate_parse_error(child, where, inner)
    return [f"{_describe(error)} [json-pointer:{pointer}]"]


def _walk(node: object, raw: object, pointer: str, errors: list[str]) -> None:
    if isinstance(node, JsonObject):
        _walk_object(node, raw, pointer, errors)
    elif isinstance(node, (list, tuple)):
        raw_items = raw if isinstance(raw, list) else []
        for index, item in enumerate(node):
            raw_item = raw_items[index] if index < len(raw_items) else None
            if item is None and isinstance(raw_item, dict):
                kind = raw_item.get("type", "?")
                errors.append(f"unsupported type: {kind} [json-pointer:{pointer}/{index}/type]")
            else:
                _walk(item, raw_item, f"{pointer}/{index}", errors)


def _walk_object(node: JsonObject, raw: object, pointer: str, errors: list[str]) -> None:
    if isinstance(raw, str):
        # slack_sdk turns a bare string into a text object; Slack's schema does not.
        errors.append(f"expected an object, got a string [json-pointer:{pointer}]")
        return
    if not isinstance(node, (Block, BlockElement, TextObject)):
        # Composition objects (options, confirm dialogs, filters) keep JSON keys that do
        # not match their attribute names, so validate them whole rather than walk them.
        _check(node.to_dict, pointer, errors)
        return
    _check(node.validate_json, pointer, errors)
    raw_dict = raw if isinstance(raw, dict) else {}
    node_type = str(raw_dict.get("type", getattr(node, "type", "")))
    for key in sorted(set(raw_dict) - set(node.attributes) - {"type"}):
        errors.append(f"unknown property: {key} [json-pointer:{pointer}/{key}]")
    for key in sorted(node.attributes):
        child = _as_model(key, node.get_object_attribute(key))
        raw_child = raw_dict.get(key)
        where = f"{pointer}/{key}"
        if raw_child == [] and key in _NON_EMPTY_LISTS and node_type not in _EMPTY_LIST_OK:
            errors.append(f"must contain at least 1 item [json-pointer:{where}]")
        elif child is None and isinstance(raw_child, dict) and "type" in raw_child:
            errors.append(f"unsupported type: {raw_child['type']} [json-pointer:{where}/type]")
        elif child is not None:
            if _must_be_plain(node_type, key) and _is_mrkdwn(raw_child):
                errors.append(f"must be a plain_text text object [json-pointer:{where}]")
            _walk(child, raw_child, where, errors)


# Some slack_sdk elements keep options as raw dicts; parse them so their limits apply.
def _as_model(key: str, value: object) -> object:
    if key in ("options", "initial_options") and isinstance(value, list):
        return [Option.parse_all([v])[0] if isinstance(v, dict) else v for v in value]  # type: ignore[index]
    if key == "initial_option" and isinstance(value, dict):
        return Option.parse_all([value])[0]  # type: ignore[index]
    if key == "option_groups" and isinstance(value, list):
        return [OptionGroup.parse_all([v])[0] if isinstance(v, dict) else v for v in value]  # type: ignore[index]
    return value


_MODEL_ERRORS = (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError)
_NON_EMPTY_LISTS = frozenset({"elements", "fields", "options", "option_groups"})
_EMPTY_LIST_OK = frozenset(
    {"rich_text_section", "rich_text_list", "rich_text_preformatted", "rich_text_quote"}
)
# Fields where Slack accepts only plain_text although slack_sdk parses mrkdwn happily.
_PLAIN_ONLY_ANYWHERE = frozenset({"placeholder", "label", "hint"})
_PLAIN_ONLY_IN = frozenset({("header", "text"), ("button", "text"), ("image", "title")})


def _must_be_plain(node_type: str, key: str) -> bool:
    return key in _PLAIN_ONLY_ANYWHERE or (node_type, key) in _PLAIN_ONLY_IN


def _is_mrkdwn(raw: object) -> bool:
    return isinstance(raw, dict) and raw.get("type") == "mrkdwn"


def _check(validate: Any, pointer: str, errors: list[str]) -> None:
    try:
        validate()
    except _MODEL_ERRORS as error:
        errors.append(f"{_describe(error)} [json-pointer:{pointer}]")


def _describe(error: Exception) -> str:
    if isinstance(error, TypeError) and "required keyword-only argument" in str(error):
        missing = str(error).rsplit(":", 1)[-1].strip().strip("'")
        return f"missing required field: {missing}"
    return str(error)
