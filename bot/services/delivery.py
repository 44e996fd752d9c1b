"""Reading the delivery sources: on demand (`/vpe delivery sync`) and on a schedule.

The environment's sources (GITHUB_*, LINEAR_*) belong to every workspace the bot serves
(one, without OAuth). The scheduled sync claims each source's slot once across scheduler
processes (bot/storage/slot_claims.py); a sync also takes a lease on its source, so an
on-demand sync and a scheduled one never read the same source at once.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.blocks import Message
from bot.blocks.delivery import DeliveryWords, delivery_chart, render_delivery
from bot.core.i18n import Lang
from bot.delivery.connector import Batch, Connector, Cursor
from bot.delivery.github import FailureRules, GitHubRepository
from bot.delivery.http import HttpClient, SourceError, Unavailable
from bot.delivery.jira import JiraProject
from bot.delivery.linear import LinearTeam
from bot.delivery.mapping import team_names, team_of, unmapped
from bot.delivery.metrics import delivery_config
from bot.delivery.store import (
    add_batch,
    ensure_source,
    finish_sync,
    source_rows,
    sources,
    take_lease,
)
from bot.signals.evaluate import system_figures
from bot.storage.db import unit_of_work
from bot.storage.models import DeliverySource, Workspace
from bot.storage.slot_claims import claim_slot

if TYPE_CHECKING:
    from bot.bootstrap import Deps

log = logging.getLogger(__name__)
LEASE = timedelta(hours=2)  # a sync may wait out an hour of rate limit; then it is dead
SLOT_KIND = "delivery"


@dataclass(frozen=True)
class SyncOutcome:
    name: str
    status: str  # ok | busy | failed
    error: str | None = None


class DeliverySync:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def env_sources(self, team_id: str) -> None:
        """Make sure the environment's sources exist for this workspace, with their teams.

        Only for the single-workspace bot: installed in many workspaces (OAuth), one
        workspace's repositories must never show in another, so each adds its own in
        `/vpe sources`.
        """
        settings = self.deps.settings
        if settings.oauth:
            return
        teams = dict(settings.github_teams)
        with unit_of_work(self.deps.sessions) as session:
            if settings.github_token:
                for name in settings.github_repositories:
                    ensure_source(session, team_id, "github", name, teams.get(name), from_env=True)
            if settings.linear_api_key:
                for name in settings.linear_teams:
                    ensure_source(session, team_id, "linear", name, teams.get(name), from_env=True)
            if settings.jira_api_token and settings.jira_url:
                for name in settings.jira_projects:
                    ensure_source(session, team_id, "jira", name, teams.get(name), from_env=True)

    def sync_team(self, team_id: str) -> list[SyncOutcome]:
        self.env_sources(team_id)
        with unit_of_work(self.deps.sessions) as session:
            ids = [source.id for source in sources(session, team_id)]
        return [self.sync_source(team_id, source_id) for source_id in ids]

    def sync_source(self, team_id: str, source_id: int) -> SyncOutcome:
        now = self.deps.clock.now()
        with unit_of_work(self.deps.sessions) as session:
            won = take_lease(session, source_id, now, LEASE)
            source = session.get(DeliverySource, source_id)
            assert source is not None
            name, cursor = source.name, dict(source.cursor or {})
            connector: Connector | SourceError | None = None
            if won:
                try:
                    connector = self.connector(source)
                except SourceError as problem:
                    connector = problem
        if connector is None:
            return SyncOutcome(name, "busy")

        def commit(batch: Batch, after: Cursor) -> None:
            with unit_of_work(self.deps.sessions) as session:
                add_batch(session, team_id, source_id, batch, after)

        error = None
        try:
            if isinstance(connector, SourceError):
                raise connector
            connector.sync(cursor, commit, now)
        except (SourceError, Unavailable) as problem:
            error = str(problem)
            log.warning("delivery sync of %s failed: %s", name, error)
        finally:
            with unit_of_work(self.deps.sessions) as session:
                finish_sync(session, source_id, self.deps.clock.now(), error)
        return SyncOutcome(name, "failed" if error else "ok", error)

    def connector(self, source: DeliverySource) -> Connector:
        settings = self.deps.settings
        if source.kind == "github":
            token = self._token(source) or settings.github_token
            if not token:
                raise SourceError(f"GitHub {source.name}", "has no token.", "Set GITHUB_TOKEN.")
            headers = {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "vpe-bot",
            }
            client = HttpClient(f"GitHub {source.name}", headers)
            config = delivery_config()
            rules = FailureRules(config.revert_prefixes, config.failure_labels)
            url = source.api_url or settings.github_api_url
            return GitHubRepository(source.name, url, client, rules)
        if source.kind == "linear":
            key = self._token(source) or settings.linear_api_key
            if not key:
                raise SourceError(f"Linear {source.name}", "has no key.", "Set LINEAR_API_KEY.")
            client = HttpClient(f"Linear {source.name}", {"Authorization": key})
            return LinearTeam(source.name, source.api_url or settings.linear_api_url, client)
        if source.kind == "jira":
            return self._jira(source)
        raise SourceError(source.name, f"unknown kind {source.kind!r}.", "Remove this source.")

    def _jira(self, source: DeliverySource) -> Connector:
        settings = self.deps.settings
        email, token = settings.jira_email, settings.jira_api_token
        stored = self._token(source)  # added in /vpe sources: "email:api-token"
        if stored:
            email, _, token = stored.partition(":")
        site = source.api_url or settings.jira_url
        if not token or not email or not site:
            raise SourceError(
                f"Jira {source.name}",
                "is missing a setting.",
                "Set JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN.",
            )
        basic = base64.b64encode(f"{email}:{token}".encode()).decode()
        client = HttpClient(f"Jira {source.name}", {"Authorization": f"Basic {basic}"})
        return JiraProject(source.name, site, client)

    def _token(self, source: DeliverySource) -> str | None:
        if not source.token or not self.deps.settings.token_encryption_keys:
            return None
        from bot.slack.installations import TokenCipher

        return TokenCipher(self.deps.settings.token_encryption_keys).decrypt(source.token)

    def tick(self) -> None:
        """The scheduled sync: each source once per slot of DELIVERY_SYNC_HOURS."""
        now = self.deps.clock.now()
        every = timedelta(hours=self.deps.settings.delivery_sync_hours)
        epoch = datetime(2020, 1, 1, tzinfo=UTC)
        slot = epoch + ((now - epoch) // every) * every
        with unit_of_work(self.deps.sessions) as session:
            teams = list(
                session.scalars(select(Workspace.team_id).where(Workspace.uninstalled_at.is_(None)))
            )
        for team_id in teams:
            self.env_sources(team_id)
            with unit_of_work(self.deps.sessions) as session:
                due = [
                    source.id
                    for source in sources(session, team_id)
                    if claim_slot(session, team_id, SLOT_KIND, source.id, slot, now)
                ]
            for source_id in due:
                self.sync_source(team_id, source_id)

    def delivery_message(self, team_id: str, lang: Lang) -> Message:
        return self.delivery_view(team_id, lang)[0]

    def delivery_view(self, team_id: str, lang: Lang) -> tuple[Message, bytes | None]:
        """The figures as a message, and the lead-time chart (None with too few weeks)."""
        today = self.deps.clock.now().date()
        self.env_sources(team_id)
        with unit_of_work(self.deps.sessions) as session:
            figures = system_figures(session, team_id, today)
            rows = sources(session, team_id)
            synced = [r.last_sync_at for r in rows if r.last_sync_at]
            teams = team_names(session, team_id)
            teams_of = {r.name: team_of(r.team_name, teams) for r in rows}
            lost = unmapped(source_rows(session, team_id), teams)
        words = DeliveryWords(self.deps.catalog, lang)
        message = render_delivery(
            figures,
            words,
            has_sources=bool(rows),
            last_sync=max(synced) if synced else None,
            teams_of=teams_of,
            window=delivery_config().window_weeks,
            unmapped=lost,
        )
        return message, delivery_chart(figures, words)
