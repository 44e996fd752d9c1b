"""The digest's chart: each dimension's score over the last pulses, as a PNG."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime

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
        if scale is not None:
            axes.set_ylim(*scale)
        else:
            axes.set_ylim(bottom=0)
        axes.set_xticks(positions, list(date_labels), fontsize=8)
        axes.set_ylabel(axis_label, fontsize=8)
        axes.set_title(title, fontsize=11)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7, loc="lower left", ncol=2)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
