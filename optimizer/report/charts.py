"""Charts of a report with matplotlib: SVG text for HTML, PNG bytes for DOCX.

Both are reproducible byte for byte: the figure is built with the object-oriented API
(no pyplot state), with fixed size, fonts (DejaVu Sans, shipped with matplotlib) and
colours; the SVG carries no date and a fixed ``svg.hashsalt`` (so its element ids are the
same on every run), and the PNG no software or date metadata.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from .document import Chart
from .text import resolve

COLOURS = ("#9aa9b8", "#1f5f8b", "#c0392b")
PNG_DPI = 150


def _figure(chart: Chart, lang: str) -> Figure:
    n = len(chart.categories)
    bars = [s for s in chart.series if s.style == "bar"]
    points = [s for s in chart.series if s.style == "point"]
    figure = Figure(figsize=(7.0, 0.42 * n + 1.6), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(n))
    height = 0.8 / max(1, len(bars))
    for i, series in enumerate(bars):
        offset = (i - (len(bars) - 1) / 2) * height
        axes.barh(
            [p + offset for p in positions],
            series.values,
            height=height,
            color=COLOURS[i % len(COLOURS)],
            label=resolve(series.label, lang),
        )
    for series in points:
        axes.scatter(
            series.values, positions, marker="D", s=28, color=COLOURS[2], zorder=3, label=resolve(series.label, lang)
        )
    axes.set_yticks(positions, list(chart.categories))
    axes.invert_yaxis()  # first category (lowest BPS code) on top, as in the tables
    axes.set_xlabel(resolve(chart.axis, lang))
    axes.set_title(resolve(chart.title, lang), fontsize=11)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return figure


def _rc(chart: Chart) -> dict:
    return {
        "svg.hashsalt": f"wrse-{chart.key}",
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 9,
    }


def svg(chart: Chart, lang: str) -> str:
    """The chart as an SVG element (no XML prolog or DOCTYPE), ready to inline in HTML."""
    with matplotlib.rc_context(_rc(chart)):
        figure = _figure(chart, lang)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "wrse-optimizer"})
    text = buffer.getvalue()
    return text[text.index("<svg") :].strip() + "\n"


def png(chart: Chart, lang: str) -> bytes:
    """The chart as PNG bytes (150 dpi) for DOCX."""
    with matplotlib.rc_context(_rc(chart)):
        figure = _figure(chart, lang)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()
