"""Jira Cloud through its REST API: each closed sprint's plan, scope added and completion.

For every scrum board of the project, the closed sprints finished since the last sync and,
for each, Jira's sprint report: issues completed, not completed, removed, and the keys added
after the start. A sprint counts in the week it was completed; like Linear's cycles, planned
is what it held at the start, scope added what came in later, completion the share of its
final scope done. No assignee is asked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from bot.delivery.connector import Batch, Commit, Cursor, parse_time
from bot.delivery.http import HttpClient, SourceError

PER_PAGE = 50


class JiraProject:
    """One project, by its key (e.g. `PAY`), on `site` (https://YOUR.atlassian.net)."""

    kind = "jira"

    def __init__(self, name: str, site: str, client: HttpClient) -> None:
        self.name, self.site, self.client = name, site.rstrip("/"), client

    def sync(self, cursor: Cursor, commit: Commit, now: datetime) -> None:
        boards = self._all(f"/rest/agile/1.0/board?projectKeyOrId={quote(self.name)}&type=scrum")
        if not boards:
            raise SourceError(
                f"Jira {self.name}",
                "has no scrum board.",
                "Check JIRA_PROJECTS (keys such as PAY), and that the project runs sprints.",
            )
        done: dict[str, str] = dict(cursor.get("boards") or {})
        for board in boards:
            board_id = str(board["id"])
            sprints = self._all(f"/rest/agile/1.0/board/{board_id}/sprint?state=closed")
            fresh = [
                s
                for s in sprints
                if s.get("completeDate") and s["completeDate"] > done.get(board_id, "")
            ]
            for sprint in sorted(fresh, key=lambda s: s["completeDate"]):
                batch = Batch()
                self._count(batch, board_id, sprint)
                done[board_id] = sprint["completeDate"]
                commit(batch, {**cursor, "boards": dict(done)})

    def _all(self, path: str) -> list[dict[str, Any]]:
        """Every value of a paged Agile list (`startAt`, `maxResults`, `isLast`)."""
        values: list[dict[str, Any]] = []
        start = 0
        while True:
            joiner = "&" if "?" in path else "?"
            url = f"{self.site}{path}{joiner}startAt={start}&maxResults={PER_PAGE}"
            body = self.client.get(url).body or {}
            page = body.get("values") or []
            values += page
            if body.get("isLast", True) or not page:
                return values
            start += len(page)

    def _count(self, batch: Batch, board_id: str, sprint: dict[str, Any]) -> None:
        ended = parse_time(sprint["completeDate"])
        assert ended is not None
        url = (
            f"{self.site}/rest/greenhopper/1.0/rapid/charts/sprintreport"
            f"?rapidViewId={board_id}&sprintId={sprint['id']}"
        )
        contents = (self.client.get(url).body or {}).get("contents") or {}
        completed = len(contents.get("completedIssues") or [])
        open_ = len(contents.get("issuesNotCompletedInCurrentSprint") or [])
        removed = len(contents.get("puntedIssues") or [])
        added = len(contents.get("issueKeysAddedDuringSprint") or {})
        final = completed + open_
        week = batch.week(ended)
        week.sprints_planned += max(0, final + removed - added)
        week.sprints_added += added
        week.sprints_completed += completed
        week.sprint_ratios.append(round(completed / final, 3) if final else 1.0)
