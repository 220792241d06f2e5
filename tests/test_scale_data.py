"""Fast data paths give exactly what the row-by-row code gave; synthetic national data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import reference_impl as ref
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer import eligible, engine, need, scenario, synthetic, tabular
from optimizer.apportion import solve_exact
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.inputs import fast
from optimizer.inputs.data import load as load_data
from optimizer.inputs.validate import consistency_warnings
from optimizer.inputs.years import select as select_indicator
from optimizer.problem import Problem
from optimizer.scenario import EligibleSpec


@pytest.fixture(scope="module")
def small_nation():
    return synthetic.generate(seed=5, provinces=4, kabkota=20, desa=400)


@pytest.fixture(scope="module")
def small_files(tmp_path_factory, small_nation):
    folder = tmp_path_factory.mktemp("nation")
    synthetic.write(folder, small_nation)
    return folder


def test_select_equals_the_original(kaltim):
    rng = np.random.default_rng(1)
    for indicator in ("idg", "poverty_rate", "poor_population", "population"):
        for year in (2018, 2019, 2021, 2022, 2023, 2024, 2025):
            for fallback in (False, True):
                codes = list(rng.permutation(kaltim.codes)[: rng.integers(1, 11)])
                try:
                    expected = ref.select(kaltim, indicator, year, codes, fallback)
                except InputError as exc:
                    with pytest.raises(InputError) as caught:
                        select_indicator(kaltim, indicator, year, codes, fallback)
                    assert str(caught.value) == str(exc)
                    continue
                got = select_indicator(kaltim, indicator, year, codes, fallback).frame
                pd.testing.assert_frame_equal(got, expected)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 30), st.floats(0, 60), st.integers(0, 10**6)),
        min_size=1,
        max_size=12,
    ),
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)).filter(any),
)
def test_need_shares_equal_the_original_bit_for_bit(rows, weights):
    frame = pd.DataFrame(
        rows, columns=["idg_gap", "poverty_rate", "eligible"], index=[f"{6400 + i}" for i in range(len(rows))]
    ).astype(float)
    frame.index.name = "region_code"
    w = dict(zip(("idg_gap", "poverty_rate", "eligible"), weights, strict=True))
    try:
        shares, applied, components, notices = ref.need_shares(frame, w)
    except InputError:
        with pytest.raises(InputError):
            need.need_shares(frame, w)
        return
    got = need.need_shares(frame, w)
    assert got.shares.tolist() == shares.tolist()
    pd.testing.assert_frame_equal(got.components, components)
    assert dict(got.weights) == applied and got.notices == notices


@pytest.mark.parametrize(
    "spec",
    [
        EligibleSpec(source="proxy", proxy="poor_population", year=2024),
        EligibleSpec(source="proxy", proxy="poor_population", year=2023),
        EligibleSpec(source="proxy", proxy="poverty_rate_x_population", year=2024, population_year=2023),
    ],
)
def test_eligible_proxies_equal_the_original(kaltim, spec):
    codes = kaltim.codes
    try:
        expected = ref.eligible_from_data(kaltim, spec, codes, True)
    except InputError:
        with pytest.raises(InputError):
            eligible.from_data(kaltim, spec, codes, True)
        return
    pd.testing.assert_frame_equal(eligible.from_data(kaltim, spec, codes, True).frame, expected)


def test_eligible_data_source_equals_the_original(small_files):
    data = load_data(small_files / "synthetic-kabkota.csv")
    spec = EligibleSpec(source="data", year=2024)
    expected = ref.eligible_from_data(data, spec, data.codes, False)
    pd.testing.assert_frame_equal(eligible.from_data(data, spec, data.codes, False).frame, expected)


def _rows_only(monkeypatch):
    def decline(*args, **kwargs):
        raise fast.Decline

    monkeypatch.setattr(fast, "read_wide_fast", decline)
    monkeypatch.setattr(fast, "read_long_fast", decline)
    monkeypatch.setattr(tabular, "_read_csv_fast", lambda *args: None)


WIDE_CASES = {
    "plain": "region_code,region_name,idg,idg_year,poverty_rate,year\n6401,Paser,66.2,2019,8.5,2024\n"
    "6402,Kutai Barat,61.14,2019,7.9,2024\n",
    "indonesian": "kode_bps;nama_wilayah;idg;tahun;eligible\n6401;Paser;66,2;2019;1.234\n6403;Kukar;63,74;2019;2.000\n",
    "national": "region_code,region_name,region_type,parent_code,"
    "poverty_rate,poverty_rate_year,eligible,eligible_year\n"
    '32,Jawa Barat,provinsi,,7.62,2024,"12,000",2024\n3201,Bogor,kabupaten,32,7.0,2024,700,2024\n'
    "3202,Sukabumi,kabupaten,32,  6.5 ,2024,,\n",
    "gap and sources": "region_code,region_name,idg,idg_year,idg_source,source,status\n"
    "6401,Paser,66.2,2019,BPS table,file x,published\n6402,Kutai Barat,,,,file x,estimate\n",
    "bad value": "region_code,region_name,idg,year\n6401,Paser,66.2,2019\n6402,Kutai Barat,abc,2019\n",
    "out of range": "region_code,idg,year\n6401,166.2,2019\n",
    "bad year": "region_code,idg,year\n6401,66.2,19\n",
    "duplicate": "region_code,idg,year\n6401,66.2,2019\n6401,60,2019\n",
    "wrong scheme": "region_code,region_name,idg,year\n6402,Kutai Kartanegara,66.2,2019\n",
    "kemendagri": "region_code,region_name,idg,year\n64.02,Kutai Kartanegara,66.2,2019\n",
    "bad status": "region_code,idg,year,status\n6401,66.2,2019,guess\n",
    "bad parent": "region_code,parent_code,idg,year\n3201,33,66.2,2019\n",
    "no year": "region_code,idg\n6401,66.2\n",
    "long": "region_code,indicator,year,value,source\n6401,idg,2019,66.2,BPS\n6401,idg,2020,66.9,BPS\n"
    "6402,poverty_rate,2024,8.1,BPS\n",
    "long duplicate": "region_code,indicator,year,value,source\n6401,idg,2019,66.2,BPS\n6401,idg,2019,60,BPS\n",
    "long no source": "region_code,indicator,year,value\n6401,idg,2019,66.2\n",
    "ragged and blank": "region_code,idg,year\n\n6401,66.2,2019,\n6402,61.1\n\n",
    "quoted": 'region_code,region_name,idg,year,note\n6401,"Paser, Kab.",66.2,2019,"a ""quoted"" note"\n'
    '6402,Kubar,61.1,2019,"two\nlines"\n',
}


@pytest.mark.parametrize("case", sorted(WIDE_CASES))
def test_fast_readers_equal_the_row_readers(tmp_path, monkeypatch, case):
    path = tmp_path / f"{case.replace(' ', '-')}.csv"
    path.write_text(WIDE_CASES[case], encoding="utf-8")
    try:
        fast = load_data(path)
        fast_error = None
    except InputError as exc:
        fast, fast_error = None, str(exc)
    with monkeypatch.context() as patched:
        _rows_only(patched)
        try:
            slow = load_data(path)
            slow_error = None
        except InputError as exc:
            slow, slow_error = None, str(exc)
    assert fast_error == slow_error
    if fast is not None:
        pd.testing.assert_frame_equal(fast.records, slow.records)
        assert fast.units == slow.units and fast.parents == slow.parents and fast.notices == slow.notices


CSV_CASES = [
    "a,b,c\n1,2,3\n4,5,6\n",
    "\ufeffa;b;c\r\n1;2,5;3\r\n",
    "a\tb\n x \t y \n",
    'a,b\n"1,5","say ""hi"""\n"multi\nline",2\n',
    "a,b\n1,2\n\n3,4\n",
    "\n\na,b\n1,2\n",
    "a,b\n1,2,3\n",
    "a,b,c\n1,2\n",
    "a,,b\n1,x,2\n",
    "A,a\n1,2\n",
    "a,b\n1,\xa02\xa0\n",
    'a,b\nabc "def",2\n"abc"def,3\na""b,4\n" x, y ",5\n',
    'a,b\n1,"2\r\n3"\n',
    'a,b\n"unterminated,2\n',
    "a,b\n1,2\r3,4\n",
]


@pytest.mark.parametrize("text", CSV_CASES)
def test_fast_csv_equals_the_csv_module(tmp_path, monkeypatch, text):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")

    def read():
        try:
            table = tabular.read_csv(path)
        except InputError as exc:
            return str(exc)
        return table.frame, table.rows

    fast = read()
    monkeypatch.setattr(tabular, "_read_csv_fast", lambda *args: None)
    slow = read()
    if isinstance(slow, str):
        assert fast == slow
    else:
        pd.testing.assert_frame_equal(fast[0], slow[0])
        assert fast[1] == slow[1]


def test_consistency_warnings_equal_the_original(kaltim, tmp_path):
    # the same flags and figures; a figure whose note explains the gap (Mahakam Ulu's survey base)
    # says so after the semicolon instead of asking for a check
    assert [w.split(";")[0] for w in consistency_warnings(kaltim)] == [
        w.split(";")[0] for w in ref.consistency_warnings(kaltim)
    ]
    path = tmp_path / "odd.csv"
    path.write_text(
        "region_code,region_name,indicator,year,value,source\n"
        "3201,A,poor_population,2023,50,x\n3201,A,poverty_rate,2023,5,x\n3201,A,population,2020,2000000,x\n"
        "3201,A,population,2022,500000,x\n3201,A,population,2024,1000000,x\n"
        "3202,B,poor_population,2023,50,x\n3202,B,poverty_rate,2023,5,x\n3202,B,population,2023,2000000,x\n",
        encoding="utf-8",
    )
    odd = load_data(path)
    assert consistency_warnings(odd) == ref.consistency_warnings(odd)
    # 3201 is compared with 2024 (equally near as 2022: the later year wins), 3202 is off by half
    assert [w.split(":")[0] for w in consistency_warnings(odd)] == ["3202 B 2023"]


def test_levels_and_parents(tmp_path):
    path = tmp_path / "levels.csv"
    path.write_text(
        "region_code,region_name,parent_code,eligible,year\n"
        "91,Prov A,,30,2024\n9101,Kab A1,91,20,2024\n9101010001,Desa 1,9101,5,2024\n"
        "9101010002,Desa 2,,15,2024\n9102,Kab A2,91,10,2024\n9201010001,Desa of a missing kab,9201,4,2024\n",
        encoding="utf-8",
    )
    data = load_data(path)
    assert data.codes == ("9101010001", "9101010002", "9102", "9201010001")
    assert set(data.parents) == {"91", "9101"}
    assert data.parent_of("9101010002") == "9101" and data.parent_of("9102") == "91"
    assert data.parent_of("9101") == "91" and data.parent_of("9201010001") is None
    assert data.region("9101").name == "Kab A1"


def test_synthetic_nation_has_the_national_shape_and_is_marked():
    nation = synthetic.generate()
    assert (len(nation.provinces), len(nation.kabkota), len(nation.desa)) == (38, 514, 83_763)
    assert synthetic.generate().desa.equals(nation.desa)  # seeded
    assert not synthetic.generate(seed=1).desa["population"].equals(nation.desa["population"])
    kab = nation.kabkota
    assert kab["region_code"].str.len().eq(4).all() and nation.desa["region_code"].str.len().eq(10).all()
    assert (kab["region_code"].str[:2] == kab["parent_code"]).all()
    assert (nation.desa["region_code"].str[:4] == nation.desa["parent_code"]).all()
    assert kab["region_code"].is_unique and nation.desa["region_code"].is_unique
    assert not set(kab["region_code"].str[:2]) & {"64"}  # no code the Kaltim registry would rename
    sums = nation.desa.groupby("parent_code")[["population", "eligible"]].sum()
    assert (sums.loc[kab["region_code"]].to_numpy() == kab[["population", "eligible"]].to_numpy()).all()
    # skewed: the largest desa is many times the median, poverty rates spread widely
    population = nation.desa["population"]
    assert population.max() > 20 * population.median()
    assert nation.desa["poverty_rate"].quantile(0.95) > 2.5 * nation.desa["poverty_rate"].quantile(0.05)
    table = synthetic.table(nation, "desa")
    assert len(table) == 38 + 514 + 83_763
    assert (table["status"] == "estimate").all() and table["source"].str.startswith("SYNTHETIC").all()
    assert (table["note"] == "synthetic").all() and table["region_name"].str.contains("Sintetis").all()


def test_synthetic_files_load_and_say_so(small_files, small_nation):
    names = sorted(p.name for p in small_files.iterdir())
    assert names == [
        "README-SYNTHETIC.txt",
        "synthetic-desa.csv",
        "synthetic-desa.toml",
        "synthetic-kabkota.csv",
        "synthetic-national.toml",
    ]
    for path in small_files.iterdir():
        assert ("SINTETIS" if path.name.startswith("README") else "SYNTHETIC") in path.read_text(encoding="utf-8")[:400]
    readme = (small_files / "README-SYNTHETIC.txt").read_text(encoding="utf-8")
    assert readme.startswith("DATA SINTETIS: BUKAN DATA SEBENARNYA.") and "Contoh:" in readme
    data = load_data(small_files / "synthetic-desa.csv")
    assert len(data.units) == 400 and len(data.parents) == 24
    national = scenario.load(small_files / "synthetic-national.toml")
    assert national.title == "SINTETIS (bukan data sebenarnya): Rp 300 miliar untuk semua kabupaten/kota"
    assert national.idg_reference == small_nation.national_idg
    assert all(a.startswith(("SINTETIS:", "Acuan IDG")) for a in national.assumptions)
    english = scenario.load(small_files / "synthetic-national.toml", lang="en")
    assert english.title == "SYNTHETIC (not real data): Rp 300 billion over every kabupaten/kota"
    assert english.assumptions[0].startswith("SYNTHETIC:") and english.description.startswith("SYNTHETIC data")


def test_flat_national_run_is_the_independent_optimum(small_files):
    """Kabupaten/kota over four provinces: need shares by the original formula, the optimum by the
    priority queue, and the budget kept."""
    data = load_data(small_files / "synthetic-kabkota.csv")
    scen = scenario.load(small_files / "synthetic-national.toml").replace(budget_rp=600_000_000)
    result = engine.allocate(scen, data)
    codes = data.codes
    idg = ref.select(data, "idg", 2023, codes, False)["value"]
    frame = pd.DataFrame(
        {
            "idg_gap": [max(0.0, scen.idg_reference - v) for v in idg],
            "poverty_rate": ref.select(data, "poverty_rate", 2024, codes, False)["value"].to_numpy(),
            "eligible": ref.select(data, "eligible", 2024, codes, False)["value"].to_numpy(),
        },
        index=pd.Index(codes, name="region_code"),
    )
    shares = ref.need_shares(frame, dict(scen.weights))[0]
    problem = Problem(
        codes,
        shares.to_numpy() * 200,
        np.zeros(len(codes), np.int64),
        frame["eligible"].to_numpy().astype(np.int64),
        200,
        "sainte-lague",
    )
    assert result.recipients() == dict(zip(codes, solve_exact(problem).tolist(), strict=True))
    assert result.spent_rp <= scen.budget_rp and result.allocated == 200


def test_cli_startup_imports_nothing_heavy():
    code = (
        "import sys; from optimizer.cli import main; "
        "heavy = {'pandas', 'numpy', 'pulp', 'scipy', 'openpyxl'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_scenarios_command_does_not_import_pandas():
    code = (
        "import sys; from optimizer.cli import main; main(['scenarios'], standalone_mode=False); "
        "print('PANDAS', 'pandas' in sys.modules, 'pulp' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "PANDAS False False"


def test_exact_path_does_not_import_pulp():
    code = (
        "import sys; from optimizer import engine, scenario; from optimizer.inputs.data import shipped; "
        "a = engine.allocate(scenario.load('next-fiscal-year'), shipped()); print(a.allocated, 'pulp' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["200", "False"]


@pytest.mark.parametrize("solver", ["exact", "cbc", "highs"])
def test_solvers_agree_through_the_cli(runner, solver):
    if solver == "highs":
        from optimizer.model import highs_available

        if not highs_available():
            pytest.skip("highspy is not installed")
    base = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv"])
    other = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "--solver", solver])
    assert other.exit_code == 0, other.output
    assert other.stdout == base.stdout


def test_large_error_lists_are_cut(small_files):
    data = load_data(small_files / "synthetic-desa.csv")
    scen = scenario.load(small_files / "synthetic-desa.toml")
    bad = scen.replace(include=("9999999999",))
    with pytest.raises(InputError, match=r"… \(400 in all\)"):
        engine.allocate(bad, data)


def test_region_bounds_equal_the_region_by_region_rules(kaltim, next_year):
    """Vectorised bounds against the original per-region code, errors and notices included."""
    counts = eligible.resolve(kaltim, next_year.eligible, kaltim.codes, True)
    codes = kaltim.codes
    elig = counts.frame
    rng = np.random.default_rng(4)
    checked = errors = 0
    for _ in range(400):
        chosen = rng.permutation(codes)
        size = {c: int(elig.at[c, "eligible"]) for c in codes}
        floors = {c: int(rng.integers(0, size[c] * 1.1)) for c in chosen[:2]}
        caps = {c: int(rng.integers(0, size[c] * 1.3)) for c in chosen[2:4]}
        locks = {c: int(rng.integers(0, size[c] * 1.1)) for c in chosen[4:5]}
        try:
            scen = next_year.replace(
                floors=floors,
                caps=caps,
                locks=locks,
                floor_all=int(rng.integers(0, 3)),
                cap_all=None if rng.random() < 0.5 else int(rng.integers(3, 50_000)),
                budget_rp=10**15,
            )
        except InputError:  # the scenario's own checks (floor above cap…) come first
            continue
        shares = np.where(rng.random(len(codes)) < 0.2, 0.0, rng.random(len(codes)))
        expected_notices, got_notices = [], []
        try:
            lower, upper, kind = ref.bounds_by_code(
                scen, codes, elig, pd.Series(shares, index=list(codes)), "s", expected_notices
            )
        except InputError as exc:
            with pytest.raises(InputError) as caught:
                engine.region_bounds(scen, codes, elig, shares, "s", got_notices)
            assert str(caught.value) == str(exc)
            errors += 1
            continue
        checked += 1
        got = engine.region_bounds(scen, codes, elig, shares, "s", got_notices)
        assert got[0].tolist() == [lower[c] for c in codes]
        assert got[1].tolist() == [upper[c] for c in codes]
        assert got[2].tolist() == [kind[c] for c in codes]
        assert got_notices == expected_notices
    assert checked > 50 and errors > 20


def test_wrse_synth_writes_its_readme_in_the_sessions_language(tmp_path):
    from click.testing import CliRunner

    from optimizer.cli import main

    cases = (
        ("id", "DATA SINTETIS: BUKAN DATA SEBENARNYA.", "1 provinsi dan 3 kabupaten/kota"),
        ("en", "SYNTHETIC DATA: NOT REAL.", "1 province and 3 kabupaten/kota"),  # it said "1 provinces"
    )
    for lang, first, sizes in cases:
        folder = tmp_path / lang
        folder.mkdir()
        args = ["--lang", lang, "synth", "-d", str(folder), "--provinces", "1", "--kabkota", "3", "--desa", "15"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        readme = (folder / "README-SYNTHETIC.txt").read_text(encoding="utf-8")
        assert readme.startswith(first) and sizes in readme


def test_synthetic_scenarios_read_as_indonesian_in_their_indonesian_texts(runner, tmp_path):
    """'Acuan IDG 64.8' and '(seed 2024)' in the Indonesian texts of wrse synth's scenarios: the
    decimal comma and 'benih acak'."""
    from optimizer.cli import main

    result = runner.invoke(main, ["synth", "-d", str(tmp_path), "--provinces", "1", "--kabkota", "3", "--desa", "15"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "synthetic-national.toml").read_text(encoding="utf-8")
    indonesian = text.split("[scenario]", 1)[1].split("[en.scenario]", 1)[0]  # (the file's comments are English)
    assert "(benih acak 2024)" in indonesian and "seed" not in indonesian
    idg = next(line for line in indonesian.splitlines() if "Acuan IDG" in line)
    assert "," in idg.split(":")[0] and "." not in idg.split(":")[0]
