"""Quiet days: the workspace's holidays (its own, and a country's public holidays) and the
people whose Slack status says they are away.

On a quiet day no pulse opens and no reminder goes out: a scheduled pulse waits for the next
working day (neither a quiet day nor a weekend), at the time of day it was scheduled for.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import holidays
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.content import CONTENT_DIR
from bot.core.times import aware, zone
from bot.storage.models import Workspace, WorkspaceHoliday
from bot.storage.sql import insert_once
from bot.team.directory import ensure_workspace
from bot.team.workspace import set_setting

NOT_WORD = re.compile(r"[^\w ]+")
LOOK_AHEAD = 60  # days a shifted slot may travel: past that, the holidays are a mistake


@cache
def supported_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


def country_code(word: str) -> str | None:
    """An ISO 3166 code the holidays package knows ("fr" → "FR"); None otherwise."""
    code = word.strip().upper()
    return code if code in supported_countries() else None


@cache
def country_holidays(code: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(code, years=year))


def upcoming_country_holidays(code: str, today: date, count: int) -> list[date]:
    days = sorted(country_holidays(code, today.year) | country_holidays(code, today.year + 1))
    return [day for day in days if day >= today][:count]


def add_holiday(session: Session, team_id: str, day: date) -> bool:
    """True when the day was not already a holiday of the workspace."""
    ensure_workspace(session, team_id)
    return insert_once(session, WorkspaceHoliday, ["team_id", "day"], team_id=team_id, day=day)


def remove_holiday(session: Session, team_id: str, day: date) -> bool:
    result = session.execute(
        delete(WorkspaceHoliday).where(
            WorkspaceHoliday.team_id == team_id, WorkspaceHoliday.day == day
        )
    )
    return bool(getattr(result, "rowcount", 0))


def own_holidays(session: Session, team_id: str) -> list[date]:
    return list(
        session.scalars(
            select(WorkspaceHoliday.day)
            .where(WorkspaceHoliday.team_id == team_id)
            .order_by(WorkspaceHoliday.day)
        )
    )


def holiday_country(session: Session, team_id: str) -> str | None:
    return session.scalars(
        select(Workspace.holiday_country).where(Workspace.team_id == team_id)
    ).first()


def set_holiday_country(session: Session, team_id: str, code: str | None) -> None:
    set_setting(session, team_id, "holiday_country", code)


@dataclass(frozen=True)
class QuietDays:
    """A workspace's holidays, read once: its own days and its country's."""

    own: frozenset[date]
    country: str | None

    def is_holiday(self, day: date) -> bool:
        return day in self.own or (
            self.country is not None and day in country_holidays(self.country, day.year)
        )

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def shifted(self, slot: datetime, timezone: str) -> datetime:
        """`slot`, or the same local time on the next working day when its day is a holiday.

        A slot on a plain weekend stays where the schedule put it (someone chose it)."""
        local = aware(slot).astimezone(zone(timezone))
        if not self.is_holiday(local.date()):
            return slot
        day = local.date()
        for _ in range(LOOK_AHEAD):
            day += timedelta(days=1)
            if self.is_working_day(day):
                return datetime.combine(day, local.time(), tzinfo=zone(timezone))
        return slot

    def quiet_now(self, now: datetime, timezone: str) -> bool:
        return self.is_holiday(aware(now).astimezone(zone(timezone)).date())


def quiet_days(session: Session, team_id: str) -> QuietDays:
    return quiet_days_of(session, {team_id})[team_id]


def quiet_days_of(session: Session, team_ids: set[str]) -> dict[str, QuietDays]:
    """The quiet days of many workspaces in two queries (the clock's pass over all of them)."""
    if not team_ids:
        return {}
    own: dict[str, set[date]] = {team_id: set() for team_id in team_ids}
    days = select(WorkspaceHoliday.team_id, WorkspaceHoliday.day).where(
        WorkspaceHoliday.team_id.in_(team_ids)
    )
    for team_id, day in session.execute(days):
        own[team_id].add(day)
    countries = select(Workspace.team_id, Workspace.holiday_country).where(
        Workspace.team_id.in_(team_ids)
    )
    country: dict[str, str | None] = dict(session.execute(countries).all())
    return {
        team_id: QuietDays(frozenset(own[team_id]), country.get(team_id)) for team_id in team_ids
    }


@dataclass(frozen=True)
class AwayRule:
    emoji: frozenset[str]
    words: tuple[str, ...]

    def is_away(self, emoji: str, text: str, expires: int, now: datetime) -> bool:
        """A Slack status says away: a listed emoji, or a listed word in its text, and not
        expired (`expires` is Slack's `status_expiration`, 0 for never)."""
        if expires and expires <= now.timestamp():
            return False
        if emoji.strip().lower() in self.emoji:
            return True
        lowered = " " + NOT_WORD.sub(" ", text.lower()) + " "
        return any(f" {word} " in lowered for word in self.words)


# Slack's own names of the emoji people set while away: on holiday, travelling, ill, on
# parental leave. (Kept here rather than in content/: they are codes, not words to translate.)
AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":desert_island:",
        ":beach_with_umbrella:",
        ":airplane:",
        ":face_with_thermometer:",
        ":baby:",
    }
)


@cache
def away_rule() -> AwayRule:
    """content/away.toml's words, in every language (a status is read whatever its language)."""
    raw = tomllib.loads((CONTENT_DIR / "away.toml").read_text(encoding="utf-8"))
    words = [word.lower() for lang in ("en", "fr") for word in raw["words"][lang]]
    return AwayRule(AWAY_EMOJI, tuple(words))
