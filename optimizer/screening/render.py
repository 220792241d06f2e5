"""Rendering a screening (the counts file, the decisions file and the terminal summary) and a
selection (``wrse select``: the short-list per region, its file and summary lines).

Files are machine CSV (UTF-8, ``,``), CSV for Indonesian Excel (``;``, decimal comma,
UTF-8 BOM) or XLSX, chosen by ``wrse screen --format`` or else by the suffix of the path,
written atomically (:mod:`optimizer.files`); text cells that a spreadsheet would run as a formula
are prefixed with ``'``. Headers, yes/no values and the ``reasons`` and ``warnings`` words
are in the chosen language (``[screen.file]`` messages: ``Memenuhi syarat``: ``ya``/``tidak``,
or ``Eligible``: ``yes``/``no``); the reason and warning codes stay stable identifiers.
``wrse run --eligible`` and ``wrse select`` read the files in either language
(:func:`file_headers`). No full NIK is written anywhere: only the masked form, and names
only when asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..files import check_target, write_bytes_atomic, write_text_atomic
from ..i18n import LANGUAGES, plural, t
from ..regions import kaltim_registry
from ..render import text as text_writer
from ..render.csv import frame_csv
from ..render.format import count as format_count
from ..render.table import Column, Table
from .rules import REJECTIONS, WARNINGS, label
from .screen import COUNT_COLUMNS, Screening

TABLE_SUFFIXES = (".csv", ".xlsx")


def file_headers(key: str) -> tuple[str, ...]:
    """The headers a counts or decisions file column ``key`` may have: the key itself
    (files written before the headers were translated) and its header in every language."""
    return (key, *dict.fromkeys(t(f"screen.file.{key}", lang) for lang in LANGUAGES))


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={key: t(f"screen.file.{key}", lang) for key in frame.columns})


def counts_frame(s: Screening, lang: str = "id") -> pd.DataFrame:
    """The counts file: one row per kabupaten/kota with candidates, columns
    ``region_code, region_name, eligible, priority, candidates, rejected, duplicate_rows``
    (persons), headed in ``lang`` (``Kode BPS``, ``Kabupaten/Kota``, ``Memenuhi syarat``, …).
    ``wrse run --eligible FILE`` reads the code, ``eligible`` and ``priority`` in either language."""
    return _headed(s.counts[list(COUNT_COLUMNS)].copy(), lang)


def decisions_frame(s: Screening, lang: str = "id") -> pd.DataFrame:
    """The decisions file: one row per candidate in input order, headed in ``lang``.

    Columns: ``source_file, source_row, nik_masked, [name], region_code, region_name,
    nik_region_code, age, eligible (ya/tidak, yes/no), priority_group (1 no business yet,
    2 others), priority_rank (1..n per region), duplicate_group, reason_codes, warning_codes
    (codes joined by ';'), reasons, warnings (words in ``lang``, joined by '; '), as_of``.
    ``name`` only when the screening kept names (``--include-names``).
    """
    d = s.decisions
    words: dict[object, str] = {}
    yes, no = t("screen.file.yes", lang), t("screen.file.no", lang)

    def say(findings: tuple) -> str:
        out = []
        for f in findings:
            if f not in words:
                words[f] = f.text(lang)
            out.append(words[f])
        return "; ".join(out)

    frame = pd.DataFrame(
        {
            "source_file": d["source_file"],
            "source_row": d["source_row"],
            "nik_masked": d["nik_masked"],
            "name": d["name"],
            "region_code": d["region_code"],
            "region_name": d["region_name"],
            "nik_region_code": d["nik_region_code"],
            "age": d["age"],
            "eligible": [yes if e else no for e in d["eligible"]],
            "priority_group": d["priority_group"],
            "priority_rank": d["priority_rank"],
            "duplicate_group": d["duplicate_group"],
            "reason_codes": [";".join(f.code for f in r) for r in d["rejections"]],
            "warning_codes": [";".join(f.code for f in w) for w in d["warnings"]],
            "reasons": [say(r) for r in d["rejections"]],
            "warnings": [say(w) for w in d["warnings"]],
            "as_of": s.as_of.isoformat(),
        }
    )
    if not s.include_names:
        frame = frame.drop(columns=["name"])
    return _headed(frame, lang)


def check_output_path(path: Path, option: str, inputs: Iterable[str | Path] = ()) -> None:
    """Raise :class:`InputError` unless ``path`` ends in .csv or .xlsx and can be written
    (not a folder, not one of ``inputs``, not inside the installed tool, its folder exists
    or can be created; see :func:`optimizer.files.check_target`). Nothing is written."""
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError("screening.render.unknown_file_type_csv", option=option, path=path, suffix=path.suffix)
    check_target(path, inputs, option)


def _xlsx_bytes(frame: pd.DataFrame, sheet: str = "data", lang: str = "id") -> bytes:
    """``frame`` as a one-sheet workbook (:func:`optimizer.render.xlsx.long_sheet`, streamed):
    widths that show each column's longest cell (up to 60 characters; the first 2.000 rows are
    measured) and its heading's longest word (the heading wraps, so a printed page holds more
    columns), the heading row bold and frozen with an autofilter, printed on A4 one page wide, as
    on the other workbooks, missing values as empty cells."""
    from ..render.xlsx import long_sheet

    head = frame.head(2000)
    widths = []
    for name in frame.columns:
        cells = head[name].astype(str).str.len()
        widths.append(min(60, (int(cells.max()) if len(cells) else 0) + 2))  # long_sheet fits the heading's words
    records = (
        [None if not isinstance(v, str) and pd.isna(v) else v.item() if hasattr(v, "item") else v for v in record]
        for record in frame.itertuples(index=False, name=None)
    )
    numeric = [frame[name].dtype.kind in "iuf" for name in frame.columns]
    return long_sheet([str(c) for c in frame.columns], records, widths, numeric, sheet, lang)


FILE_FORMATS = ("csv", "csv-excel", "xlsx")


def table_bytes(
    frame: pd.DataFrame, path: Path, fmt: str | None = None, sheet: str = "data", lang: str = "id"
) -> bytes:
    """``frame`` as the bytes of a file in ``fmt`` (one of :data:`FILE_FORMATS`; None: by
    ``path``'s suffix, ``.xlsx`` a workbook, else machine CSV).

    ``csv``: machine CSV (``,``, UTF-8, no BOM); ``csv-excel``: the CSV Indonesian Excel opens
    as a table (``;``, decimal comma, UTF-8 BOM, CRLF: :func:`optimizer.render.csv.excel_csv`,
    the same writer as ``wrse run --format csv-excel``); ``xlsx``: a one-sheet workbook, its
    tab ``sheet``, its numbers formatted the ``lang`` way.
    No cell becomes a formula: in XLSX formula-looking text is stored as a string cell,
    unchanged; in CSV (which has no cell types) it gets a leading ``'``. Both CSVs are read
    back by ``wrse run --eligible`` and ``wrse select`` (:mod:`optimizer.tabular` sniffs the
    separator and drops the BOM).
    """
    if fmt is None:
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    if fmt == "xlsx":
        return _xlsx_bytes(frame, sheet, lang)
    if fmt == "csv-excel":
        from ..render.csv import excel_csv

        return excel_csv([frame_table(frame)], "id").encode("utf-8")
    return frame_csv(frame).encode("utf-8")


def frame_table(frame: pd.DataFrame) -> Table:
    """``frame`` (its column names already headings in the reader's language) as a
    :class:`~optimizer.render.table.Table`: integer columns as counts, other numbers as
    decimals, the rest as text; missing values (``<NA>``, NaN) blank."""
    columns = []
    for name in frame.columns:
        kind = frame[name].dtype.kind
        column_kind = "count" if kind in "iu" else "decimal" if kind == "f" else "text"
        columns.append(Column(str(name), str(name), column_kind, literal=True))
    keys = [c.key for c in columns]
    values = [[None if not isinstance(v, str) and pd.isna(v) else v for v in frame[n].tolist()] for n in frame.columns]
    return Table(columns, [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)])


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` atomically as CSV or XLSX (see :func:`table_bytes`)."""
    data = table_bytes(frame, path)
    if path.suffix.lower() == ".xlsx":
        write_bytes_atomic(path, data)
    else:
        write_text_atomic(path, data.decode("utf-8"))


COUNT_FIGURES = ("candidates", "eligible", "priority", "rejected", "duplicate_rows")


def counts_sheet(s: Screening, lang: str = "id") -> Table:
    """Candidates, eligible, priority, rejected and duplicate rows per kabupaten/kota, with totals."""
    c = s.counts
    return Table(
        [
            Column("region_code", "column.region_code", "code"),
            Column("region_name", "column.region_name"),
            *(Column(k, f"screen.{k}", "count", total="sum") for k in COUNT_FIGURES),
        ],
        [
            {
                "region_code": r.region_code,
                "region_name": r.region_name,
                **{k: int(getattr(r, k)) for k in COUNT_FIGURES},
            }
            for r in c.itertuples()
        ],
        {"region_name": t("screen.total", lang), **{k: int(c[k].sum()) for k in COUNT_FIGURES}},
        title=t("screen.regions", lang),
        sheet=t("table.sheet_counts", lang),
    )


def _finding_counts(column: pd.Series, order: tuple[str, ...]) -> list[tuple[str, int]]:
    tally: Counter[str] = Counter()
    for findings in column:
        tally.update({f.code for f in findings})
    return [(code, tally[code]) for code in order if tally[code]]


def summary_text(s: Screening, lang: str = "id", as_of_note: str = "", width: int | None = None) -> str:
    """The terminal summary: lists and rows read, eligible and priority, duplicates, the
    ranking rule, a table per kabupaten/kota, rejections and warnings by reason, notes."""
    d = s.decisions
    eligible = int(d["eligible"].sum())
    priority = int((d["eligible"] & (d["priority_group"] == 1).fillna(False)).sum())
    date_text = s.as_of.strftime("%d-%m-%Y") + (f" ({as_of_note})" if as_of_note else "")
    lines = [
        t("screen.title", lang),
        t("screen.as_of", lang, date=date_text),
        f"{t('screen.lists', lang)}: "
        + ", ".join(t("screen.list_rows", lang, file=p.name, rows=plural("plural.row", n, lang)) for p, n in s.files),
        t(
            "screen.read",
            lang,
            rows=format_count(len(d), lang),
            eligible=format_count(eligible, lang),
            priority=format_count(priority, lang),
            rejected=format_count(len(d) - eligible, lang),
        ),
    ]
    dup_rows = int((d["duplicate_group"] != "").sum())
    if dup_rows:
        dropped = sum(any(f.code == "duplicate_nik" for f in r) for r in d["rejections"])
        lines.append(
            t(
                "screen.duplicates",
                lang,
                groups=plural("plural.nik", s.duplicate_groups, lang),
                rows=plural("plural.row", dup_rows, lang),
                dropped=plural("plural.row", dropped, lang),
            )
        )
    else:
        lines.append(t("screen.duplicates_none", lang))
    rule = t("screen.rule_lottery", lang, seed=s.seed) if s.rule == "lottery" else t("screen.rule_list_order", lang)
    lines += [f"{t('screen.rule', lang)}: {rule}"]
    lines = [*text_writer.fill(lines, width, "  ", False), "", f"{t('screen.regions', lang)}:"]
    c = s.counts
    lines.append(text_writer.render(counts_sheet(s, lang), lang, width))
    lines.append("")
    for title_key, none_key, column, order in (
        ("screen.reasons", "screen.reasons_none", "rejections", REJECTIONS),
        ("screen.warnings", "screen.warnings_none", "warnings", WARNINGS),
    ):
        tally = _finding_counts(d[column], order)
        if not tally:
            lines.append(t(none_key, lang))
            continue
        lines.append(f"{t(title_key, lang)}:")
        number_width = max(len(format_count(n, lang)) for _, n in tally)
        lines += text_writer.fill(  # the reader's words only: the codes are in the decisions file
            [f"  {format_count(n, lang).rjust(number_width)}  {label(code, lang)}" for code, n in tally],
            width,
            " " * (number_width + 4),
            False,
        )
    notes = [n.text(lang) for n in s.notices]
    missing = [r.display_name for r in kaltim_registry().regions if r.code not in set(c["region_code"])]
    if missing:
        notes.append(t("screen.no_list", lang, regions=", ".join(missing)))
    notes += [t("screen.no_business_type", lang, file=p.name) for p in s.without_business_type]
    if notes:
        lines += ["", f"{t('screen.notes', lang)}:", *text_writer.fill([f"- {n}" for n in notes], width, "  ", False)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- selection


def _selection_rows(sel, include_names: bool) -> pd.DataFrame:
    rows = sel.rows.copy()
    if not include_names:
        rows = rows.drop(columns=["name"])
    return rows


def selection_csv(sel, include_names: bool = False) -> str:
    """One row per eligible woman of a region: selected ones, then the waiting list.

    Columns: ``region_code, region_name, allocated, status (selected|waiting), position,
    priority_rank, priority_group, nik_masked, source_file, source_row[, name]``."""
    return frame_csv(_selection_rows(sel, include_names))


def selection_dict(sel, allocation, decisions: Path, include_names: bool = False) -> dict:
    """JSON-ready selection: the scenario, and per region its counts, selected and waiting women."""
    from ..render.json import tool

    rows = _selection_rows(sel, include_names)
    regions = []
    for r in sel.regions.itertuples():
        mine = rows[rows["region_code"] == r.region_code]

        def people(status: str, mine=mine) -> list[dict]:
            picked = mine[mine["status"] == status].drop(columns=["region_code", "region_name", "allocated", "status"])
            return [
                {k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)) for k, v in rec.items()}
                for rec in picked.to_dict("records")
            ]

        regions.append(
            {
                "region_code": r.region_code,
                "region_name": r.region_name,
                "allocated": int(r.allocated),
                "eligible": int(r.eligible),
                "short": int(r.short),
                "selected": people("selected"),
                "waiting": people("waiting"),
            }
        )
    return {
        "tool": tool(),
        "scenario": {"name": allocation.scenario.name, "fiscal_year": allocation.scenario.fiscal_year},
        "allocated": allocation.allocated,
        "eligible_method": allocation.eligible_method,
        "eligible_file": str(allocation.eligible_file) if allocation.eligible_file else None,
        "decisions_file": decisions.name,
        "hierarchical": allocation.tree is not None,
        "level": sel.level,
        "regions": regions,
    }


def _region_params(r, lang: str, **counts: str) -> dict[str, str]:
    """A region row's message parameters: ``code``, ``name`` and each ``param=column`` of
    ``counts`` as a count in ``lang`` (``r``: a row of a selection's ``regions``)."""
    return {
        "code": r.region_code,
        "name": r.region_name,
        **{param: format_count(getattr(r, column), lang) for param, column in counts.items()},
    }


def short_messages(sel, lang: str = "id") -> list[str]:
    """One sentence per region whose eligible list is shorter than its allocation."""
    return [
        t("select.short", lang, **_region_params(r, lang, eligible="eligible", allocated="allocated", missing="short"))
        for r in sel.regions.itertuples()
        if r.short > 0
    ]


def _selection_columns(include_names: bool, regions: bool = False) -> list[Column]:
    return [
        *(
            [Column("region_code", "column.region_code", "code"), Column("region_name", "column.region_name")]
            if regions
            else []
        ),
        Column("position", "select.position", "count"),
        Column("status", "select.status"),
        Column("priority_rank", "select.rank", "count"),
        Column("priority_group", "select.group", "count"),
        Column("nik_masked", "select.nik", "code"),
        Column("source_file", "select.source_file"),
        Column("source_row", "select.source_row", "count"),
        *([Column("name", "select.name")] if include_names else []),
    ]


def _selection_records(rows: pd.DataFrame, lang: str) -> list[dict]:
    return [
        {
            "region_code": w.region_code,
            "region_name": w.region_name,
            "position": int(w.position),
            "status": t(f"select.status_{w.status}", lang),
            "priority_rank": int(w.priority_rank),
            "priority_group": None if pd.isna(w.priority_group) else int(w.priority_group),
            "nik_masked": w.nik_masked,
            "source_file": w.source_file,
            "source_row": None if pd.isna(w.source_row) else int(w.source_row),
            "name": getattr(w, "name", None),
        }
        for w in rows.itertuples()
    ]


def _selection_title(sel, allocation, lang: str) -> str:
    """``Penerima terpilih per kabupaten/kota · skenario … · N penerima`` (per desa/kelurahan… for
    a level of a hierarchical allocation)."""
    s = allocation.scenario
    allocated = format_count(allocation.allocated, lang)
    if sel.level is None:
        return t("select.title", lang, scenario=s.name, title=s.title, allocated=allocated)
    kind = t(f"region_kind.{sel.kind}", lang)
    return t("select.title_level", lang, kind=kind, scenario=s.name, title=s.title, allocated=allocated)


def _level_note(sel, allocation, lang: str) -> list[str]:
    """The sentence that the counts are a level of a hierarchical allocation (none for a single level)."""
    if sel.level is None:
        return []
    kind = t(f"region_kind.{sel.kind}", lang)
    return [t("select.hierarchical", lang, levels=allocation.levels, kind=kind, level=sel.level)]


def selection_sheets(sel, allocation, decisions: Path, lang: str = "id", include_names: bool = False) -> list[Table]:
    """The selection as tables: per region allocated, selected, waiting and short; then every
    selected and waiting woman in priority order (masked NIK; names only if asked)."""
    regions = Table(
        [
            Column("region_code", "column.region_code", "code"),
            Column("region_name", "column.region_name"),
            Column("allocated", "table.allocated", "count", total="sum"),
            Column("eligible", "table.eligible", "count", total="sum"),
            Column("selected", "table.selected", "count", total="sum"),
            Column("waiting", "table.waiting", "count", total="sum"),
            Column("short", "table.short", "count", total="sum"),
        ],
        [
            {
                k: (getattr(r, k) if k in ("region_code", "region_name") else int(getattr(r, k)))
                for k in ("region_code", "region_name", "allocated", "eligible", "selected", "waiting", "short")
            }
            for r in sel.regions.itertuples()
        ],
        {
            "region_name": t("screen.total", lang),
            **{k: int(sel.regions[k].sum()) for k in ("allocated", "eligible", "selected", "waiting", "short")},
        },
        title=_selection_title(sel, allocation, lang),
        sheet=t("table.sheet_counts", lang),
        notes=[
            t("select.source", lang, file=decisions.name),
            *_level_note(sel, allocation, lang),
            *short_messages(sel, lang),
        ],
    )
    people = Table(
        _selection_columns(include_names, regions=True),
        _selection_records(_selection_rows(sel, include_names), lang),
        title=t("select.source", lang, file=decisions.name),
        sheet=t("table.sheet_selection", lang),
    )
    return [regions, people]


def selection_table(
    sel, allocation, decisions: Path, lang: str = "id", include_names: bool = False, width: int | None = None
) -> str:
    """The selection for people: a block per region (allocated, selected, waiting list)."""
    lines = text_writer.fill(
        [
            _selection_title(sel, allocation, lang),
            t("select.source", lang, file=decisions.name),
            *_level_note(sel, allocation, lang),
        ],
        width,
        "  ",
        False,
    )
    rows = _selection_rows(sel, include_names)
    columns = _selection_columns(include_names)
    for r in sel.regions.itertuples():
        if r.allocated == 0 and r.eligible == 0:
            continue
        lines += [
            "",
            t(
                "select.region",
                lang,
                **_region_params(r, lang, allocated="allocated", selected="selected", waiting="waiting"),
            ),
        ]
        mine = rows[rows["region_code"] == r.region_code]
        if mine.empty:
            lines.append("  " + t("select.none", lang))
            continue
        table = Table(columns, _selection_records(mine, lang))
        inner = None if width is None else width - 2
        lines += ["  " + line for line in text_writer.render(table, lang, inner).split("\n")]
    notes = short_messages(sel, lang)
    notes += [
        t("select.not_allocated", lang, code=r.region_code, name=r.region_name, eligible=format_count(r.eligible, lang))
        for r in sel.regions.itertuples()
        if r.allocated == 0 and r.eligible > 0
    ]
    notes += [n.text(lang) for n in allocation.notices]
    if notes:
        lines += ["", f"{t('screen.notes', lang)}:", *text_writer.fill([f"- {n}" for n in notes], width, "  ", False)]
    return "\n".join(lines) + "\n"
