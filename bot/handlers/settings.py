"""`/vpe settings`: anonymity threshold, language, time zone, leadership channel, digest."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.blocks import escaped
from bot.blocks.ownership import listing
from bot.bootstrap import Services
from bot.core.cadence import CADENCES
from bot.core.i18n import country_name, normalise_language
from bot.core.i18n import day as day_words
from bot.core.limits import ECHO
from bot.handlers.access import in_leadership, known_zone, timezone_for
from bot.handlers.parsing import parse_mention, whole_number
from bot.handlers.routing import Command, CommandCall, Subcommand
from bot.pulses.reporting import anonymity_rules
from bot.services.settings_summary import setting_lines, settings_how
from bot.storage.db import unit_of_work
from bot.team.digest_schedule import (
    set_digest_schedule,
    set_leadership_channel,
)
from bot.team.quiet_days import (
    add_holiday,
    country_code,
    holiday_country,
    own_holidays,
    remove_holiday,
    set_holiday_country,
    upcoming_country_holidays,
)
from bot.team.workspace import (
    set_language,
    set_setting,
    set_threshold,
    set_timezone,
)

DAY_NAMES = (
    ("monday", "lundi", "mon"),
    ("tuesday", "mardi", "tue"),
    ("wednesday", "mercredi", "wed"),
    ("thursday", "jeudi", "thu"),
    ("friday", "vendredi", "fri"),
    ("saturday", "samedi", "sat"),
    ("sunday", "dimanche", "sun"),
)
DAYS = {name: number for number, names in enumerate(DAY_NAMES) for name in names}
TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")  # ASCII digits: \d takes "٠٩"
Change = Callable[[CommandCall, str], None]


def show_settings(call: CommandCall) -> None:
    """Every setting; leadership also sees what needs its attention."""
    leader = in_leadership(call.deps, call.client, call.team_id, call.user_id)
    lines = setting_lines(call.deps, call.team_id, call.lang, leader)
    how = settings_how(call.deps, call.lang)
    call.reply(listing(call.t("settings.title"), lines, how, call.deps.catalog, call.lang))


def how_to_change(call: CommandCall) -> None:
    call.say(settings_how(call.deps, call.lang))


def a_value(call: CommandCall) -> bool:
    if " ".join(call.command.args[1:]).strip():
        return True
    how_to_change(call)
    return False


def change_setting(call: CommandCall) -> None:
    """`settings <name> <value>`."""
    args = call.command.args
    CHANGES[args[0].lower()](call, " ".join(args[1:]).strip())


def change_threshold(call: CommandCall, value: str) -> None:
    rules = anonymity_rules()
    threshold = whole_number(value, rules.max_threshold)
    if threshold is None or threshold < rules.min_threshold:
        low, high = rules.min_threshold, rules.max_threshold
        call.say(call.t("settings.bad_anonymity", low=low, high=high))
        return
    saved(call, lambda session: set_threshold(session, call.team_id, threshold), 0)


def change_language(call: CommandCall, value: str) -> None:
    language = normalise_language(value) if len(value) == 2 else None
    if language is None:
        call.say(call.t("settings.bad_language"))
        return
    saved(call, lambda session: set_language(session, call.team_id, language), 1)


def change_timezone(call: CommandCall, value: str) -> None:
    if not known_zone(value):
        call.say(call.t("settings.bad_timezone", value=escaped(value, ECHO)))
        return
    saved(call, lambda session: set_timezone(session, call.team_id, value), 2)


def change_channel(call: CommandCall, value: str) -> None:
    mention = parse_mention(value)
    if mention is None or mention.kind != "channel" or mention.id is None:
        call.say(call.t("settings_more.bad_channel"))
        return
    channel, zone = mention.id, timezone_for(call)
    now = call.deps.clock.now()
    saved(call, lambda s: set_leadership_channel(s, call.team_id, channel, zone, now), 3)


def change_digest(call: CommandCall, value: str) -> None:
    words = value.lower().split()
    now = call.deps.clock.now()
    if words == ["off"]:
        saved(call, lambda s: set_digest_schedule(s, call.team_id, active=False, now=now), 4)
        return
    if (
        len(words) != 3
        or words[0] not in CADENCES
        or words[1] not in DAYS
        or not TIME.match(words[2])
    ):
        call.say(call.t("settings_more.bad_digest"))
        return
    cadence, weekday, time_of_day, zone = words[0], DAYS[words[1]], words[2], timezone_for(call)

    def write(session: Session) -> None:
        set_digest_schedule(
            session,
            call.team_id,
            active=True,
            now=now,
            cadence=cadence,
            weekday=weekday,
            time_of_day=time_of_day,
            timezone=zone,
        )

    saved(call, write, 4)


def change_hire(call: CommandCall, value: str) -> None:
    """The months it takes to hire a VP Engineering (the decision report's search date)."""
    months = whole_number(value, 24)
    if not months:
        call.say(call.t("report.bad_hire"))
        return
    with unit_of_work(call.deps.sessions) as session:
        set_setting(session, call.team_id, "hire_months", months)
    call.say(call.t("report.hire_saved", months=months))


def saved(call: CommandCall, write: Callable[[Session], object], line: int) -> None:
    with unit_of_work(call.deps.sessions) as session:
        write(session)
    lines = setting_lines(call.deps, call.team_id, call.lang)
    call.say(call.t("settings.saved", line=lines[line].replace("*", "")))


CHANGES: dict[str, Change] = {
    "anonymity": change_threshold,
    "anonymat": change_threshold,
    "language": change_language,
    "langue": change_language,
    "timezone": change_timezone,
    "fuseau": change_timezone,
    "channel": change_channel,
    "canal": change_channel,
    "digest": change_digest,
    "hire": change_hire,
    "recrutement": change_hire,
}


HOLIDAY_VERBS = {
    "add": "add",
    "ajouter": "add",
    "remove": "remove",
    "retirer": "remove",
    "country": "country",
    "pays": "country",
}
NO_COUNTRY = ("none", "off", "aucun", "aucune")


def holidays(call: CommandCall) -> None:
    """`settings holidays [add|remove YYYY-MM-DD | country FR|none]`."""
    args = call.command.args[1:]
    if not args:
        show_holidays(call)
        return
    verb = HOLIDAY_VERBS.get(args[0].lower())
    if verb is None or len(args) != 2:
        call.say(call.t("quiet.usage"))
        return
    if verb == "country":
        set_country(call, args[1])
        return
    day = read_day(args[1])
    if day is None:
        call.say(call.t("quiet.bad_date", value=escaped(args[1], ECHO)))
        return
    with unit_of_work(call.deps.sessions) as session:
        if verb == "add":
            changed = add_holiday(session, call.team_id, day)
        else:
            changed = remove_holiday(session, call.team_id, day)
    done = "added" if verb == "add" else "removed"
    key = f"quiet.{done}" if changed else f"quiet.not_{done}"
    call.say(call.t(key, day=day_words(day, call.lang)))


def set_country(call: CommandCall, word: str) -> None:
    code = None if word.lower() in NO_COUNTRY else country_code(word)
    if code is None and word.lower() not in NO_COUNTRY:
        call.say(call.t("quiet.bad_country", value=escaped(word, ECHO)))
        return
    with unit_of_work(call.deps.sessions) as session:
        set_holiday_country(session, call.team_id, code)
    if code:
        call.say(call.t("quiet.country_set", country=country_name(code, call.lang)))
    else:
        call.say(call.t("quiet.country_off"))


def show_holidays(call: CommandCall) -> None:
    today = call.deps.clock.now().date()
    with unit_of_work(call.deps.sessions) as session:
        own = own_holidays(session, call.team_id)
        country = holiday_country(session, call.team_id)
    # "; " between days: an English date holds a comma of its own ("Dec 25, 2026").
    between = call.t("fallback.separator")
    lines = [call.t("quiet.own", days=between.join(day_words(d, call.lang) for d in own) or "—")]
    if country:
        coming = upcoming_country_holidays(country, today, 5)
        days = between.join(day_words(d, call.lang) for d in coming) or "—"
        named = country_name(country, call.lang)
        lines.append(call.t("quiet.country", country=named, days=days))
    else:
        lines.append(call.t("quiet.no_country"))
    call.reply(
        listing(call.t("quiet.title"), lines, call.t("quiet.how"), call.deps.catalog, call.lang)
    )


def read_day(word: str) -> date | None:
    if len(word) != 10 or not word.isascii():
        return None
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def register(app: App, services: Services) -> list[Command]:
    return [
        Command(
            ("settings", "réglages", "reglages"),
            (
                Subcommand("settings", (), show_settings, alone=True),
                Subcommand("settings.change", tuple(CHANGES), change_setting, True, a_value),
                Subcommand("settings.holidays", ("holidays", "fériés", "feries"), holidays, True),
            ),
            usage=how_to_change,
        )
    ]
