"""Rendering a data set: its indicators (regions x years, with sources), its estimates and
competing values, as table, CSV, JSON and workbook (``wrse data``).

The conventions are those of :mod:`optimizer.output`: values in
:class:`~optimizer.render.table.Table` objects, stable English names and plain numbers in
CSV and JSON.
"""

from __future__ import annotations

from .i18n import catalogue, t
from .output import _records
from .render import text as text_writer
from .render.csv import frame_csv
from .render.format import AS_GIVEN, decimal
from .render.json import plain
from .render.table import Column, Table


def data_sheets(data, lang: str = "id", indicator: str | None = None) -> list[Table]:
    """The data set as tables: per indicator, regions × years (a value's note: ``*`` for an
    estimate, ``[n]`` its source), then the numbered sources."""
    from .inputs.dataset import INDICATORS

    records = _records_of(data, indicator)
    sources: dict[str, int] = {}
    tables = []
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    for name in sorted(records["indicator"].unique()):
        subset = records[records["indicator"] == name]
        years = sorted(int(y) for y in subset["year"].unique())
        spec = INDICATORS.get(name)
        unit = spec.unit if spec is not None else subset["unit"].iloc[0]
        counted = spec.kind == "count" if spec is not None else name in ("population", "eligible")
        whole = counted and all(float(v).is_integer() for v in subset["value"])  # persons, families
        columns = [
            Column("region_code", "column.region_code", "code"),
            Column("region_name", "column.region_name"),
            *(
                column
                for y in years
                for column in (
                    Column(
                        str(y),
                        str(y),
                        "count" if whole else "decimal",
                        0 if whole else 2,
                        literal=True,
                        note=f"n{y}",
                        panel=True,  # years that do not fit the terminal go into a panel below
                    ),
                    Column(f"s{y}", "table.source_of", "code", screen=False, params=(("year", y),)),
                )
            ),
        ]
        figures = {(r["region_code"], int(r["year"])): r for r in subset.to_dict("records")}
        rows = []
        for code in sorted(subset["region_code"].unique()):
            row = {"region_code": code, "region_name": names.get(code, code)}
            for year in years:
                figure = figures.get((code, year))
                if figure is None:
                    continue
                number = sources.setdefault(figure["source"], len(sources) + 1)
                row[str(year)] = float(figure["value"])
                mark = "*" if figure["status"] == "estimate" else ""
                row[f"n{year}"] = f"{mark} [{number}]"  # in the text table, after the value
                row[f"s{year}"] = f"{mark}[{number}]"  # in workbooks, a column of its own
            rows.append(row)
        title = indicator_label(name, lang) if spec is not None else f"{name} ({unit})"
        sheet = catalogue(lang).get(f"data.sheet.{name}", name)  # a workbook tab: short, in the reader's words
        tables.append(Table(columns, rows, title=title, sheet=sheet))
    tables.append(
        Table(
            [Column("number", "table.source_number", "code"), Column("source", "table.source")],
            [{"number": f"[{n}]", "source": source} for source, n in sources.items()],
            title=t("data.sources", lang),
            sheet=t("data.sources", lang),
        )
    )
    return tables


def data_input_sheet(data, lang: str = "id", indicator: str | None = None) -> Table:
    """The data set as a table ``--data`` reads back: one row per figure: the indicator by its
    short name in ``lang``, as its sheet is named (*P0*, *Penduduk miskin*), BPS code, name,
    year, value, status, source and note, headed in ``lang`` with headers the long layout
    accepts (*Kode wilayah*, *Tahun*, *Nilai*, …); the status as a word of ``lang``
    (*dipublikasikan*, *estimasi*); the note in ``lang`` where the shipped data has it. Values
    keep the decimals each has (up to 6: a count none), so a CSV for Excel reads back the same numbers.
    Its tab is :data:`~optimizer.inputs.data.INPUT_SHEETS` ``[0]`` in Indonesian, ``[1]`` in English."""
    from .inputs.data import INPUT_SHEETS, shipped, shipped_notes

    records = _records_of(data, indicator)
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    notes = shipped_notes() if data is shipped() else {}
    values = [float(v) for v in records["value"]]
    rows = []
    for r, value in zip(records.to_dict("records"), values, strict=True):
        key = (r["region_code"], r["indicator"], int(r["year"]))
        note = notes[key].id if lang == "id" and key in notes else r["note"]
        rows.append(
            {
                "indicator": catalogue(lang).get(f"data.sheet.{r['indicator']}", r["indicator"]),
                "region_code": r["region_code"],
                "region_name": names.get(r["region_code"], r["region_code"]),
                "year": int(r["year"]),
                "value": value,
                "status": t(f"data.status.{r['status']}", lang),
                "source": r["source"],
                "note": note,
            }
        )
    columns = [
        Column("indicator", "data.input.indicator", "code"),
        Column("region_code", "data.input.region_code", "code"),
        Column("region_name", "data.input.region_name"),
        Column("year", "data.input.year", "year"),
        Column("value", "data.input.value", "decimal", AS_GIVEN),  # 238.596 beside 65,65: each its own decimals
        Column("status", "data.input.status", "code"),
        Column("source", "data.input.source"),
        Column("note", "data.input.note"),
    ]
    return Table(columns, rows, title=t("data.input.title", lang), sheet=INPUT_SHEETS[0 if lang == "id" else 1])


def data_workbook(data, lang: str = "id", indicator: str | None = None) -> list[Table]:
    """The sheets of ``wrse data -o data.xlsx``: the tables to read (:func:`data_sheets`),
    protected and saying where a figure is changed, then the input sheet ``--data`` reads
    (:func:`data_input_sheet`), the one to edit."""
    from dataclasses import replace

    editable = data_input_sheet(data, lang, indicator)
    note = t("data.input.read_only", lang, sheet=editable.sheet)
    views = [replace(table, notes=[*table.notes, note], read_only=True) for table in data_sheets(data, lang, indicator)]
    return [*views, editable]


def data_title(data, lang: str = "id") -> str:
    """The heading of the data set's tables (the shipped data named as ``wrse run`` names it)."""
    from .inputs.data import shipped

    return t("data.title", lang, label=t("data.shipped", lang) if data is shipped() else data.label)


def indicator_label(name: str, lang: str = "id") -> str:
    """An indicator's name for a reader (``Persentase penduduk miskin (P0)``), from its
    :data:`~optimizer.inputs.dataset.INDICATORS` spec; an indicator the package does not know keeps its key."""
    from .inputs.dataset import INDICATORS

    spec = INDICATORS.get(name)
    if spec is None:
        return name
    return spec.label_id if lang == "id" else spec.label_en


def data_table(data, lang: str = "id", indicator: str | None = None, width: int | None = None) -> str:
    """The data set for people: per indicator, regions x years, then numbered sources.

    A value marked ``*`` is an estimate; ``[n]`` points to source n in the list below.
    """
    *tables, sources = data_sheets(data, lang, indicator)
    blocks = [data_title(data, lang), ""]
    for table in tables:
        blocks += [table.title, text_writer.render(table, lang, width), ""]
    blocks.append(f"{t('data.sources', lang)}:")
    for r in sources.rows:  # wrapped to the terminal, an address kept whole
        blocks += text_writer.fill([f"{r['number']} {r['source']}"], width, " " * (len(r["number"]) + 1), False)
    return "\n".join(blocks) + "\n"


def _method_of(note: str) -> str | None:
    from .inputs.dataset import note_method

    return note_method(note)


def data_status_block(data, lang: str = "id", indicator: str | None = None) -> str:
    """Estimates, corrections and competing values of the data set, with their status and method.

    One line per figure whose status is ``estimate`` or whose note names a method or a check
    (residual, derived, approximate, survey base), then the competing published values of
    :mod:`optimizer.competing` side by side, with the value the default rule takes.
    """
    from . import competing

    records = _records_of(data, indicator)
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    lines = [f"{t('data.status_title', lang)}:"]
    for row in _records(records):
        method = _method_of(row["note"])
        if row["status"] != "estimate" and method not in ("survey_base", "competing"):
            continue
        label = t(f"data.method.{method}", lang) if method else t("data.method.estimate", lang)
        note = _note(data, row, lang)
        status = t("data.status." + row["status"], lang)
        lines.append(
            f"- {row['region_code']} {names.get(row['region_code'], '')}, {indicator_label(row['indicator'], lang)}"
            f" {row['year']}: "
            f"{decimal(float(row['value']), 2, lang)} · {status} · {label}{note}"
        )
    if data is _shipped_data():
        for (code, ind, year), values in competing.groups().items():
            if indicator is not None and ind != indicator:
                continue
            default = competing.chosen((code, ind, year), competing.DEFAULT_RULE)
            parts = [
                f"{decimal(v.value, 2, lang)} ({t(f'competing.{v.variant}', lang)}"
                + (f"; {t('competing.chosen', lang)}" if v is default else "")
                + f"; {v.source})"
                for v in values
            ]
            lines.append(
                f"- {t('competing.label', lang)} {indicator_label(ind, lang)} {code} {names.get(code, '')} {year}: "
                + " · ".join(parts)
                + f" ({t('competing.chosen_by', lang)})"
            )
    return "\n".join(lines) + "\n" if len(lines) > 1 else ""


def _note(data, row, lang: str) -> str:
    """`` — <note>`` of one figure in ``lang``: the shipped data's note in either language
    (:func:`optimizer.inputs.data.shipped_notes`); a user's own note (in the language it was
    written in) with ``--lang en`` only, as before; else nothing."""
    if data is _shipped_data():
        from .inputs.data import shipped_notes

        note = shipped_notes().get((row["region_code"], row["indicator"], int(row["year"])))
        return f" — {note.text(lang)}" if note is not None else ""
    return f" — {row['note']}" if lang == "en" and row["note"] else ""


def _shipped_data():
    from .inputs.data import shipped

    return shipped()


def _records_of(data, indicator: str | None):
    records = data.records
    return records if indicator is None else records[records["indicator"] == indicator]


def data_csv(data, indicator: str | None = None) -> str:
    """The data set's records (long layout, as read and validated) as CSV; one indicator if given."""
    frame = _records_of(data, indicator).copy()
    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    frame.insert(1, "region_name", [names.get(c, c) for c in frame["region_code"]])
    return frame_csv(frame)


def data_dict(data, indicator: str | None = None) -> dict:
    """The data set as a JSON-ready object: label, hash, regions, records (one indicator if
    given) and, for the shipped data, the competing published values beside the one in use."""
    from . import competing

    names = {r.code: r.name for r in (*data.units, *data.parents.values())}
    rivals = [
        {
            "region_code": v.region_code,
            "indicator": v.indicator,
            "year": v.year,
            "value": v.value,
            "variant": v.variant,
            "default": v is competing.chosen((v.region_code, v.indicator, v.year), competing.DEFAULT_RULE),
            "status": v.status,
            "source": v.source,
            "note": v.note,
        }
        for v in competing.competing_values()
        if data is _shipped_data() and (indicator is None or v.indicator == indicator)
    ]
    return {
        "competing": rivals,
        "label": data.label,
        "sha256": data.sha256,
        "units": [{"region_code": r.code, "region_name": r.name, "region_type": r.type} for r in data.units],
        "parents": [{"region_code": r.code, "region_name": r.name} for r in data.parents.values()],
        "records": [
            {**{k: plain(v) for k, v in row.items()}, "region_name": names.get(row["region_code"])}
            for row in _records_of(data, indicator).to_dict("records")
        ],
    }
