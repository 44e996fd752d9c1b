"""GitHub through its REST API (github.com and GitHub Enterprise Server alike).

Three lists per repository, each read newest first down to where the last sync stopped:
merged pull requests (lead time: opened to merged), deployments with their latest status
(deployment frequency, failed deployments, time to restore), and releases (deployment
frequency for repositories that publish releases instead of deployments). Revert pull
requests and those labelled as hotfixes or incidents count as failed changes
(docs/delivery.md). Author fields are read past and never kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from bot.delivery.connector import Batch, Commit, Cursor, hours, parse_time
from bot.delivery.http import HttpClient, SourceError

PER_PAGE = 100
FINAL = {"success": True, "inactive": True, "failure": False, "error": False}
PRODUCTION = ("production", "prod", "live")


@dataclass(frozen=True)
class FailureRules:
    """What makes a merged pull request a fix for a failure (content/delivery.toml)."""

    revert_prefixes: tuple[str, ...] = ("Revert ",)
    labels: tuple[str, ...] = ("hotfix", "incident")

    def is_fix(self, title: str, labels: list[str]) -> bool:
        lowered = {label.lower() for label in labels}
        return title.startswith(self.revert_prefixes) or bool(lowered & set(self.labels))


class GitHubRepository:
    """One `owner/repo`, read through `client` from `api_url`."""

    kind = "github"

    def __init__(
        self, name: str, api_url: str, client: HttpClient, rules: FailureRules | None = None
    ) -> None:
        if name.count("/") != 1 or not all(name.split("/")):
            raise SourceError(
                f"GitHub {name}", "is not a repository name.", "Write it as owner/repo."
            )
        self.name, self.client = name, client
        self.base = f"{api_url.rstrip('/')}/repos/{quote(name, safe='/')}"
        self.rules = rules or FailureRules()

    def sync(self, cursor: Cursor, commit: Commit, now: datetime) -> None:
        cursor = dict(cursor)
        self._pulls(cursor, commit, now)
        self._deployments(cursor, commit)
        self._releases(cursor, commit)

    # Pull requests: newest update first. A pass counts those merged after the last pass's
    # upper bound, up to its own; `floor` (the oldest update seen) skips what a page shift
    # shows twice, and lets a pass cut short go on from its next page.
    def _pulls(self, cursor: Cursor, commit: Commit, now: datetime) -> None:
        state: dict[str, Any] = dict(cursor.get("pulls") or {})
        url = state.get("next")
        if not url:
            url = f"{self.base}/pulls?state=closed&sort=updated&direction=desc&per_page={PER_PAGE}"
            page = self.client.get(url, state.get("etag"))
            if page.status == 304:
                return
            state = {**state, "upper": now.isoformat(), "first_etag": page.etag, "floor": None}
        else:
            page = self.client.get(url)
        lower = parse_time(state.get("done_upto"))
        upper = parse_time(state["upper"])
        assert upper is not None
        while True:
            batch, reached = self._count_pulls(page.body or [], lower, upper, state)
            done = reached or not page.next_url
            state["next"] = None if done else page.next_url
            if done:
                state = {"done_upto": state["upper"], "etag": state.get("first_etag")}
            cursor["pulls"] = state
            commit(batch, dict(cursor))
            if done:
                return
            page = self.client.get(state["next"])

    def _count_pulls(
        self, items: list[dict[str, Any]], lower: datetime | None, upper: datetime, state: Cursor
    ) -> tuple[Batch, bool]:
        """Count a page; `state` keeps the oldest update seen and the numbers seen at it."""
        batch = Batch()
        floor = parse_time(state.get("floor"))
        at_floor: set[int] = set(state.get("at_floor") or [])
        for item in items:
            updated = parse_time(item["updated_at"])
            assert updated is not None
            if lower is not None and updated < lower:
                return batch, True
            seen = floor is not None and (
                updated > floor or (updated == floor and item["number"] in at_floor)
            )
            if seen and updated <= upper:
                continue  # seen earlier in this pass, before the list moved
            if floor is None or updated < floor:
                floor, at_floor = updated, set()
            at_floor.add(item["number"])
            self._count_pull(batch, item, lower, upper)
        state["floor"] = floor.isoformat() if floor else None
        state["at_floor"] = sorted(at_floor)
        return batch, False

    def _count_pull(
        self, batch: Batch, item: dict[str, Any], lower: datetime | None, upper: datetime
    ) -> None:
        merged = parse_time(item.get("merged_at"))
        opened = parse_time(item["created_at"])
        if merged is None or opened is None or merged > upper:
            return
        if lower is not None and merged <= lower:
            return
        week = batch.week(merged)
        week.merged += 1
        lead = hours(opened, merged)
        week.lead_hours.append(lead)
        labels = [label.get("name", "") for label in item.get("labels") or []]
        if self.rules.is_fix(item.get("title") or "", labels):
            week.failure_changes += 1
            week.restore_hours.append(lead)

    # Deployments: the new ones (newest first, down to the last one counted), then oldest
    # first with their latest status, committed every page so a cut-short sync resumes.
    def _deployments(self, cursor: Cursor, commit: Commit) -> None:
        state: dict[str, Any] = dict(cursor.get("deployments") or {})
        fresh = self._newer(f"{self.base}/deployments?per_page={PER_PAGE}", state, "created_at")
        if fresh is None:
            return
        production = [d for d in fresh if _is_production(d)]
        opened: dict[str, str] = dict(state.get("open") or {})
        pending = False
        for start in range(0, len(production), PER_PAGE):
            batch, last = Batch(), None
            for deployment in production[start : start + PER_PAGE]:
                if not self._count_deployment(batch, deployment, opened):
                    pending = True  # counted at a later sync, once it has a final status
                    break
                last = deployment["created_at"]
            state["done_upto"] = last or state.get("done_upto")
            state["open"] = opened
            cursor["deployments"] = state
            commit(batch, dict(cursor))
            if pending:
                break
        etag = state.pop("pending_etag", None)
        if not pending:
            state["etag"] = etag
            if fresh:
                state["done_upto"] = fresh[-1]["created_at"]
        cursor["deployments"] = state
        commit(Batch(), dict(cursor))

    def _count_deployment(
        self, batch: Batch, deployment: dict[str, Any], opened: dict[str, str]
    ) -> bool:
        page = self.client.get(f"{self.base}/deployments/{deployment['id']}/statuses?per_page=1")
        statuses = page.body or []
        ok = FINAL.get(statuses[0]["state"]) if statuses else None
        if ok is None:
            return False
        at = parse_time(statuses[0]["created_at"])
        assert at is not None
        environment = str(deployment.get("environment") or "")
        week = batch.week(at)
        if ok:
            week.deployments += 1
            failed_at = parse_time(opened.pop(environment, None))
            if failed_at is not None:
                week.restore_hours.append(hours(failed_at, at))
        else:
            week.failed_deployments += 1
            opened.setdefault(environment, at.isoformat())
        return True

    def _releases(self, cursor: Cursor, commit: Commit) -> None:
        state: dict[str, Any] = dict(cursor.get("releases") or {})
        fresh = self._newer(f"{self.base}/releases?per_page={PER_PAGE}", state, "created_at")
        if fresh is None:
            return
        batch = Batch()
        for release in fresh:
            published = parse_time(release.get("published_at"))
            if published and not release.get("draft") and not release.get("prerelease"):
                batch.week(published).releases += 1
        state["etag"] = state.pop("pending_etag", None)
        if fresh:
            state["done_upto"] = fresh[-1]["created_at"]
        cursor["releases"] = state
        commit(batch, dict(cursor))

    def _newer(self, url: str, state: dict[str, Any], key: str) -> list[dict[str, Any]] | None:
        """Items created after `state['done_upto']`, oldest first; None when the ETag says
        nothing changed."""
        page = self.client.get(url, state.get("etag"))
        if page.status == 304:
            return None
        state["pending_etag"] = page.etag
        done = state.get("done_upto")
        fresh: list[dict[str, Any]] = []
        while True:
            items = page.body or []
            newer = [item for item in items if done is None or _after(item[key], done)]
            fresh += newer
            if len(newer) < len(items) or not page.next_url:
                break
            page = self.client.get(page.next_url)
        fresh.sort(key=lambda item: item[key])
        return fresh


def _after(value: str, done: str) -> bool:
    moment, limit = parse_time(value), parse_time(done)
    return bool(moment and limit and moment > limit)


def _is_production(deployment: dict[str, Any]) -> bool:
    if deployment.get("production_environment") is True:
        return True
    return str(deployment.get("environment") or "").lower() in PRODUCTION
