"""The demo workspace: people, roles, facts, an event, teams, and eight weeks of pulse history.

The history is written so that the product has something true to show: the CTO's share of
operations rises and energy erodes everywhere, while delivery falls apart in one team,
Payments, and holds in Platform and Mobile (the heatmap and the team signals show it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.ownership.assignments import set_role_holder
from bot.pulses.answers import record_answer, record_comment
from bot.pulses.by_team import Roster
from bot.pulses.lifecycle import PulsePlan, Recipient, close_pulse, closed_pulses, open_pulse
from bot.pulses.outbox import mark_sent
from bot.pulses.questions import PulseContent
from bot.pulses.recurring import ScheduleSpec, save_schedule
from bot.pulses.replies import add_reply
from bot.pulses.results import pulse_results
from bot.signals.facts import add_event, set_org_fact
from bot.storage.models import DEFAULT_THRESHOLD, CtoCheckin
from bot.team.actions import Baseline, add_action
from bot.team.digest_schedule import set_leadership_channel
from bot.team.leaders import add_leader
from bot.team.teams import TeamSource, add_team, set_manager
from bot.team.workspace import set_timezone

TEAM, TEAM_NAME, DOMAIN = "T0DEMO", "Nimbus Labs", "nimbus"
BOT_USER, BOT_ID, APP_ID = "U0VPEBOT", "B0VPEBOT", "A0VPEBOT"
TIMEZONE = "Europe/Paris"
LEADERSHIP, ENGINEERING = "C0LEADERSHIP", "C0ENGINEERING"
GROUP, GROUP_HANDLE = "S0ENGINEERS", "engineers"


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    real_name: str
    title: str
    locale: str = "en-US"
    is_admin: bool = False


PEOPLE = (
    Person("U0CEO", "camille", "Camille Laurent", "CEO", "fr-FR", is_admin=True),
    Person("U0CTO", "thomas", "Thomas Moreau", "CTO", "fr-FR"),
    Person("U0HR", "ines", "Inès Garcia", "Head of People"),
    Person("U0ENG01", "lea", "Léa Martin", "Engineering manager", "fr-FR"),
    Person("U0ENG02", "sam", "Sam Okafor", "Backend engineer"),
    Person("U0ENG03", "hugo", "Hugo Bernard", "Backend engineer", "fr-FR"),
    Person("U0ENG04", "priya", "Priya Raman", "Frontend engineer"),
    Person("U0ENG05", "jules", "Jules Petit", "Frontend engineer", "fr-FR"),
    Person("U0ENG06", "maria", "Maria Rossi", "Mobile engineer"),
    Person("U0ENG07", "noah", "Noah Schmidt", "SRE"),
    Person("U0ENG08", "chloe", "Chloé Dubois", "Data engineer", "fr-FR"),
    Person("U0ENG09", "ken", "Ken Tanaka", "QA engineer"),
    Person("U0ENG10", "ana", "Ana Souza", "Backend engineer"),
    Person("U0ENG11", "louis", "Louis Fontaine", "Engineering manager", "fr-FR"),
    Person("U0ENG12", "zoe", "Zoé Lambert", "Designer", "fr-FR"),
)
ENGINEERS = tuple(p.user_id for p in PEOPLE if p.user_id.startswith("U0ENG"))
# Twelve more engineers, in the @engineers group but not in #engineering (which the guided
# pulse of the playground asks), so that three teams of eight can each pass K = 5.
MORE = tuple(
    Person(f"U0ENG{n}", name, real, title)
    for n, (name, real, title) in enumerate(
        [
            ("omar", "Omar Haddad", "Backend engineer"),
            ("lena", "Lena Vogel", "Backend engineer"),
            ("tom", "Tom Baker", "Frontend engineer"),
            ("yuki", "Yuki Sato", "Mobile engineer"),
            ("raj", "Raj Patel", "SRE"),
            ("eva", "Eva Novak", "Data engineer"),
            ("liam", "Liam Byrne", "Mobile engineer"),
            ("sara", "Sara Lind", "QA engineer"),
            ("marc", "Marc Girard", "Backend engineer"),
            ("nina", "Nina Costa", "Frontend engineer"),
            ("ali", "Ali Demir", "Mobile engineer"),
            ("ivy", "Ivy Chen", "Platform engineer"),
        ],
        start=13,
    )
)
EVERYONE = ENGINEERS + tuple(p.user_id for p in MORE)
# The language each person's pulses were sent in, as the bot picks it from their Slack locale.
LANGUAGES = {p.user_id: p.locale.split("-")[0] for p in (*PEOPLE, *MORE)}
# Teams of eight, each a channel; Louis manages Payments.
TEAMS = {
    "Payments": ("C0PAYMENTS", "payments", EVERYONE[0:8]),
    "Platform": ("C0PLATFORM", "platform", EVERYONE[8:16]),
    "Mobile": ("C0MOBILE", "mobile", EVERYONE[16:24]),
}
PAYMENTS_MANAGER = "U0ENG11"
WEEKS = 8
# Predictability falls, priorities wobble, energy erodes; agreeing that decisions wait on
# the CTO rises. Means per week; answers are drawn around them.
TRENDS = {
    "predictability": [4.1, 4.0, 3.8, 3.6, 3.3, 3.1, 2.8, 2.5],
    "priorities": [3.8, 3.7, 3.7, 3.5, 3.4, 3.2, 3.1, 2.9],
    "cto_bottleneck": [2.4, 2.6, 2.9, 3.2, 3.4, 3.6, 3.9, 4.1],
    "process_clarity": [3.6, 3.6, 3.5, 3.5, 3.4, 3.3, 3.3, 3.2],
    "quality": [3.9, 3.9, 3.8, 3.8, 3.7, 3.6, 3.6, 3.5],
    "energy": [3.9, 3.8, 3.8, 3.6, 3.5, 3.4, 3.2, 3.1],
    "roadmap_link": [4.0, 4.0, 3.9, 3.9, 3.8, 3.8, 3.7, 3.7],
}
# Delivery falls in Payments only; the other teams keep their first week's level.
FALLING_IN_PAYMENTS = {
    "predictability": [4.1, 3.9, 3.6, 3.3, 3.0, 2.6, 2.3, 2.0],
    "priorities": [3.8, 3.6, 3.4, 3.1, 2.9, 2.6, 2.4, 2.2],
}
OPERATIONS = [35, 35, 60, 60, 60, 85, 85, 85]  # the CTO's own check-ins
DECISIONS = [1, 4, 4, 4, 8, 8, 12, 12]
COMMENTS = [
    "Priorities changed twice this sprint; we shipped half of what we planned.",
    "On attend souvent une décision de Thomas pour avancer.",
    "Les rituels d'équipe deviennent lourds avec la croissance.",
    "Great team, but the release train keeps slipping.",
    "Nobody owns cross-team dependencies, so they stall.",
    "On manque de visibilité sur la roadmap du trimestre.",
]

# The thread under the latest pulse's first comment: leadership, then the comment's author.
FOLLOW_UP = (
    "Thank you for saying it. From Monday priorities are frozen for two sprints: would that help?",
    "Yes, if it holds. Please say it at the all-hands too, so every team plans with it.",
)


class Directory(Protocol):
    """The part of the stand-in for Slack that seeding uses."""

    def add_team(self, *args: Any, **kwargs: Any) -> Any: ...
    def add_user(self, *args: Any, **kwargs: Any) -> Any: ...
    def add_channel(self, *args: Any, **kwargs: Any) -> Any: ...
    def add_usergroup(self, *args: Any, **kwargs: Any) -> Any: ...


def seed_directory(slack: Directory, bot_token: str) -> None:
    """The people and channels Slack would know."""
    slack.add_team(TEAM, TEAM_NAME, DOMAIN, bot_token, BOT_USER, BOT_ID, APP_ID)
    for person in PEOPLE:
        slack.add_user(
            TEAM,
            person.user_id,
            person.name,
            person.real_name,
            is_admin=person.is_admin,
            is_owner=person.is_admin,
            locale=person.locale,
            tz=TIMEZONE,
            display_name=person.real_name,  # what the page shows, and the report prints
        )
    slack.add_channel(TEAM, LEADERSHIP, "leadership", ["U0CEO", "U0CTO", "U0HR", BOT_USER])
    slack.add_channel(TEAM, ENGINEERING, "engineering", ["U0CTO", *ENGINEERS, BOT_USER])
    for person in MORE:
        slack.add_user(
            TEAM,
            person.user_id,
            person.name,
            person.real_name,
            tz=TIMEZONE,
            display_name=person.real_name,
        )
    slack.add_usergroup(TEAM, GROUP, GROUP_HANDLE, list(EVERYONE))
    for channel, name, members in TEAMS.values():
        slack.add_channel(TEAM, channel, name, [*members, BOT_USER])


def seed_history(session: Session, key: bytes, content: PulseContent, now: datetime) -> None:
    """Roles, facts, an event, schedules, and eight weekly pulses closed in the past."""
    set_timezone(session, TEAM, TIMEZONE)
    set_role_holder(session, TEAM, "cto", "U0CTO", "U0CEO", now)
    set_role_holder(session, TEAM, "vp_engineering", None, "U0CEO", now)
    add_leader(session, TEAM, "U0HR", "U0CEO", now)
    add_leader(session, TEAM, "U0CTO", "U0CEO", now)
    for name, value in (("engineers", 32), ("teams", 5), ("managers", 4)):
        set_org_fact(session, TEAM, name, value, "U0CEO", now)
    in_four_months = (now.replace(day=1) + timedelta(days=31 * 4)).strftime("%Y-%m")
    add_event(session, TEAM, "fundraising", in_four_months, "Series B", "U0CEO", now)
    set_leadership_channel(session, TEAM, LEADERSHIP, TIMEZONE, now)
    spec = ScheduleSpec(
        "weekly",
        0,
        "10:00",
        TIMEZONE,
        3,
        {"channels": [ENGINEERING]},
        list(content.default_items()),
        None,
    )
    save_schedule(session, TEAM, spec, "U0CEO", now)
    for name, (channel, _, _) in TEAMS.items():
        add_team(session, TEAM, name, TeamSource("channel", channel), "U0CEO", now)
    set_manager(session, TEAM, "Payments", PAYMENTS_MANAGER)
    rng = random.Random(20261126)  # noqa: S311 - demo data, the same on every machine
    for week in range(WEEKS):
        opened = now - timedelta(weeks=WEEKS - week, hours=2)
        _seed_pulse(session, key, content, opened, week, rng)
    _seed_follow_up(session, content, now)


def _seed_follow_up(session: Session, content: PulseContent, now: datetime) -> None:
    """Two actions planned after earlier pulses (one already late), and a thread under the
    latest pulse's first comment: leadership replied, the author answered."""
    pulses = closed_pulses(session, TEAM, WEEKS)  # newest first
    for back, what, owner, due, item in (
        (
            3,
            "Weekly decision slot: the CTO hands over ops decisions",
            "U0CTO",
            -3,
            "cto_bottleneck",
        ),
        (1, "Freeze priorities for two sprints", "U0ENG01", 18, "predictability"),
    ):
        pulse = pulses[back]
        shown = pulse_results(session, content, pulse, None, DEFAULT_THRESHOLD)
        mean = next((r.mean for r in shown.items if r.item.id == item), None)
        planned = pulse.closed_at or now
        add_action(
            session,
            TEAM,
            what,
            owner,
            (now + timedelta(days=due)).date(),
            "U0CEO",
            planned,
            item,
            Baseline(mean, pulse.id),
        )
    latest = pulses[0].id
    add_reply(session, TEAM, latest, 0, False, FOLLOW_UP[0])
    add_reply(session, TEAM, latest, 0, True, FOLLOW_UP[1])


def _seed_pulse(
    session: Session,
    key: bytes,
    content: PulseContent,
    opened: datetime,
    week: int,
    rng: random.Random,
) -> None:
    pulse = open_pulse(
        session,
        PulsePlan(
            team_id=TEAM,
            recipients=[Recipient(user_id, LANGUAGES[user_id]) for user_id in EVERYONE],
            items=list(content.default_items()),
            opened_at=opened,
            closes_at=opened + timedelta(days=3),
            timezone=TIMEZONE,
            audience_label=f"<!subteam^{GROUP}>",
            started_by="U0CEO",
            teams=[
                Roster(name.lower(), name, PAYMENTS_MANAGER if name == "Payments" else None, ids)
                for name, (_, _, ids) in TEAMS.items()
            ],
        ),
    )
    for user_id in EVERYONE:
        mark_sent(session, pulse.id, user_id, f"D{user_id}", f"{opened.timestamp():.6f}")
    answering = []
    for name, (_, _, members) in TEAMS.items():
        for user_id in rng.sample(list(members), k=rng.randint(6, 8)):
            answering.append(user_id)
            for item in content.default_items():
                mean = TRENDS[item][week]
                if item in FALLING_IN_PAYMENTS:
                    series = FALLING_IN_PAYMENTS[item] if name == "Payments" else TRENDS[item]
                    mean = series[week] if name == "Payments" else series[0]
                value = max(1, min(5, round(rng.gauss(mean, 0.6))))
                record_answer(session, key, TEAM, pulse.id, user_id, item, value)
    if week >= WEEKS - 3:
        for user_id, text in zip(answering, COMMENTS, strict=False):
            record_comment(session, key, TEAM, pulse.id, user_id, text)
    session.add(
        CtoCheckin(
            pulse_id=pulse.id,
            team_id=TEAM,
            operations_share=OPERATIONS[week],
            decisions_waiting=DECISIONS[week],
        )
    )
    close_pulse(session, key, TEAM, pulse.id, opened + timedelta(days=3), rng=rng)
