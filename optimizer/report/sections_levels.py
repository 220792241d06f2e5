"""What the report says of a hierarchical split, and section 10 with the levels below the
kabupaten/kota.

The report of a hierarchical allocation (``wrse report --hierarchical``) is read at the
kabupaten/kota level (:func:`optimizer.levels.level_view`); this module adds the sentences
that say the split is hierarchical (and, for data made by ``wrse synth``, that the data is
synthetic) and the section that carries the levels below: one table per lower level, in the
workbook always (one sheet each) and in the DOCX/HTML/Markdown when it has at most
:data:`PRINTED_ROWS` rows. A longer level (the 83,763 desa of Indonesia, or the hundreds of
desa of one kabupaten) is not printed: a policy reader does not read a list of thousands of
desa in a Word document, but needs to know how many there are, how many receive someone,
where the full list is, and how the desa of each kabupaten/kota add up. So the text says
that, and a table per parent region (each kabupaten/kota: desa, desa with recipients,
recipients, the most given to one desa) is printed instead. Every number in these texts is
taken from the same frames as the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..levels import lower_levels
from ..regions import level_kind
from ..result import Allocation
from .document import Column, Paragraph, Section, Table
from .phrases import m
from .sections_results import binding_label
from .text import Msg, Val

PRINTED_ROWS = 300  # a level with more regions than this is in the workbook only (a few A4 pages at most)
NUMBER = 10  # section 10, after the audit trail: an annex


@dataclass(frozen=True)
class Levels:
    """A hierarchical report's levels: the ``level`` it is read at (0 at the top), the whole
    allocation ``full`` (the tree) and ``synthetic``: the data is marked synthetic by ``wrse synth``."""

    full: Allocation
    level: int
    synthetic: bool = False

    @property
    def lower(self) -> list[tuple[int, pd.DataFrame]]:
        """The levels below the report's, top down: (level, node rows)."""
        return lower_levels(self.full, self.level)

    @property
    def count(self) -> int:
        """Levels of the split."""
        return self.full.levels


def _kind(codes) -> Msg:
    return Msg.of(f"region_kind.{level_kind(codes)}")


def _sheet(level: int, codes) -> Msg:
    return m("levels.sheet", level=level + 1, kind=Msg.of(f"region_kind_sheet.{level_kind(codes)}"))


def synthetic_note() -> Msg:
    """The sentence that the data is synthetic (``wrse synth``), not real."""
    return m("levels.synthetic")


def hierarchical_note(view: Allocation, levels: Levels) -> Msg:
    """One sentence: the split is hierarchical, the tables are its kabupaten/kota level, and
    where the lower levels are (section 10 and the workbook)."""
    lower = levels.lower
    if not lower:  # the kabupaten/kota are the units (Kalimantan Timur: province 64 above them)
        return m("levels.statement_units", levels=Val("count", levels.count), level=Val("count", levels.level + 1))
    bottom_level, bottom = lower[-1]
    return m(
        "levels.statement",
        levels=Val("count", levels.count),
        level=Val("count", levels.level + 1),
        kabkota=Val("count", len(view.included)),
        units=Val("count", len(bottom)),
        unit_kind=_kind(bottom["region_code"]),
        sheet=_sheet(bottom_level, bottom["region_code"]),
    )


def _level_table(level: int, rows: pd.DataFrame, names: dict[str, str], sheet_only: bool, method: str) -> Table:
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", m("levels.col_name", kind=_kind(rows["region_code"])), "text"),
        Column("parent", m("levels.col_parent"), "text"),
        Column("need_share", m("levels.col_need_share"), "share"),
        Column("quota", m("col.quota"), "dec2"),
        Column("recipients", m("col.recipients"), "count"),
        Column("cost_rp", m("col.cost_rp"), "rp"),
        Column("binding", m("col.binding"), "text"),
    )
    body = tuple(
        (
            str(r.region_code),
            str(r.region_name),
            names.get(str(r.parent_code), str(r.parent_code)),
            float(r.need_share),
            float(r.quota),
            int(r.recipients),
            int(r.cost_rp),
            binding_label(str(r.binding), method),
        )
        for r in rows.itertuples()
    )
    total = (
        None,
        Msg.of("run.total"),
        None,
        None,
        None,
        int(rows["recipients"].sum()),
        int(rows["cost_rp"].sum()),
        None,
    )
    kind = _kind(rows["region_code"])
    return Table(
        f"level_{level + 1}",
        _sheet(level, rows["region_code"]),
        m("levels.table", level=Val("count", level + 1), kind=kind),
        columns,
        body,
        total,
        notes=(m("levels.table_note"),),
        wide=True,  # eight columns with names: a landscape page in the DOCX, as the allocation table
        sheet_only=sheet_only,
    )


def _summary_table(level: int, rows: pd.DataFrame, names: dict[str, str]) -> Table:
    """Per parent region: regions of ``level`` under it, how many receive someone, recipients, the most to one."""
    grouped = rows.groupby("parent_code", sort=True)["recipients"]
    frame = pd.DataFrame(
        {
            "regions": grouped.size(),
            "with": grouped.apply(lambda x: int((x > 0).sum())),
            "recipients": grouped.sum(),
            "largest": grouped.max(),
        }
    )
    kind = _kind(rows["region_code"])
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", m("levels.col_name", kind=_kind(rows["parent_code"])), "text"),
        Column("regions", m("levels.col_regions"), "count"),
        Column("with_recipients", m("levels.col_with"), "count"),
        Column("recipients", m("col.recipients"), "count"),
        Column("largest", m("levels.col_largest"), "count"),
    )
    body = tuple(
        (str(code), names.get(str(code), str(code)), int(r.regions), int(r.with_), int(r.recipients), int(r.largest))
        for code, r in frame.rename(columns={"with": "with_"}).iterrows()
    )
    total = (
        None,
        Msg.of("run.total"),
        int(frame["regions"].sum()),
        int(frame["with"].sum()),
        int(frame["recipients"].sum()),
        None,
    )
    return Table(
        f"level_{level + 1}_summary",
        m("levels.summary_sheet", level=level + 1),
        m("levels.summary_table", level=Val("count", level + 1), kind=kind),
        columns,
        body,
        total,
    )


def levels_section(view: Allocation, levels: Levels) -> Section:
    """Section 10: how the split goes level by level, then each level below the kabupaten/kota."""
    full = levels.full
    nodes = full.nodes
    names = dict(zip(nodes["region_code"].astype(str), nodes["region_name"].astype(str), strict=True))
    blocks: list[object] = []
    if levels.synthetic:
        blocks.append(Paragraph((synthetic_note(),)))
    above = nodes[nodes["level"] < levels.level]
    intro: list[object] = [
        m(
            "levels.intro",
            budget=Val("rp", full.budget_rp),
            affordable=Val("count", full.affordable),
            method=m(f"method_name.{full.method}"),
            levels=Val("count", levels.count),
            groups=Val("count", full.groups),
        )
    ]
    if len(above) == 1:  # one province above the kabupaten/kota: it takes the whole count
        top = above.iloc[0]
        intro.append(
            m(
                "levels.above",
                name=str(top["region_name"]),
                code=str(top["region_code"]),
                count=Val("count", int(top["recipients"])),
            )
        )
    blocks.append(Paragraph(tuple(intro)))
    for level, rows in levels.lower:
        listed = len(rows) <= PRINTED_ROWS
        kind = _kind(rows["region_code"])
        facts = dict(
            level=Val("count", level + 1),
            kind=kind,
            rows=Val("count", len(rows)),
            received=Val("count", int((rows["recipients"] > 0).sum())),
            recipients=Val("count", int(rows["recipients"].sum())),
            sheet=_sheet(level, rows["region_code"]),
        )
        if listed:
            blocks.append(Paragraph((m("levels.level_listed", **facts),)))
            blocks.append(_level_table(level, rows, names, sheet_only=False, method=view.eligible_method))
        else:
            parent_kind = _kind(rows["parent_code"])
            blocks.append(
                Paragraph(
                    (m("levels.level_sheet", limit=Val("count", PRINTED_ROWS), parent_kind=parent_kind, **facts),)
                )
            )
            blocks.append(_summary_table(level, rows, names))
            blocks.append(_level_table(level, rows, names, sheet_only=True, method=view.eligible_method))
    return Section("levels", NUMBER, m("section.levels"), tuple(blocks))
