import pytest

from bot.handlers.parsing import Mention, parse_command, parse_mention, split_words, strip_mentions


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("<@U123ABC>", Mention("user", "U123ABC")),
        ("<@U123ABC|marie>", Mention("user", "U123ABC", "marie")),
        ("<#C0123|engineering>", Mention("channel", "C0123", "engineering")),
        ("<#C0123|>", Mention("channel", "C0123")),
        ("<!subteam^S0456|@eng-leads>", Mention("usergroup", "S0456", "eng-leads")),
        ("<!subteam^S0456>", Mention("usergroup", "S0456")),
        ("@marie", Mention("user", None, "marie")),
        ("#engineering", Mention("channel", None, "engineering")),
    ],
)
def test_mentions_escaped_and_plain(word: str, expected: Mention) -> None:
    assert parse_mention(word) == expected


@pytest.mark.parametrize("word", ["marie", "@", "<@lowercase>", "<https://example.com>", "#"])
def test_non_mentions(word: str) -> None:
    assert parse_mention(word) is None


def test_quoted_phrases_stay_together() -> None:
    assert split_words('event add fundraising 2027-03 "Series B"') == [
        "event",
        "add",
        "fundraising",
        "2027-03",
        "Series B",
    ]
    assert split_words("event add x “Série B”")[-1] == "Série B"


def test_unbalanced_quotes_do_not_fail() -> None:
    assert split_words('ask what about "this') == ["ask", "what", "about", '"this']


def test_command_name_is_lower_case_and_rest_is_kept() -> None:
    command = parse_command("  ASK who owns   delivery?")
    assert command.name == "ask"
    assert command.rest == "who owns   delivery?"
    assert parse_command("").name == ""


def test_strip_mentions_removes_the_bot_name() -> None:
    assert strip_mentions("<@UBOT> who owns delivery?") == "who owns delivery?"
    assert strip_mentions("<@UBOT|vpe-bot> hi") == "hi"
