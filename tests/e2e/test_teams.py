"""Teams through signed requests: set up from channels and groups, read from Slack when a
pulse is sent, and results by team under strong protection (three teams of 8, 6, 4, K=5)."""

from __future__ import annotations

import json
import re

from sqlalchemy import Engine, func, select

from bot.storage.models import PulseAnswer, PulseTeamMember, PulseTeamTally
from tests.e2e.test_pulse import answer, pulse_dms, wait_answer_rows
from tests.support.slack import SlackWorkspace

ANSWERED = ("predictability", "energy")
SIZES = {"Payments": 8, "Search": 6, "Mobile": 4}
VALUES = {"Payments": 4, "Search": 2, "Mobile": 1, None: 3}  # everyone in a team answers alike


def set_up(slack: SlackWorkspace, outsiders: int) -> dict[str, list[str]]:
    """Three team channels, everyone also in #engineering with `outsiders` in no team."""
    fake, team = slack.fake, slack.team_id
    members: dict[str, list[str]] = {}
    for name, size in SIZES.items():
        members[name] = [f"U0{name[:3].upper()}{n}" for n in range(size)]
        for user in members[name]:
            fake.add_user(team, user, user.lower(), locale="en-US")
        fake.add_channel(team, f"C0{name.upper()}", name.lower(), [*members[name], "UBOT"])
    members["none"] = [f"U0OUT{n}" for n in range(outsiders)]
    for user in members["none"]:
        fake.add_user(team, user, user.lower(), locale="en-US")
    everyone = [user for group in members.values() for user in group]
    fake.add_channel(team, "C0ALLENG", "all-eng", [*everyone, "UBOT"])
    slack.command_reply("settings anonymity 5", user_id="U0ADMIN")
    for name in SIZES:
        added = slack.command_reply(
            f"teams add {name} <#C0{name.upper()}|{name.lower()}>", user_id="U0ADMIN"
        )
        assert f"the team *{name}*" in added.body["text"]
    return members


def run_pulse(
    slack: SlackWorkspace,
    engine: Engine,
    members: dict[str, list[str]],
    values: dict[str | None, int] = VALUES,
) -> str:
    everyone = [user for group in members.values() for user in group]
    slack.fake.reset_calls()
    slack.command_reply("pulse now <#C0ALLENG|all-eng>", user_id="U0ADMIN")
    dms = pulse_dms(slack.fake, len(everyone))
    for name, group in members.items():
        for user in group:
            for item in ANSWERED:
                answer(slack, dms[user], user, item, values.get(name, values[None]))
    expected = len(everyone) * len(ANSWERED)
    assert wait_answer_rows(engine, expected) == expected
    slack.command_reply("pulse close", user_id="U0ADMIN")
    return json.dumps(
        slack.command_reply("results by team", user_id="U0ADMIN").body, ensure_ascii=False
    )


def sent_text(slack: SlackWorkspace) -> str:
    """Every private answer so far, once the heatmap's has come (it follows the upload)."""
    slack.fake.wait_for(
        lambda: [p for p in slack.fake.responses if "heatmap" in str(p.body.get("text"))]
    )
    return " ".join(str(post.body.get("text", "")) for post in slack.fake.responses)


def team_line(shown: str, name: str) -> str:
    """The team's section of the message, up to the next team."""
    start = shown.index(f"*{name}*")
    return re.split(r"\\n\*|\*\\n|\",", shown[start + len(name) + 2 :])[0]


def test_teams_are_listed_with_their_source_people_and_manager(slack: SlackWorkspace) -> None:
    set_up(slack, outsiders=0)
    manager = slack.command_reply("teams manager Payments <@U0PAY0|pay0>", user_id="U0ADMIN")
    assert "<@U0PAY0> manages *Payments*" in manager.body["text"]
    listed = json.dumps(slack.command_reply("teams", user_id="U0MEMBER").body, ensure_ascii=False)
    assert "*Payments*: <#C0PAYMENTS> · 8 people · manager <@U0PAY0>" in listed
    assert "*Mobile*: <#C0MOBILE> · 4 people · no manager named" in listed
    refused = slack.command_reply("teams add Web <#C0MOBILE|mobile>", user_id="U0MEMBER")
    assert "Only the leadership team" in refused.body["text"]
    french = slack.command_reply("équipes retirer Mobile", user_id="U0ADMIN")
    assert "*Mobile*" in french.body["text"]
    assert "Mobile" not in json.dumps(
        slack.command_reply("teams", user_id="U0ADMIN").body, ensure_ascii=False
    )
    plain = slack.command_reply("teams add Web web", user_id="U0ADMIN")
    assert "is not a channel or a user group" in plain.body["text"]


def test_when_the_teams_make_the_whole_audience_the_next_smallest_team_is_hidden_too(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """18 people, all in a team: the organisation minus Payments and Search is Mobile."""
    members = set_up(slack, outsiders=0)
    shown = run_pulse(slack, e2e_engine, members)
    assert "18/18 answered" in shown
    assert "4.0/5" in team_line(shown, "Payments")
    assert "8/8 answered" in team_line(shown, "Payments")
    search, mobile = team_line(shown, "Search"), team_line(shown, "Mobile")
    assert "6/6 answered" in search
    assert "would let anyone work out a team below K" in search
    assert "/5" not in search
    assert "4/4 answered" in mobile
    assert "Below K: fewer than 5 answers that count" in mobile
    assert "/5" not in mobile
    whole = json.dumps(slack.command_reply("results", user_id="U0ADMIN").body, ensure_ascii=False)
    assert "Average 2.7/5" in whole  # (8x4 + 6x2 + 4x1) / 18: the whole is shown
    with e2e_engine.connect() as connection:
        kept = connection.execute(select(PulseTeamTally.key).distinct()).scalars().all()
        assert kept == ["payments"]  # nothing else about a team is stored to be subtracted
        assert connection.scalar(select(func.count()).select_from(PulseAnswer)) == 0


def test_with_k_people_outside_the_teams_the_two_larger_teams_show_and_the_small_one_not(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    """23 people, 5 of them in no team: the organisation minus Payments and Search is Mobile
    and those five, nine people whose figures say nothing of Mobile's four."""
    members = set_up(slack, outsiders=5)
    shown = run_pulse(slack, e2e_engine, members)
    assert "23/23 answered" in shown
    payments, search = team_line(shown, "Payments"), team_line(shown, "Search")
    assert "4.0/5" in payments
    assert "6/6 answered" in search
    assert "2.0/5" in search
    mobile = team_line(shown, "Mobile")
    assert "Below K: fewer than 5 answers that count" in mobile
    assert "/5" not in mobile
    assert "The heatmap (teams × statements) is in your direct messages" in sent_text(slack)
    pictures = [data for title, data in slack.fake.files.values() if "by team" in title]
    assert pictures
    assert pictures[0].startswith(b"\x89PNG")
    french = slack.command_reply("résultats 0 par équipe", user_id="U0ADMIN")  # French words
    assert "Pulse results by team" in json.dumps(french.body, ensure_ascii=False)
    typo = slack.command_reply("results by team 2", user_id="U0ADMIN")
    assert "takes an optional number" in typo.body["text"]
    with e2e_engine.connect() as connection:
        rows = connection.execute(
            select(PulseTeamMember.key, func.count()).group_by(PulseTeamMember.key)
        )
        assert dict(rows.all()) == {"payments": 8, "search": 6, "mobile": 4}


def test_a_team_whose_delivery_falls_is_named_in_results_and_the_digest_with_its_heatmap(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    members = set_up(slack, outsiders=5)
    run_pulse(slack, e2e_engine, members)
    shown = run_pulse(slack, e2e_engine, members, {**VALUES, "Payments": 2, "Search": 3})
    payments, search = team_line(shown, "Payments"), team_line(shown, "Search")
    assert "2.0/5 ▼2.0" in payments  # 8 answers each time: the margin is 1.0
    assert "noise" not in payments
    assert "3.0/5 ▲1.0, within noise for 6 answers" in search  # the margin is 1.15
    slack.fake.reset_calls()
    slack.command_reply("digest now", user_id="U0ADMIN")
    digest = json.dumps(slack.fake.wait_for("chat.postMessage")[0].params, ensure_ascii=False)
    assert "Teams whose scores fell beyond the noise" in digest
    assert "*Payments*: We ship what we commit to: 2.0/5 ▼2.0" in digest
    assert "*Search*:" not in digest
    pictures = slack.fake.wait_for(
        lambda: [t for t, _ in slack.fake.files.values() if t == "Delivery health by team"]
    )
    assert pictures


def test_a_manager_reads_their_own_team_only_and_only_from_k(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    members = set_up(slack, outsiders=5)
    slack.command_reply("teams manager Payments <@U0PAY0|pay0>", user_id="U0ADMIN")
    slack.command_reply("teams manager Mobile <@U0MOB0|mob0>", user_id="U0ADMIN")
    run_pulse(slack, e2e_engine, members)
    mine = json.dumps(
        slack.command_reply("results mine", user_id="U0PAY0").body, ensure_ascii=False
    )
    assert "*Payments* · 8/8 answered (100%)" in mine
    assert "4.0/5" in mine
    assert "Search" not in mine
    assert "Mobile" not in mine
    small = json.dumps(
        slack.command_reply("results mine", user_id="U0MOB0").body, ensure_ascii=False
    )
    assert "Below K: fewer than 5 answers that count" in small
    assert "/5" not in small
    other = slack.command_reply("results mine", user_id="U0SEA0")
    assert "is for team managers" in other.body["text"]
    leaders_only = slack.command_reply("results by team", user_id="U0PAY0")
    assert "Only the leadership team" in leaders_only.body["text"]


def test_pulse_share_posts_each_audience_its_own_summary_and_nothing_for_leadership_only(
    slack: SlackWorkspace, e2e_engine: Engine
) -> None:
    members = set_up(slack, outsiders=5)
    run_pulse(slack, e2e_engine, members)
    refused = slack.command_reply("pulse share", user_id="U0PAY0")
    assert "Only the leadership team" in refused.body["text"]
    done = slack.command_reply(
        'pulse share "Thank you: <!channel> we read every answer"', user_id="U0ADMIN"
    )
    assert "<#C0ALLENG>, <#C0PAYMENTS>, <#C0SEARCH>, <#C0MOBILE>" in done.body["text"]

    def posted(channel: str) -> str:
        return json.dumps(slack.fake.messages(channel), ensure_ascii=False)

    whole, payments, mobile = posted("C0ALLENG"), posted("C0PAYMENTS"), posted("C0MOBILE")
    assert "23/23 answered* (100%)" in whole
    assert "We ship what we commit to: 2.7/5" in whole  # (8x4 + 6x2 + 4x1 + 5x3) / 23
    assert "Thank you: &lt;!channel&gt; we read every answer" in whole
    assert "What Payments told us" in payments
    assert "4.0/5" in payments
    assert "Search" not in payments
    assert "Too few answers" in mobile
    assert "/5" not in mobile.replace("23/23", "")
    for text in (whole, payments, mobile):
        assert "check-in" not in text.lower()
        assert "VP Engineering" not in text
    too_long = slack.command_reply("pulse share " + "x" * 501, user_id="U0ADMIN")
    assert "up to 500 characters" in too_long.body["text"]
