"""People as Slack describes them (users.info), cached in the database."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.clock import Clock
from bot.core.i18n import Lang
from bot.storage.db import unit_of_work
from bot.team.directory import (
    Person,
    cached_people,
    cached_person,
    choose_language,
    remember_people,
    remember_person,
    workspace_language,
)
from bot.team.quiet_days import AwayRule

log = logging.getLogger(__name__)
CACHE_FOR = timedelta(hours=6)
# Who may do what is decided on admin and owner flags at most this old: a demoted owner
# loses the leadership's rights within a minute (users.info is Tier 4: 100+ a minute).
ACCESS_FOR = timedelta(minutes=1)
# Past this many unknown people, one paginated users.list beats one users.info each.
BULK_FROM = 20


def person_from_slack(user: dict[str, Any]) -> Person:
    return Person(
        user_id=user["id"],
        locale=user.get("locale"),
        tz=user.get("tz"),
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        deleted=bool(user.get("deleted")),
    )


class People:
    """Looks people up once, then from the cache for a few hours."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def get(
        self, client: WebClient, team_id: str, user_id: str, max_age: timedelta = CACHE_FOR
    ) -> Person:
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            known = cached_person(session, team_id, user_id, now, max_age)
        if known is not None:
            return known
        person = person_from_slack(client.users_info(user=user_id, include_locale=True)["user"])
        with unit_of_work(self._sessions) as session:
            remember_person(session, team_id, person, now)
        return person

    def current(self, client: WebClient, team_id: str, user_id: str) -> Person:
        """The person as Slack describes them now (within ACCESS_FOR): for access decisions."""
        return self.get(client, team_id, user_id, ACCESS_FOR)

    def get_many(self, client: WebClient, team_id: str, user_ids: list[str]) -> dict[str, Person]:
        """Many people at once: from the cache, else one users.list walk for big groups."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            found = cached_people(session, team_id, user_ids, now, CACHE_FOR)
        missing = [user_id for user_id in user_ids if user_id not in found]
        if len(missing) > BULK_FROM:
            fetched = self._list_everyone(client)
        else:
            fetched = {}
            for user_id in missing:
                try:
                    user = client.users_info(user=user_id, include_locale=True)["user"]
                except SlackApiError:
                    continue  # unknown to Slack: left out of the audience
                fetched[user_id] = person_from_slack(user)
        if fetched:  # all from the cache: nothing to write
            with unit_of_work(self._sessions) as session:
                remember_people(session, team_id, fetched.values(), now)
        found.update({uid: fetched[uid] for uid in missing if uid in fetched})
        return found

    @staticmethod
    def _list_everyone(client: WebClient) -> dict[str, Person]:
        people: dict[str, Person] = {}
        for page in client.users_list(limit=200, include_locale=True):
            for user in page["members"]:
                people[user["id"]] = person_from_slack(user)
        return people

    def language(self, client: WebClient, team_id: str, user_id: str) -> Lang:
        """The language to answer this person in; works (from Slack alone) when the DB does not."""
        try:
            person: Person | None = self.get(client, team_id, user_id)
            with unit_of_work(self._sessions) as session:
                fallback = workspace_language(session, team_id)
        except SQLAlchemyError:
            log.warning("database unavailable while choosing a language; asking Slack")
            person, fallback = self._from_slack_only(client, user_id), None
        except SlackApiError as error:
            log.warning(
                "users.info failed while choosing a language: %s", error.response.get("error")
            )
            person, fallback = None, None
        except OSError as error:  # Slack unreachable after the retries: answer all the same
            log.warning("users.info failed while choosing a language: %s", type(error).__name__)
            person, fallback = None, None
        return choose_language(person, fallback)

    @staticmethod
    def _from_slack_only(client: WebClient, user_id: str) -> Person | None:
        try:
            return person_from_slack(client.users_info(user=user_id, include_locale=True)["user"])
        except (SlackApiError, OSError):
            return None


def away_among(client: WebClient, user_ids: list[str], now: datetime, rule: AwayRule) -> set[str]:
    """Who of these people has a Slack status saying they are away (bot.team.quiet_days).

    Asked of Slack each time (a status changes by the hour) and never stored: users.info
    per person, or one users.list walk for big groups. Someone Slack will not describe
    counts as present."""
    profiles: dict[str, dict[str, Any]] = {}
    if len(user_ids) > BULK_FROM:
        wanted = set(user_ids)
        for page in client.users_list(limit=200):
            for user in page["members"]:
                if user["id"] in wanted:
                    profiles[user["id"]] = user.get("profile") or {}
    else:
        for user_id in user_ids:
            try:
                profiles[user_id] = client.users_info(user=user_id)["user"].get("profile") or {}
            except SlackApiError:
                continue
    return {
        user_id
        for user_id, profile in profiles.items()
        if rule.is_away(
            str(profile.get("status_emoji") or ""),
            str(profile.get("status_text") or ""),
            int(profile.get("status_expiration") or 0),
            now,
        )
    }
