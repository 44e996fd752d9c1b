"""Charts read their figures the reader's way: the French axis says "2,5", not "2.5"."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image, ImageChops

from bot.blocks.charts import trend_chart
from bot.core.i18n import Lang


def drawn(lang: Lang) -> Image.Image:
    start = datetime(2026, 10, 5, tzinfo=UTC)
    png = trend_chart(
        [start + timedelta(weeks=n) for n in range(3)],
        {"Ship": [3.1, 2.9, 2.4]},
        title="T",
        axis_label="A",
        date_labels=["a", "b", "c"],
        lang=lang,
    )
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_the_trend_charts_axis_uses_the_readers_decimal_mark() -> None:
    english, french = drawn("en"), drawn("fr")
    assert english.size == french.size
    changed = ImageChops.difference(english, french).getbbox()
    assert changed is not None, "the French axis is drawn with its own decimal mark"
    # Only the y axis's tick labels differ: a narrow strip at the left of the plot.
    assert changed[2] - changed[0] < 60, changed


def test_the_same_language_draws_the_same_chart() -> None:
    assert ImageChops.difference(drawn("fr"), drawn("fr")).getbbox() is None
