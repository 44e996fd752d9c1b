"""Bad, forged and random input, thousands of times: the bot always answers, politely, and
stores nothing it should not.

Each property drives the in-process bot (tests/reliability/conftest.py) with Hypothesis:
signed requests dispatched through Bolt, lazy work waited for, then the HTTP status, the
answers posted to response_url, the Web API calls, the logs and the database are checked.
Examples are derandomized so CI sees the same cases every run; RELIABILITY_SCALE=4 runs a
longer soak. The plain tests at the end replay forged clicks by hand and every input that
once broke a handler (regressions).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core import limits
from bot.core.cadence import CADENCES
from bot.core.i18n import LANGS
from bot.handlers import register_all
from bot.handlers.parsing import Command, parse_command, split_words, strip_mentions
from bot.pulses.respondents import respondent_token
from bot.qa.language import detect_language
from bot.storage.db import unit_of_work
from bot.storage.models import (
    CtoCheckin,
    DigestSchedule,
    Pulse,
    PulseAnswer,
    PulseRecipient,
    PulseSchedule,
    Workspace,
)
from tests.reliability.conftest import (
    ADMIN,
    CHANNEL,
    ENGINEERS,
    FRENCH,
    ITEMS,
    LANG_OF,
    LEADS,
    MEMBER,
    OTHER_TEAM,
    STRANGER,
    TEAM,
    Harness,
    Languages,
    Outcome,
    Pulses,
    answers_of,
    ask_again,
    comments_of,
    message_text,
    pulse_ids,
    seed_pulses,
)

PEOPLE = [ADMIN, MEMBER, FRENCH]
ZONES = sorted(available_timezones())
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
SLACK_ID = re.compile(r"^[A-Z0-9]{1,32}$")


def run(harness: Harness, examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings for a property: derandomized (the same cases on every run, for
    CI), no deadline, no example database. RELIABILITY_RANDOM=1 draws new cases each run."""
    return settings(
        max_examples=harness.examples(examples),
        derandomize=os.environ.get("RELIABILITY_RANDOM") != "1",
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )


# -- strategies ------------------------------------------------------------------------------


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each drawn `weight` times as often (st.one_of draws evenly)."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


def text(min_size: int = 0, max_size: int = 20) -> st.SearchStrategy[str]:
    """Any text Slack can send: every Unicode character but the lone surrogates."""
    return st.text(st.characters(codec="utf-8"), min_size=min_size, max_size=max_size)


ids = st.from_regex(r"\A[A-Z0-9]{1,12}\Z").filter(bool) | st.just("A" * 40)
label = st.text(st.characters(codec="utf-8", exclude_characters="<>|"), max_size=12)


def escaped(sigil: str, known: list[str], prefix: str) -> st.SearchStrategy[str]:
    target = st.sampled_from(known) | ids.map(lambda raw: prefix + raw)
    return st.builds(
        lambda i, name, named: f"<{sigil}{i}|{name}>" if named else f"<{sigil}{i}>",
        target,
        label,
        st.booleans(),
    )


user_mentions = escaped("@", [ADMIN, MEMBER, FRENCH, *ENGINEERS, STRANGER, "UBOTREL"], "U")
channel_mentions = escaped("#", [CHANNEL, LEADS, "C0NOWHERE"], "C")
group_mentions = escaped("!subteam^", ["S0RENG", "S0NONE"], "S")
broken_mentions = st.sampled_from(
    [
        "<@",
        "<#C1|",
        "<!subteam^>",
        "<@U1|a|b>",
        "@sam",
        "#general",
        "<!here>",
        "<!channel>",
        "<@u0radmin>",
        "<#>",
        "<@U0RADMIN",
        "U0RADMIN>",
        "<mailto:a@b.c|a@b.c>",
        "<https://x.y>",
    ]
)
numbers = (
    st.integers(-20, 40).map(str)
    | st.integers(0, 10**30).map(str)
    | st.sampled_from(
        ["²", "١٢", "٣", "๕", "Ⅻ", "0x10", "1e3", "3.5", "+4", "00007", "-0", "9" * 400, "٥"]
    )
)
zone_names = (
    st.sampled_from(ZONES)
    | st.sampled_from(
        [
            "America",
            "Europe",
            "Etc",
            "posixrules",
            "Factory",
            "zone.tab",
            "tzdata.zi",
            "leapseconds",
            "iso3166.tab",
            "__pycache__",
            "Europe/__init__.py",
            "a" * 300,
            "Europe/Paris ",
            "europe/paris",
            "../../etc/passwd",
            "/etc/localtime",
            "UTC\x00",
            "Europe/Paris/",
            "Europe//Paris",
            "Mars/Olympus",
            "Lune/Cratère",
            "UTC",
            "GMT+2",
        ]
    )
    | text(max_size=30)
)
keywords = st.sampled_from(
    [
        "set",
        "reset",
        "add",
        "remove",
        "now",
        "off",
        "stop",
        "me",
        "moi",
        "cto",
        "vpe",
        "vp",
        "none",
        "personne",
        "delivery",
        "hiring",
        "architecture",
        "technical_vision",
        "vision technique",
        "engineers",
        "teams",
        "managers",
        "ingénieurs",
        "équipes",
        "fundraising",
        "international",
        "restructuring",
        "2027-03",
        "2027-13",
        "1999-01",
        "20277-01",
        "Series B",
        "weekly",
        "biweekly",
        "monthly",
        "monday",
        "lundi",
        "sun",
        "09:00",
        "24:00",
        "9:00",
        "23:59",
        "en",
        "fr",
        "de",
        "EN",
        "fr-FR",
        "anonymity",
        "language",
        "timezone",
        "channel",
        "digest",
        "status",
        "close",
        "schedule",
        "#1",
        "#x",
    ]
)
free_text = text(max_size=20)
quoted = st.builds(
    lambda body, quote, closed: f"{quote}{body}{quote if closed else ''}",
    free_text,
    st.sampled_from(['"', "'", "“", "”", "«"]),
    st.booleans(),
)
tokens = st.one_of(
    keywords,
    numbers,
    user_mentions,
    channel_mentions,
    group_mentions,
    broken_mentions,
    zone_names,
    free_text,
    quoted,
)
HEADS = [
    "help",
    "aide",
    "ask",
    "question",
    "demande",
    "roles",
    "roles set cto",
    "roles set vpe",
    "roles set",
    "rôles définir vpe",
    "owners",
    "owners set",
    "owners set delivery",
    "owners reset",
    "responsables définir",
    "leaders",
    "leaders add",
    "leaders remove",
    "direction ajouter",
    "pulse",
    "pulse now",
    "pulse schedule",
    "pulse schedule off",
    "pulse status",
    "pulse close",
    "sondage maintenant",
    "results",
    "résultats",
    "settings",
    "settings anonymity",
    "settings language",
    "settings timezone",
    "settings channel",
    "settings digest",
    "réglages anonymat",
    "réglages fuseau",
    "réglages canal",
    "réglages langue",
    "signals",
    "signaux",
    "digest",
    "digest now",
    "org",
    "org set",
    "org set engineers",
    "org set teams",
    "org set managers",
    "organisation set ingénieurs",
    "events",
    "event add",
    "event add fundraising",
    "event add fundraising 2027-03",
    "event remove",
    "événement ajouter",
    "export",
    "exporter",
    "forget",
    "forget me",
    "oublier moi",
    "PULSE NOW",
    "Settings Anonymity",
]
anything = st.builds(
    lambda head, args: f"{head} {' '.join(args)}".strip(),
    st.sampled_from(HEADS),
    st.lists(tokens, max_size=5),
)
months = (
    st.sampled_from(["2027-03", "2027-13", "2027-00", "1999-01", "2027-3", "٢٠٢٧-٠٣"]) | free_text
)
languages_typed = st.sampled_from(["en", "fr", "de", "EN", "Fr", "fr-FR", "français", "e", "ﬀ"])
digest_typed = st.builds(
    lambda c, d, t: f"{c} {d} {t}",
    st.sampled_from([*CADENCES, "daily", "WEEKLY"]) | free_text,
    st.sampled_from(["monday", "lundi", "sun", "funday", "7", "MONDAY"]) | free_text,
    st.sampled_from(["09:00", "23:59", "24:00", "9:00", "١٠:٠٠", "09:60", "0９:00"]) | free_text,
) | st.sampled_from(["off", "OFF", "off now"])
areas = st.sampled_from(
    ["delivery", "Delivery", "hiring", "vision technique", "technical_vision", "x"]
)
# Each subcommand with arguments of the kind it reads (then maybe a stray word or two).
ARGUMENTS: dict[str, st.SearchStrategy[str]] = {
    "settings anonymity": numbers,
    "réglages anonymat": numbers,
    "settings language": languages_typed | free_text,
    "settings timezone": zone_names,
    "réglages fuseau": zone_names,
    "settings channel": channel_mentions | user_mentions | group_mentions | broken_mentions,
    "settings digest": digest_typed,
    "results": numbers,
    "résultats": numbers,
    "org set engineers": numbers,
    "org set teams": numbers,
    "organisation set ingénieurs": numbers,
    "event remove": numbers | numbers.map(lambda n: "#" + n),
    "event add fundraising": months,
    "event add international": st.builds(lambda m, q: f"{m} {q}", months, quoted),
    "roles set cto": user_mentions | keywords,
    "roles set vpe": user_mentions | st.sampled_from(["none", "personne", "-"]),
    "owners set delivery": user_mentions,
    "owners set": st.builds(lambda a, u: f"{a} {u}", areas, user_mentions),
    "owners reset": areas,
    "leaders add": user_mentions,
    "leaders remove": user_mentions,
    "pulse now": st.lists(
        channel_mentions | group_mentions | user_mentions, min_size=1, max_size=3
    ).map(" ".join),
    "forget": st.sampled_from(["me", "moi", "ME", "me please", "you"]),
}
typed_for = st.one_of(
    [
        st.builds(
            lambda a, extra, h=head: f"{h} {a} {' '.join(extra)}".strip(),
            argument,
            st.lists(tokens, max_size=1),
        )
        for head, argument in ARGUMENTS.items()
    ]
)
structured = st.one_of(anything, typed_for)
long_text = st.builds(
    lambda piece, times: (piece * times)[:4000],
    text(min_size=1, max_size=40),
    st.integers(25, 4000),
)


def questions(harness: Harness) -> st.SearchStrategy[str]:
    """Questions the knowledge base knows, as typed, prefixed or mangled."""
    examples = [
        q for entry in harness.deps.kb.entries for lang in LANGS for q in entry.examples[lang]
    ]
    return st.builds(
        lambda q, prefix, suffix: f"{prefix}{q}{suffix}",
        st.sampled_from(examples),
        st.sampled_from(["", "ask ", "demande ", "question ", "<@UBOTREL> ", "  "]),
        st.sampled_from(["", "?", " ???", " \U0001f914", " <@U0RMEMBER|sam>", " " + "x" * 300]),
    )


def slash_texts(harness: Harness) -> st.SearchStrategy[str]:
    return weighted(
        (2, text(max_size=200)),
        (2, anything),
        (4, typed_for),
        (1, long_text),
        (2, questions(harness)),
    )


# -- what the answer should look like ----------------------------------------------------------

QUESTION_ROUTES = ("ask", "question", "demande")


class _NoApp:
    """Enough of Bolt's App for `register_all` to hand back the router (no listener kept)."""

    def __getattr__(self, name: str) -> Callable[..., Callable[..., None]]:
        return lambda *args, **kwargs: lambda *a, **k: None


def routes(harness: Harness) -> set[str]:
    router = register_all(_NoApp(), harness.services)  # type: ignore[arg-type]
    return {word for command in router.commands for word in command.words}


def expected_language(harness: Harness, command: Command, lang: str, known: set[str]) -> str:
    """The user's language, except for questions: those are answered in their own language
    (README: "in the question's language"), the user's when the question does not tell or
    is too long to be read (over limits.QUESTION: the user hears what fits)."""
    if command.name in QUESTION_ROUTES:
        question = command.rest
        if not question.strip() or len(question) > limits.QUESTION:
            return lang
        return detect_language(question, lang)  # type: ignore[arg-type]
    if command.name in known:
        return lang
    if len(command.text) > limits.QUESTION:
        return lang
    match = harness.deps.matcher.match(command.text, None, lang)  # type: ignore[arg-type]
    if match.entry is None and not command.args:
        return lang  # one unknown word: the help
    return match.lang


def without_echo(reply: str, typed: str) -> str:
    """The reply minus what the user typed (echoed words are not the bot's language)."""
    words = split_words(typed)
    spans = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    echoes = spans if len(words) <= 30 else set(words)
    for word in sorted(echoes | set(typed.split()) | {typed.strip()}, key=len, reverse=True):
        if len(word) >= Languages.MIN:
            for cut in (word, word[:80], word[:60], word[:20], word[:12]):
                reply = reply.replace(cut, " ")
    return reply


def assert_language(
    languages: Languages, text: str, expected: str, what: object, typed: str = ""
) -> None:
    found = languages.of(text, typed)
    assert found == {expected}, f"{what!r}: expected {expected}, found {found or 'none'}: {text!r}"


def is_leader(harness: Harness, user: str) -> bool:
    from bot.team.leaders import is_leader as leader_check

    person = harness.deps.people.get(harness.deps.clients.base, TEAM, user)
    with unit_of_work(harness.deps.sessions) as session:
        return leader_check(session, TEAM, person)


def opens_schedule_modal(command: Command) -> bool:
    args = [arg.lower() for arg in command.args]
    return (
        command.name in ("pulse", "sondage")
        and bool(args)
        and args[0] in ("schedule", "planifier")
        and not (len(args) > 1 and args[1] in ("off", "stop", "arrêt"))
    )


# -- 1. slash commands -------------------------------------------------------------------------


def test_any_command_text_gets_one_answer_in_the_users_language(
    harness: Harness, languages: Languages
) -> None:
    known = routes(harness)
    stats = {"cases": 0, "questions": 0, "modals": 0}

    @run(harness, 1500)
    @given(text=slash_texts(harness), user=st.sampled_from(PEOPLE))
    def check(text: str, user: str) -> None:
        leader = is_leader(harness, user)
        out = harness.command(text, user)
        stats["cases"] += 1
        out.assert_clean(text)
        assert out.body == "", f"{text!r}: the ack says nothing, got {out.body!r}"
        command = parse_command(text)
        if leader and opens_schedule_modal(command) and not out.responses:
            assert len(out.calls_to("views.open")) == 1, f"{text!r}: no modal opened"
            stats["modals"] += 1
            return
        assert len(out.responses) == 1, f"{text!r}: {len(out.responses)} answers"
        expected = expected_language(harness, command, LANG_OF[user], known)
        stats["questions"] += expected != LANG_OF[user]
        reply = without_echo(message_text(out.responses[0].body), text)
        assert_language(languages, reply, expected, text, text)

    check()
    print(f"slash commands: {stats}")


# -- 2. direct messages and mentions -----------------------------------------------------------


def test_any_message_or_mention_gets_one_reply(harness: Harness, languages: Languages) -> None:
    stats = {"cases": 0, "replies": 0, "too long": 0}
    texts = st.one_of(text(max_size=300), long_text, questions(harness), structured)

    @run(harness, 500)
    @given(
        text=texts,
        user=st.sampled_from(PEOPLE),
        where=st.sampled_from(["im", "mention", "channel"]),
        noise=st.sampled_from([None] * 6 + ["bot_id", "subtype", "no_user"]),
        threaded=st.booleans(),
    )
    def check(text: str, user: str, where: str, noise: str | None, threaded: bool) -> None:
        ts = f"17000{harness.requests:05d}.000100"
        event: dict[str, Any] = {
            "type": "app_mention" if where == "mention" else "message",
            "user": user,
            "text": f"<@UBOTREL> {text}" if where == "mention" else text,
            "ts": ts,
            "channel": f"D{user}" if where == "im" else CHANNEL,
            "channel_type": "im" if where == "im" else "channel",
            "event_ts": ts,
            "team": TEAM,
        }
        if threaded:
            event["thread_ts"] = "1600000000.000100"
        if noise == "bot_id":
            event["bot_id"] = "B0OTHER"
        elif noise == "subtype":
            event["subtype"] = "message_changed"
        elif noise == "no_user":
            del event["user"]
        out = harness.event(event)
        stats["cases"] += 1
        out.assert_clean(event)
        assert out.status == 200
        posts = out.calls_to("chat.postMessage")
        private = out.calls_to("chat.postEphemeral")
        if noise is not None or where == "channel":
            assert not posts, f"{event!r}: answered what it should ignore"
            assert not private, f"{event!r}: answered what it should ignore"
            return
        question = strip_mentions(event["text"])
        if len(question) > limits.QUESTION:
            told = posts if where == "im" else private
            assert len(told) == 1, f"{text!r}: too long, and told {len(told)} times"
            assert told[0].params["user" if where == "mention" else "channel"] == (
                user if where == "mention" else event["channel"]
            )
            assert_language(languages, message_text(told[0].params), LANG_OF[user], text)
            stats["too long"] += 1
            return
        assert len(posts) == 1, f"{text!r}: {len(posts)} replies"
        stats["replies"] += 1
        post = posts[0].params
        assert post["channel"] == event["channel"]
        if where == "mention":
            assert post["thread_ts"] == (event.get("thread_ts") or ts), "answered in the thread"
        lang = detect_language(strip_mentions(event["text"]), LANG_OF[user])  # type: ignore[arg-type]
        assert_language(languages, without_echo(message_text(post), text), lang, text, text)

    check()
    print(f"messages and mentions: {stats}")


# -- 3. button clicks --------------------------------------------------------------------------

ACTIONS = [
    "pulse_comment",
    "share_answer",
    "digest_results",
    "digest_start_pulse",
    "forget_me",
    "forget_cancel",
    "home_settings",
]
KINDS = {"pulse_answer", "cto_checkin", *ACTIONS}
REFUSALS = ("pulse.dm.closed", "pulse.dm.not_asked", "pulse.dm.gone")


def json_values() -> st.SearchStrategy[Any]:
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(text(max_size=6), inner, max_size=3)
        ),
        max_leaves=6,
    )


def to_arabic(number: int) -> str:
    return "".join(chr(0x660 + int(d)) for d in str(number))


def clicks(harness: Harness, pulses: Pulses) -> st.SearchStrategy[tuple[str, Any]]:
    """(action_id, value) pairs: for each of the bot's buttons, the values it sends (taps
    that count), forged ones (other pulses, values outside the scale, other digits), and
    garbage of any JSON type; plus action ids the bot never made."""
    pulse = st.sampled_from([pulses.open_id, pulses.closed_id, pulses.other_id]) | st.sampled_from(
        [0, -1, 999, 2**31, 10**11, 10**12, 10**40]
    )
    ours = st.sampled_from(ITEMS)
    items = st.sampled_from(["predictability", "priorities", "energy", "quality", "cto_bottleneck"])
    item = items | st.sampled_from(["ENERGY", "", "x" * 40, "operations", "decisions"])
    operations = list(harness.deps.pulse.operations.values)
    decisions = list(harness.deps.pulse.decisions.values)
    number = st.integers(-3, 8) | st.sampled_from([0, 6, 99, 999, 10**6, *operations, *decisions])
    garbage = json_values().map(json.dumps) | text(max_size=60) | json_values() | st.none()
    forged = st.one_of(
        st.builds(
            lambda p, i, v: f"{to_arabic(p)}:{i}:{to_arabic(v)}",
            pulse.filter(lambda p: p >= 0),
            ours,
            st.integers(1, 5),
        ),
        st.builds(
            lambda p, i, v: f"{p}:{i}:{v}",
            st.sampled_from(["²", "1.0", "+1", " 1", "0x1", "-0"]),
            ours,
            st.integers(1, 5),
        ),
        st.builds(lambda p, i, v: f"{p}:{i}:{v}:extra", pulse, ours, st.integers(1, 5)),
        st.builds(lambda p, i, v: f"{p}:{i}:{v}", pulse, item, number),
    )
    taps = st.builds(lambda i, v: f"{pulses.open_id}:{i}:{v}", ours, st.integers(1, 5))
    answer_ids = st.builds(lambda i, v: f"pulse_answer:{i}:{v}", items, st.integers(1, 5))
    answer = st.tuples(answer_ids, weighted((3, taps), (2, forged), (1, garbage)))
    checkin_taps = st.one_of(
        st.builds(lambda v: f"{pulses.open_id}:operations:{v}", st.sampled_from(operations)),
        st.builds(lambda v: f"{pulses.open_id}:decisions:{v}", st.sampled_from(decisions)),
    )
    checkin_forged = st.builds(
        lambda p, f, v: f"{p}:{f}:{v}",
        pulse,
        st.sampled_from(["operations", "decisions", "energy", "Operations"]),
        number,
    )
    checkin_ids = st.builds(
        lambda f, v: f"cto_checkin:{f}:{v}", st.sampled_from(["operations", "decisions"]), number
    )
    checkin = st.tuples(
        checkin_ids, weighted((3, checkin_taps), (2, checkin_forged), (1, forged), (1, garbage))
    )
    comment_values = st.one_of(
        st.just(str(pulses.open_id)),
        pulse.map(str),
        st.sampled_from(["²", "١", "", " ", "12345678901", "123456789012", "٣", "+1", "1.0"]),
        garbage,
    )
    comment = st.tuples(st.just("pulse_comment"), comment_values)
    topics = [entry.id for entry in harness.deps.kb.entries]
    share_values = st.builds(
        lambda topic, lang: json.dumps({"topic": topic, "lang": lang}),
        st.sampled_from(topics) | text(max_size=8),
        st.sampled_from(["en", "fr", "de", "", "EN"]),
    )
    share = st.tuples(st.just("share_answer"), share_values | garbage)
    others = st.tuples(st.sampled_from(ACTIONS[2:]), garbage)
    unknown = st.tuples(text(max_size=20), garbage)
    return weighted((5, answer), (3, checkin), (2, comment), (1, share), (2, others), (1, unknown))


def parse_click(value: Any) -> tuple[int, str, int] | None:
    """What a button of ours would carry: `pulse:item:value`, ASCII digits only, and a
    pulse id that an INTEGER column can hold."""
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"([0-9]{1,12}):([a-z_]{1,32}):([0-9]{1,3})", value)
    if match is None or int(match[1]) >= 2**31:
        return None
    return int(match[1]), match[2], int(match[3])


def answer_accepted(harness: Harness, value: Any, user: str) -> bool:
    parsed = parse_click(value)
    if parsed is None:
        return False
    pulse_id, item, answer = parsed
    with unit_of_work(harness.deps.sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        asked = session.get(PulseRecipient, (pulse_id, user)) is not None
        return bool(
            pulse is not None
            and pulse.team_id == TEAM
            and pulse.status == "open"
            and asked
            and item in pulse.items
            and 1 <= answer <= 5
        )


def checkin_accepted(harness: Harness, value: Any, user: str) -> bool:
    parsed = parse_click(value)
    if parsed is None:
        return False
    pulse_id, field, answer = parsed
    questions = {
        "operations": harness.deps.pulse.operations,
        "decisions": harness.deps.pulse.decisions,
    }
    with unit_of_work(harness.deps.sessions) as session:
        pulse = session.get(Pulse, pulse_id)
        return bool(
            pulse is not None
            and pulse.team_id == TEAM
            and pulse.status == "open"
            and pulse.checkin_user == user
            and field in questions
            and answer in questions[field].values
        )


def comment_accepted(harness: Harness, value: Any, user: str) -> bool:
    if not (isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value)):
        return False
    if int(value) >= 2**31:
        return False
    with unit_of_work(harness.deps.sessions) as session:
        pulse = session.get(Pulse, int(value))
        asked = session.get(PulseRecipient, (int(value), user)) is not None
        return pulse is not None and pulse.team_id == TEAM and pulse.status == "open" and asked


def share_valid(harness: Harness, value: Any) -> bool:
    try:
        parsed = json.loads(value)
        harness.deps.kb.get(str(parsed["topic"]))
    except (ValueError, KeyError, TypeError):
        return False
    return parsed.get("lang") in ("en", "fr")


def refusal_texts(harness: Harness, lang: str) -> set[str]:
    keys = (*REFUSALS, "ask.share_gone")
    return {harness.deps.catalog.t(key, lang) for key in keys}  # type: ignore[arg-type]


class Store:
    """What the database holds about the seeded pulses, to compare before and after."""

    def __init__(self, harness: Harness, pulses: Pulses) -> None:
        self.closed = answers_of(harness, pulses.closed_id)
        self.other = answers_of(harness, pulses.other_id)
        self.open = answers_of(harness, pulses.open_id)
        self.comments = {p: comments_of(harness, p) for p in (pulses.closed_id, pulses.other_id)}
        with unit_of_work(harness.deps.sessions) as session:
            self.checkins = {
                row.pulse_id: (row.operations_share, row.decisions_waiting)
                for row in session.scalars(select(CtoCheckin))
            }
            self.values = set(session.scalars(select(PulseAnswer.value)))


def tokens_of(harness: Harness, pulse_id: int, team: str, people: tuple[str, ...]) -> set[str]:
    return {respondent_token(harness.deps.answer_key, team, pulse_id, p) for p in people}


def assert_nothing_wrong_stored(
    harness: Harness, pulses: Pulses, before: Store, what: object
) -> None:
    after = Store(harness, pulses)
    assert after.values <= {1, 2, 3, 4, 5}, f"{what!r}: an answer outside 1–5: {after.values}"
    assert after.closed <= before.closed, f"{what!r}: an answer recorded on a closed pulse"
    assert after.other <= before.other, f"{what!r}: an answer recorded in another workspace"
    for pulse_id, comments in after.comments.items():
        assert comments <= before.comments[pulse_id], f"{what!r}: a comment on pulse {pulse_id}"
    asked = tokens_of(harness, pulses.open_id, TEAM, pulses.asked)
    strangers = {r for _, r, _ in after.open} - asked
    assert not strangers, f"{what!r}: an answer from someone who was not asked"
    for pulse_id, row in after.checkins.items():
        assert pulse_id == pulses.open_id, f"{what!r}: a check-in on pulse {pulse_id}"
        operations, decisions = row
        assert operations in (None, *harness.deps.pulse.operations.values)
        assert decisions in (None, *harness.deps.pulse.decisions.values)


def test_any_click_is_answered_politely_and_stores_nothing_forged(
    harness: Harness, languages: Languages
) -> None:
    pulses = seed_pulses(harness)
    stats: dict[str, int] = {"cases": 0, "accepted": 0, "refused": 0, "unknown action": 0}
    kinds: Counter[str] = Counter()

    @run(harness, 1200)
    @given(
        click=clicks(harness, pulses),
        user=st.sampled_from([*PEOPLE, MEMBER, FRENCH, ENGINEERS[0], STRANGER]),
    )
    def check(click: tuple[str, Any], user: str) -> None:
        action_id, value = click
        kinds[action_id.split(":")[0] if action_id.split(":")[0] in KINDS else "other"] += 1
        lang = LANG_OF[user]
        kind = action_id.split(":")[0] if ":" in action_id else action_id
        expected = {
            "pulse_answer": lambda: answer_accepted(harness, value, user),
            "cto_checkin": lambda: checkin_accepted(harness, value, user),
            "pulse_comment": lambda: comment_accepted(harness, value, user),
        }.get(kind, lambda: False)()
        leader = user == ADMIN
        before = Store(harness, pulses)
        out = harness.action(action_id, value, user, pulses.messages.get(user))
        what = (action_id, value, user)
        stats["cases"] += 1
        out.assert_clean(what)
        assert_nothing_wrong_stored(harness, pulses, before, what)
        texts = [without_echo(t, str(value)) for t in out.texts()]
        updates, modals = out.calls_to("chat.update"), out.calls_to("views.open")
        if kind in ("pulse_answer", "cto_checkin", "pulse_comment"):
            if expected:
                stats["accepted"] += 1
                assert not out.responses, f"{what!r}: a valid tap was refused: {texts}"
                assert updates or modals, f"{what!r}: a valid tap changed nothing on screen"
                if kind == "pulse_answer":
                    pulse_id, item, answer = parse_click(value) or (0, "", 0)
                    token = respondent_token(harness.deps.answer_key, TEAM, pulse_id, user)
                    assert (item, token, answer) in answers_of(harness, pulse_id)
                return
            stats["refused"] += 1
            assert not updates, f"{what!r}: a forged tap redrew the message"
            assert not modals, f"{what!r}: a forged tap opened a modal"
            assert len(out.responses) == 1, f"{what!r}: {len(out.responses)} answers"
            assert out.texts()[0] in refusal_texts(harness, lang), f"{what!r}: {texts}"
            return
        if kind == "share_answer":
            if share_valid(harness, value):
                assert [p.body.get("response_type") for p in out.responses][:1] == ["in_channel"]
            else:
                assert out.texts() == [harness.deps.catalog.t("ask.share_gone", lang)]  # type: ignore[arg-type]
            return
        if kind in ("home_settings",) or (kind == "digest_start_pulse" and leader):
            assert len(modals) == 1, f"{what!r}: no modal"
            assert not out.responses, f"{what!r}: {out.texts()}"
            return
        if kind in ("digest_results", "digest_start_pulse", "forget_me", "forget_cancel"):
            assert len(out.responses) == 1, f"{what!r}: {len(out.responses)} answers"
            assert_language(languages, texts[0], lang, what, str(value))
            if kind == "forget_me" and user in pulses.asked:
                token = respondent_token(harness.deps.answer_key, TEAM, pulses.open_id, user)
                assert all(r != token for _, r, _ in answers_of(harness, pulses.open_id))
                ask_again(harness, pulses, user)
            return
        stats["unknown action"] += 1
        assert out.status == 404, f"{what!r}: HTTP {out.status}"
        assert not out.responses
        assert not out.calls_to("chat.update")

    check()
    print(f"clicks: {stats} {dict(kinds)}")


# -- 4. modal submissions ----------------------------------------------------------------------

COMMENT_BLOCKS = {"comment"}
SCHEDULE_BLOCKS = {
    "channels",
    "groups",
    "people",
    "cadence",
    "weekday",
    "time",
    "timezone",
    "open_days",
    "items",
    "language",
}


def element(kind: str, key: str, content: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A block's state: as Slack shapes it, with odd content, or with the wrong shape."""
    shaped = st.builds(lambda c: {"value": {"type": kind, key: c}}, content)
    wrong = st.one_of(
        json_values(),
        st.builds(lambda c: {"value": c}, json_values()),
        st.builds(lambda c: {"value": {"type": kind, key: c}}, json_values()),
    )
    return weighted((4, shaped), (1, wrong))


def option(content: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.builds(lambda v: {"value": v, "text": {"type": "plain_text", "text": "x"}}, content)


def block_values(blocks: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Some of the blocks (Slack leaves out none, a forger may), each with its state."""
    return st.fixed_dictionaries({}, optional=blocks) | st.fixed_dictionaries(blocks)


def as_slack_sends(kind: str, key: str, content: Any) -> dict[str, Any]:
    return {"value": {"type": kind, key: content}}


VALID_SCHEDULE = st.fixed_dictionaries(
    {
        "channels": st.sampled_from([[CHANNEL], [LEADS], []]).map(
            lambda v: as_slack_sends("multi_conversations_select", "selected_conversations", v)
        ),
        "people": st.sampled_from([[], [ENGINEERS[0]], [MEMBER, FRENCH]]).map(
            lambda v: as_slack_sends("multi_users_select", "selected_users", v)
        ),
        "cadence": st.sampled_from(CADENCES).map(
            lambda v: as_slack_sends("static_select", "selected_option", {"value": v})
        ),
        "weekday": st.integers(0, 6).map(
            lambda v: as_slack_sends("static_select", "selected_option", {"value": str(v)})
        ),
        "time": st.sampled_from(["09:30", "00:00", "23:59", "10:00"]).map(
            lambda v: as_slack_sends("timepicker", "selected_time", v)
        ),
        "timezone": st.sampled_from(ZONES).map(
            lambda v: as_slack_sends("plain_text_input", "value", v)
        ),
        "open_days": st.integers(1, 14).map(
            lambda v: as_slack_sends("number_input", "value", str(v))
        ),
        "items": st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3).map(
            lambda v: as_slack_sends(
                "multi_static_select", "selected_options", [{"value": i} for i in v]
            )
        ),
        "language": st.sampled_from(["auto", "en", "fr"]).map(
            lambda v: as_slack_sends("static_select", "selected_option", {"value": v})
        ),
    }
)


def odd_schedule_blocks() -> dict[str, st.SearchStrategy[Any]]:
    conversations = st.lists(
        st.sampled_from([CHANNEL, LEADS, "C0NOWHERE", "C" + "9" * 40]) | text(max_size=8),
        max_size=3,
    )
    users = st.lists(
        st.sampled_from([*PEOPLE, *ENGINEERS, STRANGER]) | text(max_size=8), max_size=3
    )
    items = st.lists(
        option(st.sampled_from(["energy", "quality", "predictability"]) | text(max_size=8)),
        max_size=3,
    )
    days = st.sampled_from([str(d) for d in range(-1, 16)] + ["²", "١٢", "3.5", "", "9" * 30])
    weekdays = st.sampled_from([str(d) for d in range(-1, 9)] + ["99", "²", "٣", "32768", "9" * 30])
    times = st.sampled_from(
        ["09:30", "00:00", "23:59", "24:00", "25:61", "9:5", "", "12345678", "ab:cd", "١٠:٠٠"]
    )
    return {
        "channels": element("multi_conversations_select", "selected_conversations", conversations),
        "groups": element(
            "multi_static_select",
            "selected_options",
            st.lists(option(st.sampled_from(["S0RENG", "S0NONE"])), max_size=2),
        ),
        "people": element("multi_users_select", "selected_users", users),
        "cadence": element(
            "static_select",
            "selected_option",
            option(st.sampled_from([*CADENCES, "daily", ""])) | st.none(),
        ),
        "weekday": element("static_select", "selected_option", option(weekdays) | st.none()),
        "time": element("timepicker", "selected_time", times | st.none()),
        "timezone": element("plain_text_input", "value", zone_names | st.none()),
        "open_days": element("number_input", "value", days | st.none()),
        "items": element("multi_static_select", "selected_options", items),
        "language": element(
            "static_select",
            "selected_option",
            option(st.sampled_from(["auto", "en", "fr", "de", ""])),
        ),
    }


def mutated(
    valid: st.SearchStrategy[dict[str, Any]], odd: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """A valid form with none, one or two blocks taken out or filled with something odd."""
    change = st.tuples(st.sampled_from(sorted(odd)), st.none() | st.one_of(list(odd.values())))

    def apply(form: dict[str, Any], changes: list[tuple[str, Any]]) -> dict[str, Any]:
        form = dict(form)
        for block, replacement in changes:
            if replacement is None:
                form.pop(block, None)
            else:
                form[block] = replacement
        return form

    return st.builds(apply, valid, st.lists(change, max_size=2))


def schedule_values() -> st.SearchStrategy[dict[str, Any]]:
    odd = odd_schedule_blocks()
    return weighted((3, mutated(VALID_SCHEDULE, odd)), (1, block_values(odd)))


def comment_values() -> st.SearchStrategy[dict[str, Any]]:
    typed = text(max_size=100) | long_text | st.sampled_from(["", "   ", "\n"]) | st.none()
    shaped = st.builds(
        lambda t: {"comment": {"comment_text": {"type": "plain_text_input", "value": t}}}, typed
    )
    wrong = st.one_of(
        st.just({}),
        st.builds(lambda v: {"comment": v}, json_values()),
        st.builds(lambda v: {"comment": {"comment_text": v}}, json_values()),
        st.builds(lambda v: {"comment": {"comment_text": {"value": v}}}, json_values()),
    )
    return st.one_of(shaped, shaped, shaped, wrong)


def metadata(fields: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[str]:
    """private_metadata: mostly what the bot wrote, else broken JSON or JSON of any type."""
    broken = st.sampled_from(["", "{", "[]", "null", "3", '"x"', "{}", "not json", '{"pulse": }'])
    return weighted((6, fields.map(json.dumps)), (1, broken), (1, json_values().map(json.dumps)))


def schedule_row(harness: Harness) -> list[tuple[Any, ...]]:
    with unit_of_work(harness.deps.sessions) as session:
        rows = session.scalars(select(PulseSchedule).order_by(PulseSchedule.id)).all()
        return [
            (
                r.active,
                r.cadence,
                r.weekday,
                r.time_of_day,
                r.timezone,
                r.open_days,
                r.audience,
                r.items,
                r.language,
                r.created_by,
            )
            for r in rows
        ]


def assert_schedules_valid(harness: Harness, what: object) -> None:
    known = {item.id for item in harness.deps.pulse.items}
    for row in schedule_row(harness):
        _, cadence, weekday, at, zone, days, audience, items, language, by = row
        assert cadence in CADENCES, f"{what!r}: cadence {cadence!r}"
        assert 0 <= weekday <= 6, f"{what!r}: weekday {weekday!r}"
        assert TIME.match(at), f"{what!r}: time {at!r}"
        assert zone in ZONES, f"{what!r}: time zone {zone!r}"
        assert 1 <= days <= 14, f"{what!r}: open days {days!r}"
        assert items, f"{what!r}: no items"
        assert set(items) <= known, f"{what!r}: items {items!r}"
        assert language in (None, "en", "fr"), f"{what!r}: language {language!r}"
        assert by == ADMIN, f"{what!r}: saved for {by!r}, who is not leadership"
        assert isinstance(audience, dict)
        assert all(isinstance(v, str) for ids_ in audience.values() for v in ids_)


def assert_errors_ack(out: Outcome, blocks: set[str], what: object) -> dict[str, str]:
    """The ack is empty, or `response_action: errors` naming blocks the modal has."""
    if out.body == "":
        return {}
    ack = out.ack
    assert ack.get("response_action") == "errors", f"{what!r}: ack {ack!r}"
    errors: dict[str, str] = ack["errors"]
    assert errors, f"{what!r}: errors without a message"
    assert set(errors) <= blocks, f"{what!r}: errors for unknown blocks {errors!r}"
    assert all(isinstance(m, str) for m in errors.values()), errors
    assert all(0 < len(m) <= 2000 for m in errors.values()), errors
    return errors


def test_any_modal_submission_is_acknowledged_and_saves_nothing_invalid(
    harness: Harness, languages: Languages
) -> None:
    pulses = seed_pulses(harness)
    stats: Counter[str] = Counter()
    pulse_field = weighted(
        (4, st.just(pulses.open_id)),
        (2, st.sampled_from([pulses.closed_id, pulses.other_id, 0, -1, 2**31, 10**40])),
        (1, json_values()),
    )
    langs = st.sampled_from(["en", "fr", "de", None, 3])

    comment_meta = st.builds(
        lambda p, lang, where: {"pulse": p, "lang": lang, **where},
        pulse_field,
        langs,
        st.sampled_from(
            [pulses.messages[MEMBER], pulses.messages[FRENCH], ("C0NOWHERE", "1.2"), None]
        ).map(lambda m: {"channel_id": m[0], "message_ts": m[1]} if m else {}),
    )
    schedule_meta = st.builds(
        lambda c, lang: {"channel": c, "lang": lang},
        st.sampled_from([CHANNEL, "C0NOWHERE", "", 5]),
        langs,
    )

    def start_meta() -> st.SearchStrategy[dict[str, Any]]:
        url = st.builds(lambda _: harness.hook("start")[1], st.just(0))
        return st.builds(
            lambda u, lang: {"response_url": u, "lang": lang},
            url | st.sampled_from(["", "x", 7]),
            langs,
        )

    start_values = block_values(
        {
            "channels": element(
                "multi_conversations_select",
                "selected_conversations",
                st.lists(st.sampled_from([CHANNEL, "C0NOWHERE"]) | text(max_size=6), max_size=2),
            ),
            "people": element(
                "multi_users_select",
                "selected_users",
                st.lists(st.sampled_from([*ENGINEERS, STRANGER]) | text(max_size=6), max_size=2),
            ),
        }
    )
    submissions = weighted(
        (3, st.tuples(st.just("pulse_comment"), comment_values(), metadata(comment_meta))),
        (2, st.tuples(st.just("pulse_schedule"), schedule_values(), metadata(schedule_meta))),
        (1, st.tuples(st.just("pulse_start"), start_values, metadata(start_meta()))),
    )

    @run(harness, 800)
    @given(submission=submissions, user=st.sampled_from([*PEOPLE, ADMIN, MEMBER, FRENCH, STRANGER]))
    def check(submission: tuple[str, dict[str, Any], str], user: str) -> None:
        callback, values, meta = submission
        before_store, before_pulses = Store(harness, pulses), pulse_ids(harness)
        before_comments = comments_of(harness, pulses.open_id)
        out = harness.submit_view(callback, values, meta, user)
        what = (callback, values, meta, user)
        stats["cases"] += 1
        out.assert_clean(what)
        assert out.status == 200, f"{what!r}: HTTP {out.status}"
        assert_nothing_wrong_stored(harness, pulses, before_store, what)
        if callback == "pulse_comment":
            errors = assert_errors_ack(out, COMMENT_BLOCKS, what)
            comments = comments_of(harness, pulses.open_id)
            asked = tokens_of(harness, pulses.open_id, TEAM, pulses.asked)
            for respondent, saved in comments:
                assert respondent in asked, f"{what!r}: a comment from someone not asked"
                assert 0 < len(saved) <= 2000, f"{what!r}: {saved!r}"
                assert saved == saved.strip(), f"{what!r}: {saved!r}"
            if errors:
                assert comments == before_comments, f"{what!r}: refused, yet saved"
            stats[f"comment {'refused' if errors else 'saved'}"] += 1
        elif callback == "pulse_schedule":
            errors = assert_errors_ack(out, SCHEDULE_BLOCKS, what)
            assert_schedules_valid(harness, what)
            stats[f"schedule {'refused' if errors else 'saved'}"] += 1
        else:
            assert out.body == "", f"{what!r}: the start modal closes at once"
            new = pulse_ids(harness) - before_pulses
            with unit_of_work(harness.deps.sessions) as session:
                starters = {session.get(Pulse, p).started_by for p in new}  # type: ignore[union-attr]
            assert starters <= {ADMIN}, f"{what!r}: a pulse started by {starters}"
            stats[f"start {'opened a pulse' if new else 'no pulse'}"] += 1
            for text in out.texts():
                assert "errors.unexpected" not in text

    check()
    print(f"modal submissions: {stats}")


# -- 5. settings -------------------------------------------------------------------------------


def settings_commands() -> st.SearchStrategy[str]:
    digest = st.builds(
        lambda c, d, t: f"{c} {d} {t}",
        st.sampled_from([*CADENCES, "daily", "WEEKLY"]) | free_text,
        st.sampled_from(["monday", "lundi", "sun", "funday", "7"]) | free_text,
        st.sampled_from(["09:00", "23:59", "24:00", "9:00", "١٠:٠٠", "09:60"]) | free_text,
    )
    values = {
        "anonymity": numbers | free_text,
        "anonymat": numbers,
        "language": st.sampled_from(["en", "fr", "de", "EN", "Fr", "fr-FR", "français", "e", ""])
        | free_text,
        "langue": st.sampled_from(["en", "fr", "es"]),
        "timezone": zone_names,
        "fuseau": zone_names,
        "channel": channel_mentions | user_mentions | group_mentions | broken_mentions | free_text,
        "canal": channel_mentions,
        "digest": digest | st.sampled_from(["off", "OFF", "off now"]),
    }
    return st.one_of(
        [st.builds(lambda v, n=name: f"settings {n} {v}", value) for name, value in values.items()]
        + [st.builds(lambda n, v: f"réglages {n} {v}", st.sampled_from(list(values)), tokens)]
    )


def stored_settings(harness: Harness) -> tuple[Any, ...]:
    with unit_of_work(harness.deps.sessions) as session:
        workspace = session.get(Workspace, TEAM)
        digest = session.scalars(
            select(DigestSchedule).where(DigestSchedule.team_id == TEAM)
        ).first()
        return (
            (
                workspace.anonymity_threshold,
                workspace.language,
                workspace.timezone,
                workspace.leadership_channel,
            )
            if workspace
            else (5, None, None, None),
            (digest.cadence, digest.weekday, digest.time_of_day, digest.timezone)
            if digest
            else None,
        )


def test_settings_always_stay_valid(harness: Harness, languages: Languages) -> None:
    stats = {"cases": 0, "changed": 0}

    @run(harness, 600)
    @given(text=settings_commands(), user=st.sampled_from([ADMIN, ADMIN, FRENCH, MEMBER]))
    def check(text: str, user: str) -> None:
        before = stored_settings(harness)
        out = harness.command(text, user)
        stats["cases"] += 1
        out.assert_clean(text)
        assert len(out.responses) == 1, f"{text!r}: {len(out.responses)} answers"
        reply = without_echo(message_text(out.responses[0].body), text)
        assert_language(languages, reply, LANG_OF[user], text, text)
        (threshold, language, zone, channel), digest = after = stored_settings(harness)
        assert 3 <= threshold <= 10, f"{text!r}: anonymity threshold {threshold}"
        assert language in (None, "en", "fr"), f"{text!r}: language {language!r}"
        assert zone is None or zone in ZONES, f"{text!r}: time zone {zone!r}"
        assert channel is None or SLACK_ID.match(channel), f"{text!r}: channel {channel!r}"
        if digest is not None:
            cadence, weekday, at, digest_zone = digest
            assert cadence in CADENCES, digest
            assert 0 <= weekday <= 6, digest
            assert TIME.match(at), digest
            ZoneInfo(digest_zone)
            assert digest_zone in ZONES, f"{text!r}: digest zone {digest_zone!r}"
        if user == MEMBER:
            assert after == before, f"{text!r}: a member changed a setting"
        stats["changed"] += after != before

    check()
    print(f"settings: {stats}")


# -- forged values, by hand --------------------------------------------------------------------


@pytest.fixture
def pulses(harness: Harness) -> Pulses:
    return seed_pulses(harness)


def tap(harness: Harness, pulses: Pulses, value: str, user: str = MEMBER) -> Outcome:
    item = value.split(":")[1] if value.count(":") == 2 else "energy"
    out = harness.action(f"pulse_answer:{item}:1", value, user, pulses.messages.get(user))
    out.assert_clean(value)
    return out


def refused_with(harness: Harness, out: Outcome, key: str, lang: str = "en") -> None:
    assert out.texts() == [harness.deps.catalog.t(key, lang)]  # type: ignore[arg-type]
    assert not out.calls_to("chat.update")


@pytest.mark.parametrize("answer", [0, 6, 7, 99, 999])
def test_an_answer_outside_one_to_five_is_refused(
    harness: Harness, pulses: Pulses, answer: int
) -> None:
    before = answers_of(harness, pulses.open_id)
    out = tap(harness, pulses, f"{pulses.open_id}:energy:{answer}")
    refused_with(harness, out, "pulse.dm.gone")
    assert answers_of(harness, pulses.open_id) == before


def test_a_pulse_of_another_workspace_is_refused(harness: Harness, pulses: Pulses) -> None:
    before = answers_of(harness, pulses.other_id)
    out = tap(harness, pulses, f"{pulses.other_id}:energy:5")
    refused_with(harness, out, "pulse.dm.gone")
    assert answers_of(harness, pulses.other_id) == before
    comment = harness.action("pulse_comment", str(pulses.other_id), MEMBER, pulses.messages[MEMBER])
    refused_with(harness, comment, "pulse.dm.gone")
    assert not comment.calls_to("views.open")


def test_a_closed_pulse_is_refused_in_the_users_language(harness: Harness, pulses: Pulses) -> None:
    before = answers_of(harness, pulses.closed_id)
    refused_with(harness, tap(harness, pulses, f"{pulses.closed_id}:energy:1"), "pulse.dm.closed")
    out = tap(harness, pulses, f"{pulses.closed_id}:energy:2", FRENCH)
    refused_with(harness, out, "pulse.dm.closed", "fr")
    assert answers_of(harness, pulses.closed_id) == before


@pytest.mark.parametrize("user", [ADMIN, ENGINEERS[0], STRANGER])
def test_a_person_who_was_not_asked_is_refused(harness: Harness, pulses: Pulses, user: str) -> None:
    out = tap(harness, pulses, f"{pulses.open_id}:energy:4", user)
    refused_with(harness, out, "pulse.dm.not_asked")
    token = respondent_token(harness.deps.answer_key, TEAM, pulses.open_id, user)
    assert all(r != token for _, r, _ in answers_of(harness, pulses.open_id))


def test_a_check_in_from_anyone_but_the_cto_is_refused(harness: Harness, pulses: Pulses) -> None:
    value = f"{pulses.open_id}:decisions:{harness.deps.pulse.decisions.values[0]}"
    out = harness.action("cto_checkin:decisions:1", value, MEMBER, pulses.messages[MEMBER])
    out.assert_clean(value)
    refused_with(harness, out, "pulse.dm.not_asked")
    with unit_of_work(harness.deps.sessions) as session:
        assert session.get(CtoCheckin, pulses.open_id) is None
    odd = f"{pulses.open_id}:operations:{max(harness.deps.pulse.operations.values) + 1}"
    refused_with(harness, harness.action("cto_checkin:operations:1", odd, ADMIN), "pulse.dm.gone")
    with unit_of_work(harness.deps.sessions) as session:
        assert session.get(CtoCheckin, pulses.open_id) is None


def test_a_comment_on_a_closed_or_foreign_pulse_is_refused_in_the_modal(
    harness: Harness, pulses: Pulses
) -> None:
    values = {"comment": {"comment_text": {"type": "plain_text_input", "value": "hello"}}}
    for pulse_id in (pulses.closed_id, pulses.other_id):
        meta = json.dumps({"pulse": pulse_id, "lang": "fr"})
        out = harness.submit_view("pulse_comment", values, meta, MEMBER)
        out.assert_clean(meta)
        assert out.ack == {
            "response_action": "errors",
            "errors": {"comment": harness.deps.catalog.t("pulse.comment_modal.closed", "fr")},
        }
        assert comments_of(harness, pulse_id) == set()
    assert all(r != OTHER_TEAM for r, _ in comments_of(harness, pulses.open_id))


# -- regressions: each input below once broke a handler -----------------------------------------
# Before the fixes, each of these logged a traceback and answered "something went wrong"
# (slash commands, clicks), answered HTTP 500 (modal submissions), or stored a bad value.


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # str.isdigit() accepts "²" (int() refuses it) and "١٢" (int() reads it as 12).
        ("settings anonymity ²", "settings.bad_anonymity"),
        ("réglages anonymat ٥", "settings.bad_anonymity"),
        ("results ²", "results.bad_number"),
        ("org set engineers ²", "org.usage"),
        ("org set teams ١٢", "org.usage"),
        # PostgreSQL: a SMALLINT column, "out of range", answered as "I can't reach my database".
        ("org set engineers 32768", "org.usage"),
        ("event remove ²", "events_cmd.not_found"),
        # PostgreSQL: "integer out of range", answered as "I can't reach my database".
        ("event remove 99999999999", "events_cmd.not_found"),
        # ZoneInfo raises IsADirectoryError / OSError, which valid_zone did not catch...
        ("settings timezone America", "settings.bad_timezone"),
        ("settings timezone __pycache__", "settings.bad_timezone"),
        ("settings timezone " + "a" * 300, "settings.bad_timezone"),
        # ...and loads "posixrules", which is a file, not a zone.
        ("settings timezone posixrules", "settings.bad_timezone"),
        # \d takes any script's digits: these were stored as typed.
        ("settings digest weekly monday 0٩:00", "settings_more.bad_digest"),
        ("event add fundraising 20٢٧-03", "events_cmd.bad_month"),
        # A 41-character channel id was stored (PostgreSQL: too long for its column).
        ("settings channel <#C" + "A" * 40 + ">", "settings_more.bad_channel"),
    ],
)
def test_odd_numbers_zones_and_ids_are_refused_politely(
    harness: Harness, text: str, key: str
) -> None:
    before = stored_settings(harness)
    out = harness.command(text, ADMIN)
    out.assert_clean(text)
    expected = harness.deps.catalog.t(key, "en").split("{")[0]
    assert [expected in reply for reply in out.texts()] == [True], out.texts()
    assert stored_settings(harness) == before


def test_a_button_value_that_is_not_text_is_refused(harness: Harness, pulses: Pulses) -> None:
    for value in (True, 5, None, ["1:energy:4"], {"v": 1}):
        out = harness.action("pulse_answer:energy:4", value, MEMBER, pulses.messages[MEMBER])
        out.assert_clean(value)
        refused_with(harness, out, "pulse.dm.gone")
        comment = harness.action("pulse_comment", value, MEMBER, pulses.messages[MEMBER])
        comment.assert_clean(value)
        refused_with(harness, comment, "pulse.dm.gone")


def test_other_digits_in_a_button_value_are_refused(harness: Harness, pulses: Pulses) -> None:
    before = answers_of(harness, pulses.open_id)
    forged = f"{to_arabic(pulses.open_id)}:energy:{to_arabic(4)}"
    refused_with(harness, tap(harness, pulses, forged), "pulse.dm.gone")
    assert answers_of(harness, pulses.open_id) == before
    # PostgreSQL: "integer out of range", answered as "I can't reach my database".
    refused_with(harness, tap(harness, pulses, "99999999999:energy:4"), "pulse.dm.gone")
    checkin = harness.action("cto_checkin:operations:10", "99999999999:operations:10", ADMIN)
    checkin.assert_clean("checkin")
    refused_with(harness, checkin, "pulse.dm.gone")
    for value in ("²", f"{pulses.open_id}²", to_arabic(pulses.open_id), "99999999999"):
        out = harness.action("pulse_comment", value, MEMBER, pulses.messages[MEMBER])
        out.assert_clean(value)
        refused_with(harness, out, "pulse.dm.gone")


def test_a_forged_share_is_refused_in_the_users_language(harness: Harness) -> None:
    out = harness.action("share_answer", "not json", FRENCH)
    out.assert_clean("share")
    assert out.texts() == [harness.deps.catalog.t("ask.share_gone", "fr")]


COMMENT = {"comment": {"comment_text": {"type": "plain_text_input", "value": "Fewer meetings"}}}


@pytest.mark.parametrize(
    ("values", "meta"),
    [
        ({}, None),  # the comment block left out
        ({"comment": "text"}, None),  # a block that is not an object
        ({"comment": {"comment_text": {"type": "plain_text_input", "value": 5}}}, None),
        (COMMENT, "{"),  # private_metadata that is not JSON
        (COMMENT, "[]"),  # JSON, but not an object
        (COMMENT, '{"pulse": "abc", "lang": 3}'),
        (COMMENT, '{"pulse": 1e400}'),
        (COMMENT, json.dumps({"pulse": 10**40})),  # too big for SQLite's INTEGER
        (COMMENT, json.dumps({"pulse": True})),
    ],
)
def test_a_broken_comment_submission_is_acknowledged(
    harness: Harness, pulses: Pulses, values: dict[str, Any], meta: str | None
) -> None:
    channel, ts = pulses.messages[MEMBER]
    metadata_ = meta or json.dumps(
        {"pulse": pulses.open_id, "channel_id": channel, "message_ts": ts}
    )
    before = comments_of(harness, pulses.open_id)
    out = harness.submit_view("pulse_comment", values, metadata_, MEMBER)
    out.assert_clean((values, metadata_))
    assert out.status == 200
    errors = assert_errors_ack(out, COMMENT_BLOCKS, (values, metadata_))
    if meta is not None:
        assert errors, "a comment for no pulse is refused in the modal"
        assert comments_of(harness, pulses.open_id) == before


def test_a_comment_refused_or_for_a_message_slack_lost_redraws_nothing(
    harness: Harness, pulses: Pulses
) -> None:
    channel, _ = pulses.messages[MEMBER]
    lost = json.dumps({"pulse": pulses.open_id, "channel_id": channel, "message_ts": "1.000001"})
    out = harness.submit_view("pulse_comment", COMMENT, lost, MEMBER)
    out.assert_clean(lost)  # chat.update answers message_not_found: a warning, not a failure
    assert out.body == ""
    closed = json.dumps(
        {"pulse": pulses.closed_id, "channel_id": channel, "message_ts": pulses.messages[MEMBER][1]}
    )
    refused = harness.submit_view("pulse_comment", COMMENT, closed, MEMBER)
    refused.assert_clean(closed)
    assert refused.ack["response_action"] == "errors"
    assert not refused.calls_to("chat.update", ok=False), "a refused comment redraws nothing"


def schedule_form(**changes: Any) -> dict[str, Any]:
    form = {
        "channels": as_slack_sends(
            "multi_conversations_select", "selected_conversations", [CHANNEL]
        ),
        "cadence": as_slack_sends("static_select", "selected_option", {"value": "weekly"}),
        "weekday": as_slack_sends("static_select", "selected_option", {"value": "1"}),
        "time": as_slack_sends("timepicker", "selected_time", "09:30"),
        "timezone": as_slack_sends("plain_text_input", "value", "Europe/Paris"),
        "open_days": as_slack_sends("number_input", "value", "3"),
        "items": as_slack_sends("multi_static_select", "selected_options", [{"value": "energy"}]),
        "language": as_slack_sends("static_select", "selected_option", {"value": "auto"}),
    }
    for block, value in changes.items():
        if value is None:
            form.pop(block)
        else:
            form[block] = value
    return form


@pytest.mark.parametrize(
    ("form", "meta", "user", "refused"),
    [
        (schedule_form(), '{"channel": "C0RGEN", "lang": 3}', ADMIN, set()),
        (schedule_form(), "not json", ADMIN, set()),
        (schedule_form(), "{}", STRANGER, {"channels"}),  # users.info: user_not_found
        (schedule_form(channels="C0RGEN"), "{}", ADMIN, {"channels"}),
        (schedule_form(timezone=None), "{}", ADMIN, {"timezone"}),
        (
            schedule_form(timezone=as_slack_sends("plain_text_input", "value", "America")),
            "{}",
            ADMIN,
            {"timezone"},
        ),
        (
            schedule_form(
                weekday=as_slack_sends("static_select", "selected_option", {"value": "9"})
            ),
            "{}",
            ADMIN,
            {"weekday"},
        ),
        (
            schedule_form(
                weekday=as_slack_sends("static_select", "selected_option", {"value": "٣"})
            ),
            "{}",
            ADMIN,
            {"weekday"},
        ),
        (
            schedule_form(time=as_slack_sends("timepicker", "selected_time", "25:61")),
            "{}",
            ADMIN,
            {"time"},
        ),
        (
            schedule_form(time=as_slack_sends("timepicker", "selected_time", "12345678")),
            "{}",
            ADMIN,
            {"time"},
        ),
        (
            schedule_form(open_days=as_slack_sends("number_input", "value", "²")),
            "{}",
            ADMIN,
            {"open_days"},
        ),
        (
            schedule_form(
                items=as_slack_sends("multi_static_select", "selected_options", ["energy"])
            ),
            "{}",
            ADMIN,
            {"items"},
        ),
        (
            schedule_form(
                cadence=as_slack_sends("static_select", "selected_option", {"value": "daily"})
            ),
            "{}",
            ADMIN,
            {"cadence"},
        ),
    ],
)
def test_a_broken_schedule_submission_gets_errors_not_a_500(
    harness: Harness, form: dict[str, Any], meta: str, user: str, refused: set[str]
) -> None:
    out = harness.submit_view("pulse_schedule", form, meta, user)
    out.assert_clean((form, meta))
    assert out.status == 200
    errors = assert_errors_ack(out, SCHEDULE_BLOCKS, (form, meta))
    assert set(errors) == refused
    assert_schedules_valid(harness, form)
    assert bool(schedule_row(harness)) == (not refused)


def test_a_start_modal_without_a_response_url_answers_by_dm(harness: Harness) -> None:
    form = {"people": as_slack_sends("multi_users_select", "selected_users", [ENGINEERS[0]])}
    out = harness.submit_view("pulse_start", form, '{"response_url": "", "lang": "en"}', MEMBER)
    out.assert_clean("start")
    dms = out.calls_to("chat.postMessage")
    assert [c.params["channel"] for c in dms] == [MEMBER]
    assert harness.deps.catalog.t("access.refused", "en").split("{")[0] in dms[0].params["text"]
    nobody = harness.submit_view("pulse_start", {"people": "x"}, "{", STRANGER)
    nobody.assert_clean("start, unknown user")  # no URL, no DM possible: a warning only
