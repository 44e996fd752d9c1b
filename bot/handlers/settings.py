"""`/vpe settings`: anonymity threshold, language, time zone, leadership channel, digest."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.blocks.ownership import listing
from bot.commands import parse_mention, whole_number
from bot.db import unit_of_work
from bot.deps import Deps
from bot.digests import (
    digest_schedule,
    leadership_channel,
    set_digest_schedule,
    set_leadership_channel,
)
from bot.handlers.access import known_zone, require_leader, timezone_for
from bot.handlers.router import CommandCall, Router
from bot.i18n import Lang, normalise_language
from bot.schedules import CADENCES
from bot.workspace import (
    last_problem,
    set_language,
    set_threshold,
    set_timezone,
    workspace_settings,
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


def setting_lines(deps: Deps, team_id: str, lang: Lang) -> list[str]:
    """One line per setting, as shown by `/vpe settings` and the Home tab's button."""

    def t(key: str, **values: object) -> str:
        return deps.catalog.t(key, lang, **values)

    with unit_of_work(deps.sessions) as session:
        current = workspace_settings(session, team_id)
        schedule = digest_schedule(session, team_id)
        channel = leadership_channel(session, team_id)
    if schedule is None or not channel:
        digest = t("settings_more.digest_waiting")
    elif not schedule.active:
        digest = t("settings_more.digest_off")
    else:
        digest = t(
            "settings_more.digest_value",
            cadence=t(f"cadence.{schedule.cadence}"),
            weekday=t(f"weekdays.{schedule.weekday}"),
            time=schedule.time_of_day,
            timezone=schedule.timezone,
        )
    unset = t("settings.auto")
    problem = problem_line(deps, team_id, lang)
    return ([problem] if problem else []) + [
        t("settings.anonymity", value=current.threshold),
        t("settings.language", value=current.language or unset),
        t("settings.timezone", value=current.timezone or unset),
        t("settings_more.channel", value=f"<#{channel}>" if channel else unset),
        t("settings_more.digest", value=digest),
    ]


def problem_line(deps: Deps, team_id: str, lang: Lang) -> str | None:
    """What the bot could not do lately, in the reader's language (leadership sees it)."""
    with unit_of_work(deps.sessions) as session:
        problem = last_problem(session, team_id)
    if not problem:
        return None
    values = {k: str(v) for k, v in (problem.get("values") or {}).items()}
    text = deps.catalog.t(str(problem["key"]), lang, **values)
    return f"*{deps.catalog.t('problems.title', lang)}*: {text}"


def settings_how(deps: Deps, lang: Lang) -> str:
    return f"{deps.catalog.t('settings.how', lang)} {deps.catalog.t('settings_more.how', lang)}"


def settings(call: CommandCall) -> None:
    """Show the settings, or change one (leadership only)."""
    args = call.command.args
    if not args:
        lines = setting_lines(call.deps, call.team_id, call.lang)
        call.reply(listing(call.t("settings.title"), lines, settings_how(call.deps, call.lang)))
        return
    name, value = args[0].lower(), " ".join(args[1:]).strip()
    change = CHANGES.get(name)
    if change is None or not value:
        call.say(settings_how(call.deps, call.lang))
        return
    if require_leader(call):
        change(call, value)


def change_threshold(call: CommandCall, value: str) -> None:
    threshold = whole_number(value, 10)
    if threshold is None or threshold < 3:
        call.say(call.t("settings.bad_anonymity"))
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
        call.say(call.t("settings.bad_timezone", value=value[:60]))
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


def saved(call: CommandCall, write: Callable[[Session], object], line: int) -> None:
    with unit_of_work(call.deps.sessions) as session:
        write(session)
    lines = setting_lines(call.deps, call.team_id, call.lang)
    lines = [entry for entry in lines if not entry.startswith("*⚠️")]
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
}


def register(router: Router) -> None:
    router.add(settings, "settings", "réglages", "reglages")
