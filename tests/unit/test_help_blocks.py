from slack_sdk.models.blocks import Block

from bot.blocks.help import HelpRow, render_help
from bot.core.i18n import default_catalog

ROWS = [
    HelpRow("/vpe help", "Show this list.", restricted=False),
    HelpRow("/vpe results [N]", "Results of the latest closed pulse.", restricted=True),
]


def test_help_lists_every_command_with_a_readable_fallback() -> None:
    message = render_help(ROWS, default_catalog(), "en")
    for row in ROWS:
        assert row.usage in message.text
    assert "`/vpe results [N]` 🔒 — Results" in message.blocks[2]["text"]["text"]
    assert "`/vpe help` —" in message.blocks[2]["text"]["text"]
    assert message.blocks[0]["type"] == "header"
    for block in message.blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]


def test_help_in_french_and_naming_the_unknown_word() -> None:
    message = render_help(ROWS, default_catalog(), "fr", unknown="frobnicate")
    assert "Je ne connais pas la commande `frobnicate`" in message.text
    assert "vpe-bot\u00a0: qui porte quoi" in message.blocks[0]["text"]["text"]
