"""Rendering results for people (aligned text tables) and machines (CSV, JSON).

Text tables follow Indonesian conventions (``Rp 3.000.000``, ``66,89``, ``12,5%``) with
the language chosen by ``lang``; CSV and JSON use plain numbers (``.`` decimals, integer
rupiah) and stable English column names so other tools can read them. Text cells that
come from user data and start with ``=``, ``+``, ``-`` or ``@`` are prefixed with ``'`` in
CSV so a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__
from .i18n import t
from .money import format_count, format_rp

if TYPE_CHECKING:  # pandas and the engine are imported when an allocation is rendered, not for wrse scenarios
    import pandas as pd

    from .engine import Allocation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with ``'``; other values pass."""
    if isinstance(text, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def decimal(value: float, places: int = 2, lang: str = "id") -> str:
    """Format a number with ``places`` decimals, Indonesian decimal comma for ``id``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{places}f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def percent(fraction: float, places: int = 2, lang: str = "id") -> str:
    """Format a fraction as a percentage: ``0.125`` -> ``'12,50%'``."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return ""
    return decimal(100 * fraction, places, lang) + "%"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """Align ``rows`` under ``headers``; ``right[i]`` right-aligns column i (numbers)."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if rj else c.ljust(w) for c, w, rj in zip(cells, widths, right, strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _plain_values(column: pd.Series) -> list:
    """A column as Python values for JSON: NaN -> None (as :func:`_clean` does per value)."""
    values = column.tolist()
    if column.dtype.kind == "f":
        return [None if v != v else v for v in values]
    return [_clean(v) for v in values] if column.dtype == object else values


def _records(frame: pd.DataFrame):
    """Rows of ``frame`` as dicts of Python values (like ``to_dict("records")``, faster)."""
    names = list(frame.columns)
    for values in zip(*(frame[name].tolist() for name in names), strict=True):
        yield dict(zip(names, values, strict=True))


def _clean(value: object) -> object:
    """JSON-safe value: NaN -> None, numpy scalars -> Python."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# ---------------------------------------------------------------------- allocation


def allocation_dict(a: Allocation, lang: str = "en") -> dict:
    """The allocation as one JSON-ready object (see README: "JSON output")."""
    from .engine import REGION_COLUMNS

    keys = (*REGION_COLUMNS, "idg_source", "poverty_source")
    columns = [_plain_values(a.regions[k]) for k in keys]
    regions = [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    s = a.scenario
    return {
        "tool": {"name": "wrse-optimizer", "version": __version__},
        "scenario": {
            "name": s.name,
            "title": s.title,
            "fiscal_year": s.fiscal_year,
            "file": str(s.path) if s.path else None,
        },
        "data": {"label": a.data.label, "sha256": a.data.sha256},
        "budget_rp": a.budget_rp,
        "grant_rp": s.grant_rp,
        "bimtek_per_recipient_rp": s.bimtek_per_recipient_rp,
        "cost_per_recipient_rp": a.cost_per_recipient_rp,
        "affordable": a.affordable,
        "allocated": a.allocated,
        "spent_rp": a.spent_rp,
        "leftover_rp": a.leftover_rp,
        "limited_by": a.limited_by,
        "weights": {k: float(v) for k, v in a.weights.items()},
        "weights_requested": {k: float(v) for k, v in a.weights_requested.items()},
        "idg_reference": _clean(a.idg_reference),
        "idg_reference_year": a.idg_reference_year,
        "idg_reference_source": a.idg_reference_source,
        "eligible_method": a.eligible_method,
        "eligible_file": str(a.eligible_file) if a.eligible_file else None,
        "method": a.method,
        "solver": a.solver,
        "status": a.status,
        "optimal": a.optimal,
        "notices": [n.text(lang) for n in a.notices],
        "regions": regions,
    }


LARGE_JSON = 1000  # regions above which each region is written on one line


def allocation_json(a: Allocation, lang: str = "en") -> str:
    """:func:`allocation_dict` as indented JSON text (UTF-8, stable key order).

    With more than :data:`LARGE_JSON` regions, each region object is written on one line
    (Python's JSON encoder is ten times faster without indentation inside them; 83,763
    desa take about a second instead of five); the document is the same JSON.
    """
    document = allocation_dict(a, lang)
    if len(document["regions"]) <= LARGE_JSON:
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    regions = document.pop("regions")
    head = json.dumps(document, ensure_ascii=False, indent=2)
    lines = ",\n".join("    " + json.dumps(region, ensure_ascii=False) for region in regions)
    return head[:-2] + ',\n  "regions": [\n' + lines + "\n  ]\n}\n"


def allocation_csv(a: Allocation) -> str:
    """One row per region of the data set, columns :data:`~optimizer.engine.REGION_COLUMNS`."""
    from .engine import REGION_COLUMNS

    frame = a.regions
    cells = [_csv_cells(column, frame[column]) for column in REGION_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGION_COLUMNS)
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


_FULL_PRECISION = ("need_share", "quota", "coverage_pct")
_COUNTS = ("eligible", "population")


def _csv_cells(name: str, column: pd.Series) -> list:
    """One column of :func:`allocation_csv`: booleans as true/false, NaN and year 0 empty,
    ``need_share``/``quota``/``coverage_pct`` in full precision, other decimals with ``:g``,
    whole counts as integers, text neutralised against spreadsheet formulas."""
    values = column.tolist()
    kind = column.dtype.kind
    if kind == "b":
        return ["true" if v else "false" for v in values]
    if kind == "f":
        if name in _FULL_PRECISION:
            return ["" if v != v else v for v in values]
        if name in _COUNTS:  # a count held as float when some rows leave it empty
            return ["" if v != v else (str(int(v)) if v.is_integer() else f"{v:g}") for v in values]
        return ["" if v != v else f"{v:g}" for v in values]
    if kind in "iu":
        if name.endswith("_year"):
            return ["" if v == 0 else v for v in values]
        return values
    return _neutralised(["" if v is None else _clean(v) for v in values])


_FORMULA_START = re.compile("(?:^|\x00)[=+\\-@\t\r]")


def _neutralised(values: list) -> list:
    """:func:`neutralise` over a column; one regex finds whether any cell needs it."""
    if all(type(v) is str for v in values) and not _FORMULA_START.search("\x00".join(values)):
        return values
    return [neutralise(v) for v in values]


def _mark(status: str, fallback: bool) -> str:
    return ("*" if status == "estimate" else "") + ("†" if fallback else "")


def _eligible_basis(a: Allocation, lang: str) -> str:
    """The eligible counts file as the source of ``eligible``: its label and SHA-256 prefix."""
    label = str(a.included["eligible_source_id" if lang == "id" else "eligible_source"].iloc[0])
    return f"{label} (sha256 {a.eligible_sha256[:12]})" if a.eligible_sha256 else label


def summary_lines(a, lang: str = "id") -> list[str]:
    """Scenario, budget and cost, recipients and leftover, method: the head of a run table.

    ``a``: an :class:`~optimizer.engine.Allocation` or anything with the same summary
    attributes (``scenario``, ``budget_rp``, ``cost_per_recipient_rp``, ``affordable``,
    ``allocated``, ``leftover_rp``, ``limited_by``, ``method``, ``solver``, ``status``).
    """
    s = a.scenario
    return [
        f"{t('run.scenario', lang)}: {s.title} ({s.name}) · {t('run.fiscal_year', lang)} {s.fiscal_year}",
        f"{t('run.budget', lang)}: {format_rp(a.budget_rp)} · "
        + t(
            "run.cost",
            lang,
            cost=format_rp(a.cost_per_recipient_rp),
            grant=format_rp(s.grant_rp),
            bimtek=format_rp(s.bimtek_per_recipient_rp),
        ),
        f"{t('run.recipients', lang)}: "
        + t(
            "run.recipients_line",
            lang,
            affordable=format_count(a.affordable, lang),
            allocated=format_count(a.allocated, lang),
            leftover=format_rp(a.leftover_rp),
            limited_by=t(f"limited_by.{a.limited_by}", lang),
        ),
        f"{t('run.method', lang)}: "
        + t("run.method_line", lang, method=t(f"method.{a.method}", lang), solver=a.solver, status=a.status),
    ]


def _data_label(a, lang: str) -> str:
    from .inputs.data import shipped

    return t("run.data_shipped", lang) if a.data is shipped() else a.data.label


def allocation_table(a: Allocation, lang: str = "id") -> str:
    """The allocation for people: a header block, the region table with totals, notes."""
    head = [
        *summary_lines(a, lang),
        f"{t('run.data', lang)}: {_data_label(a, lang)}",
        f"{t('run.weights', lang)}: "
        + " · ".join(f"{t(f'weight.{k}', lang)} {percent(v, 1, lang)}" for k, v in a.weights.items())
        + " · "
        + t(
            "run.reference",
            lang,
            value=decimal(a.idg_reference, 2, lang),
            source=t("run.reference_provincial", lang, year=a.idg_reference_year)
            if a.idg_reference_year
            else t("run.reference_scenario", lang),
        ),
        *([f"{t('run.eligible_basis', lang)}: {_eligible_basis(a, lang)}"] if a.eligible_file is not None else []),
        "",
    ]
    headers = [
        t(f"column.{c}", lang)
        for c in (
            "region_code",
            "region_name",
            "idg",
            "idg_gap",
            "poverty_rate",
            "eligible",
            "need_share",
            "quota",
            "lower",
            "upper",
            "recipients",
            "cost_rp",
            "coverage_pct",
            "binding",
        )
    ]
    right = [False, False, True, True, True, True, True, True, True, True, True, True, True, False]
    rows = []
    for r in _records(a.regions):
        if not r["included"]:
            rows.append(
                [
                    r["region_code"],
                    r["region_name"],
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "0",
                    format_rp(0),
                    "",
                    t("binding.excluded", lang),
                ]
            )
            continue
        rows.append(
            [
                r["region_code"],
                r["region_name"],
                f"{decimal(r['idg'], 2, lang)} ({r['idg_year']}){_mark(r['idg_status'], bool(r['idg_fallback']))}"
                if r["idg_year"]
                else "",
                decimal(r["idg_gap"], 2, lang),
                f"{decimal(r['poverty_rate'], 2, lang)} ({r['poverty_year']})"
                f"{_mark(r['poverty_status'], bool(r['poverty_fallback']))}"
                if r["poverty_year"]
                else "",
                format_count(r["eligible"], lang)
                + (f" ({r['eligible_year']})" if r["eligible_year"] else "")
                + _mark(r["eligible_status"], bool(r["eligible_fallback"])),
                percent(r["need_share"], 2, lang),
                decimal(r["quota"], 2, lang),
                format_count(r["lower"], lang),
                format_count(r["upper"], lang),
                format_count(r["recipients"], lang),
                format_rp(int(r["cost_rp"])),
                percent(r["coverage_pct"] / 100, 2, lang) if not math.isnan(r["coverage_pct"]) else "",
                t(f"binding.{r['binding'] or 'none'}", lang),
            ]
        )
    included = a.included
    rows.append(
        [
            "",
            t("run.total", lang),
            "",
            "",
            "",
            format_count(int(included["eligible"].sum()), lang),
            percent(float(included["need_share"].sum()), 2, lang),
            decimal(float(included["quota"].sum()), 2, lang),
            format_count(int(included["lower"].sum()), lang),
            "",
            format_count(a.allocated, lang),
            format_rp(a.spent_rp),
            "",
            "",
        ]
    )
    included = a.included
    marked = (included[["idg_status", "poverty_status", "eligible_status"]] == "estimate").to_numpy().any() or (
        included[["idg_fallback", "poverty_fallback", "eligible_fallback"]].to_numpy(dtype=bool).any()
    )
    notes = [t("run.estimate_mark", lang)] if marked else []
    if a.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(n.text(lang) for n in a.notices)
    tail = "\n".join(["", f"{t('run.notes', lang)}:"] + [f"- {n}" for n in notes]) + "\n" if notes else ""
    return "\n".join(head) + "\n" + text_table(headers, rows, right) + "\n" + tail


# ---------------------------------------------------------------------- compare


def comparison_frame(allocations: Sequence[Allocation]) -> pd.DataFrame:
    """Regions side by side: one row per region (union of data sets, BPS order).

    Columns: ``region_code``, ``region_name``, then per scenario i (0-based)
    ``recipients_<i>``, ``cost_rp_<i>``, and for i > 0 ``change_recipients_<i>`` and
    ``change_rp_<i>`` (difference from scenario 0). Integer rupiah throughout.
    """
    names: dict[str, str] = {}
    for a in allocations:
        names.update(dict(zip(a.regions["region_code"], a.regions["region_name"], strict=True)))
    import pandas as pd

    frame = pd.DataFrame({"region_code": sorted(names)})
    frame["region_name"] = [names[c] for c in frame["region_code"]]
    for i, a in enumerate(allocations):
        counts = a.recipients()
        frame[f"recipients_{i}"] = [counts.get(c, 0) for c in frame["region_code"]]
        frame[f"cost_rp_{i}"] = [counts.get(c, 0) * a.cost_per_recipient_rp for c in frame["region_code"]]
        if i:
            frame[f"change_recipients_{i}"] = frame[f"recipients_{i}"] - frame["recipients_0"]
            frame[f"change_rp_{i}"] = frame[f"cost_rp_{i}"] - frame["cost_rp_0"]
    return frame


def comparison_dict(allocations: Sequence[Allocation]) -> dict:
    """JSON-ready comparison: scenarios with their totals, and regions with per-scenario values."""
    frame = comparison_frame(allocations)
    scenarios = [
        {
            "index": i,
            "name": a.scenario.name,
            "title": a.scenario.title,
            "budget_rp": a.budget_rp,
            "allocated": a.allocated,
            "spent_rp": a.spent_rp,
            "leftover_rp": a.leftover_rp,
            "method": a.method,
            "regions_covered": int((a.regions["recipients"] > 0).sum()),
        }
        for i, a in enumerate(allocations)
    ]
    regions = []
    for row in _records(frame):
        entry = {"region_code": row["region_code"], "region_name": row["region_name"], "scenarios": []}
        for i in range(len(allocations)):
            item = {"recipients": int(row[f"recipients_{i}"]), "cost_rp": int(row[f"cost_rp_{i}"])}
            if i:
                item["change_recipients"] = int(row[f"change_recipients_{i}"])
                item["change_rp"] = int(row[f"change_rp_{i}"])
            entry["scenarios"].append(item)
        regions.append(entry)
    return {"tool": {"name": "wrse-optimizer", "version": __version__}, "scenarios": scenarios, "regions": regions}


def comparison_csv(allocations: Sequence[Allocation]) -> str:
    """:func:`comparison_frame` as CSV (a legend row is not added; column suffixes are scenario indexes)."""
    frame = comparison_frame(allocations)
    frame["region_name"] = frame["region_name"].map(neutralise)
    return frame.to_csv(index=False, lineterminator="\n")


def _signed(value: int, rupiah: bool, lang: str = "id") -> str:
    text = format_rp(abs(value)) if rupiah else format_count(abs(value), lang)
    return ("+" if value > 0 else "-" if value < 0 else "±") + text


def comparison_table(allocations: Sequence[Allocation], lang: str = "id") -> str:
    """Regions side by side for people: recipients and Rupiah per scenario, change from the first."""
    frame = comparison_frame(allocations)
    first = allocations[0].scenario.name
    legend = [t("compare.title", lang, first=first)]
    for i, a in enumerate(allocations):
        legend.append(
            f"  [{i + 1}] {a.scenario.name}: {a.scenario.title} · {format_rp(a.budget_rp)} · "
            f"{t(f'method.{a.method}', lang)}"
        )
    headers = [t("column.region_code", lang), t("column.region_name", lang)]
    right = [False, False]
    for i in range(len(allocations)):
        headers += [f"[{i + 1}] {t('compare.recipients', lang)}", f"[{i + 1}] {t('compare.rupiah', lang)}"]
        right += [True, True]
        if i:
            headers += [f"Δ[{i + 1}] {t('compare.recipients', lang)}", f"Δ[{i + 1}] {t('compare.rupiah', lang)}"]
            right += [True, True]
    rows = []
    for row in _records(frame):
        cells = [row["region_code"], row["region_name"]]
        for i in range(len(allocations)):
            cells += [format_count(row[f"recipients_{i}"], lang), format_rp(int(row[f"cost_rp_{i}"]))]
            if i:
                cells += [
                    _signed(int(row[f"change_recipients_{i}"]), False, lang),
                    _signed(int(row[f"change_rp_{i}"]), True, lang),
                ]
        rows.append(cells)
    totals = ["", t("run.total", lang)]
    for i in range(len(allocations)):
        totals += [format_count(int(frame[f"recipients_{i}"].sum()), lang), format_rp(int(frame[f"cost_rp_{i}"].sum()))]
        if i:
            totals += [
                _signed(int(frame[f"change_recipients_{i}"].sum()), False, lang),
                _signed(int(frame[f"change_rp_{i}"].sum()), True, lang),
            ]
    rows.append(totals)
    return "\n".join(legend) + "\n\n" + text_table(headers, rows, right) + "\n"


# ---------------------------------------------------------------------- data set


def data_table(data, lang: str = "id", indicator: str | None = None) -> str:
    """The data set for people: per indicator, regions x years, then numbered sources.

    A value marked ``*`` is an estimate; ``[n]`` points to source n in the list below.
    """
    from .inputs.dataset import INDICATORS

    records = _records_of(data, indicator)
    sources: dict[str, int] = {}
    blocks = [t("data.title", lang, label=data.label), ""]
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    for name in sorted(records["indicator"].unique()):
        subset = records[records["indicator"] == name]
        years = sorted(int(y) for y in subset["year"].unique())
        spec = INDICATORS.get(name)
        unit = spec.unit if spec is not None else subset["unit"].iloc[0]
        headers = [t("column.region_code", lang), t("column.region_name", lang), *map(str, years)]
        figures = {(r["region_code"], int(r["year"])): r for r in subset.to_dict("records")}
        rows = []
        for code in sorted(subset["region_code"].unique()):
            cells = [code, names.get(code, code)]
            for year in years:
                row = figures.get((code, year))
                if row is None:
                    cells.append("")
                    continue
                number = sources.setdefault(row["source"], len(sources) + 1)
                places = 0 if float(row["value"]).is_integer() and name in ("population", "eligible") else 2
                mark = "*" if row["status"] == "estimate" else ""
                cells.append(f"{decimal(float(row['value']), places, lang)}{mark} [{number}]")
            rows.append(cells)
        blocks.append(f"{name} ({unit})")
        blocks.append(text_table(headers, rows, [False, False, *([True] * len(years))]))
        blocks.append("")
    blocks.append(f"{t('data.sources', lang)}:")
    blocks.extend(f"[{n}] {source}" for source, n in sources.items())
    return "\n".join(blocks) + "\n"


def _records_of(data, indicator: str | None):
    records = data.records
    return records if indicator is None else records[records["indicator"] == indicator]


def data_csv(data, indicator: str | None = None) -> str:
    """The data set's records (long layout, as read and validated) as CSV; one indicator if given."""
    frame = _records_of(data, indicator).copy()
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    frame.insert(1, "region_name", [neutralise(names.get(c, c)) for c in frame["region_code"]])
    for column in ("source", "note", "unit"):
        frame[column] = frame[column].map(neutralise)
    return frame.to_csv(index=False, lineterminator="\n")


def data_dict(data, indicator: str | None = None) -> dict:
    """The data set as a JSON-ready object: label, hash, regions and records (one indicator if given)."""
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    return {
        "label": data.label,
        "sha256": data.sha256,
        "units": [{"region_code": r.code, "region_name": r.name, "region_type": r.type} for r in data.units],
        "parents": [{"region_code": r.code, "region_name": r.name} for r in data.parents.values()],
        "records": [
            {**{k: _clean(v) for k, v in row.items()}, "region_name": names.get(row["region_code"])}
            for row in _records_of(data, indicator).to_dict("records")
        ],
    }


def scenarios_table(scenarios, lang: str = "id") -> str:
    """One line per scenario: name, fiscal year, budget, regions, method, title."""
    headers = [t(f"scenarios.{k}", lang) for k in ("name", "fiscal_year", "budget", "regions", "method", "description")]
    rows = [
        [
            s.name,
            str(s.fiscal_year),
            format_rp(s.budget_rp),
            str(len(s.include)) if s.include is not None else t("scenarios.regions_all", lang),
            s.method,
            s.title,
        ]
        for s in scenarios
    ]
    return (
        t("scenarios.title", lang) + "\n\n" + text_table(headers, rows, [False, True, True, True, False, False]) + "\n"
    )
