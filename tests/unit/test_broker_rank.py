"""The Dramatiq engine takes waiting jobs in procrastinate's order (decision 8)."""

from __future__ import annotations

from bot.runtime.broker_engine import rank


def test_timely_steps_then_openings_then_batches() -> None:
    timely = {rank(name) for name in ("pulse.close", "pulse.remind", "digest.post")}
    assert timely == {0}, "Dramatiq takes the lowest priority first"
    assert rank("pulse.slot") == 1
    assert rank("pulse.send") == 2
