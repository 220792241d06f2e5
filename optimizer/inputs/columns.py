"""The columns of an indicator table that are not figures, by the headers they may carry.

A region is named by its BPS code, its name or its Kemendagri code; a row may also give the
region's type and parent, and its figures' year, unit, status, source and note. The headers
are matched as :func:`optimizer.tabular.find_column` matches them (case, spaces and
punctuation folded); Indonesian and English headers are both accepted. Both layouts
(:mod:`optimizer.inputs.layouts`) and the column-wise reader (:mod:`optimizer.inputs.fast`)
find their columns here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tabular import Table, find_column

REGION_HEADERS = {
    "code": ("region_code", "kode_bps", "kode_wilayah", "kode"),
    "name": ("region_name", "nama_wilayah", "kabupaten_kota", "kabupaten/kota"),
    "kemendagri": ("kode_kemendagri", "kemendagri_code"),
}
ROW_HEADERS = {  # optional columns describing a row's region and figures
    "type": ("region_type", "jenis_wilayah"),
    "parent": ("parent_code", "kode_induk"),
    "status": ("status",),
    "source": ("source", "sumber"),
    "note": ("note", "catatan"),
}
FIGURE_HEADERS = {"year": ("year", "tahun"), "unit": ("unit", "satuan")}
#: every header that is not an indicator's column in the wide layout
META_HEADERS = frozenset(
    h for table in (REGION_HEADERS, ROW_HEADERS, FIGURE_HEADERS) for hs in table.values() for h in hs
)


def region_columns(table: Table, required: bool = True) -> tuple[str | None, str | None, str | None]:
    """The table's region columns as written: BPS code, name, Kemendagri code (each or None).

    Accepted headers: ``region_code``/``kode_bps``/``kode_wilayah``/``kode``;
    ``region_name``/``nama_wilayah``/``kabupaten_kota``; ``kode_kemendagri``. With
    ``required``, a table with none of them raises :class:`~optimizer.errors.InputError`.
    """
    code_col = find_column(table, *REGION_HEADERS["code"], required=False)
    name_col = find_column(table, *REGION_HEADERS["name"], required=False)
    kem_col = find_column(table, *REGION_HEADERS["kemendagri"], required=False)
    if required and not (code_col or name_col or kem_col):
        find_column(table, "region_code", "region_name", what="the region")
    return code_col, name_col, kem_col


@dataclass(frozen=True)
class RowColumns:
    """The optional columns of a row, as written in the table (None where absent): the
    region's ``type`` and ``parent``, and its figures' ``status``, ``source`` and ``note``."""

    type: str | None
    parent: str | None
    status: str | None
    source: str | None
    note: str | None


def row_columns(table: Table) -> RowColumns:
    """The optional row columns of ``table`` (see :class:`RowColumns`)."""
    return RowColumns(**{key: find_column(table, *headers, required=False) for key, headers in ROW_HEADERS.items()})
