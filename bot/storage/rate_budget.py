"""A Slack rate budget in PostgreSQL, shared by every process that calls for a workspace.

Generic cell rate algorithm with reservations: one row per (workspace, method) holds the
theoretical arrival time `tat`. A caller books the next slot with one atomic UPSERT and is
told how long to wait before its call; `burst` calls may go at once, then one every
1/`per_second`. Ten workers booking on the same row get ten different slots, so together
they never go faster than the budget. A 429 pushes `tat` past its Retry-After, which pauses
that workspace and method for every worker, and nothing else.

Time is the database's (clock_timestamp()), so workers on machines whose clocks differ
still agree.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, text

NOW = "extract(epoch from clock_timestamp())"
BOOK = text(
    f"""
    INSERT INTO rate_budgets (key, tat) VALUES (:key, {NOW} + :interval)
    ON CONFLICT (key) DO UPDATE
        SET tat = GREATEST(rate_budgets.tat, {NOW}) + :interval
    RETURNING tat - :interval - :tolerance - {NOW}
    """  # noqa: S608 - constant SQL, values bound
)
PAUSE = text(
    f"""
    INSERT INTO rate_budgets (key, tat) VALUES (:key, {NOW} + :pause + :tolerance)
    ON CONFLICT (key) DO UPDATE
        SET tat = GREATEST(rate_budgets.tat, {NOW} + :pause + :tolerance)
    """  # noqa: S608
)


def budget_key(token: str | None, method: str) -> str:
    """The row of a workspace (by its bot token, hashed: no token is stored) and method."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()[:32]
    return f"{digest}:{method}"


class SharedBudget:
    """One workspace's budget for one method, booked in the database. Thread-safe."""

    def __init__(self, engine: Engine, key: str, per_second: float, burst: int) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        self._engine, self.key = engine, key
        self.interval = 1.0 / per_second
        self.tolerance = (burst - 1) * self.interval

    def book(self) -> float:
        """Book the next slot; the seconds to wait before using it (0 when it is now)."""
        values = {"key": self.key, "interval": self.interval, "tolerance": self.tolerance}
        with self._engine.begin() as connection:
            wait = connection.execute(BOOK, values).scalar_one()
        return max(0.0, float(wait))

    def pause(self, seconds: float) -> None:
        """A 429: no slot for anyone before `seconds` from now."""
        values = {"key": self.key, "pause": max(0.0, seconds), "tolerance": self.tolerance}
        with self._engine.begin() as connection:
            connection.execute(PAUSE, values)
