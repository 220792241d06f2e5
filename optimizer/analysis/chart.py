"""The sweep chart: recipients per kabupaten/kota against the budget (matplotlib, PNG or SVG).

The file is deterministic: the same sweep gives the same bytes (no creation date, a fixed
SVG id salt, no software version in the metadata), so a chart can be committed next to a
report and diffed.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..files import write_bytes_atomic
from ..i18n import t
from .sweep import SweepResult

FORMATS = {".png": "png", ".svg": "svg"}


def chart_format(path: Path) -> str:
    """``'png'`` or ``'svg'`` from the file name; :class:`InputError` for another suffix."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError("analysis.chart.chart_must_end_png", path=path, value=path.suffix or "no suffix")
    return fmt


def sweep_chart(result: SweepResult, fmt: str = "png", lang: str = "id") -> bytes:
    """The chart as bytes (``fmt`` ``'png'`` or ``'svg'``): one line per region through its computed points,
    budgets in Rp juta on the x axis, the infeasible range shaded, the current budget marked."""
    # The object-oriented API without pyplot: no global figure state, and pyplot's import
    # (its backends and their registry, a third of a sweep's run time) is not paid.
    import matplotlib
    from matplotlib.figure import Figure

    base = result.base
    budgets = result.budgets_rp / 1_000_000
    with matplotlib.rc_context({"svg.hashsalt": "wrse-optimizer", "font.size": 9}):
        fig = Figure(figsize=(9, 5.5), dpi=100)
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["tab10" if base.n <= 10 else "tab20"]
        x = np.where(result.feasible[:, None], result.x, np.nan)
        for i, code in enumerate(base.codes):
            # the points the sweep computed, joined: a step line drawn on to the next point would claim the
            # allocation between two points (it grows there recipient by recipient) and hide the last point
            label, color = f"{code} {base.names[i]}", cmap(i % cmap.N)
            ax.plot(budgets, x[:, i], marker="o", markersize=2.5, linewidth=1.2, label=label, color=color)
        infeasible = budgets[~result.feasible]
        if infeasible.size:
            ax.axvspan(
                budgets[0],
                base.floor_budget_rp / 1_000_000,
                color="0.9",
                label=t("sweep.chart_infeasible", lang),
                zorder=0,
            )
        current = result.current_budget_rp / 1_000_000
        if budgets[0] <= current <= budgets[-1]:
            ax.axvline(current, color="0.3", linestyle="--", linewidth=1, label=t("sweep.chart_current", lang))
        ax.set_title(t("sweep.chart_title", lang, method=t(f"method.{base.method}", lang)))
        ax.set_xlabel(t("sweep.chart_x", lang))
        ax.set_ylabel(t("sweep.chart_y", lang))
        ax.grid(True, linewidth=0.3)
        ax.legend(loc="upper left", fontsize=7, ncol=2)
        fig.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def write_sweep_chart(result: SweepResult, path: Path, lang: str = "id") -> None:
    """Write :func:`sweep_chart` to ``path`` atomically (format from the suffix)."""
    write_bytes_atomic(path, sweep_chart(result, chart_format(path), lang))
