"""Rendering an allocation (``wrse run``): tables, CSV, JSON, workbooks.

Each result is first made into :class:`~optimizer.render.table.Table` objects (values,
not text: :func:`allocation_sheet`, :func:`scenarios_sheet`); the text table for the
terminal, the workbook and the CSV for Excel are written from them by
:mod:`optimizer.render`. The machine CSV and the JSON keep stable English column names,
plain numbers and integer rupiah so other tools can read them. The pieces every allocation
rendering shares (the summary head, the grant line, the budget cells and checks, the notes
block) are here; comparisons are rendered by :mod:`optimizer.comparison_output`, data sets
by :mod:`optimizer.data_output`, hierarchical allocations by :mod:`optimizer.hierarchy_output`,
the list of scenarios by :mod:`optimizer.scenarios_output`
(their functions are also reachable as ``optimizer.output.<name>``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .eligible import binding_key, eligible_key, is_proxy
from .i18n import localise, t
from .render import Renderings
from .render.csv import columns_csv
from .render.format import count as format_count
from .render.format import decimal, neutralise, percent
from .render.format import rupiah as format_rp
from .render.json import LARGE_JSON, dumps_large, plain, run_head
from .render.table import Check, Column, Parameter, Table
from .scenario import shown_method
from .solvers import SolverName

if TYPE_CHECKING:  # the engine is imported when an allocation is rendered, not for wrse scenarios
    from .engine import Allocation

__all__ = ["LARGE_JSON", "decimal", "neutralise", "percent"]


def _plain_values(column) -> list:
    """A column (NumPy array or pandas Series) as Python values for JSON: NaN -> None (as
    :func:`plain` does per value)."""
    values = column.tolist()
    if column.dtype.kind == "f":
        return [None if v != v else v for v in values]
    return [plain(v) for v in values] if column.dtype == object else values


def _records(frame):
    """Rows of ``frame`` (:class:`~optimizer.columnar.Columns` or a DataFrame) as dicts of
    Python values (like ``to_dict("records")``, faster)."""
    names = list(frame)
    for values in zip(*(frame[name].tolist() for name in names), strict=True):
        yield dict(zip(names, values, strict=True))


# ---------------------------------------------------------------------- allocation


def machine_columns(a: Allocation, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Columns ``keys`` of ``a.region_columns`` as the CSV and JSON write them: ``coverage_pct``
    empty (NaN; ``null`` in JSON) when the eligible figures are a proxy's estimate (the poor
    population counts men and women of every age, so recipients / proxy is no coverage)."""
    columns = {k: a.region_columns[k] for k in keys}
    if "coverage_pct" in columns and is_proxy(a.eligible_method):
        columns["coverage_pct"] = np.full(len(columns["coverage_pct"]), math.nan)
    return columns


def allocation_dict(a: Allocation, lang: str = "en") -> dict:
    """The allocation as one JSON-ready object (see README: "JSON output")."""
    from .engine import REGION_COLUMNS

    keys = (*REGION_COLUMNS, "idg_source", "poverty_source")
    machine = machine_columns(a, keys)
    columns = [_plain_values(machine[k]) for k in keys]
    regions = [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    s = a.scenario
    return {
        **run_head(a),
        "budget_rp": a.budget_rp,
        "grant_rp": s.grant_rp,
        "grant": grant_dict(s),
        "bimtek_per_recipient_rp": s.bimtek_per_recipient_rp,
        "cost_per_recipient_rp": a.cost_per_recipient_rp,
        "affordable": a.affordable,
        "allocated": a.allocated,
        "spent_rp": a.spent_rp,
        "leftover_rp": a.leftover_rp,
        "limited_by": a.limited_by,
        "weights": {k: float(v) for k, v in a.weights.items()},
        "weights_requested": {k: float(v) for k, v in a.weights_requested.items()},
        "idg_reference": plain(a.idg_reference),
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


def allocation_json(a: Allocation, lang: str = "en") -> str:
    """:func:`allocation_dict` as indented JSON text (UTF-8, stable key order; one line per
    region above :data:`~optimizer.render.json.LARGE_JSON` regions)."""
    return dumps_large(allocation_dict(a, lang), "regions")


FULL_PRECISION = ("need_share", "quota", "coverage_pct")
COUNTS = ("eligible", "population")


def allocation_csv(a: Allocation) -> str:
    """One row per region of the data set, columns :data:`~optimizer.engine.REGION_COLUMNS`."""
    from .engine import REGION_COLUMNS

    return columns_csv(machine_columns(a, REGION_COLUMNS), REGION_COLUMNS, FULL_PRECISION, COUNTS)  # type: ignore[arg-type]


def _mark(status: str, fallback: bool) -> str:
    return ("*" if status == "estimate" else "") + ("†" if fallback else "")


_REMARK_FIGURES = (
    ("idg", "column.remark_idg"),
    ("poverty", "column.remark_poverty"),
    ("eligible", "column.remark_eligible"),
)


def remark(row: Mapping[str, object], lang: str, method: str = "file") -> str:
    """The *Keterangan* cell of a region row of the run table: which of its figures are estimates
    (``*``) and which come from an earlier year (``†``), e.g. ``* estimasi: memenuhi syarat``;
    ``''`` when none. ``row``: a record of :attr:`Allocation.region_columns` (``<figure>_status``,
    ``<figure>_fallback`` for ``idg``, ``poverty``, ``eligible``). The same marks as the text table's
    notes and the workbook's note, in a cell, so that a CSV for Excel carries them (the page's
    CSV writes the same cell: page.js ``remark``). ``method``: the allocation's eligible method,
    naming a proxy as what it is (``penduduk miskin (proksi)``)."""
    keys = [(name, eligible_key(key, method) if name == "eligible" else key) for name, key in _REMARK_FIGURES]
    estimates = [t(key, lang) for name, key in keys if row[f"{name}_status"] == "estimate"]
    earlier = [t(key, lang) for name, key in keys if bool(row[f"{name}_fallback"])]
    parts = [t("column.remark_estimate", lang, figures=", ".join(estimates))] if estimates else []
    parts += [t("column.remark_fallback", lang, figures=", ".join(earlier))] if earlier else []
    return "; ".join(parts)


def _eligible_basis(a: Allocation, lang: str) -> str:
    """The eligible counts file as the source of ``eligible``: its label and SHA-256 prefix."""
    label = str(a.included_columns["eligible_source_id" if lang == "id" else "eligible_source"][0])
    return f"{label} (sha256 {a.eligible_sha256[:12]})" if a.eligible_sha256 else label


def grant_line(s, lang: str = "id") -> str:
    """The grant per recipient a scenario uses: the value, its unit, the year it applies from,
    why it applies (in force in the fiscal year, a year the scenario chose, or the scenario's
    own amount), the reported range where there is one, and its reference.

    ``s``: a :class:`~optimizer.scenario.Scenario`.
    """
    value = s.grant_value
    if s.grant_rule == "own" or value is None:
        return t("grant.own", lang, grant=format_rp(s.grant_rp, lang), source=s.grant_source)
    key = "grant.chosen_year" if s.grant_rule == "chosen_year" else "grant.in_force"
    if s.grant_rule == "in_force" and value.year < s.fiscal_year:
        key = "grant.in_force_latest"
    text = t(
        key,
        lang,
        grant=format_rp(s.grant_rp, lang),
        unit=t(f"grant.unit.{value.recipient_unit}", lang),
        year=value.year,
        programme=value.programme,
        fiscal_year=s.fiscal_year,
        source=value.reference,
    )
    if value.is_range:
        text += " · " + t(
            "grant.range", lang, minimum=format_rp(value.minimum_rp, lang), maximum=format_rp(value.maximum_rp, lang)
        )
    return text


def grant_dict(s) -> dict:
    """The grant basis for JSON: amount, rule, the dated value's year, unit, range and reference."""
    value = s.grant_value
    return {
        "grant_rp": s.grant_rp,
        "rule": s.grant_rule,
        "year": value.year if value else None,
        "recipient_unit": value.recipient_unit if value else None,
        "programme": value.programme if value else None,
        "minimum_rp": value.minimum_rp if value else None,
        "maximum_rp": value.maximum_rp if value else None,
        "source": s.grant_source,
    }


def grant_short(s, lang: str = "id") -> str:
    """The grant in a few characters for lists: ``Rp 5.000.000 (2026)``."""
    if s.grant_rule == "own" or s.grant_value is None:
        return t("grant.short_own", lang, grant=format_rp(s.grant_rp, lang))
    return t("grant.short", lang, grant=format_rp(s.grant_rp, lang), year=s.grant_value.year)


def heading(a, lang: str = "id") -> str:
    """The scenario's title for ``a`` in ``lang``; with the budget or method overridden, the
    title made from the numbers used, as the report's subtitle
    (:func:`optimizer.report.phrases.scenario_heading`)."""
    from .report.phrases import scenario_heading
    from .report.text import resolve

    return str(resolve(scenario_heading(a), lang))


def summary_lines(a, lang: str = "id") -> list[str]:
    """Scenario, budget and cost, recipients and leftover, method: the head of a run table.

    ``a``: an :class:`~optimizer.engine.Allocation` or anything with the same summary
    attributes (``scenario``, ``budget_rp``, ``cost_per_recipient_rp``, ``affordable``,
    ``allocated``, ``leftover_rp``, ``limited_by``, ``method``, ``solver``, ``status``).
    """
    s = a.scenario
    return [
        f"{t('run.scenario', lang)}: {heading(a, lang)} ({s.name}) · {t('run.fiscal_year', lang)} {s.fiscal_year}",
        f"{t('run.budget', lang)}: {format_rp(a.budget_rp, lang)} · "
        + t(
            "run.cost",
            lang,
            cost=format_rp(a.cost_per_recipient_rp, lang),
            grant=format_rp(s.grant_rp, lang),
            bimtek=format_rp(s.bimtek_per_recipient_rp, lang),
        ),
        f"{t('grant.label', lang)}: {grant_line(s, lang)}",
        _labelled(
            "run.recipients",
            "run.recipients_line",
            lang,
            affordable=format_count(a.affordable, lang),
            allocated=format_count(a.allocated, lang),
            leftover=format_rp(a.leftover_rp, lang),
            limited_by=t(f"limited_by.{a.limited_by}", lang),
        ),
        _labelled(
            "run.method",
            "run.method_line",
            lang,
            method=t(f"method.{shown_method(a.scenario, a.method)}", lang),
            solver=SolverName(a.solver).text(lang),
            status=localise(a.status, lang),
        ),
    ]


def _labelled(label: str, line: str, lang: str, **params) -> str:
    """``'<label>: <line>'`` for two message keys, the line formatted with ``params``."""
    return f"{t(label, lang)}: " + t(line, lang, **params)


def _data_label(a, lang: str) -> str:
    from .inputs.data import shipped

    return t("run.data_shipped", lang) if a.data is shipped() else a.data.label


def budget_cells(
    budget_rp: int, cost_rp: int, suffix: str = "", cost_label: str | None = None
) -> tuple[list[Parameter], list[Check]]:
    """The workbook's budget and cost-per-recipient cells, the left-over budget and the
    budget check over the ``cost_rp`` column (Rupiah = penerima × biaya per penerima).
    ``cost_label``: the cost cell's label as text (the report's ``Biaya per keluarga (KPM)``
    where the grant is per family), else ``Biaya per penerima``."""
    cost = (
        Parameter("cost" + suffix, cost_label, cost_rp, literal=True)
        if cost_label is not None
        else Parameter("cost" + suffix, "table.cost_per_recipient", cost_rp)
    )
    parameters = [Parameter("budget" + suffix, "table.budget", budget_rp), cost]
    total = "{sum:cost_rp" + suffix + "}"
    checks = [
        Check("table.leftover", "{@budget" + suffix + "}-" + total, kind="rupiah"),
        Check(
            "table.budget_check",
            f'IF({total}<={{@budget{suffix}}},"{{ok}}","{{over}}")',
            flag="{over}",
        ),
    ]
    return parameters, checks


def budget_table(columns, rows, total, head: Sequence[str], sheet: str, parameters, checks, lang: str) -> Table:
    """A table of regions with the workbook's budget cells and checks (run, hierarchy, compare):
    title ``head[0]``, notes ``head[1:]``, sheet name the message ``sheet``; the checks'
    words in ``lang`` (:func:`localise_checks`)."""
    return Table(
        columns,
        rows,
        total,
        title=head[0],
        sheet=t(sheet, lang),
        notes=list(head[1:]),
        parameters=parameters,
        checks=localise_checks(checks, lang),
    )


def localise_checks(checks: list[Check], lang: str) -> list[Check]:
    """``{ok}`` / ``{over}`` in check formulas replaced by the words of ``lang``."""
    ok, over = (t(k, lang).replace('"', "'") for k in ("table.within_budget", "table.over_budget"))
    return [
        Check(
            c.label,
            c.formula.replace("{ok}", ok).replace("{over}", over),
            c.kind,
            c.flag.replace("{over}", over) if c.flag else None,
            c.literal,
        )
        for c in checks
    ]


def allocation_columns(lang: str, method: str = "file") -> list[Column]:
    """The columns of the run table: the planner's first (code, name, need, quota, recipients,
    Rupiah, binding) and, in the wide view and workbooks, the indicators and bounds.
    ``method``: the eligible method; a proxy's column is named as the proxy (``Penduduk miskin
    (proksi, jiwa)``) and has no coverage beside it (recipients / poor population is none)."""
    del lang
    proxy = is_proxy(method)
    columns = [
        Column("region_code", "column.region_code", "code"),
        Column("region_name", "column.region_name"),
        Column("idg", "column.idg", "decimal", 2, wide=True, note="idg_note"),
        Column("idg_year", "table.idg_year", "year", screen=False),
        Column("idg_gap", "column.idg_gap", "decimal", 2, wide=True),
        Column("poverty_rate", "column.poverty_rate", "decimal", 2, wide=True, note="poverty_note"),
        Column("poverty_year", "table.poverty_year", "year", screen=False),
        Column("eligible", eligible_key("column.eligible", method), "count", wide=True, note="eligible_note"),
        Column("eligible_year", eligible_key("table.eligible_year", method), "year", screen=False),
        Column("need_share", "column.need_share", "percent", 2, priority=2),
        Column("quota", "column.quota", "decimal", 2, priority=3),
        Column("lower", "column.lower", "count", wide=True),
        Column("upper", "column.upper", "count", wide=True),
        Column("recipients", "column.recipients", "count", total="sum"),
        Column("cost_rp", "column.cost_rp", "rupiah", formula="{recipients}*{@cost}", total="sum"),
        Column("coverage_pct", "column.coverage_pct", "percent", 2, wide=True, formula="{recipients}/{eligible}"),
        Column("binding", "column.binding", priority=1),
        Column("remark", "column.remark", screen=False),  # the marks in a cell: workbooks and CSV for Excel
    ]
    return [c for c in columns if not (proxy and c.key == "coverage_pct")]


def allocation_sheet(a: Allocation, lang: str = "id") -> Table:
    """The run table as a :class:`~optimizer.render.table.Table` (values; totals; the budget
    and cost cells and checks of the workbook; the summary and notes as title and notes)."""
    rows = []
    for r in _records(a.region_columns):
        if not r["included"]:
            rows.append(
                {
                    "region_code": r["region_code"],
                    "region_name": r["region_name"],
                    "recipients": 0,
                    "cost_rp": 0,
                    "binding": t("binding.excluded", lang),
                }
            )
            continue
        rows.append(
            {
                "region_code": r["region_code"],
                "region_name": r["region_name"],
                "idg": r["idg"] if r["idg_year"] else None,
                "idg_year": r["idg_year"],
                "idg_note": f" ({r['idg_year']}){_mark(r['idg_status'], bool(r['idg_fallback']))}",
                "idg_gap": r["idg_gap"],
                "poverty_rate": r["poverty_rate"] if r["poverty_year"] else None,
                "poverty_year": r["poverty_year"],
                "poverty_note": f" ({r['poverty_year']}){_mark(r['poverty_status'], bool(r['poverty_fallback']))}",
                "eligible": int(r["eligible"]),
                "eligible_year": r["eligible_year"],
                "eligible_note": (f" ({r['eligible_year']})" if r["eligible_year"] else "")
                + _mark(r["eligible_status"], bool(r["eligible_fallback"])),
                "need_share": r["need_share"],
                "quota": r["quota"],
                "lower": int(r["lower"]),
                "upper": int(r["upper"]),
                "recipients": int(r["recipients"]),
                "cost_rp": int(r["cost_rp"]),
                "coverage_pct": None if math.isnan(r["coverage_pct"]) else r["coverage_pct"] / 100,
                "binding": t(binding_key(r["binding"], a.eligible_method), lang),
                "remark": remark(r, lang, a.eligible_method),
            }
        )
    included = a.included_columns
    total = {  # sums that skip NaN, as a DataFrame's do
        "region_name": t("run.total", lang),
        "eligible": int(np.nansum(included["eligible"])),
        "need_share": float(np.nansum(included["need_share"])),
        "quota": float(np.nansum(included["quota"])),
        "lower": int(np.nansum(included["lower"])),
        "recipients": a.allocated,
        "cost_rp": a.spent_rp,
    }
    head = summary_lines(a, lang)
    parameters, checks = budget_cells(a.budget_rp, a.cost_per_recipient_rp)
    lines = [*head, *_head_tail(a, lang), *_notes(a, lang)]
    columns = allocation_columns(lang, a.eligible_method)
    return budget_table(columns, rows, total, lines, "table.sheet_allocation", parameters, checks, lang)


def weights_line(weights: Mapping[str, float], method: str, lang: str) -> str:
    """``kesenjangan IDG 30,0% · P0 30,0% · penduduk miskin (proksi) 40,0%``: the weights by the
    names of their indicators, the eligible one named as the proxy of ``method`` when it is one."""
    names = {k: eligible_key("weight.eligible", method) if k == "eligible" else f"weight.{k}" for k in weights}
    return " · ".join(f"{t(names[k], lang)} {percent(v, 1, lang)}" for k, v in weights.items())


def _head_tail(a: Allocation, lang: str) -> list[str]:
    return [
        f"{t('run.data', lang)}: {_data_label(a, lang)}",
        f"{t('run.weights', lang)}: "
        + weights_line(a.weights, a.eligible_method, lang)
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
    ]


def _notes(a: Allocation, lang: str) -> list[str]:
    included = a.included_columns
    marked = any((included[f"{name}_status"] == "estimate").any() for name in ("idg", "poverty", "eligible")) or any(
        np.asarray(included[f"{name}_fallback"], dtype=bool).any() for name in ("idg", "poverty", "eligible")
    )
    notes = [t("run.estimate_mark", lang)] if marked else []
    if a.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(n.text(lang) for n in a.notices)
    return notes


def notes_block(notes: Sequence[str], lang: str, width: int | None = None) -> str:
    """``Catatan:`` and one ``- `` line per note (wrapped at ``width``), or ``''`` without notes."""
    if not notes:
        return ""
    from .render import text as text_writer  # imported here: a run that writes CSV or JSON does not need it

    lines = text_writer.fill([f"- {n}" for n in notes], width, "  ")
    return "\n".join(["", f"{t('run.notes', lang)}:", *lines]) + "\n"


def allocation_table(a: Allocation, lang: str = "id", width: int | None = None, wide: bool = False) -> str:
    """The allocation for people: a header block, the region table with totals, notes.

    Without ``wide`` the table has the planner's columns, fitted to ``width`` characters
    (None: no limit); ``wide`` gives every column.
    """
    from .render import text as text_writer

    head = [*text_writer.fill([*summary_lines(a, lang), *_head_tail(a, lang)], width, "  "), ""]
    table = allocation_sheet(a, lang)
    body = text_writer.render(table, lang, width, wide)
    notes = _notes(a, lang)
    if not any(mark in body for mark in "*†"):  # the marked columns were left out to fit: no legend for no mark
        notes = [n for n in notes if n != t("run.estimate_mark", lang)]
    return "\n".join(head) + "\n" + body + "\n" + notes_block(notes, lang, width)


ALLOCATION = Renderings(allocation_json, allocation_csv, lambda a, lang: [allocation_sheet(a, lang)], allocation_table)


_MOVED = {  # name -> module: the renderings that moved out of this module, still reachable from here
    **dict.fromkeys(
        ("comparison_frame", "comparison_dict", "comparison_csv", "comparison_sheet", "comparison_table"),
        "comparison_output",
    ),
    **dict.fromkeys(
        ("data_sheets", "data_title", "indicator_label", "data_table", "data_status_block", "data_csv", "data_dict"),
        "data_output",
    ),
    **dict.fromkeys(("scenarios_sheet", "scenarios_table"), "scenarios_output"),
}


def __getattr__(name: str):
    """``optimizer.output.comparison_table`` and the like: the function from its own module
    (imported when asked for, as those modules import this one)."""
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __package__), name)
