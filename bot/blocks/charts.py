"""The digest's chart: each dimension's score over the last pulses, as a PNG."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime

_LOCK = threading.Lock()  # matplotlib's pyplot state is not thread-safe
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
    are written in the cells up to NUMBERED_CELLS cells; beyond, the colour and its scale
    carry them (each label costs a few milliseconds to draw).
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    colours = LinearSegmentedColormap.from_list("health", ["#d73027", "#fee08b", "#1a9850"])
    colours.set_bad("#d9d9d9")
    numbered = len(rows) * len(columns) <= NUMBERED_CELLS
    with _LOCK:
        width, height = min(16.0, 3.5 + 1.25 * len(columns)), 2.2 + 0.4 * len(rows)
        figure = Figure(figsize=(width, height), dpi=100)
        figure.subplots_adjust(
            left=2.0 / width, right=1 - 1.0 / width, top=1 - 0.5 / height, bottom=1.4 / height
        )
        axes = figure.add_subplot()
        values = [[cell if cell is not None else float("nan") for cell in row] for row in cells]
        image = axes.imshow(values, cmap=colours, vmin=1, vmax=5, aspect="auto")
        hidden = [[1.0 if cell is None else float("nan") for cell in row] for row in cells]
        axes.pcolor(
            [x - 0.5 for x in range(len(columns) + 1)],
            [y - 0.5 for y in range(len(rows) + 1)],
            hidden,
            hatch="//",
            alpha=0,
            shading="flat",
        )
        for y, row in enumerate(cells):
            for x, cell in enumerate(row):
                if cell is None:
                    axes.text(
                        x, y, marks[y][x], ha="center", va="center", fontsize=8, color="#424242"
                    )
                elif numbered:
                    axes.text(x, y, f"{cell:.1f}", ha="center", va="center", fontsize=8)
        axes.set_xticks(range(len(columns)), list(columns), fontsize=8, rotation=20, ha="right")
        axes.set_yticks(range(len(rows)), list(rows), fontsize=8)
        axes.set_title(title, fontsize=11)
        bar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.02)
        bar.set_label(legend, fontsize=8)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
