"""Eligible counts per region: from the user's file, the data set, or a named proxy.

No public table counts the women who meet the WRSE criteria (DTKS and P3KE, 18-59, head
of family, not PKH/KUBE) per kabupaten/kota. So the count comes, in order of preference:

``file``  a CSV/XLSX with a column ``eligible`` keyed by BPS code (``region_code``), e.g.
          the ``--counts`` output of ``wrse screen``; source: the file.
``data``  an ``eligible`` indicator in the data set (``--data``), with its year.
``proxy`` an estimate, labelled as one in every output, by a named method:
          ``poor_population``: BPS poor population (thousand persons, March) x 1000;
          ``poverty_rate_x_population``: P0 (%) / 100 x population (persons).
          Both count poor people of all ages and sexes: they give each region's *relative*
          size of the pool, not the number of eligible women. Caps use them as an upper
          bound only, which they always are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import indicators, numbers
from .errors import InputError, input_error
from .files import sha256_of
from .i18n import t
from .regions import resolve_region
from .scenario import EligibleSpec
from .tabular import find_column, read_table

PROXY_METHODS = ("poor_population", "poverty_rate_x_population")  # labels: messages [eligible_source]


@dataclass(frozen=True)
class EligibleCounts:
    """Eligible counts for the included regions.

    ``frame``: DataFrame indexed by region_code with columns ``eligible`` (int persons),
    ``eligible_year`` (int, 0 when the source has no year), ``eligible_source`` (text,
    English), ``eligible_source_id`` (text, Indonesian), ``eligible_status``
    (``estimate``/``published``/``supplied``), ``eligible_fallback`` (bool), and
    ``priority`` (int persons with priority, or -1 when the source has none).
    ``method``: short name of the method (``file``, ``data``, or the proxy name).
    ``file``/``sha256``: the counts file when one was used.
    """

    frame: pd.DataFrame
    method: str
    file: Path | None = None
    sha256: str | None = None


def from_file(path: str | Path, codes: tuple[str, ...]) -> EligibleCounts:
    """Read eligible counts for ``codes`` from a CSV/XLSX file.

    Columns: a region (``region_code``/``kode_bps``, or ``region_name``, or
    ``kode_kemendagri``), ``eligible`` (whole persons), optional ``priority``.
    Raises :class:`InputError` for a missing column, bad count, duplicate or unknown
    region, or a region of ``codes`` missing from the file.
    """
    path = Path(path)
    table = read_table(path, expected=("region_code", "kode_bps", "eligible", "region_name"))
    code_col = find_column(table, "region_code", "kode_bps", "kode_wilayah", "kode", required=False)
    name_col = find_column(table, "region_name", "nama_wilayah", "kabupaten_kota", "kabupaten/kota", required=False)
    kem_col = find_column(table, "kode_kemendagri", "kemendagri_code", required=False)
    if not (code_col or name_col or kem_col):
        find_column(table, "region_code", "region_name", what="the region")
    count_col = find_column(table, "eligible", "jumlah_memenuhi_syarat", "memenuhi_syarat", what="eligible counts")
    priority_col = find_column(table, "priority", "prioritas", required=False)
    frame = table.frame
    counts: dict[str, tuple[int, int, int]] = {}
    for i in range(len(frame)):
        row = table.row_number(i)
        code_cell = frame.iat[i, frame.columns.get_loc(code_col)] if code_col else ""
        kemendagri = False
        if (code_cell is None or str(code_cell).strip() == "") and kem_col:
            code_cell, kemendagri = frame.iat[i, frame.columns.get_loc(kem_col)], True
        name_cell = frame.iat[i, frame.columns.get_loc(name_col)] if name_col else ""
        code = resolve_region(code_cell, name_cell, source=str(path), row=row, kemendagri=kemendagri).code
        if code in counts:
            raise InputError(
                f"{path}, row {row}: region {code} appears again (first on row {counts[code][2]}); "
                "expected one row per region"
            )
        cell = frame.iat[i, frame.columns.get_loc(count_col)]
        try:
            value = numbers.parse_count(cell)
        except ValueError as exc:
            raise input_error(path, str(exc), row=row, field=count_col, value=cell) from None
        if value < 0:
            raise input_error(path, "a count of at least 0", row=row, field=count_col, value=cell)
        priority = -1
        if priority_col:
            pcell = frame.iat[i, frame.columns.get_loc(priority_col)]
            if str(pcell).strip() != "":
                try:
                    priority = numbers.parse_count(pcell)
                except ValueError as exc:
                    raise input_error(path, str(exc), row=row, field=priority_col, value=pcell) from None
                if not 0 <= priority <= value:
                    raise input_error(
                        path,
                        f"a count between 0 and the eligible count {value}",
                        row=row,
                        field=priority_col,
                        value=pcell,
                    )
        counts[code] = (value, priority, row)
    missing = [c for c in codes if c not in counts]
    if missing:
        raise InputError(
            f"{path}: no eligible count for {', '.join(missing)}; expected a row for every included region"
        )
    label = f"file {path.name}"
    rows = [
        {
            "region_code": c,
            "eligible": counts[c][0],
            "eligible_year": 0,
            "eligible_source": label,
            "eligible_source_id": f"berkas {path.name}",
            "eligible_status": "supplied",
            "eligible_fallback": False,
            "priority": counts[c][1],
        }
        for c in codes
    ]
    return EligibleCounts(pd.DataFrame(rows).set_index("region_code"), "file", path, sha256_of(path))


def from_data(
    data: indicators.DataSet, spec: EligibleSpec, codes: tuple[str, ...], allow_fallback: bool
) -> EligibleCounts:
    """Eligible counts from the data set's ``eligible`` indicator (or a proxy of it)."""
    if spec.source == "data":
        chosen = indicators.select(data, "eligible", spec.year, codes, allow_fallback).frame
        rows = [
            {
                "region_code": c,
                "eligible": round(chosen.at[c, "value"]),
                "eligible_year": int(chosen.at[c, "year"]),
                "eligible_source": str(chosen.at[c, "source"]),
                "eligible_source_id": str(chosen.at[c, "source"]),
                "eligible_status": str(chosen.at[c, "status"]),
                "eligible_fallback": bool(chosen.at[c, "fallback"]),
                "priority": -1,
            }
            for c in codes
        ]
        return EligibleCounts(pd.DataFrame(rows).set_index("region_code"), "data")
    label_id, label_en = t(f"eligible_source.{spec.proxy}", "id"), t(f"eligible_source.{spec.proxy}", "en")
    if spec.proxy == "poor_population":
        chosen = indicators.select(data, "poor_population", spec.year, codes, allow_fallback).frame
        values = {c: round(chosen.at[c, "value"] * 1000) for c in codes}
        years = {c: int(chosen.at[c, "year"]) for c in codes}
        fallback = {c: bool(chosen.at[c, "fallback"]) for c in codes}
        describe = {c: {"year": years[c], "population_year": ""} for c in codes}
    else:
        rate = indicators.select(data, "poverty_rate", spec.year, codes, allow_fallback).frame
        pop = indicators.select(data, "population", spec.population_year, codes, allow_fallback).frame
        values = {c: round(rate.at[c, "value"] / 100 * pop.at[c, "value"]) for c in codes}
        years = {c: int(rate.at[c, "year"]) for c in codes}
        fallback = {c: bool(rate.at[c, "fallback"] or pop.at[c, "fallback"]) for c in codes}
        describe = {c: {"year": years[c], "population_year": int(pop.at[c, "year"])} for c in codes}
    rows = [
        {
            "region_code": c,
            "eligible": values[c],
            "eligible_year": years[c],
            "eligible_source": label_en.format(**describe[c]),
            "eligible_source_id": label_id.format(**describe[c]),
            "eligible_status": "estimate",
            "eligible_fallback": fallback[c],
            "priority": -1,
        }
        for c in codes
    ]
    return EligibleCounts(pd.DataFrame(rows).set_index("region_code"), spec.proxy)


def resolve(
    data: indicators.DataSet,
    spec: EligibleSpec,
    codes: tuple[str, ...],
    allow_fallback: bool,
    override_file: str | Path | None = None,
) -> EligibleCounts:
    """Eligible counts for ``codes``: ``override_file`` (``--eligible``) first, then the
    scenario's ``[eligible]`` source. See the module docstring."""
    if override_file is not None:
        return from_file(override_file, codes)
    if spec.source == "file":
        return from_file(spec.file, codes)
    return from_data(data, spec, codes, allow_fallback)
