"""Questions about who owns what, through every door: slash command, DM, mention, share."""

from __future__ import annotations

import json
import time

from tests.support.payloads import payload
from tests.support.slack import SlackWorkspace

MARIE = "<@U0FRENCH|marie>"
CHRIS = "<@U0CTO|chris>"


def test_who_owns_delivery_names_the_vp_engineering(slack: SlackWorkspace) -> None:
    reply = slack.command_reply("ask who owns delivery?")
    assert reply.body["response_type"] == "ephemeral"
    assert "VP Engineering" in reply.body["text"]
    assert "Delivery" in reply.body["text"]
    buttons = [b for b in reply.body["blocks"] if b["type"] == "actions"]
    assert buttons[0]["elements"][0]["action_id"] == "share_answer"


def test_french_question_gets_a_french_answer_naming_the_cto(slack: SlackWorkspace) -> None:
    reply = slack.command_reply("ask qui porte la vision technique ?")
    assert "revient au CTO" in reply.body["text"]
    assert "Voir aussi" in json.dumps(reply.body["blocks"], ensure_ascii=False)


def test_the_answer_names_the_teams_vp_engineering(slack: SlackWorkspace) -> None:
    done = slack.command_reply(f"roles set vpe {MARIE}", user_id="U0ADMIN")
    assert "<@U0FRENCH> is now the VP Engineering" in done.body["text"]
    reply = slack.command_reply("ask who owns delivery?")
    assert "<@U0FRENCH> (VP Engineering)" in reply.body["text"]
    roles = slack.command_reply("roles")
    assert "<@U0FRENCH>" in roles.body["text"]


def test_without_a_vp_engineering_delivery_falls_to_the_cto(slack: SlackWorkspace) -> None:
    slack.command_reply(f"roles set cto {CHRIS}", user_id="U0OWNER")
    slack.command_reply("roles set vpe none", user_id="U0OWNER")
    reply = slack.command_reply("who is in charge of delivery?")
    assert "falls to <@U0CTO> (CTO) for now" in reply.body["text"]
    assert "/vpe signals" in reply.body["text"]


def test_members_may_ask_but_not_change_roles(slack: SlackWorkspace) -> None:
    refused = slack.command_reply(f"roles set vpe {MARIE}", user_id="U0MEMBER")
    assert "Only the leadership team can do this" in refused.body["text"]
    assert "vp_engineering" not in slack.command_reply("roles").body["text"]
    assert "not set yet" in slack.command_reply("roles").body["text"]


def test_leaders_added_by_an_admin_can_change_owners(slack: SlackWorkspace) -> None:
    added = slack.command_reply("leaders add <@U0MEMBER|sam>", user_id="U0ADMIN")
    assert "<@U0MEMBER> is now part of the leadership team" in added.body["text"]
    changed = slack.command_reply(f"owners set hiring {MARIE}", user_id="U0MEMBER")
    assert "<@U0FRENCH> now owns Engineering hiring" in changed.body["text"]
    owners = slack.command_reply("owners")
    assert (
        "Engineering hiring · default: VP Engineering · here: <@U0FRENCH> (set for this area)"
        in (owners.body["text"])
    )
    answer = slack.command_reply("ask who owns hiring?")
    assert "<@U0FRENCH>" in answer.body["text"]
    reset = slack.command_reply("owners reset hiring", user_id="U0MEMBER")
    assert "back with its default owner, the VP Engineering" in reset.body["text"]
    listed = slack.command_reply("leaders")
    assert "<@U0MEMBER>" in listed.body["text"]


def test_bad_arguments_get_a_clear_answer(slack: SlackWorkspace) -> None:
    plain = slack.command_reply("roles set vpe @marie", user_id="U0ADMIN")
    assert "Pick the person from Slack's suggestions" in plain.body["text"]
    area = slack.command_reply("owners set snacks <@U0CTO>", user_id="U0ADMIN")
    assert "I don't know the area `snacks`" in area.body["text"]
    assert "`delivery`" in area.body["text"]
    french = slack.command_reply("roles set ceo <@U0CTO>", user_id="U0FRENCH")
    assert "Pour changer un rôle" in french.body["text"]
    bot = slack.command_reply("roles set cto <@UBOT>", user_id="U0ADMIN")
    assert "a bot or a deactivated account" in bot.body["text"]


def test_out_of_domain_questions_get_suggestions(slack: SlackWorkspace) -> None:
    reply = slack.command_reply("ask what's the weather like today?")
    assert "I can answer questions like" in reply.body["text"]
    assert reply.body["text"].count("?") >= 3
    assert not [b for b in reply.body["blocks"] if b["type"] == "actions"]
    assert "for example `/vpe ask who owns delivery?`" in slack.command_reply("ask").body["text"]


def test_share_posts_the_answer_in_the_channel(slack: SlackWorkspace) -> None:
    click = payload("block_actions")
    click["actions"][0]["value"] = json.dumps({"topic": "tech_vision", "lang": "fr"})
    slack.action(click, user_id="U0MEMBER")
    posts = slack.fake.wait_for(lambda: slack.fake.responses[-2:], count=2)
    shared = next(p for p in posts if p.body.get("response_type") == "in_channel")
    assert "Partagé par <@U0MEMBER>" in json.dumps(shared.body["blocks"], ensure_ascii=False)
    assert any(p.body.get("delete_original") for p in posts)


def test_a_forged_share_value_is_refused_politely(slack: SlackWorkspace) -> None:
    click = payload("block_actions")
    click["actions"][0]["value"] = '{"topic": "payroll", "lang": "xx"}'
    reply = slack.action(click)
    assert reply is not None
    assert "can no longer be shared" in reply.body["text"]


def test_a_direct_message_is_answered_once_despite_retries(slack: SlackWorkspace) -> None:
    event = payload("message_im")
    for retry in (None, 1, 2, 3):
        assert slack.event(event, "Ev0DM000001", retry=retry).status == 200
    slack.fake.wait_for("chat.postMessage")
    time.sleep(0.5)
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert posts[0].params["channel"] == "DU0MEMBER"
    assert "Engineering hiring" in posts[0].params["text"]
    assert "thread_ts" not in posts[0].params or not posts[0].params["thread_ts"]


def test_a_mention_is_answered_once_in_a_thread(slack: SlackWorkspace) -> None:
    event = payload("app_mention")
    for retry in (None, 1):
        slack.event(event, "Ev0MENTION01", retry=retry)
    slack.fake.wait_for("chat.postMessage")
    time.sleep(0.5)
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert posts[0].params["thread_ts"] == event["ts"]
    assert "Deadlines" in posts[0].params["text"] or "roadmap" in posts[0].params["text"]


def test_bots_and_edits_are_ignored(slack: SlackWorkspace) -> None:
    from_bot = payload("message_im", bot_id="B0OTHER", subtype="bot_message")
    edited = payload("message_im", subtype="message_changed")
    slack.event(from_bot, "Ev0BOT000001")
    slack.event(edited, "Ev0EDIT00001")
    slack.event(payload("message_im", text="who owns quality?"), "Ev0REAL00001")
    slack.fake.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
