"""The playground draws the bot's Block Kit as HTML: what a person sees, and nothing more."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)

from bot.playground import blockkit

NAMES = {"U1": "Léa Martin", "C1": "engineering"}


def render(*built: object) -> str:
    return blockkit.blocks([b.to_dict() for b in built], NAMES)  # type: ignore[attr-defined]


def test_each_block_kind_the_bot_sends_is_drawn() -> None:
    page = render(
        HeaderBlock(text="Pulse results"),
        SectionBlock(
            text=MarkdownTextObject(text="*Delivery* is owned by <@U1> in <#C1>"),
            fields=[MarkdownTextObject(text="Average 3.2/5"), MarkdownTextObject(text="5 answers")],
        ),
        ContextBlock(elements=[MarkdownTextObject(text="_2 of 7 answered_")]),
        DividerBlock(),
        ActionsBlock(
            elements=[
                ButtonElement(text="Agree", action_id="pulse_answer:energy:4", value="9:energy:4"),
                StaticSelectElement(
                    action_id="pick",
                    options=[Option(text="weekly", value="w"), Option(text="monthly", value="m")],
                    initial_option=Option(text="monthly", value="m"),
                ),
            ],
            block_id="pulse-9-energy",
        ),
        ImageBlock(image_url="https://example.com/chart.png", alt_text="Scores over time"),
    )
    assert '<div class="b-header">Pulse results</div>' in page
    assert "<b>Delivery</b> is owned by" in page
    assert '<span class="mention">@Léa Martin</span>' in page
    assert '<span class="mention">#engineering</span>' in page
    assert "Average 3.2/5" in page
    assert "5 answers" in page
    assert "<i>2 of 7 answered</i>" in page
    assert '<hr class="b-divider">' in page
    # What a click sends back: the action id, block id and value Slack would put in the payload.
    assert 'data-action="pulse_answer:energy:4"' in page
    assert 'data-block="pulse-9-energy"' in page
    assert 'data-value="9:energy:4"' in page
    assert '<option value="m" selected>monthly</option>' in page
    assert 'alt="Scores over time"' in page


def test_modal_inputs_carry_their_ids_and_initial_values() -> None:
    page = render(
        InputBlock(
            label="Comment",
            block_id="comment",
            optional=True,
            element=PlainTextInputElement(action_id="value", multiline=True, initial_value="hi"),
        )
    )
    assert "(optional)" in page
    assert 'data-block="comment"' in page
    assert 'data-action="value"' in page
    assert ">hi</textarea>" in page


def test_text_from_people_is_shown_as_text_never_as_markup() -> None:
    hostile = '<img src=x onerror=alert(1)> & <script>alert("x")</script> "quoted"'
    page = render(SectionBlock(text=MarkdownTextObject(text=hostile)))
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page
    # A link Slack would not make clickable stays text; only http(s) become anchors.
    page = blockkit.mrkdwn("<javascript:alert(1)|click> <https://example.com|site>", NAMES)
    assert 'href="javascript' not in page
    assert '<a href="https://example.com" target="_blank">site</a>' in page


def test_stray_control_characters_do_not_break_the_page() -> None:
    assert blockkit.mrkdwn("odd \x0099\x00 text", NAMES) == "odd 99 text"


def test_dates_are_written_in_the_readers_time_zone() -> None:
    # 2026-11-30 09:00 UTC is 10:00 in Paris, where the demo's people are.
    assert blockkit.mrkdwn("<!date^1796029200^{date_short} {time}|fallback>", NAMES) == (
        "30/11/2026 10:00"
    )
    assert blockkit.mrkdwn("<!date^nonsense^{date}|the fallback>", NAMES) == "the fallback"


def test_a_choice_in_a_select_is_sent_as_slack_sends_it() -> None:
    from bot.playground.ui import chosen

    assert chosen("button", "9:energy:4", None) == {"value": "9:energy:4"}
    assert chosen("static_select", "m", "monthly") == {
        "selected_option": {"text": {"type": "plain_text", "text": "monthly"}, "value": "m"}
    }
    assert chosen("users_select", "U1", "Léa") == {"selected_user": "U1"}
    assert chosen("conversations_select", "C1", "#eng") == {"selected_conversation": "C1"}


def test_the_composer_escapes_names_as_slack_does() -> None:
    from bot.playground.ui import escape_like_slack

    channels = {"C0ENGINEERING": "engineering"}
    typed = "/vpe pulse now #engineering @engineers @sam #nowhere @nobody, hi @vpe-bot"
    assert escape_like_slack(typed, channels) == (
        "/vpe pulse now <#C0ENGINEERING|engineering> <!subteam^S0ENGINEERS|@engineers> "
        "<@U0ENG02> #nowhere @nobody, hi <@U0VPEBOT>"
    )
    # Already escaped text (pasted from Slack) is left alone.
    assert escape_like_slack("<@U0CTO> <#C0ENGINEERING|engineering>", channels) == (
        "<@U0CTO> <#C0ENGINEERING|engineering>"
    )


def test_text_the_bot_escaped_shows_as_it_was_typed() -> None:
    """Slack decodes its three escapes before drawing; an escaped link is text, not a link."""
    page = blockkit.mrkdwn("&gt; &lt;https://evil.example|Sign in&gt; fish &amp; chips", NAMES)
    assert (
        page == '<span class="quote">&lt;https://evil.example|Sign in&gt; fish &amp; chips</span>'
    )
    assert "<a " not in page
