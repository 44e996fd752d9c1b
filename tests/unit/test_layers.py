"""The layers of docs/architecture.md, read from the imports of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
DOMAIN = ("ownership", "team", "pulses", "signals", "qa", "privacy", "delivery")
UPWARDS = ("bot.handlers", "bot.services", "bot.runtime", "bot.playground", "bot.bootstrap")
SLACK = ("slack_bolt", "slack_sdk")
DOMAIN_MODULES = tuple(f"bot.{part}" for part in DOMAIN)
# What each layer must not import: a layer above it, or Slack for the domain and below.
FORBIDDEN = dict.fromkeys(DOMAIN, (*SLACK, *UPWARDS, "bot.blocks", "bot.slack")) | {
    "storage": (*SLACK, *UPWARDS, "bot.blocks", "bot.slack", *DOMAIN_MODULES),
    "core": (*SLACK, *UPWARDS, "bot.blocks", "bot.slack", "bot.storage", *DOMAIN_MODULES),
    "blocks": ("slack_bolt", *UPWARDS, "bot.storage"),
    "slack": ("slack_bolt.app", *UPWARDS),
    "services": ("slack_bolt", "bot.handlers", "bot.runtime", "bot.playground"),
    "handlers": ("bot.runtime", "bot.playground"),
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_what_sits_above_it(layer: str) -> None:
    wrong = [
        f"{path.relative_to(BOT)} imports {name}"
        for path in sorted((BOT / layer).rglob("*.py"))
        for name in imports(path)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])
    ]
    assert not wrong, wrong


def test_the_root_of_bot_keeps_only_entry_points_and_the_composition_root() -> None:
    modules = {path.name for path in BOT.glob("*.py")}
    assert modules == {"__init__.py", "__main__.py", "cli.py", "bootstrap.py"}
