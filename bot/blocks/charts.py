"""The digest's charts, as PNGs: each dimension's score over the last pulses, and the heatmap of
teams x statements."""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from bot.core.i18n import Lang, number

_LOCK = threading.Lock()  # matplotlib's pyplot state is not thread-safe
SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(scores: Sequence[float]) -> str:
    """A one-line trend for text: ▁ is 1/5, █ is 5/5."""
    return "".join(SPARKS[min(7, max(0, round((s - 1) / 4 * 7)))] for s in scores)


def trend_chart(
    dates: Sequence[datetime],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    axis_label: str,
    date_labels: Sequence[str],
    scale: tuple[float, float] | None = (1, 5),
    lang: Lang = "en",
    whole: str | None = None,
) -> bytes:
    """A line per dimension (None leaves a gap where a pulse had too few answers); the axis
    reads its figures the reader's way ("2,5" in French). `whole` names the series of the
    whole (the organisation beside its teams): dashed and dark, drawn over the others, so it
    stays visible where it equals one of them."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # the object API: no global pyplot state
    from matplotlib.ticker import FuncFormatter

    with _LOCK:
        figure = Figure(figsize=(8, 4.2), dpi=100)
        axes = figure.add_subplot()
        positions = list(range(len(dates)))
        for name, values in series.items():
            points = [(x, y) for x, y in zip(positions, values, strict=True) if y is not None]
            style: dict[str, Any] = (
                {"color": "#111111", "linestyle": (0, (4, 4)), "linewidth": 1.6, "zorder": 3}
                if name == whole
                else {}
            )
            if points:
                axes.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker="o",
                    label=name,
                    **style,
                )
        if scale is not None:
            axes.set_ylim(*scale)
        else:
            axes.set_ylim(bottom=0)
        axes.set_xticks(positions, list(date_labels), fontsize=8)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(value, lang, 1)))
        axes.set_ylabel(axis_label, fontsize=8)
        axes.set_title(title, fontsize=11)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7, loc="lower left", ncol=2)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[float | None]],
    marks: Sequence[Sequence[str]],
    *,
    title: str,
    legend: str,
    lang: Lang = "en",
) -> bytes:
    """Teams (rows) x statements (columns), coloured by score from 1 (red) to 5 (green).

    A cell without a score is grey, hatched and labelled with its mark ("below K", "hidden"),
    never left blank: an empty cell would read as "no data" rather than "protected".

    Drawn with Pillow in matplotlib's own font: a grid of coloured boxes needs no plotting
    library, and matplotlib's text and tick machinery took about 150 ms for twenty teams,
    half the digest's budget (bench/teams_bench.py); this takes a few milliseconds.
    """
    from PIL import Image, ImageDraw

    regular, bold = _font(12), _font(15)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    label_width = max((probe.textlength(row, font=regular) for row in rows), default=0)
    left = int(label_width) + 24
    heads = [textwrap.wrap(column, 20)[:3] for column in columns]
    head_lines = max((len(lines) for lines in heads), default=1)
    top = 84 + 15 * head_lines
    width = left + CELL[0] * len(columns) + 24
    height = top + CELL[1] * len(rows) + 20
    image = Image.new("RGB", (max(width, 420), height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((image.width // 2, 12), title, font=bold, fill="black", anchor="mt")
    _scale(draw, image.width // 2, 40, legend, regular)
    for x, lines in enumerate(heads):
        for n, line in enumerate(lines):
            centre = left + CELL[0] * x + CELL[0] // 2
            draw.text(
                (centre, top - 8 - 15 * (len(lines) - n)),
                line,
                font=regular,
                fill="#212121",
                anchor="mt",
            )
    for y, row in enumerate(cells):
        box_top = top + CELL[1] * y
        draw.text(
            (left - 10, box_top + CELL[1] // 2), rows[y], font=regular, fill="black", anchor="rm"
        )
        for x, cell in enumerate(row):
            box = (left + CELL[0] * x, box_top, left + CELL[0] * (x + 1) - 1, box_top + CELL[1] - 1)
            middle = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
            if cell is None:
                _hatch(draw, box)
                draw.text(middle, marks[y][x], font=regular, fill="#424242", anchor="mm")
            else:
                draw.rectangle(box, fill=health_colour(cell))
                draw.text(middle, number(cell, lang, 1), font=regular, fill="black", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


CELL = (150, 28)  # a heatmap cell, in pixels
HATCH = "#9e9e9e"


def health_colour(score: float) -> tuple[int, int, int]:
    """Red at 1, yellow at 3, green at 5, in between by straight lines."""
    position = (min(5.0, max(1.0, score)) - 1) / 2  # 0..2
    low = HEALTH_RGB[min(1, int(position))]
    high = HEALTH_RGB[min(2, int(position) + 1)]
    share = position - min(1, int(position))
    red, green, blue = (round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return red, green, blue


HEALTH_RGB = ((0xD7, 0x30, 0x27), (0xFE, 0xE0, 0x8B), (0x1A, 0x98, 0x50))


def _hatch(draw: Any, box: tuple[int, int, int, int]) -> None:
    """A grey box crossed by diagonal lines: protected, not missing."""
    left, top, right, bottom = box
    draw.rectangle(box, fill="#d9d9d9")
    for start in range(left - (bottom - top), right, 10):
        x0, y0, x1, y1 = start, bottom, start + (bottom - top), top
        if x0 < left:
            y0, x0 = bottom - (left - x0), left
        if x1 > right:
            y1, x1 = top + (x1 - right), right
        draw.line((x0, y0, x1, y1), fill=HATCH, width=1)


def _scale(draw: Any, centre: int, top: int, legend: str, font: Any) -> None:
    """The colour scale from 1 to 5, and what it means, under the title."""
    left = centre - 100
    for x in range(200):
        colour = health_colour(1 + 4 * x / 199)
        draw.line((left + x, top, left + x, top + 10), fill=colour)
    draw.text((left - 6, top + 5), "1", font=font, fill="black", anchor="rm")
    draw.text((left + 206, top + 5), "5", font=font, fill="black", anchor="lm")
    draw.text((centre, top + 16), legend, font=font, fill="#424242", anchor="mt")


@cache
def _font(size: int) -> Any:
    """matplotlib's DejaVu Sans (shipped with it: nothing to download), the charts' font."""
    from matplotlib import get_data_path
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(get_data_path()) / "fonts/ttf/DejaVuSans.ttf"), size)
