"""The programme as dated data: grant parameters by year and the realised recipients.

Two shipped files, each value with its date and one citable reference:

* ``data/parameters.toml``: the grant per recipient (rupiah, with the reported range where
  there is one, and the unit: a person or a family) and who is eligible (women; men and
  women), each value in force from its ``from`` date until the next value's date, in the
  manner of OpenFisca parameters.
* ``data/realised-recipients.csv``: recipients by year and region where known (2021 Paser
  and Penajam Paser Utara; 2023 Kutai Kartanegara and Samarinda together; 2024 cumulative
  in all ten; 2025 UEP about 150 each plus the APBD-P), each row marked whether its split
  per region is published, reported as an equal split, or unpublished.

Both are read here once; nothing else in the package holds these figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

GRANT_UNITS = ("person", "family")
WHO = ("women", "men_and_women")
SPLITS = ("published", "equal_reported", "unpublished")
KINDS = ("new", "cumulative")


@dataclass(frozen=True)
class GrantValue:
    """One dated value of the grant per recipient.

    ``start``: the date it applies from (first day of the fiscal year it was reported for).
    ``value_rp``: integer rupiah used in allocations; ``minimum_rp``/``maximum_rp``: the
    reported range when the reports give one (else None; the value used is then the upper
    end). ``recipient_unit``: ``person`` or ``family``. ``programme``: ``WRSE`` or ``UEP``.
    ``reference``: one citable address (URL or the SK number). ``trace``: the row of
    ``kaltim-found-2026.csv`` (``indicator:region:year``) or ``sk-2023`` (the source document).
    """

    start: dt.date
    value_rp: int
    recipient_unit: str
    programme: str
    reference: str
    reference_title: str
    trace: str
    minimum_rp: int | None = None
    maximum_rp: int | None = None

    @property
    def year(self) -> int:
        """The fiscal year the value applies from."""
        return self.start.year

    @property
    def is_range(self) -> bool:
        """True when the reports give a range (the value used is its upper end)."""
        return self.minimum_rp is not None and self.maximum_rp is not None and self.minimum_rp != self.maximum_rp


@dataclass(frozen=True)
class EligibilityValue:
    """Who may receive the grant from ``start``: ``who`` is ``women`` or ``men_and_women``."""

    start: dt.date
    who: str
    programme: str
    reference: str
    trace: str


@cache
def _parameters() -> dict:
    text = resources.files("optimizer.data").joinpath("parameters.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def grant_values() -> tuple[GrantValue, ...]:
    """Every dated grant value, oldest first (``data/parameters.toml``)."""
    values = [
        GrantValue(
            start=v["from"],
            value_rp=int(v["value"]),
            recipient_unit=v["recipient_unit"],
            programme=v["programme"],
            reference=v["reference"],
            reference_title=v["reference_title"],
            trace=v["trace"],
            minimum_rp=v.get("minimum"),
            maximum_rp=v.get("maximum"),
        )
        for v in _parameters()["grant_per_recipient"]["values"]
    ]
    return tuple(sorted(values, key=lambda v: v.start))


@cache
def eligibility_values() -> tuple[EligibilityValue, ...]:
    """Every dated eligibility rule, oldest first (``data/parameters.toml``)."""
    values = [
        EligibilityValue(v["from"], v["who"], v["programme"], v["reference"], v["trace"])
        for v in _parameters()["eligibility"]["values"]
    ]
    return tuple(sorted(values, key=lambda v: v.start))


def _in_force(values, year: int):
    day = dt.date(year, 1, 1)
    current = [v for v in values if v.start <= day]
    return current[-1] if current else None


def grant_in_force(fiscal_year: int) -> GrantValue | None:
    """The grant value in force on 1 January of ``fiscal_year`` (the latest dated value up to
    then), or None before the first dated value (2021)."""
    return _in_force(grant_values(), fiscal_year)


def grant_of_year(year: int) -> GrantValue | None:
    """The grant value whose date falls in ``year`` exactly (e.g. 2023: the SK rule), or None."""
    for value in grant_values():
        if value.year == year:
            return value
    return None


def eligibility_in_force(fiscal_year: int) -> EligibilityValue | None:
    """Who is eligible in ``fiscal_year`` (the latest dated rule up to then), or None before 2021."""
    return _in_force(eligibility_values(), fiscal_year)


# ------------------------------------------------------------------------ realised history


@dataclass(frozen=True)
class RealisedRow:
    """One published figure of realised recipients (``data/realised-recipients.csv``).

    ``region_code``: the kabupaten/kota, or ``64`` for a provincial total. ``covers``: the
    BPS codes the figure is about (``None`` = all ten). ``kind``: ``new`` (granted in that
    year) or ``cumulative`` (granted to date). ``split``: ``published`` (the region's own
    figure), ``equal_reported`` (a total the province reports as an equal split, e.g. about
    150 each in 2025) or ``unpublished`` (the per-region split is not published).
    """

    year: int
    region_code: str
    region_name: str
    programme: str
    recipients: int
    unit: str
    kind: str
    split: str
    covers: tuple[str, ...] | None
    source: str
    source_date: str
    trace: str
    note: str


@cache
def realised_rows() -> tuple[RealisedRow, ...]:
    """The realised history, one published figure a row, by year."""
    text = resources.files("optimizer.data").joinpath("realised-recipients.csv").read_text(encoding="utf-8")
    rows = []
    for r in csv.DictReader(text.splitlines()):
        covers = None if r["covers"] == "all" else tuple(r["covers"].split(";"))
        rows.append(
            RealisedRow(
                year=int(r["year"]),
                region_code=r["region_code"],
                region_name=r["region_name"],
                programme=r["programme"],
                recipients=int(r["recipients"]),
                unit=r["unit"],
                kind=r["kind"],
                split=r["split"],
                covers=covers,
                source=r["source"],
                source_date=r["source_date"],
                trace=r["trace"],
                note=r["note"],
            )
        )
    return tuple(sorted(rows, key=lambda row: (row.year, row.region_code)))


def equal_split(total: int, codes: tuple[str, ...]) -> dict[str, int]:
    """``total`` split as equally as whole persons allow over ``codes`` (largest remainder; the
    extra persons go to the first codes in BPS order). Sums to ``total`` exactly."""
    codes = tuple(sorted(codes))
    base, extra = divmod(total, len(codes))
    return {c: base + (1 if i < extra else 0) for i, c in enumerate(codes)}


@dataclass(frozen=True)
class RegionHistory:
    """Recipients per region for one year or to date, with how each count is known.

    ``counts``: ``{bps_code: persons}``. ``methods``: ``{bps_code: method}``, one of
    ``published`` (the region's own published figure), ``equal_reported`` (the province's
    reported equal split), ``equal_assumed`` (a total whose split is not published, split
    equally by assumption), or a ``+``-joined mix of these. ``rows``: the figures used.
    """

    counts: dict[str, int]
    methods: dict[str, str]
    rows: tuple[RealisedRow, ...]


def _spread(row: RealisedRow, codes: tuple[str, ...]) -> tuple[dict[str, int], str]:
    covered = tuple(c for c in (row.covers or codes) if c in codes)
    if row.split == "published":
        return {row.region_code: row.recipients}, "published"
    method = "equal_reported" if row.split == "equal_reported" else "equal_assumed"
    return equal_split(row.recipients, covered), method


def _tally(rows: list[RealisedRow], codes: tuple[str, ...]) -> RegionHistory:
    """Recipients per region of ``codes`` summed over ``rows`` (each spread by :func:`_spread`),
    with the split methods used per region and the rows used."""
    counts = {c: 0 for c in codes}
    methods: dict[str, set[str]] = {c: set() for c in codes}
    for row in rows:
        spread, method = _spread(row, codes)
        for code, n in spread.items():
            if code in counts:
                counts[code] += n
                methods[code].add(method)
    return RegionHistory(counts, {c: "+".join(sorted(m)) for c, m in methods.items()}, tuple(rows))


def realised_in(year: int, codes: tuple[str, ...], include_unpublished: bool = False) -> RegionHistory:
    """Recipients granted in ``year`` per region of ``codes``.

    Published figures and reported equal splits are used; a total whose split is not
    published is left out unless ``include_unpublished`` (then it is split equally, marked
    ``equal_assumed``). Cumulative figures are not yearly counts and are never used here.
    """
    rows = [
        row
        for row in realised_rows()
        if row.year == year and row.kind == "new" and (row.split != "unpublished" or include_unpublished)
    ]
    return _tally(rows, codes)


def granted_through(year: int, codes: tuple[str, ...]) -> RegionHistory:
    """Everyone granted up to and including ``year`` per region: one grant per person, so
    these are no longer in the pool.

    The latest cumulative figure up to ``year`` (2024: 535 in all ten) stands for every year
    up to it (it includes them); later yearly figures are added. A total whose split is not
    published is split equally over the regions it covers (``equal_assumed``): the stock of
    each region is an estimate, labelled as one.
    """
    rows = [r for r in realised_rows() if r.year <= year]
    cumulative = [r for r in rows if r.kind == "cumulative"]
    start = max((r.year for r in cumulative), default=None)
    # a row before the latest cumulative figure, or a yearly one of its year, is contained in it
    kept = [r for r in rows if start is None or not (r.year < start or (r.year == start and r.kind == "new"))]
    return _tally(kept, codes)


__all__ = [
    "EligibilityValue",
    "GrantValue",
    "RealisedRow",
    "RegionHistory",
    "eligibility_in_force",
    "eligibility_values",
    "equal_split",
    "grant_in_force",
    "grant_of_year",
    "grant_values",
    "granted_through",
    "realised_in",
    "realised_rows",
]
