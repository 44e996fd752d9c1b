from slack_sdk.models.blocks import Block

from bot.blocks.help import render_help
from bot.command_list import command_docs
from bot.i18n import default_catalog


def test_help_lists_every_command_with_a_readable_fallback() -> None:
    message = render_help(command_docs(), default_catalog(), "en")
    for doc in command_docs():
        assert doc.usage in message.text
    assert message.blocks[0]["type"] == "header"
    for block in message.blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]


def test_help_in_french_and_naming_the_unknown_word() -> None:
    message = render_help(command_docs(), default_catalog(), "fr", unknown="frobnicate")
    assert "Je ne connais pas la commande `frobnicate`" in message.text
    assert "vpe-bot : qui porte quoi" in message.blocks[0]["text"]["text"]
