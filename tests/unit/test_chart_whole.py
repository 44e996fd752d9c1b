"""The organisation's line stays visible where it equals a team's: drawn dashed and dark on
top, so a legend never names a line nobody can see."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot.blocks.charts import trend_chart

SAME = [2.0, 2.5, 3.0, 3.5]


def dark_pixels(whole: str | None) -> int:
    start = datetime(2026, 10, 5, tzinfo=UTC)
    png = trend_chart(
        [start + timedelta(weeks=n) for n in range(4)],
        {"Organisation": SAME, "Platform": SAME, "Payments": [1.0, 1.2, 1.1, 1.3]},
        title="T",
        axis_label="A",
        date_labels=["a", "b", "c", "d"],
        scale=None,
        whole=whole,
    )
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.point(lambda value: 255 if value < 40 else 0).histogram()[255]


def test_the_whole_is_drawn_over_an_equal_team_line() -> None:
    hidden, shown = dark_pixels(None), dark_pixels("Organisation")
    # The text and axes are the same in both; the dashed dark line adds hundreds of pixels.
    assert shown - hidden > 500, (hidden, shown)
