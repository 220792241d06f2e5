"""The fast paths of reading and selecting figures against the plain rules they replace. The
figure index (array searches for many regions at once) against the rules written one
region at a time: the figure of the year asked for (the last of equal rows), the latest
earlier one, and the nearest one (the later of two as near, the first of equal rows)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.columnar import Columns, text
from optimizer.inputs.dataset import FigureIndex

CODES = ("64", "6401", "6402", "6402010001", "65")


@st.composite
def figures(draw):
    rows = draw(st.lists(st.tuples(st.sampled_from(CODES), st.integers(2018, 2026)), min_size=0, max_size=25))
    if draw(st.booleans()):  # as a data set keeps them; else in any order
        rows = sorted(rows)
    codes = [code for code, _ in rows]
    years = np.array([year for _, year in rows], dtype=np.int64)
    return Columns({"region_code": text(codes), "year": years}), rows


def _stable_sorted(rows):
    """Row numbers in the order the index searches: by code and year, equal rows as given."""
    return sorted(range(len(rows)), key=lambda i: rows[i])


def _exact(rows, code, year):
    matches = [i for i in _stable_sorted(rows) if rows[i] == (code, year)]
    return matches[-1] if matches else -1


def _earlier(rows, code, year):
    before = [i for i in _stable_sorted(rows) if rows[i][0] == code and rows[i][1] < year]
    return before[-1] if before else -1


def _nearest(rows, code, year):
    mine = [i for i in _stable_sorted(rows) if rows[i][0] == code]
    if not mine:
        return -1
    return min(mine, key=lambda i: (abs(rows[i][1] - year), -rows[i][1]))  # min keeps the first of equals


@settings(max_examples=200, deadline=None)
@given(figures(), st.integers(2015, 2029))
def test_index_finds_what_the_rules_one_region_at_a_time_find(table, year):
    columns, rows = table
    index = FigureIndex(columns)
    asked = [*CODES, "9999"]  # a code without figures too
    groups = index.groups(asked)
    exact, earlier = index.at_or_before(groups, year)
    assert exact.tolist() == [_exact(rows, c, year) for c in asked]
    assert earlier.tolist() == [_earlier(rows, c, year) for c in asked]
    years = [year + k for k in range(len(asked))]
    nearest = index.nearest(groups, years)
    assert nearest.tolist() == [_nearest(rows, c, y) for c, y in zip(asked, years, strict=True)]


def test_sorted_rows_are_by_code_then_year():
    rows = [("6402", 2024), ("64", 2023), ("6402", 2022), ("64", 2023)]
    columns = Columns({"region_code": text([c for c, _ in rows]), "year": np.array([y for _, y in rows])})
    assert FigureIndex(columns).sorted_rows().tolist() == _stable_sorted(rows) == [1, 3, 2, 0]


def test_a_figure_of_no_year_is_missing_not_an_error():
    """The female-headed proxy has no population year: by level, the province's own count is
    then missing (its children's sum is used) and the split below it is the single-level run's.
    (Comparing a year of None with the figures' years was an internal error.)"""
    from optimizer import engine
    from optimizer.inputs.data import shipped
    from optimizer.scenario import load

    scenario = load("next-fiscal-year-female-headed")
    assert scenario.eligible.population_year is None
    flat = engine.allocate(scenario, shipped())
    by_level = engine.allocate(scenario, shipped(), hierarchical=True)
    assert by_level.recipients() == flat.recipients()


def test_a_region_built_in_bulk_is_the_region_its_dataclass_builds():
    from optimizer.regions import Region, bulk_region

    made = bulk_region("6403010001", "Desa Sintetis", "desa", "6403")
    expected = Region(code="6403010001", name="Desa Sintetis", type="desa", parent_code="6403")
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert vars(made) == vars(expected)  # every field, defaults included


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(CODES), st.sampled_from(("idg", "population", "eligible")), st.integers(2022, 2024)),
        max_size=12,
    ),
    st.booleans(),
)
def test_figures_are_sorted_by_code_indicator_year_as_a_stable_sort_sorts_them(rows, presorted):
    from optimizer.inputs.data import _sorted

    if presorted:
        rows = sorted(rows)
    records = Columns(
        {
            "region_code": text([r[0] for r in rows]),
            "indicator": text([r[1] for r in rows]),
            "year": np.array([r[2] for r in rows], dtype=np.int64),
        }
    )
    expected = sorted(range(len(rows)), key=lambda i: rows[i])  # stable: ties as given
    order = _sorted(records)
    assert (list(range(len(rows))) if order is None else order.tolist()) == expected


def test_a_wide_table_is_read_into_the_data_sets_order(tmp_path):
    from optimizer.inputs.data import load

    path = tmp_path / "wide.csv"
    path.write_text(  # rows not in code order; two indicators
        "region_code,region_name,parent_code,population,population_year,eligible,eligible_year\n"
        "1102,Kab. B,11,2000,2024,20,2024\n"
        "11,Prov,,5000,2024,,\n"
        "1101,Kab. A,11,3000,2023,30,2024\n",
        encoding="utf-8",
    )
    figures = load(path).figures
    keys = list(zip(*(figures[k].tolist() for k in ("region_code", "indicator", "year")), strict=True))
    assert keys == [
        ("11", "population", 2024),
        ("1101", "eligible", 2024),
        ("1101", "population", 2023),
        ("1102", "eligible", 2024),
        ("1102", "population", 2024),
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet='ab ,"=+-@\t\r\n;x', max_size=6),
            st.booleans(),
            st.integers(-5, 5),
            st.floats(allow_nan=True, allow_infinity=False, width=32),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_column_csv_writer_writes_what_csv_writer_writes_over_the_rows(rows):
    import csv
    import io

    from optimizer.render.csv import columns_csv
    from optimizer.render.format import neutralise

    columns = Columns(
        {
            "name": text([r[0] for r in rows]),
            "flag": np.array([r[1] for r in rows], dtype=bool),
            "count": np.array([r[2] for r in rows], dtype=np.int64),
            "share": np.array([r[3] for r in rows], dtype=np.float64),
        }
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "flag", "count", "share"])
    for name, flag, count, share in rows:
        share = float(np.float64(np.float32(share))) if share == share else ""
        writer.writerow([neutralise(name), "true" if flag else "false", count, share])
    assert columns_csv(columns, ["name", "flag", "count", "share"], full_precision=["share"]) == buffer.getvalue()


_PIECES = ["a", "x y", ",", ";", '"', '""', '"q,r"', "\n", "\r\n", " ", "\t", "", "é", "\x1c"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from([",", ";"]), st.booleans())
def test_the_split_csv_reader_reads_what_the_csv_module_reads(pieces, delimiter, quoted_column):
    """Splitting at separators and line ends (quoted cells taken out first) gives the columns
    csv.reader gives (every row as wide as the first), or declines."""
    import csv
    import io

    from optimizer import tabular

    body = "".join(pieces)
    if quoted_column:  # a quoted cell on every row, as wrse synth writes its source
        body = "\n".join(f'{line}{delimiter}"s, t"' for line in body.split("\n"))
    text = f"h1{delimiter}h2{delimiter}h3\n{body}"
    if text.count("\r") != text.count("\r\n"):
        return
    columns = tabular._split_columns(text, delimiter)
    if columns is None:
        return
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert all(len(record) == len(records[0]) for record in records)
    assert columns == [list(column) for column in zip(*records, strict=True)]


def test_the_split_csv_reader_declines_what_it_would_read_otherwise():
    from optimizer import tabular

    assert tabular._split_columns('a,b\n1,"x""y"\n', ",") is None  # a doubled quote
    assert tabular._split_columns('a,b\n1, "x"\n', ",") is None  # a quote inside a cell
    assert tabular._split_columns('a,b\n1,"x\ny"\n', ",") is None  # a quoted line end
    assert tabular._split_columns("a,b\n1,2\n\n3,4\n", ",") is None  # a blank line
    assert tabular._split_columns("a,b\n1,2,3\n", ",") is None  # a ragged row
    assert tabular._split_columns("a\n1\n", ",") is None  # one column
    assert tabular._split_columns('a,b\n"1",2\n3,"4"\n', ",") == [["a", "1", "3"], ["b", "2", "4"]]


def test_the_column_csv_writer_writes_each_zero_and_repeated_number_as_str_does():
    """Numbers are written once per distinct value: 0.0 and -0.0 (one value to NumPy) each as
    Python writes it, NaN empty, counts as integers, other decimals with :g, years 0 empty."""
    from optimizer.render.csv import columns_csv

    floats = [0.0, -0.0, 1.5, 1.5, math.nan, -0.0, 1e16, 2.0, 1 / 3]
    columns = Columns(
        {
            "share": np.array(floats),
            "eligible": np.array(floats),
            "rate": np.array(floats),
            "data_year": np.array([0, 2024, 2024, 0, 7, -1, 0, 2023, 2024], dtype=np.int64),
        }
    )
    names = ["share", "eligible", "rate", "data_year"]
    expected = ["share,eligible,rate,data_year"]
    for i, v in enumerate(floats):
        year = int(columns["data_year"][i])
        cells = [
            "" if v != v else repr(v),
            "" if v != v else (str(int(v)) if v.is_integer() else f"{v:g}"),
            "" if v != v else f"{v:g}",
            "" if year == 0 else str(year),
        ]
        expected.append(",".join(cells))
    written = columns_csv(columns, names, full_precision=["share"], counts=["eligible"])
    assert written == "\n".join(expected) + "\n"
    assert written.splitlines()[2] == "-0.0,0,-0,2024"


def test_figure_indexes_of_the_same_regions_share_their_region_numbers():
    """The indicators of a data set over the same regions number them once (one dict of the
    83,763 codes, not one per indicator); another set of regions gets its own numbers, and the
    searches give what an index built alone gives."""
    codes = text(["6401", "6401", "6402", "6403"])
    years = np.array([2023, 2024, 2024, 2024], dtype=np.int64)
    tables = [
        Columns({"region_code": codes, "year": years}),
        Columns({"region_code": codes.copy(), "year": years + 1}),
        Columns({"region_code": text(["6402", "6403"]), "year": years[:2]}),
    ]
    known: list = []
    shared = [FigureIndex(table, known) for table in tables]
    assert shared[1]._group_of is shared[0]._group_of
    assert shared[2]._group_of is not shared[0]._group_of and len(known) == 2
    wanted = ["6403", "6401", "6499", "6402"]
    for index, table in zip(shared, tables, strict=True):
        alone = FigureIndex(table)
        groups = index.groups(wanted)
        assert groups.tolist() == alone.groups(wanted).tolist()
        for got, expected in zip(index.at_or_before(groups, 2024), alone.at_or_before(groups, 2024), strict=True):
            assert got.tolist() == expected.tolist()


def test_a_column_of_few_values_is_checked_and_read_once_per_value_as_cell_by_cell():
    """Numbers read once per distinct cell (a year column): plain cells in bulk, any other cell
    by the per-cell parser, a cell it rejects declines the fast reader, as over every cell."""
    import pytest

    from optimizer import numbers
    from optimizer.inputs import fast

    plain = text(["2024"] * 9 + ["2023"])
    assert fast._numbers(plain, numbers.COUNT).tolist() == [2024.0] * 9 + [2023.0]
    mixed = text(["7"] * 9 + ["1.234"])  # an Indonesian thousands point: not the plain form
    expected = [float(numbers.parse_by_unit(v, numbers.COUNT)) for v in mixed.tolist()]
    assert fast._numbers(mixed, numbers.COUNT).tolist() == expected
    with pytest.raises(fast.Decline):
        fast._numbers(text(["7"] * 9 + ["abc"]), numbers.COUNT)


def test_the_fast_wide_reader_gives_the_figures_in_the_data_sets_order(tmp_path):
    """The fast wide reader sorts its figures (region_code, indicator, year; the data set keeps
    them as it gives them, not sorting them again): rows out of code order, indicator columns
    out of name order."""
    from optimizer.inputs import data, fast
    from optimizer.tabular import read_table

    path = tmp_path / "wide.csv"
    path.write_text(
        "region_code,region_name,poverty_rate,poverty_rate_year,idg,idg_year\n"
        "3202,Sukabumi,7.9,2024,61.14,2019\n3201,Bogor,8.5,2024,66.2,2019\n32,Jawa Barat,6.1,2024,,\n",
        encoding="utf-8",
    )
    records = fast.read_wide_fast(read_table(path), "file wide.csv", "supplied")[0]
    keys = list(zip(*(records[c].tolist() for c in ("region_code", "indicator", "year")), strict=True))
    assert keys == sorted(keys) and len(keys) == 5
    assert data._in_order(records)
    assert data.load(path).figures["region_code"].tolist() == [k[0] for k in keys]
