"""Who receives the grants: each region's allocation filled from its ranked eligible women.

Given a verified allocation (:func:`optimizer.engine.allocate`) and the decisions file of
``wrse screen``, each kabupaten/kota's ``N`` allocated grants go to its first ``N``
eligible women in priority rank order (rank 1 first); the rest of its eligible women
form its waiting list, in the same order. A region whose eligible list is shorter than
its allocation is reported as short: it cannot absorb its allocation, which is a reason
to lower its cap (or to screen more candidates there).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, location
from ..i18n import Msg, Term
from ..regions import kaltim_registry, level_kind, region_kind
from ..tabular import find_column, read_table
from .columns import parse_yes_no
from .nik import mask

SELECTION_COLUMNS = (
    "region_code",
    "region_name",
    "allocated",
    "status",
    "position",
    "priority_rank",
    "priority_group",
    "nik_masked",
    "source_file",
    "source_row",
)
REGION_COLUMNS = ("region_code", "region_name", "allocated", "eligible", "selected", "waiting", "short")


def _int(value: object, path: Path, row: int, column: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(
            "screening.select.whole_number_wrse_screen", location=location(path, row=row, field=column)
        ) from None
    if not number.is_integer() or number < 1:
        raise InputError("screening.select.positive_whole_number_wrse", location=location(path, row=row, field=column))
    return int(number)


def read_decisions(path: str | Path, levels: RegionLevels | None = None) -> pd.DataFrame:
    """Read the eligible rows of a ``wrse screen`` decisions file (CSV or XLSX).

    Returns a DataFrame with columns ``region_code, priority_rank, priority_group,
    nik_masked, source_file, source_row, name`` (``name`` empty when the file has none),
    one row per eligible woman. A NIK that is not masked is masked on reading.
    ``levels``: the regions of a hierarchical allocation's data (:func:`region_levels`);
    every code must then be a region of one level of that data, the same level on every
    row (kabupaten/kota codes, or desa/kelurahan codes…); without it, a kabupaten/kota
    of Kalimantan Timur (what ``wrse screen`` writes).
    Raises :class:`InputError` for a missing column, an unknown region (or, with
    ``levels``, a code of no level of the data or of another level than the first row's),
    an unreadable ``eligible`` or rank, or a rank repeated inside a region (the file is
    not what ``wrse screen`` wrote, or was edited).
    """
    path = Path(path)
    from .render import file_headers

    expected = [h for key in ("region_code", "eligible", "priority_rank", "nik_masked") for h in file_headers(key)]
    table = read_table(path, expected=expected)
    need = {
        name: find_column(
            table,
            *file_headers(name),
            what=Msg.of("error.tabular.what.decisions_column", name=Term(f"screen.file.{name}")),
        )
        for name in ("region_code", "eligible", "priority_rank", "nik_masked", "source_file", "source_row")
    }
    group_col = find_column(table, *file_headers("priority_group"), required=False)
    name_col = find_column(table, *file_headers("name"), required=False)
    registry = kaltim_registry()
    frame = table.frame
    out = []
    first: tuple[int, int] | None = None  # (level, row) of the first eligible row, with ``levels``
    for i in range(len(frame)):
        row = table.row_number(i)
        cell = frame.iat[i, frame.columns.get_loc(need["eligible"])]
        try:
            eligible = parse_yes_no(cell)
        except ValueError:
            eligible = None
        if eligible is None:
            raise InputError("screening.select.yes", location=location(path, row=row, field=need["eligible"]))
        if not eligible:
            continue
        code = str(frame.iat[i, frame.columns.get_loc(need["region_code"])]).strip().removesuffix(".0")
        if levels is not None:
            first = levels.check(code, location(path, row=row, field=need["region_code"]), row, first)
        elif code not in registry.by_code:
            raise InputError(
                "screening.select.bps_code_kabupaten_kota",
                location=location(path, row=row, field=need["region_code"]),
                code=code,
            )
        rank = _int(frame.iat[i, frame.columns.get_loc(need["priority_rank"])], path, row, need["priority_rank"])
        if rank is None:
            raise InputError(
                "screening.select.eligible_row_rank_rank", location=location(path, row=row, field=need["priority_rank"])
            )
        masked = str(frame.iat[i, frame.columns.get_loc(need["nik_masked"])] or "").strip()
        if masked and "*" not in masked:
            masked = mask("".join(ch for ch in masked if ch.isdigit()))
        group = _int(frame.iat[i, frame.columns.get_loc(group_col)], path, row, group_col) if group_col else None
        source_row = _int(frame.iat[i, frame.columns.get_loc(need["source_row"])], path, row, need["source_row"])
        out.append(
            {
                "region_code": code,
                "priority_rank": rank,
                "priority_group": group,
                "nik_masked": masked,
                "source_file": str(frame.iat[i, frame.columns.get_loc(need["source_file"])]),
                "source_row": source_row,
                "name": str(frame.iat[i, frame.columns.get_loc(name_col)] or "").strip() if name_col else "",
                "_row": row,
            }
        )
    result = pd.DataFrame(
        out,
        columns=[
            "region_code",
            "priority_rank",
            "priority_group",
            "nik_masked",
            "source_file",
            "source_row",
            "name",
            "_row",
        ],
    )
    repeated = result[result.duplicated(["region_code", "priority_rank"], keep="first")]
    if not repeated.empty:
        first = repeated.iloc[0]
        raise InputError(
            "screening.select.rank_appears_twice_region",
            location=location(path, row=int(first["_row"]), field=need["priority_rank"]),
            priority_rank=first["priority_rank"],
            region_code=first["region_code"],
        )
    return result.drop(columns="_row").sort_values(["region_code", "priority_rank"], kind="stable")


@dataclass(frozen=True)
class Selection:
    """Selected women and waiting lists per region.

    ``rows``: DataFrame, columns :data:`SELECTION_COLUMNS` plus ``name`` (empty unless
    names were kept), region by region in BPS order, selected women first (``status``
    ``selected``, ``position`` 1..N) then the waiting list (``waiting``, 1..);
    ``allocated``, ``position`` and ``priority_rank`` are int64, ``priority_group`` and
    ``source_row`` nullable Int64. ``regions``:
    DataFrame, columns :data:`REGION_COLUMNS` (persons): ``short`` = allocated minus
    eligible when the list is shorter than the allocation, else 0. ``level``: the level of
    a hierarchical allocation whose counts were filled (1 at the top; None: the allocation
    units); ``kind``: what its regions are (``province``, ``kabkota``, ``kecamatan``,
    ``desa``; a key below ``select.kind`` in the catalogues).
    """

    rows: pd.DataFrame
    regions: pd.DataFrame
    level: int | None = None
    kind: str = "kabkota"

    def __repr__(self) -> str:
        selected = int((self.rows["status"] == "selected").sum())
        short = int((self.regions["short"] > 0).sum())
        return f"<Selection {selected} selected in {len(self.regions)} regions, {short} regions short>"

    def to_frame(self) -> pd.DataFrame:
        """The selected women and waiting lists (:attr:`rows`), a copy."""
        return self.rows.copy()


@dataclass(frozen=True)
class RegionLevels:
    """The regions of a data set by level of its tree (:mod:`optimizer.tree`), to read the
    region codes of a decisions file against a hierarchical allocation.

    ``level``: ``{region_code: level}``, 1 at the top (the province of a provincial data
    set); ``label``: the data set's name in messages.
    """

    level: dict[str, int]
    label: str

    def expected(self) -> tuple[Msg, ...]:
        """What a code may be: each level with its kind, digits and an example code."""
        parts = []
        for level in sorted(set(self.level.values())):
            codes = sorted(c for c, v in self.level.items() if v == level)
            digits = Counter(len(c) for c in codes).most_common(1)[0][0]
            parts.append(
                Msg.of(
                    "error.screening.select.level_item",
                    level=level,
                    kind=Term(f"region_kind.{region_kind(digits)}"),
                    digits=digits,
                    example=codes[0],
                )
            )
        return tuple(parts)

    def check(self, code: str, where, row: int, first: tuple[int, int] | None) -> tuple[int, int]:
        """The (level, row) of the first code read, after checking ``code`` (read at ``row``,
        ``where`` its location) against it; raises :class:`InputError` for a code of no
        level, or of another level than the first."""
        level = self.level.get(code)
        if level is None:
            raise InputError(
                "screening.select.code_no_level", location=where, code=code, data=self.label, expected=self.expected()
            )
        if first is None:
            return (level, row)
        if level != first[0]:
            raise InputError(
                "screening.select.code_other_level",
                location=where,
                code=code,
                level=level,
                first=first[0],
                first_row=first[1],
                expected=self.expected(),
            )
        return first

    def of(self, eligible: pd.DataFrame) -> int | None:
        """The level the rows of ``eligible`` (:func:`read_decisions` with these levels) name, or None."""
        return None if eligible.empty else self.level[str(eligible["region_code"].iat[0])]


def region_levels(allocation) -> RegionLevels:
    """The regions of ``allocation``'s data set by level (:class:`RegionLevels`): every region of
    the data, included or not (one outside the scenario is allocated 0, as in a single-level run)."""
    from ..tree import build_tree

    tree = build_tree(allocation.data)
    return RegionLevels(dict(zip(tree.codes, (tree.depth + 1).tolist(), strict=True)), allocation.data.label)


def quota_regions(allocation, level: int | None = None) -> pd.DataFrame:
    """The regions whose recipients ``select`` fills: columns ``region_code, region_name,
    included, eligible, recipients`` (persons).

    ``level`` (1 at the top) names a level of a hierarchical allocation: its regions with
    their totals (a kabupaten/kota's count is the sum over its desa, each desa's its quota
    within its kabupaten/kota). None: the allocation units (:attr:`Allocation.regions`).
    """
    columns = ["region_code", "region_name", "included", "eligible", "recipients"]
    if level is None or allocation.tree is None:
        return allocation.regions[columns]
    nodes = allocation.nodes
    here = nodes[nodes["level"] == level - 1]
    return pd.DataFrame(
        {
            "region_code": here["region_code"].to_numpy(),
            "region_name": here["region_name"].to_numpy(),
            "included": True,
            "eligible": here["eligible"].fillna(0).to_numpy().astype("int64"),
            "recipients": here["recipients"].to_numpy().astype("int64"),
        }
    )


def select(eligible: pd.DataFrame, allocation, level: int | None = None) -> Selection:
    """Fill ``allocation``'s recipients per region from ``eligible`` (see :func:`read_decisions`).

    ``allocation``: an :class:`~optimizer.engine.Allocation`. ``level``: for a hierarchical
    allocation, the level whose regions' counts are filled (:func:`quota_regions`,
    :meth:`RegionLevels.of`); None: the allocation units. Every region of the allocation
    (at that level) and every region with eligible women gets a row in ``regions``.
    """
    registry = kaltim_registry()
    table = quota_regions(allocation, level)
    allocated = {str(c): int(v) for c, v in zip(table["region_code"], table["recipients"], strict=True)}
    names = dict(zip(table["region_code"], table["region_name"], strict=True))
    codes = sorted(set(allocated) | set(eligible["region_code"]))
    parts = []
    summary = []
    by_region = {code: frame for code, frame in eligible.groupby("region_code", sort=True)}
    for code in codes:
        region = registry.by_code.get(code)
        name = region.display_name if region else names.get(code, code)
        n = int(allocated.get(code, 0))
        women = by_region.get(code, eligible.iloc[0:0])
        women = women.sort_values("priority_rank", kind="stable")
        selected = min(n, len(women))
        status = ["selected"] * selected + ["waiting"] * (len(women) - selected)
        position = list(range(1, selected + 1)) + list(range(1, len(women) - selected + 1))
        part = women.assign(region_name=name, allocated=n, status=status, position=position)
        parts.append(part)
        summary.append(
            {
                "region_code": code,
                "region_name": name,
                "allocated": n,
                "eligible": len(women),
                "selected": selected,
                "waiting": len(women) - selected,
                "short": max(0, n - len(women)),
            }
        )
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*SELECTION_COLUMNS, "name"])
    # whole numbers stay whole: concatenating an empty region's frame would make them floats (1.0)
    rows = rows[[*SELECTION_COLUMNS, "name"]].astype(
        {
            "allocated": "int64",
            "position": "int64",
            "priority_rank": "int64",
            "priority_group": "Int64",
            "source_row": "Int64",
        }
    )
    regions = pd.DataFrame(summary, columns=list(REGION_COLUMNS))
    if level is None or allocation.tree is None:
        return Selection(rows, regions)
    return Selection(rows, regions, level, level_kind(table["region_code"]))


@dataclass(frozen=True)
class SelectWarning:
    """A reason to doubt that an allocation and a decisions file belong together.

    ``key``: a message key under ``select.`` in the catalogues; ``params``: its fields.
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        """The warning as a sentence in ``lang``."""
        from ..i18n import t

        return t(f"select.{self.key}", lang, **dict(self.params))


def has_names(eligible: pd.DataFrame) -> bool:
    """True when the decisions file kept names (``wrse screen --include-names``)."""
    return bool((eligible["name"] != "").any())


def check_counts(eligible: pd.DataFrame, allocation, level: int | None = None) -> list[SelectWarning]:
    """Do the allocation's eligible counts come from this screening?

    An allocation whose counts are not from a file (a proxy or the data set) was not made
    from the screening: one ``not_screened_counts`` warning. Counts from a file should be
    the screening's: a ``counts_differ`` warning for every included region whose count
    (persons) differs from its eligible women in ``eligible`` (:func:`read_decisions`),
    at ``level`` of a hierarchical allocation (:func:`quota_regions`).
    """
    if allocation.eligible_method != "file":
        return [SelectWarning("not_screened_counts")]
    listed = eligible["region_code"].value_counts()
    out = []
    table = quota_regions(allocation, level)
    table = table[table["included"]]
    for code, name, count in zip(table["region_code"], table["region_name"], table["eligible"], strict=True):
        found = int(listed.get(code, 0))
        if int(count) != found:
            params = {"code": code, "name": name, "counts": int(count), "decisions": found}
            out.append(SelectWarning("counts_differ", tuple(sorted(params.items()))))
    return out
