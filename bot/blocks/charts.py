"""The digest's charts, as PNGs: each dimension's score over the last pulses, and the heatmap of
teams x statements."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

_LOCK = threading.Lock()  # matplotlib's pyplot state is not thread-safe
HEALTH_COLOURS = ["#d73027", "#fee08b", "#1a9850"]  # 1, 3 and 5 on the health scale
NUMBERED_CELLS = 60  # scores written in the heatmap's cells up to this many cells
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
) -> bytes:
    """A line per dimension (None leaves a gap where a pulse had too few answers)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # the object API: no global pyplot state

    with _LOCK:
        figure = Figure(figsize=(8, 4.2), dpi=100)
        axes = figure.add_subplot()
        positions = list(range(len(dates)))
        for name, values in series.items():
            points = [(x, y) for x, y in zip(positions, values, strict=True) if y is not None]
            if points:
                axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
        axes.set_ylim(1, 5)
        axes.set_xticks(positions, list(date_labels), fontsize=8)
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
) -> bytes:
    """Teams (rows) x statements (columns), coloured by score from 1 (red) to 5 (green).

    A cell without a score is grey, hatched and labelled with its mark ("below K", "hidden"),
    never left blank: an empty cell would read as "no data" rather than "protected". Scores
    are written in the cells up to NUMBERED_CELLS cells; beyond, the colour carries them.
    Labels are plain texts rather than axis ticks and the scale is a line under the title:
    ticks and a colour bar cost more than the rest of the picture together.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    colours = LinearSegmentedColormap.from_list("health", HEALTH_COLOURS)
    colours.set_bad("#d9d9d9")
    numbered = len(rows) * len(columns) <= NUMBERED_CELLS
    width, height = 3.0 + 1.2 * len(columns), 2.3 + 0.32 * len(rows)
    with _LOCK:
        figure = Figure(figsize=(width, height), dpi=100)
        figure.subplots_adjust(
            left=2.0 / width, right=1 - 0.3 / width, top=1 - 0.75 / height, bottom=1.3 / height
        )
        axes = figure.add_subplot()
        values = [[cell if cell is not None else float("nan") for cell in row] for row in cells]
        axes.imshow(values, cmap=colours, vmin=1, vmax=5, aspect="auto", interpolation="nearest")
        axes.set_axis_off()
        for y, row in enumerate(cells):
            axes.text(-0.6, y, rows[y], ha="right", va="center", fontsize=8)
            for x, cell in enumerate(row):
                if cell is None:
                    axes.add_patch(_hatched(x, y))
                    axes.text(
                        x, y, marks[y][x], ha="center", va="center", fontsize=8, color="#424242"
                    )
                elif numbered:
                    axes.text(x, y, f"{cell:.1f}", ha="center", va="center", fontsize=8)
        for x, column in enumerate(columns):
            axes.text(x, len(rows) - 0.35, column, ha="right", va="top", fontsize=8, rotation=20)
        figure.suptitle(title, fontsize=11, y=1 - 0.12 / height, va="top")
        figure.text(0.5, 1 - 0.42 / height, legend, ha="center", va="top", fontsize=8)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _hatched(x: int, y: int) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x - 0.5, y - 0.5), 1, 1, facecolor="none", hatch="//", edgecolor="#9e9e9e", linewidth=0
    )
