"""The workspace's settings as lines of text, for `/vpe settings` and the Home tab."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.i18n import Lang, country_name, day
from bot.storage.db import unit_of_work
from bot.team.digest_schedule import digest_schedule, leadership_channel
from bot.team.quiet_days import quiet_days
from bot.team.workspace import last_problem, workspace_settings

if TYPE_CHECKING:
    from bot.bootstrap import Deps


def setting_lines(deps: Deps, team_id: str, lang: Lang, leader: bool = False) -> list[str]:
    """One line per setting, as shown by `/vpe settings` and the Home tab's button; for
    leadership (`leader`), first what the bot could not do lately, if anything."""

    def t(key: str, **values: object) -> str:
        return deps.catalog.t(key, lang, **values)

    with unit_of_work(deps.sessions) as session:
        current = workspace_settings(session, team_id)
        schedule = digest_schedule(session, team_id)
        channel = leadership_channel(session, team_id)
        quiet = quiet_days(session, team_id)
    if schedule is None or not channel:
        digest = t("settings_more.digest_waiting")
    elif not schedule.active:
        digest = t("settings_more.digest_off")
    else:
        digest = t(
            "settings_more.digest_value",
            cadence=t(
                f"cadence.when.{schedule.cadence}", weekday=t(f"weekdays.{schedule.weekday}")
            ),
            time=schedule.time_of_day,
            timezone=schedule.timezone,
        )
    unset = t("settings.auto")
    language = (
        t(f"settings.language_{current.language}")
        if current.language
        else t("settings.auto_feminine")
    )
    problem = problem_line(deps, team_id, lang) if leader else None
    return ([problem] if problem else []) + [
        t("settings.anonymity", value=current.threshold),
        t("settings.language", value=language),
        t("settings.timezone", value=current.timezone or unset),
        t("settings_more.channel", value=f"<#{channel}>" if channel else unset),
        t("settings_more.digest", value=digest),
        t(
            "quiet.setting",
            own=len(quiet.own),
            country=(
                t("quiet.setting_country", country=country_name(quiet.country, lang))
                if quiet.country
                else ""
            ),
        ),
    ]


def problem_line(deps: Deps, team_id: str, lang: Lang) -> str | None:
    """What the bot could not do lately, in the reader's language (leadership sees it)."""
    with unit_of_work(deps.sessions) as session:
        problem = last_problem(session, team_id)
    if not problem:
        return None
    values = {k: str(v) for k, v in (problem.get("values") or {}).items()}
    if "date" in values:  # stored as 2026-11-28: written the reader's way
        with contextlib.suppress(ValueError):
            values["date"] = day(datetime.fromisoformat(values["date"]), lang)
    text = deps.catalog.t(str(problem["key"]), lang, **values)
    return deps.catalog.t(
        "problems.line", lang, title=deps.catalog.t("problems.title", lang), text=text
    )


def settings_how(deps: Deps, lang: Lang) -> str:
    return f"{deps.catalog.t('settings.how', lang)} {deps.catalog.t('settings_more.how', lang)}"
