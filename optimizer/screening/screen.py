"""Screening candidate lists: from the lists to decisions and eligible counts per region.

Pipeline (each step its own module): read every list (:mod:`.reading`), apply the SK's
rules to each row (:mod:`.rules`), find the same NIK on several rows and count each woman
once (:mod:`.duplicates`), rank the eligible women of each kabupaten/kota
(:mod:`.ranking`), and count eligible and priority women per region.

The full NIKs exist only inside :func:`screen` (for duplicates and the lottery); the
:class:`Screening` it returns holds masked NIKs only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..gc_pause import collector_paused
from ..i18n import Notice
from ..regions import kaltim_registry
from . import duplicates, ranking
from .nik import mask, redact
from .reading import CandidateList, read_list
from .rules import SK_2023, DatabaseRule, Finding, assess, check_as_of

DECISION_COLUMNS = (
    "source_file",
    "source_row",
    "nik_masked",
    "name",
    "region_code",
    "region_name",
    "nik_region_code",
    "age",
    "eligible",
    "priority_group",
    "priority_rank",
    "duplicate_group",
    "rejections",
    "warnings",
)
COUNT_COLUMNS = ("region_code", "region_name", "eligible", "priority", "candidates", "rejected", "duplicate_rows")


@dataclass(frozen=True)
class Screening:
    """The result of screening one or more lists.

    ``decisions``: DataFrame, one row per candidate in input order (lists in the order
    given, rows top to bottom), columns :data:`DECISION_COLUMNS`: ``source_row`` is the
    spreadsheet row number; ``age`` completed years on ``as_of`` (None if unknown);
    ``eligible`` bool (eligible and counted); ``priority_group`` 1 (no business yet) or 2,
    None when not eligible; ``priority_rank`` 1..n inside each region (None when not
    eligible); ``duplicate_group`` ``D0001``… or ``""``; ``rejections`` and ``warnings``
    tuples of :class:`~optimizer.screening.rules.Finding`; ``name`` empty unless names
    were asked for. No column holds a full NIK.

    ``counts``: DataFrame, one row per kabupaten/kota that proposed at least one
    candidate, BPS-code order, columns :data:`COUNT_COLUMNS` (persons): ``eligible``
    women counted once, ``priority`` of them with no business yet, ``candidates`` rows
    proposed, ``rejected`` rows, ``duplicate_rows`` rows sharing a NIK with another row.
    """

    decisions: pd.DataFrame
    counts: pd.DataFrame
    files: tuple[tuple[Path, int], ...]
    as_of: dt.date
    rule: str
    seed: str
    include_names: bool
    notices: tuple[Notice, ...]
    without_business_type: tuple[Path, ...]

    def __repr__(self) -> str:
        eligible = int(self.decisions["eligible"].sum()) if len(self.decisions) else 0
        return (
            f"<Screening {len(self.decisions)} candidates from {len(self.files)} lists, {eligible} eligible, "
            f"as of {self.as_of:%d-%m-%Y}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The eligible counts per kabupaten/kota (see the class docstring), a copy; the
        decisions per candidate are :attr:`decisions`."""
        return self.counts.copy()

    @property
    def duplicate_groups(self) -> int:
        """Number of NIKs that appear on more than one row."""
        return int(self.decisions.loc[self.decisions["duplicate_group"] != "", "duplicate_group"].nunique())


def screen(
    paths: Sequence[str | Path],
    as_of: dt.date,
    *,
    rule: str = "list-order",
    seed: str = "",
    strict: bool = False,
    include_names: bool = False,
    database: DatabaseRule = SK_2023,
) -> Screening:
    """Screen the candidate lists ``paths`` on the reference date ``as_of``.

    ``rule``/``seed``: the ranking inside a priority group (see
    :mod:`~optimizer.screening.ranking`). ``strict``: an empty or unreadable criterion
    cell stops with an error instead of rejecting the row. ``include_names``: keep names
    in the decisions. ``database``: the data-base criterion (default the SK's DTKS and P3KE;
    :class:`~optimizer.screening.rules.DatabaseRule` ``dtsen`` with the scenario's desil limit).

    Returns a :class:`Screening`. Raises :class:`InputError` for an unreadable list, a
    missing column, an unknown kabupaten/kota, a list given twice, no rows at all, or an
    implausible ``as_of`` (see :func:`~optimizer.screening.rules.check_as_of`).
    """
    if not paths:
        raise InputError("screening.screen.candidate_list_given_more")
    check_as_of(as_of)
    if rule not in ranking.RULES:
        raise InputError("screening.screen.ranking_rule_unknown", rule=rule, rules=", ".join(ranking.RULES))
    seen: dict[Path, str] = {}
    for p in paths:
        resolved = Path(p).resolve()
        if resolved in seen:
            raise InputError("screening.screen.same_list_given_twice", p=p, seen=seen[resolved])
        seen[resolved] = str(p)
    with collector_paused():
        return _screen(paths, as_of, rule, seed, strict, include_names, database)


def _screen(paths, as_of, rule, seed, strict, include_names, database=SK_2023) -> Screening:
    lists: list[CandidateList] = [
        read_list(p, strict=strict, include_names=include_names, database=database.kind) for p in paths
    ]
    source: list[str] = []
    rows: list[int] = []
    names: list[str] = []
    candidates = []
    for item in lists:
        source.extend([redact(item.path.name)] * len(item.candidates))  # a file may be named by a NIK
        rows.extend(item.rows)
        names.extend(item.names)
        candidates.extend(item.candidates)
    if not candidates:
        raise InputError("screening.screen.candidate_rows_row_per", map=", ".join(map(str, paths)))
    assessments = [assess(c, as_of, database) for c in candidates]
    niks = [c.nik.digits if c.nik.digits and len(c.nik.digits) == 16 else None for c in candidates]
    rejections = [list(a.rejections) for a in assessments]
    warnings = [list(a.warnings) for a in assessments]
    eligible = [a.eligible for a in assessments]
    group_label = [""] * len(candidates)
    home = [a.nik_bps == c.region_code for a, c in zip(assessments, candidates, strict=True)]
    for number, members in enumerate(duplicates.groups(niks), start=1):
        label = f"D{number:04d}"
        counted = duplicates.counted_row(members, eligible, home)
        where = ", ".join(f"{source[p]}:{rows[p]}" for p in members)  # file:row, in any language
        for p in members:
            group_label[p] = label
            warnings[p].append(Finding.of("duplicate_group", group=label, rows=where))
        for p in members:
            if p != counted and eligible[p]:
                eligible[p] = False
                rejections[p].append(Finding.of("duplicate_nik", file=source[counted], row=rows[counted]))
    regions = [c.region_code for c in candidates]
    groups = [a.priority_group for a in assessments]
    rank = ranking.ranks(regions, groups, eligible, niks, rule, seed)
    registry = kaltim_registry()
    decisions = pd.DataFrame(
        {
            "source_file": source,
            "source_row": rows,
            "nik_masked": [mask(c.nik.digits) for c in candidates],
            "name": names,
            "region_code": regions,
            "region_name": [registry.by_code[c].display_name for c in regions],
            "nik_region_code": [a.nik_bps for a in assessments],
            "age": pd.array([a.age for a in assessments], dtype="Int64"),
            "eligible": eligible,
            "priority_group": pd.array(
                [g if e else None for g, e in zip(groups, eligible, strict=True)], dtype="Int64"
            ),
            "priority_rank": pd.array(rank, dtype="Int64"),
            "duplicate_group": group_label,
            "rejections": [tuple(r) for r in rejections],
            "warnings": [tuple(w) for w in warnings],
        },
        columns=list(DECISION_COLUMNS),
    )
    return Screening(
        decisions=decisions,
        counts=count_by_region(decisions),
        files=tuple((item.path, len(item.candidates)) for item in lists),
        as_of=as_of,
        rule=rule,
        seed=seed,
        include_names=include_names,
        notices=tuple(dict.fromkeys(n for item in lists for n in item.notices)),
        without_business_type=tuple(item.path for item in lists if "business_type" not in item.columns),
    )


def count_by_region(decisions: pd.DataFrame) -> pd.DataFrame:
    """Eligible and priority counts per region from a decisions frame (see :class:`Screening`)."""
    registry = kaltim_registry()
    frame = decisions.assign(
        is_priority=decisions["eligible"] & (decisions["priority_group"] == 1).fillna(False),
        rejected=~decisions["eligible"],
        duplicate=decisions["duplicate_group"] != "",
    )
    grouped = frame.groupby("region_code", sort=True)
    counts = pd.DataFrame(
        {
            "eligible": grouped["eligible"].sum(),
            "priority": grouped["is_priority"].sum(),
            "candidates": grouped.size(),
            "rejected": grouped["rejected"].sum(),
            "duplicate_rows": grouped["duplicate"].sum(),
        }
    ).astype("int64")
    counts.insert(0, "region_name", [registry.by_code[c].display_name for c in counts.index])
    return counts.reset_index()[list(COUNT_COLUMNS)]
