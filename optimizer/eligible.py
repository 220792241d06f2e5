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

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from . import numbers
from .columnar import Columns, text
from .errors import InputError, input_error
from .files import sha256_of
from .i18n import Count, Msg, Notice, Number, Term, proxy_term, render, t
from .inputs.dataset import DataSet
from .inputs.layouts import region_columns, resolve_row
from .inputs.validate import home_provinces, province_name, province_names
from .inputs.years import select as select_indicator
from .regions import KABKOTA_DIGITS
from .scenario import EligibleSpec
from .tabular import find_column, read_table

if TYPE_CHECKING:
    import pandas as pd

PROXY_METHODS = (
    "poor_population",
    "poverty_rate_x_population",
    "female_headed_x_p0",
)  # labels: messages [eligible_source]

# Methods whose figures count the eligible themselves; every other method (a proxy, or a file
# that leaves some regions to a proxy: ``file_and_proxy``) gives an estimate of another pool.
COUNTED = ("file", "data")
# The wording of each proxy beside the poor population's: a message about a proxy pool has one key
# for the poor population (and P0 × population, an estimate of it) and one with this suffix per
# other proxy (``column.eligible_proxy_female_headed``, ``report.notice_proxy_female_headed``).
_PROXY_VARIANTS = {"female_headed_x_p0": "_female_headed"}


def is_proxy(method: str) -> bool:
    """True when the eligible figures of ``method`` are (or are partly) a proxy's estimate, not
    counts of the eligible: such a column is named as the proxy, and no coverage is computed."""
    return method not in COUNTED


def proxy_key(key: str, proxy: str) -> str:
    """The message ``key`` of a text about the poor population as the eligible pool, or its
    variant naming ``proxy`` (a name of ``scenario.PROXIES``) when that is another pool:
    ``report.notice_proxy`` → ``report.notice_proxy_female_headed`` for ``female_headed_x_p0``."""
    return key + _PROXY_VARIANTS.get(proxy, "")


def eligible_key(key: str, method: str) -> str:
    """The message ``key`` naming the eligible figure (``column.eligible``: a table heading;
    ``weight.eligible``: in the weights line; ``column.remark_eligible``: in a row's remark;
    ``indicator.eligible``: in a notice), or its variant naming the proxy of ``method``
    (``column.eligible_proxy``: *Penduduk miskin (proksi, jiwa)* for the poor population,
    :func:`proxy_key` for another proxy; ``_partly_proxy`` for counts partly from a file)."""
    if not is_proxy(method):
        return key
    return key + "_partly_proxy" if method == "file_and_proxy" else proxy_key(key + "_proxy", method)


def eligible_term(method: str) -> Term:
    """The eligible figure of ``method`` as a notice names it (``indicator.eligible``: *jumlah
    memenuhi syarat* for counts, *penduduk miskin (proksi)* for the poor population, …)."""
    return Term(eligible_key("indicator.eligible", method))


@dataclass(frozen=True)
class EligibleCounts:
    """Eligible counts for the included regions.

    ``columns``: :class:`~optimizer.columnar.Columns`, one row per region in the order asked
    for: ``region_code``, ``eligible`` (int persons), ``eligible_year`` (int, 0 when the
    source has no year), ``eligible_source`` (text, English), ``eligible_source_id`` (text,
    Indonesian), ``eligible_status`` (``estimate``/``published``/``supplied``),
    ``eligible_fallback`` (bool), and ``priority`` (int persons with priority, or -1 when the
    source has none); :attr:`frame`: the same as a DataFrame indexed by region_code.
    ``method``: short name of the method (``file``, ``data``, or the proxy name).
    ``file``/``sha256``: the counts file when one was used. ``notices``: code translations.
    """

    columns: Columns
    method: str
    file: Path | None = None
    sha256: str | None = None
    notices: tuple = ()

    def __getitem__(self, name: str) -> np.ndarray:
        """One column (see the class docstring)."""
        return self.columns[name]

    @property
    def frame(self) -> pd.DataFrame:
        """The counts as a pandas DataFrame indexed by region_code (pandas imported here)."""
        return self.columns.to_frame(index="region_code")


# More persons than any kabupaten/kota has (Kab. Bogor, the largest, has about 5.5 million):
# a larger count is a typo or a pasted NIK, never a count.
MAX_COUNT = 10_000_000


@dataclass(frozen=True)
class CountsFile:
    """An eligible-counts file, read and checked once at the edge (see :func:`read_file`).

    ``path``, ``sha256`` (hex digest of the bytes read) and ``sheet`` (the XLSX sheet read,
    None for a CSV) are its provenance; ``counts``: ``{BPS code: (eligible persons,
    priority persons or -1, spreadsheet row)}`` in file order; ``notices``: code
    translations (Kemendagri to BPS). Turned into counts for a set of regions, with no
    I/O, by :func:`counts_from_file`.
    """

    path: Path
    sha256: str
    sheet: str | None
    counts: Mapping[str, tuple[int, int, int]]
    notices: tuple = ()


def from_file(path: str | Path, codes: tuple[str, ...], known: tuple[str, ...] | None = None) -> EligibleCounts:
    """Read eligible counts for ``codes`` from a CSV/XLSX file: :func:`read_file`, then
    :func:`counts_from_file`. Raises :class:`InputError` as both do."""
    return counts_from_file(read_file(path, known), codes)


def read_file(path: str | Path, known: tuple[str, ...] | None = None) -> CountsFile:
    """Read and check an eligible-counts file (CSV/XLSX); the only step that opens it.

    Columns: a region (``region_code``/``kode_bps``, or ``region_name``, or
    ``kode_kemendagri``), ``eligible`` (whole persons), optional ``priority``.
    ``known``: every region of the data set; a row for another region is an error.
    Raises :class:`InputError` for a missing column, bad count (negative, fractional or
    above :data:`MAX_COUNT`), duplicate or unknown region.
    """
    path = Path(path)
    table = read_table(
        path,
        expected=(
            "region_code",
            "kode_bps",
            "kode_wilayah",
            "kode",
            "region_name",
            "kabupaten_kota",
            "eligible",
            "jumlah_memenuhi_syarat",
            "memenuhi_syarat",
            "kode_kemendagri",
        ),
        find_header=True,
        check_formulas=True,
    )
    code_col, name_col, kem_col = region_columns(table)
    count_col = find_column(
        table, "eligible", "jumlah_memenuhi_syarat", "memenuhi_syarat", what=Term("error.tabular.what.eligible_counts")
    )
    priority_col = find_column(table, "priority", "prioritas", required=False)
    counts: dict[str, tuple[int, int, int]] = {}
    notices: list = []
    known_codes = set(known) if known is not None else None
    for i in range(len(table)):
        row = table.row_number(i)
        resolved = resolve_row(table, i, code_col, name_col, kem_col)
        code = resolved.code
        if resolved.notice is not None:
            notices.append(resolved.notice)
        if known_codes is not None and code not in known_codes:
            home = home_provinces(known_codes)
            kabkota = len(code) == KABKOTA_DIGITS
            if kabkota and home and code[:2] not in home and code[:2] in province_names():  # 6501 Malinau
                raise InputError(
                    "eligible.row_region_other_province",
                    path=path,
                    row=row,
                    code=code,
                    name=" ".join(str(table.cell(i, name_col)).split()) if name_col else "",
                    province_name=province_name(code[:2]),
                    province=code[:2],
                    own=", ".join(f"{name} ({p})" for p, name in home.items()),
                )
            raise InputError(
                "eligible.row_region_region_data",
                path=path,
                row=row,
                code=code,
                known_codes=", ".join(sorted(known_codes)[:20]),
                value=" …" if len(known_codes) > 20 else "",
            )
        if code in counts:
            how = (
                Msg.of("error.eligible.kemendagri_is_bps", kemendagri=dict(resolved.notice.params)["code"], code=code)
                if resolved.notice
                else ""
            )
            raise InputError(
                "eligible.row_region_appears_again", path=path, row=row, code=code, how=how, counts=counts[code][2]
            )
        value = _bounded_count(
            path, table.cell(i, count_col), row, count_col, MAX_COUNT, "count_range", maximum=Count(MAX_COUNT)
        )
        priority = -1
        if priority_col:
            pcell = table.cell(i, priority_col)
            if str(pcell).strip() != "":
                priority = _bounded_count(
                    path, pcell, row, priority_col, value, "priority_range", eligible=Count(value)
                )
        counts[code] = (value, priority, row)
    return CountsFile(path, sha256_of(path), table.sheet, MappingProxyType(counts), tuple(notices))


def _bounded_count(path, cell, row: int, field: str, upper: int, range_key: str, **params: object) -> int:
    """The count (persons) in ``cell`` of column ``field``, row ``row``, of ``path``, from 0 to
    ``upper``. Raises :class:`InputError` naming the file, row, column and value: the parser's
    reason for a cell that is no whole number, ``range_key`` (with ``params``) for one out of range."""
    try:
        value = numbers.parse_count(cell)
    except ValueError as exc:
        raise input_error(path, exc, row=row, field=field, value=cell) from None
    if not 0 <= value <= upper:
        raise input_error(path, range_key, row=row, field=field, value=cell, **params)
    return value


def counts_from_file(file: CountsFile, codes: tuple[str, ...]) -> EligibleCounts:
    """The counts of ``codes`` from a file already read (no I/O).

    Raises :class:`InputError` naming the regions of ``codes`` the file has no row for.
    """
    path, counts = file.path, file.counts
    missing = [c for c in codes if c not in counts]
    if missing:
        raise InputError("eligible.eligible_count_row_every", path=path, missing=", ".join(missing))
    n = len(codes)
    columns = _columns(
        codes,
        eligible=[counts[c][0] for c in codes],
        years=np.zeros(n, dtype=np.int64),
        source_en=[f"file {path.name}"] * n,
        source_id=[f"berkas {path.name}"] * n,
        status=["supplied"] * n,
        fallback=np.zeros(n, dtype=bool),
        priority=[counts[c][1] for c in codes],
    )
    return EligibleCounts(columns, "file", path, file.sha256, file.notices)


def from_data(data: DataSet, spec: EligibleSpec, codes: tuple[str, ...], allow_fallback: bool) -> EligibleCounts:
    """Eligible counts from the data set's ``eligible`` indicator (or a proxy of it)."""
    codes = list(codes)
    if spec.source == "data":
        chosen = select_indicator(data, "eligible", spec.year, codes, allow_fallback)
        sources = chosen["source"].tolist()
        columns = _columns(
            codes,
            eligible=np.rint(chosen["value"]).astype(np.int64),
            years=chosen["year"],
            source_en=sources,
            source_id=sources,
            status=chosen["status"].tolist(),
            fallback=chosen["fallback"],
        )
        return EligibleCounts(columns, "data")
    if spec.proxy == "female_headed_x_p0":
        return _female_headed(data, spec.year, tuple(codes), allow_fallback)
    label_id, label_en = t(f"eligible_source.{spec.proxy}", "id"), t(f"eligible_source.{spec.proxy}", "en")
    if spec.proxy == "poor_population":
        chosen = select_indicator(data, "poor_population", spec.year, codes, allow_fallback)
        values = np.rint(chosen["value"] * 1000)
        years = chosen["year"]
        fallback = chosen["fallback"]
        population_years = [""] * len(codes)
        underlying = chosen["source"].tolist()
    else:
        rate = select_indicator(data, "poverty_rate", spec.year, codes, allow_fallback)
        pop = select_indicator(data, "population", spec.population_year, codes, allow_fallback)
        values = np.rint(rate["value"] / 100 * pop["value"])
        years = rate["year"]
        fallback = rate["fallback"] | pop["fallback"]
        population_years = pop["year"].tolist()
        underlying = [f"{r}; {p}" for r, p in zip(rate["source"].tolist(), pop["source"].tolist(), strict=True)]
    pairs = list(zip(years.tolist(), population_years, underlying, strict=True))
    labels = {
        pair: (
            label_en.format(year=pair[0], population_year=pair[1], source=pair[2]),
            label_id.format(year=pair[0], population_year=pair[1], source=pair[2]),
        )
        for pair in set(pairs)
    }
    columns = _columns(
        codes,
        eligible=values.astype(np.int64),
        years=years,
        source_en=[labels[pair][0] for pair in pairs],
        source_id=[labels[pair][1] for pair in pairs],
        status=["estimate"] * len(codes),
        fallback=fallback,
    )
    return EligibleCounts(columns, spec.proxy)


def _female_headed(data: DataSet, year: int, codes: tuple[str, ...], allow_fallback: bool) -> EligibleCounts:
    """Female-headed families x P0 where the Dukcapil count exists, a scaled poor population elsewhere.

    Regions with a ``female_headed_families`` figure for ``year`` (or, with
    ``allow_fallback``, an earlier year; the year used is shown): ``round(F_r x P0_r / 100)``
    poor female-headed families, P0 of ``year``. The other regions:
    ``round(poor_r x 1000 x k)`` with the provincial ratio ``k = F_p x P0_p / 100 / (poor_p x 1000)``
    (Kalimantan Timur 2023/2024: 238.596 x 5,78 % / 221.340 = 0,0623), the same estimate
    scaled by each region's poor population. Both are in women heads of poor families (one a
    family) and so comparable across regions; both are estimates, labelled per row.

    Raises :class:`InputError` when the province (the parent region) lacks the figures the
    ratio needs, or a region lacks P0 or poor population for ``year``.
    """
    fhh = data.series("female_headed_families")
    day = year

    def has_fhh(code: str) -> bool:
        years = fhh.years_of(code) if code in fhh else []
        return any(y == day or (allow_fallback and y < day) for y in years)

    direct = tuple(c for c in codes if has_fhh(c))
    rest = tuple(c for c in codes if c not in direct)
    values: dict[str, int] = {}
    years: dict[str, int] = {}
    fallback: dict[str, bool] = {}
    label_en: dict[str, str] = {}
    label_id: dict[str, str] = {}
    if direct:
        families = select_indicator(data, "female_headed_families", year, direct, allow_fallback)
        rate = select_indicator(data, "poverty_rate", year, direct, allow_fallback)
        for code in direct:
            f_row, p_row = families.row(code), rate.row(code)
            values[code] = int(np.rint(float(f_row["value"]) * float(p_row["value"]) / 100))
            years[code] = int(f_row["year"])  # the Dukcapil count's year (P0 is of ``year``, in the label)
            fallback[code] = bool(f_row["fallback"] or p_row["fallback"])
            params = {"fhh_year": int(f_row["year"]), "year": int(p_row["year"])}
            params["source"] = f"{f_row['source']}; {p_row['source']}"
            label_en[code] = t("eligible_source.female_headed_x_p0", "en", **params)
            label_id[code] = t("eligible_source.female_headed_x_p0", "id", **params)
    notices = []
    if rest:
        parents = sorted({data.parent_of(c) for c in rest} - {None})
        if len(parents) != 1:
            raise InputError("eligible.female_headed_families_proxy", label=data.label)
        province = parents[0]
        try:
            f_p = select_indicator(data, "female_headed_families", year, [province], True).row(province)
            p_p = select_indicator(data, "poverty_rate", year, [province], allow_fallback).row(province)
            poor_p = select_indicator(data, "poor_population", year, [province], allow_fallback).row(province)
        except InputError as exc:
            raise InputError("eligible.female_headed_x_p", exc=exc, rest=", ".join(rest)) from None
        ratio = float(f_p["value"]) * float(p_p["value"]) / 100 / (float(poor_p["value"]) * 1000)
        poor = select_indicator(data, "poor_population", year, rest, allow_fallback)
        for code in rest:
            row = poor.row(code)
            values[code] = int(np.rint(float(row["value"]) * 1000 * ratio))
            years[code] = int(row["year"])
            fallback[code] = bool(row["fallback"])
            params = {
                "year": int(row["year"]),
                "fhh_year": int(f_p["year"]),
                "ratio": Number(round(ratio, 4), 4),
                "source": f"{row['source']}; {f_p['source']}",
            }
            label_en[code] = render("eligible_source.female_headed_scaled", "en", params)
            label_id[code] = render("eligible_source.female_headed_scaled", "id", params)
        notices.append(
            Notice.of(
                "eligible_methods",
                direct=", ".join(direct) or "-",
                rest=", ".join(rest),
                ratio=Number(round(ratio, 4), 4),
                fhh_year=int(f_p["year"]),
                year=int(p_p["year"]),
            )
        )
    columns = _columns(
        list(codes),
        eligible=[values[c] for c in codes],
        years=[years[c] for c in codes],
        source_en=[label_en[c] for c in codes],
        source_id=[label_id[c] for c in codes],
        status=["estimate"] * len(codes),
        fallback=[fallback[c] for c in codes],
    )
    return EligibleCounts(columns, "female_headed_x_p0", notices=tuple(notices))


def _columns(codes, *, eligible, years, source_en, source_id, status, fallback, priority=None) -> Columns:
    """The :class:`EligibleCounts` columns from per-region values (see its docstring); no
    ``priority``: -1 for every region."""
    return Columns(
        {
            "region_code": text(codes),
            "eligible": np.asarray(eligible, dtype=np.int64),
            "eligible_year": np.asarray(years, dtype=np.int64),
            "eligible_source": text(source_en),
            "eligible_source_id": text(source_id),
            "eligible_status": text(status),
            "eligible_fallback": np.asarray(fallback, dtype=bool),
            "priority": np.full(len(codes), -1, dtype=np.int64)
            if priority is None
            else np.asarray(priority, dtype=np.int64),
        }
    )


def resolve(
    data: DataSet,
    spec: EligibleSpec,
    codes: tuple[str, ...],
    allow_fallback: bool,
    counts_file: CountsFile | None = None,
) -> EligibleCounts:
    """Eligible counts for ``codes``, with no I/O: ``counts_file`` (``--eligible``, or the
    scenario's ``[eligible]`` file, read by :func:`read_file`) first, then the scenario's
    ``[eligible]`` source in the data set. See the module docstring.

    Raises :class:`InputError` when the scenario's source is a file that was not read.
    """
    if counts_file is not None:
        missing = tuple(c for c in codes if c not in counts_file.counts)
        if missing and spec.source in ("proxy", "data"):
            return _file_and_rest(data, spec, codes, allow_fallback, counts_file, missing)
        return counts_from_file(counts_file, codes)
    if spec.source == "file":
        raise InputError("eligible.scenario_s_eligible_counts", file=spec.file)
    return from_data(data, spec, codes, allow_fallback)


def _file_and_rest(data, spec, codes, allow_fallback, counts_file, missing) -> EligibleCounts:
    """Screened counts where the file has them, the scenario's own source for the rest.

    While candidate lists are still arriving, ``--eligible`` may cover only some regions: each
    other region keeps the scenario's proxy (or data-set) count, marked as such per row
    (``eligible_status`` ``estimate``, its own ``eligible_source``). Method ``file_and_proxy``.
    """
    covered = tuple(c for c in codes if c not in missing)
    rest = from_data(data, spec, missing, allow_fallback)
    parts = [*([counts_from_file(counts_file, covered).columns] if covered else []), rest.columns]
    joined = Columns({name: np.concatenate([part[name] for part in parts]) for name in rest.columns})
    where = {code: i for i, code in enumerate(joined["region_code"].tolist())}
    columns = joined.take(np.array([where[c] for c in codes], dtype=np.int64))
    partial = Notice.of(
        "eligible_partial",
        file=counts_file.path.name,
        covered=", ".join(covered) or "-",
        rest=", ".join(missing),
        method=proxy_term(rest.method),
    )
    return EligibleCounts(
        columns, "file_and_proxy", counts_file.path, counts_file.sha256, (*counts_file.notices, *rest.notices, partial)
    )


def read_for(spec: EligibleSpec, data: DataSet, override_file: str | Path | None = None) -> CountsFile | None:
    """The counts file a run uses, read (the edge's step): ``override_file`` (``--eligible``)
    first, else the scenario's ``[eligible]`` file when its source is ``file``, else None.

    Raises :class:`InputError` as :func:`read_file` does.
    """
    if override_file is not None:
        return read_file(override_file, data.codes)
    if spec.source == "file":
        return read_file(spec.file, data.codes)
    return None
