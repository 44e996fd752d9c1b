"""Linear through its GraphQL API: each finished cycle's plan, scope added and completion.

A cycle counts in the week it ended. Planned is the number of issues in the cycle on its
first day; scope added is how many more it held on its last day; completion is the share
of its final scope that was done. Assignees are never asked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.delivery.connector import Batch, Commit, Cursor, parse_time
from bot.delivery.http import HttpClient, SourceError

PER_PAGE = 50
CYCLES = """
query Cycles($team: String!, $after: String, $since: DateTimeOrDuration) {
  team(id: $team) {
    cycles(first: 50, after: $after, orderBy: createdAt,
           filter: {completedAt: {gt: $since}}) {
      nodes { number startsAt endsAt completedAt issueCountHistory completedIssueCountHistory }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
EPOCH = "2000-01-01T00:00:00.000Z"


class LinearTeam:
    """One Linear team, by its key (e.g. `ENG`)."""

    kind = "linear"

    def __init__(self, name: str, api_url: str, client: HttpClient) -> None:
        self.name, self.api_url, self.client = name, api_url, client

    def sync(self, cursor: Cursor, commit: Commit, now: datetime) -> None:
        state: dict[str, Any] = dict(cursor.get("cycles") or {})
        after = state.get("after")
        while True:
            since = state.get("done_upto") or EPOCH
            variables = {"team": self.name, "after": after, "since": since}
            page = self.client.post(self.api_url, {"query": CYCLES, "variables": variables})
            cycles = self._cycles(page.body)
            batch = Batch()
            for cycle in cycles["nodes"]:
                self._count(batch, cycle)
                done = cycle.get("completedAt")
                if done and (not state.get("done_upto") or done > state["done_upto"]):
                    state["pending_upto"] = max(done, state.get("pending_upto") or done)
            info = cycles["pageInfo"]
            after = info["endCursor"] if info["hasNextPage"] else None
            state["after"] = after
            if after is None and state.get("pending_upto"):
                state["done_upto"] = state.pop("pending_upto")
            commit(batch, {**cursor, "cycles": dict(state)})
            if after is None:
                return

    def _cycles(self, body: Any) -> dict[str, Any]:
        team = ((body or {}).get("data") or {}).get("team")
        if team is None:
            raise SourceError(
                f"Linear {self.name}",
                "no team with that key.",
                "Check LINEAR_TEAMS (team keys such as ENG), and that the key can see it.",
            )
        cycles: dict[str, Any] = team["cycles"]
        return cycles

    @staticmethod
    def _count(batch: Batch, cycle: dict[str, Any]) -> None:
        ended = parse_time(cycle.get("completedAt"))
        scope = cycle.get("issueCountHistory") or []
        completed = cycle.get("completedIssueCountHistory") or []
        if ended is None or not scope:
            return
        planned, final = int(scope[0]), int(scope[-1])
        done = int(completed[-1]) if completed else 0
        week = batch.week(ended)
        week.sprints_planned += planned
        week.sprints_added += max(0, final - planned)
        week.sprints_completed += done
        week.sprint_ratios.append(round(min(1.0, done / final), 3) if final else 1.0)
