"""Validation of indicator figures: one cell (year, value in range, unit, status) and a
whole data set (figures that cannot be true together, figures worth a warning).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import numbers
from ..errors import InputError, input_error, location
from ..i18n import ByLanguage, Count, Msg, Notice, Number, Percent, Term, catalogue
from ..tabular import Table
from .dataset import INDICATORS, STATUSES, DataSet, IndicatorSpec, note_method, status_code


def read_year(table: Table, i: int, column: str) -> int:
    cell = table.cell(i, column)
    try:
        year = numbers.parse_count(cell)
    except ValueError:
        year = None
    if year is None or not 1900 <= year <= 2100:
        raise input_error(table.path, "year", row=table.row_number(i), field=column, value=cell)
    return year


def unit_term(spec: IndicatorSpec) -> Term | str:
    """The unit of an indicator for a message (``error.unit.<indicator>``), or the unit as written
    for an indicator the tool does not know."""
    key = f"error.unit.{spec.name}"
    return Term(key) if key in catalogue("id") else spec.unit


def name_term(spec: IndicatorSpec) -> ByLanguage | str:
    """An indicator's name for a message in either language (``Jumlah penduduk`` / ``Population``),
    without the unit the message names after it; its key for an indicator the tool does not know."""
    if spec.name not in INDICATORS:
        return spec.name

    def bare(label: str, lang: str) -> str:
        unit = unit_term(spec)
        unit_text = unit.text(lang) if isinstance(unit, Term) else str(unit)
        return label.removesuffix(f" ({unit_text})")

    return ByLanguage(bare(spec.label_id, "id"), bare(spec.label_en, "en"))


def read_value(table: Table, i: int, column: str, spec: IndicatorSpec, cell=None) -> float:
    if cell is None:
        cell = table.cell(i, column)
    row = table.row_number(i)
    try:
        value = float(numbers.parse_by_unit(cell, spec.kind))
    except ValueError as exc:
        raise input_error(
            table.path,
            Msg.of("error.expected.number_for", number=exc, name=name_term(spec), unit=unit_term(spec)),
            row=row,
            field=column,
            value=cell,
        ) from None
    if spec.low is not None and value < spec.low and spec.high is None:
        raise input_error(
            table.path, "at_least", low=f"{spec.low:g}", unit=unit_term(spec), row=row, field=column, value=cell
        )
    if spec.high is not None and not spec.low <= value <= spec.high:
        raise input_error(
            table.path,
            "between",
            low=f"{spec.low:g}",
            high=f"{spec.high:g}",
            unit=unit_term(spec),
            row=row,
            field=column,
            value=cell,
        )
    return value


# Words a unit cell must contain for each indicator (the declared unit resolves what a number
# means: 25.280 poor people written in persons is 25,28 thousand, not 25.280 thousand).
UNIT_WORDS = {
    "idg": (("index", "indeks"), ()),
    "ipg": (("index", "indeks"), ()),
    "poverty_rate": (("percent", "persen", "%"), ()),
    "poor_population": (("thousand", "ribu", "000"), ()),
    "population": (("person", "jiwa", "orang", "penduduk"), ("thousand", "ribu")),
    "eligible": (("person", "jiwa", "orang", "perempuan", "women"), ("thousand", "ribu")),
}


def unit_matches(indicator: str, unit: str) -> bool:
    """True when a unit cell (possibly empty) agrees with the indicator's declared unit."""
    words = UNIT_WORDS.get(indicator)
    text = unit.strip().lower()
    if not text or words is None:
        return True
    needed, refused = words
    return any(w in text for w in needed) and not any(w in text for w in refused)


def spec_of(indicator: str) -> IndicatorSpec:
    return INDICATORS.get(indicator) or IndicatorSpec(indicator, numbers.DECIMAL, None, None, "", indicator, indicator)


def read_status(table: Table, i: int, column: str | None, default: str | None) -> str:
    if column is None:
        return default or "published"
    cell = str(table.cell(i, column)).strip().lower()
    if not cell:
        return default or "published"
    status = status_code(cell)  # a code, or its word as wrse data writes it (dipublikasikan, estimasi, …)
    if status is None:
        raise input_error(
            table.path,
            "one_of",
            choices=tuple(Term(f"data.status.{s}") for s in STATUSES),  # the words of the reader's language
            row=table.row_number(i),
            field=column,
            value=cell,
        )
    return status


def cell_text(table: Table, i: int, column: str | None) -> str:
    if column is None:
        return ""
    return " ".join(str(table.cell(i, column)).split())


@cache
def province_names() -> dict[str, str]:
    """``{two-digit BPS province code: name}`` of the 38 provinces (``data/province-codes.csv``)."""
    import csv
    from importlib import resources

    text = resources.files("optimizer.data").joinpath("province-codes.csv").read_text(encoding="utf-8")
    return {row["bps_code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def province_name(code: str) -> str:
    """The name of the province with two-digit BPS code ``code`` (``data/province-codes.csv``),
    or ``'province 9x'`` for a code not listed."""
    return province_names().get(code, f"province {code}")


def home_provinces(codes) -> dict[str, str]:
    """``{BPS province code: name}`` of the provinces of the registry (Kalimantan Timur, 64)
    that the kabupaten/kota among ``codes`` (BPS codes, str) belong to; empty for a run or
    data set without any (national data, a level of provinces)."""
    from ..regions import KABKOTA_DIGITS, kaltim_registry

    provinces = kaltim_registry().provinces
    kabkota = {c[:2] for c in codes if len(c) == KABKOTA_DIGITS}
    return {p: provinces[p] for p in sorted(kabkota & set(provinces))}


def check_province(data: DataSet, codes, src: str) -> None:
    """Every kabupaten/kota of a run belongs to the province of the scenario.

    The shipped scenarios allocate Kalimantan Timur's budget (BPS province 64): when the
    run's regions ``codes`` include a kabupaten/kota of 64, a kabupaten/kota of another
    province (a real BPS code such as 6501 Malinau of Kalimantan Utara, added to a data
    file) would receive Kaltim's grants. Raises :class:`InputError` naming the file row,
    the code, the region and its province. Runs over other provinces only (national data,
    a hierarchy level of provinces) are not affected.
    """
    from ..regions import KABKOTA_DIGITS

    home = home_provinces(codes)
    if not home:
        return
    foreign = [c for c in codes if len(c) == KABKOTA_DIGITS and c[:2] not in home]
    if not foreign:
        return
    code = foreign[0]
    row = data.region_rows.get(code)
    where = location(data.label, row=row)
    more = Msg.of("error.inputs.validate.more", count=len(foreign) - 1) if len(foreign) > 1 else ""
    own = ", ".join(f"{name} ({p})" for p, name in home.items())
    raise InputError(
        "inputs.validate.region_province_scenario_allocates",
        where=where,
        code=code,
        name=data.region(code).name,
        province_name=province_name(code[:2]),
        code2=code[:2],
        own=own,
        more=more,
        src=src,
    )


# Plausible P0 (percent of the population below the poverty line) of a kabupaten/kota or a
# province. A bound of plausibility, not of possibility: 0,0863 (a fraction written for
# 8,63 %) is a possible percentage but no kabupaten/kota of Indonesia is that rich, and
# reading it as a percentage moves grants silently (Paser: 17 recipients become 9).
P0_PLAUSIBLE = (1.0, 60.0)
# poor_population / P0 against the population figure: a factor of 2 or more either way is a
# unit or scale error (a fraction for a percentage is a factor of 100), never a survey base.
IMPLIED_POPULATION_PLAUSIBLE = (0.5, 2.0)


def check_plausible(data: DataSet, poverty, codes, years) -> None:
    """Refuse indicator figures that are possible but not plausible, before they move grants.

    ``poverty``: the selected ``poverty_rate`` figures (:class:`~optimizer.inputs.years.Selected`)
    of the run's regions ``codes``. A kabupaten/kota's or province's P0 outside
    :data:`P0_PLAUSIBLE` percent is refused, with the percentage it would be if it was
    written as a fraction; and where ``poor_population``, P0 and ``population`` all exist
    for a region and one of ``years``, an implied population outside
    :data:`IMPLIED_POPULATION_PLAUSIBLE` times the population figure is refused (the
    milder 80–120 % check is a notice, :func:`consistency_notices`). Raises
    :class:`InputError` naming the region, the year, the value and what was expected.
    """
    low, high = P0_PLAUSIBLE
    position = poverty.position
    values, used_years = poverty["value"], poverty["year"]
    for code in codes:
        if len(code) not in (2, 4) or code not in position:
            continue
        value = float(values[position[code]])
        if value != value or low <= value <= high:  # NaN: not used (weight 0)
            continue
        year = int(used_years[position[code]])
        hint = ""
        if 0 < value < low and low <= value * 100 <= high:
            hint = Msg.of(
                "error.inputs.validate.fraction_hint",
                value=Number.as_given(value),
                percent=Number.as_given(value * 100),
            )
        raise InputError(
            "inputs.validate.poverty_rate_p_percentage",
            label=data.label,
            code=code,
            name=data.region(code).name,
            year=year,
            value=Number.as_given(value),
            hint=hint,
            low=Number.as_given(low),
            high=Number.as_given(high),
            example=Number(8.63),
        )
    low, high = IMPLIED_POPULATION_PLAUSIBLE
    for notice_values in _implied_population(data, codes, years):
        code, year, pop_year, implied, population, ratio = notice_values
        if low <= ratio <= high:
            continue
        raise InputError(
            "inputs.validate.implied_population",
            label=data.label,
            code=code,
            name=data.region(code).name,
            year=year,
            implied=Count(round(implied)),
            ratio=Percent(ratio),
            population=Count(int(population)),
            pop_year=pop_year,
        )


def check_table(data: DataSet) -> None:
    """The checks a run makes of the figures it uses (:func:`check_possible`,
    :func:`check_plausible`), made of every region and year of ``data``: ``wrse data`` refuses,
    with the same one-line error, a table ``wrse run`` would refuse. Raises :class:`InputError`."""
    from .years import Selected

    rates = data._figures("poverty_rate")
    poor_years = set(data._figures("poor_population")["year"].tolist())
    check_possible(data, data.codes, poor_years)
    for year in sorted(set(rates["year"].tolist()), reverse=True):  # the latest first, as a run reads it
        in_year = rates.take(rates["year"] == year)
        first = sorted({code: i for i, code in reversed(list(enumerate(in_year["region_code"].tolist())))}.values())
        poverty = Selected("poverty_rate", year, in_year.take(np.array(first, dtype=np.int64)))
        codes = sorted(poverty.position, key=lambda code: (len(code) != 4, code))  # kabupaten/kota first, as a run
        check_plausible(data, poverty, codes, {year})


def _nearest_population(data: DataSet, codes, years) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each region of ``codes`` and year of ``years``, the ``population`` figure nearest
    that year (the later of two as near): ``(found, year, value)`` arrays."""
    population = data._figures("population")
    index = data._lookup("population")
    rows = index.nearest(index.groups(codes), years)
    found = rows >= 0
    at = np.maximum(rows, 0)
    if not population.n:
        return found, np.zeros(len(rows), dtype=np.int64), np.full(len(rows), np.nan)
    return found, population["year"][at], population["value"][at]


def _poor_rate_population(data: DataSet, codes, years) -> dict[str, np.ndarray]:
    """``code``, ``year``, ``poor`` (poor population), ``rate`` (P0), ``pop_year`` and ``pop``
    (population) for every region of ``codes`` (None: every unit) and year of ``years``
    (None: every year) with a poor population figure, a P0 above 0 of the same year and a
    population figure (the one nearest the year, the later of two as near), sorted by code
    and year; ``row``: the poor population figure's row."""
    poor = data._figures("poor_population")
    order = data._lookup("poor_population").sorted_rows()
    code_list = poor["region_code"][order].tolist()
    poor_years = poor["year"][order]
    wanted = set(data.codes if codes is None else codes)
    keep = np.fromiter((code in wanted for code in code_list), dtype=bool, count=len(code_list))
    if years is not None:
        keep &= np.isin(poor_years, np.fromiter(years, dtype=np.int64))
    rates = data._figures("poverty_rate")
    rate_index = data._lookup("poverty_rate")
    exact, _ = rate_index.at_or_before(rate_index.groups(code_list), poor_years)
    rate = rates["value"][np.maximum(exact, 0)] if rates.n else np.full(len(exact), np.nan)
    with np.errstate(invalid="ignore"):
        keep &= (exact >= 0) & (rate > 0)
    found, pop_year, pop = _nearest_population(data, code_list, poor_years)
    keep &= found
    rows = order[keep]
    return {
        "row": rows,
        "code": poor["region_code"][rows],
        "year": poor_years[keep],
        "poor": poor["value"][rows],
        "rate": rate[keep],
        "pop_year": pop_year[keep],
        "pop": pop[keep],
    }


def _implied_population(data: DataSet, codes, years):
    """``(code, year, pop_year, implied, population, ratio)`` for every region of ``codes`` and
    year of ``years`` with poor population, P0 (> 0) and a population figure (the nearest year)."""
    rows = _poor_rate_population(data, codes, years)
    implied = rows["poor"] * 1000 / (rows["rate"] / 100)
    positive = rows["pop"] > 0
    out = []
    for code, year, pop_year, value, pop in zip(
        *(rows[k][positive].tolist() for k in ("code", "year", "pop_year")),
        implied[positive].tolist(),
        rows["pop"][positive].tolist(),
        strict=True,
    ):
        out.append((str(code), int(year), int(pop_year), value, pop, value / pop))
    return out


def consistency_notices(data: DataSet, codes=None, years=None) -> list[Notice]:
    """Plausibility checks worth a warning (not an error), as notices.

    poor_population / (poverty_rate / 100) implies a population; for every region-year
    where both exist, compare it with the nearest ``population`` figure. Outside 80–120 %
    usually means a typo or a wrong year (the shipped data: 84–103 %, except Mahakam Ulu
    2024 at 70 %, which is flagged: Susenas uses its own population base, so check it). A
    ``poor_population`` row whose note begins ``survey base:`` (``basis survei:``) has been checked: the gap is a
    property of the survey's population base, and the notice says so instead of asking for a
    check (``consistency_survey_base``).

    ``codes``/``years``: only these regions and years (default: every unit, every year).
    """
    rows = _poor_rate_population(data, codes, None if years is None else set(years))
    if not len(rows["row"]):
        return []
    poor_k, rate, pop = (rows[k].astype(float) for k in ("poor", "rate", "pop"))
    implied = poor_k * 1000 / (rate / 100)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = implied / pop
    flagged = np.flatnonzero(~((ratio >= 0.8) & (ratio <= 1.2)) | np.isnan(ratio))
    if not flagged.size:
        return []
    poor_rows = data._figures("poor_population")
    notes = poor_rows["note"].tolist()
    checked = {note for note in set(notes) if note_method(note) == "survey_base"}
    survey_base = {
        (c, int(y))
        for c, y, note in zip(poor_rows["region_code"].tolist(), poor_rows["year"].tolist(), notes, strict=True)
        if note in checked
    }
    notices: list[Notice] = []
    for i in flagged.tolist():
        code, year, pop_year = str(rows["code"][i]), int(rows["year"][i]), int(rows["pop_year"][i])
        implied_value, ratio_value = float(implied[i]), float(ratio[i])
        notices.append(
            Notice.of(
                "consistency_survey_base" if (code, year) in survey_base else "consistency",
                code=code,
                name=data.region(code).name,
                year=year,
                implied=Count(int(np.rint(implied_value))) if np.isfinite(implied_value) else "?",
                ratio=Percent(ratio_value) if np.isfinite(ratio_value) else "?",
                pop_year=pop_year,
            )
        )
    return notices


def check_possible(data: DataSet, codes, years) -> None:
    """Refuse figures that cannot be true together: more poor people than people.

    For each region of ``codes`` and each ``poor_population`` year in ``years``, compare
    with the nearest ``population`` figure. Raises :class:`InputError` naming the region,
    the year and both figures (the usual cause: poor population written in persons).
    """
    wanted, years = set(codes), set(years)
    poor = data._figures("poor_population")
    order = data._lookup("poor_population").sorted_rows()
    code_list = poor["region_code"][order].tolist()
    poor_years = poor["year"][order]
    asked = np.fromiter((code in wanted for code in code_list), dtype=bool, count=len(code_list))
    asked &= np.isin(poor_years, np.fromiter(years, dtype=np.int64, count=len(years)))
    found, pop_years, pop_values = _nearest_population(data, code_list, poor_years)
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(asked & found & (poor["value"][order] * 1000 > pop_values))
    if bad.size:  # the first by code and year
        i = int(bad[0])
        code, year, value = code_list[i], int(poor_years[i]), float(poor["value"][order[i]])
        year_pop, value_pop = int(pop_years[i]), float(pop_values[i])
        raise InputError(
            "inputs.validate.poor_population_thousand_persons",
            label=data.label,
            code=code,
            name=data.region(code).name,
            year=int(year),
            value=value,
            population=f"{int(value_pop):,}".replace(",", "."),
            year_pop=int(year_pop),
        )


def consistency_warnings(data: DataSet) -> list[str]:
    """:func:`consistency_notices` for every unit and year, as English sentences."""
    return [notice.text("en") for notice in consistency_notices(data)]
