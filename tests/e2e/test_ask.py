"""Questions about who owns what, through every door: slash command, DM, mention, share."""

from __future__ import annotations

import json
import time

import pytest

from bot.qa.knowledge import load_knowledge
from tests.support.payloads import payload
from tests.support.slack import ResponsePost, SlackWorkspace

KB = load_knowledge()
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


def test_without_a_vp_engineering_a_shared_area_is_still_shared(slack: SlackWorkspace) -> None:
    slack.command_reply(f"roles set cto {CHRIS}", user_id="U0OWNER")
    slack.command_reply("roles set vpe none", user_id="U0OWNER")
    english = slack.command_reply("who owns architecture?").body["text"]
    assert "Shared area (*Architecture*)" in english
    assert "<@U0CTO> (CTO) decides alone for now" in english
    assert "falls to" not in english
    french = slack.command_reply("ask qui porte l'architecture ?").body["text"]
    assert "Sujet partagé (*Architecture*)" in french
    assert "<@U0CTO> (CTO) tranche donc sans binôme" in french
    assert "revient au VP Engineering" not in french


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
        "Engineering hiring · default: VP Engineering · here: <@U0FRENCH> (your team's choice)"
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
    assert "`Delivery`" in area.body["text"]
    assert '`"Team management"`' in area.body["text"]
    french = slack.command_reply("roles set ceo <@U0CTO>", user_id="U0FRENCH")
    assert "Pour changer un rôle" in french.body["text"]
    bot = slack.command_reply("roles set cto <@UBOT>", user_id="U0ADMIN")
    assert "a bot or a deactivated account" in bot.body["text"]


def actions(reply_body: dict[str, object]) -> list[dict[str, str]]:
    blocks = reply_body.get("blocks") or []
    assert isinstance(blocks, list)
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def topic_buttons(reply_body: dict[str, object]) -> list[dict[str, str]]:
    return [e for e in actions(reply_body) if e["action_id"].startswith("ask_topic_")]


def tap(slack: SlackWorkspace, button: dict[str, str], user_id: str = "U0MEMBER") -> ResponsePost:
    click = payload("block_actions")
    click["actions"] = [
        {"action_id": button["action_id"], "value": button["value"], "type": "button"}
    ]
    click["trigger_id"] = f"{time.monotonic_ns()}.738474920.{user_id}"  # one per tap
    reply = slack.action(click, user_id=user_id)
    assert reply is not None
    return reply


def test_out_of_domain_questions_get_the_closest_topics_not_a_dead_end(
    slack: SlackWorkspace,
) -> None:
    reply = slack.command_reply("ask what's the weather like today?")
    assert "That's not my area" in reply.body["text"]
    assert len(topic_buttons(reply.body)) == 3
    french = slack.command_reply("ask quel temps fait-il ?", user_id="U0FRENCH")
    assert "Ce n’est pas mon domaine" in french.body["text"]
    assert len(topic_buttons(french.body)) == 3
    assert "for example `/vpe ask who owns delivery?`" in slack.command_reply("ask").body["text"]


@pytest.mark.parametrize(
    ("question", "user", "title"),
    [
        ("what's the weather like today?", "U0MEMBER", "Delivery"),
        ("quel temps fait-il ?", "U0FRENCH", "Management des équipes"),
    ],
)
def test_a_topic_button_answers_privately_with_that_topic(
    slack: SlackWorkspace, question: str, user: str, title: str
) -> None:
    reply = slack.command_reply(f"ask {question}", user_id=user)
    button = topic_buttons(reply.body)[0]
    chosen = json.loads(button["value"])
    answer = tap(slack, button, user)
    assert answer.body["response_type"] == "ephemeral"
    assert answer.body.get("replace_original") is False
    assert answer_text(chosen["topic"], chosen["lang"]) in answer.body["text"]
    # An area's answer starts with who owns it here, in the asker's language.
    forced = dict(button, value=json.dumps({"topic": _topic_of(title), "lang": chosen["lang"]}))
    assert title in tap(slack, forced, user).body["text"]


def _topic_of(title: str) -> str:
    return {"Delivery": "delivery", "Management des équipes": "team_management"}[title]


def slack_title(topic: str, lang: str) -> str:
    return KB.get(topic).title[lang]  # type: ignore[index]


def answer_text(topic: str, lang: str) -> str:
    return KB.get(topic).answer[lang][:60]  # type: ignore[index]


def test_an_unsure_answer_offers_the_next_topics(slack: SlackWorkspace) -> None:
    reply = slack.command_reply("ask who's responsible for the devs?")
    assert "Did you mean:" in reply.body["text"]
    offered = topic_buttons(reply.body)
    assert 1 <= len(offered) <= 2
    answered = reply.body["text"].split("Did you mean:")[1]
    assert all(slack_title(json.loads(b["value"])["topic"], "en") in answered for b in offered)
    french = slack.command_reply("ask qui est responsable des devs ?", user_id="U0FRENCH")
    assert "Vouliez-vous dire" in french.body["text"]
    assert topic_buttons(french.body)


def test_a_forged_topic_button_is_refused_politely(slack: SlackWorkspace) -> None:
    forged = {"action_id": "ask_topic_0", "value": '{"topic": "payroll", "lang": "en"}'}
    assert "no longer available" in tap(slack, forged).body["text"]


def test_a_thumbs_down_reaches_the_review_without_the_asker(slack: SlackWorkspace) -> None:
    reply = slack.command_reply("ask who keeps our releases moving?", user_id="U0MEMBER")
    rating = {e["action_id"]: e for e in actions(reply.body) if "feedback" in e["action_id"]}
    assert set(rating) == {"ask_feedback_up", "ask_feedback_down"}
    thanks = tap(slack, rating["ask_feedback_down"], "U0MEMBER")
    assert "never who asked" in thanks.body["text"]
    assert thanks.body["response_type"] == "ephemeral"
    liked = tap(slack, rating["ask_feedback_up"], "U0FRENCH")
    assert "Ravi" in liked.body["text"]
    slack.command_reply("ask what's the wifi password?", user_id="U0MEMBER")
    review = slack.command_reply("ask review", user_id="U0ADMIN")
    text = review.body["text"]
    assert "who keeps our releases moving?" in text
    assert "marked 👎" in text
    assert "what's the wifi password?" in text
    assert "1 refused · 1 👎 · 1 👍" in text
    assert "U0MEMBER" not in json.dumps(review.body)
    refused = slack.command_reply("ask review", user_id="U0MEMBER")
    assert "Only the leadership team can do this" in refused.body["text"]
    french = slack.command_reply(
        "ask revue",
        user_id="U0ADMIN",
    )
    assert (
        "Questions to review" in french.body["text"] or "Questions à revoir" in french.body["text"]
    )


def test_teach_gives_a_phrasing_its_topic(slack: SlackWorkspace) -> None:
    question = "who keeps the pizza budget of the devs?"
    before = slack.command_reply(f"ask {question}")
    assert "Team management" not in before.body["text"].split(".")[0]
    taught = slack.command_reply(f'ask teach "{question}" team_management', user_id="U0ADMIN")
    assert "now gets *Team management*" in taught.body["text"]
    after = slack.command_reply("ask Who keeps the PIZZA budget of the devs")
    assert "Team management" in after.body["text"]
    again = slack.command_reply(f'ask teach "{question}" "Talent growth"', user_id="U0ADMIN")
    assert "instead" in again.body["text"]
    assert "Talent growth" in slack.command_reply(f"ask {question}").body["text"]
    member = slack.command_reply(f'ask teach "{question}" hiring', user_id="U0MEMBER")
    assert "Only the leadership team can do this" in member.body["text"]
    slack.command_reply("leaders add <@U0FRENCH|marie>", user_id="U0ADMIN")
    french = slack.command_reply('ask teach "qui paie les pizzas ?" paie', user_id="U0FRENCH")
    assert "Je ne connais pas le sujet « paie »" in french.body["text"]
    learned = slack.command_reply(
        'ask teach "qui paie les pizzas ?" "Management des équipes"', user_id="U0FRENCH"
    )
    assert "reçoit désormais *Management des équipes*" in learned.body["text"]
    usage = slack.command_reply("ask teach", user_id="U0MEMBER")
    assert '`"Team management"`' in usage.body["text"]
    french = slack.command_reply("ask teach", user_id="U0FRENCH").body["text"]
    assert '`"Délais et roadmap"`' in french
    assert "deadlines_roadmap" not in french


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
