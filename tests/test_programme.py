"""Programme parameters and realised history as dated data, and their trace to the sources.

Every figure the package ships in ``data/parameters.toml``, ``data/realised-recipients.csv``
and every row of ``data/kaltim-indicators.csv`` that is not in the shared indicator table
must be a row of ``kaltim-found-2026.csv`` (a verbatim copy is in ``tests/data``) with the
same value and the same source address.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer import programme
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.scenario import load

DATA = Path(__file__).parent / "data"
SHARED = Path("/work/shared/domain")
TEN = ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")


def found_rows() -> dict[tuple[str, str, str], dict]:
    """kaltim-found-2026.csv keyed by (indicator, region_code, year)."""
    with open(DATA / "kaltim-found-2026.csv", encoding="utf-8", newline="") as handle:
        return {(r["indicator"], r["region_code"], r["year"]): r for r in csv.DictReader(handle)}


def test_found_copy_is_verbatim_where_the_shared_folder_exists():
    shared = SHARED / "kaltim-found-2026.csv"
    if not shared.is_file():
        pytest.skip("the shared domain folder is not on this machine; the copy in tests/data is checked below")
    assert (DATA / "kaltim-found-2026.csv").read_bytes() == shared.read_bytes()


# ------------------------------------------------------------------------ grant by year


@pytest.mark.parametrize(
    ("year", "value", "unit", "programme_name", "since"),
    [
        (2021, 3_000_000, "person", "WRSE", 2021),
        (2022, 3_000_000, "person", "WRSE", 2021),
        (2023, 3_000_000, "person", "WRSE", 2023),
        (2024, 5_000_000, "person", "WRSE", 2024),
        (2025, 5_000_000, "person", "UEP", 2025),
        (2026, 5_000_000, "family", "UEP", 2026),
        (2027, 5_000_000, "family", "UEP", 2026),  # no newer value: the 2026 one stays in force
    ],
)
def test_grant_in_force_by_year(year, value, unit, programme_name, since):
    g = programme.grant_in_force(year)
    assert (g.value_rp, g.recipient_unit, g.programme, g.year) == (value, unit, programme_name, since)


def test_no_grant_before_the_first_dated_value_and_the_2025_range():
    assert programme.grant_in_force(2020) is None
    g = programme.grant_in_force(2025)
    assert g.is_range and (g.minimum_rp, g.maximum_rp, g.value_rp) == (4_500_000, 5_000_000, 5_000_000)
    assert not programme.grant_in_force(2024).is_range


def test_eligibility_by_year():
    assert programme.eligibility_in_force(2023).who == "women"
    assert programme.eligibility_in_force(2024).who == "women"
    assert programme.eligibility_in_force(2025).who == "men_and_women"
    assert programme.eligibility_in_force(2027).programme == "UEP"


def test_every_parameter_value_has_a_date_and_one_citable_reference():
    for value in (*programme.grant_values(), *programme.eligibility_values()):
        assert isinstance(value.start, dt.date)
        assert value.reference and "<" not in value.reference
        assert value.reference.startswith(("http://", "https://")) or "40.9/33/DS.V/2023" in value.reference


# ------------------------------------------------------------------------ scenarios take the grant


BASE = """
[scenario]
fiscal_year = {year}
budget = "600 juta"
[indicators]
idg_year = 2019
poverty_year = 2024
[eligible]
source = "proxy"
proxy = "poor_population"
year = 2024
[weights]
idg_gap = 1
{costs}
"""


def scenario_at(tmp_path, year, costs=""):
    path = tmp_path / "s.toml"
    path.write_text(BASE.format(year=year, costs=costs), encoding="utf-8")
    return load(path)


def test_scenario_takes_the_grant_in_force_in_its_fiscal_year(tmp_path):
    assert scenario_at(tmp_path, 2024).grant_rp == 5_000_000
    assert scenario_at(tmp_path, 2023).grant_rp == 3_000_000
    s = scenario_at(tmp_path, 2027)
    assert s.grant_rule == "in_force" and s.grant_source == programme.grant_in_force(2026).reference


def test_scenario_chooses_the_sk_year_or_its_own_amount(tmp_path):
    s = scenario_at(tmp_path, 2027, "[costs]\ngrant_year = 2023")
    assert (s.grant_rp, s.grant_rule, s.grant_value.trace) == (3_000_000, "chosen_year", "sk-2023")
    own = scenario_at(tmp_path, 2027, '[costs]\ngrant_rp = "4 juta"\ngrant_source = "RAB Dinsos 2027"')
    assert (own.grant_rp, own.grant_rule, own.grant_source) == (4_000_000, "own", "RAB Dinsos 2027")


@pytest.mark.parametrize(
    ("year", "costs", "expected"),
    [
        (2020, "", "no dated grant value is in force in fiscal year 2020"),
        (2027, "[costs]\ngrant_year = 2022", "'costs.grant_year' is 2022"),
        (2027, "[costs]\ngrant_year = 2023\ngrant_rp = 3000000", "both set"),
        (2027, '[costs]\ngrant_source = "x"', "'costs.grant_source' is set without 'costs.grant_rp'"),
    ],
)
def test_grant_errors_name_the_key(tmp_path, year, costs, expected):
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        scenario_at(tmp_path, year, costs)


def test_the_briefs_scenario_keeps_the_sk_value():
    s = load("next-fiscal-year")
    assert s.grant_rp == 3_000_000 and s.grant_rule == "chosen_year" and s.grant_value.year == 2023


# ------------------------------------------------------------------------ realised history


def test_realised_2025_is_the_reported_equal_split():
    history = programme.realised_in(2025, TEN)
    assert history.counts == {c: 150 for c in TEN}
    assert set(history.methods.values()) == {"equal_reported"}
    # the 180 of the APBD-P have no published split: only with include_unpublished, marked as assumed
    with_extra = programme.realised_in(2025, TEN, include_unpublished=True)
    assert sum(with_extra.counts.values()) == 1680
    assert set(with_extra.methods.values()) == {"equal_assumed+equal_reported"}


def test_realised_2021_is_published_per_region_and_2023_split_is_not():
    h2021 = programme.realised_in(2021, TEN)
    assert {c: n for c, n in h2021.counts.items() if n} == {"6401": 20, "6409": 20}
    assert sum(programme.realised_in(2023, TEN).counts.values()) == 0  # the split is not published
    h2023 = programme.realised_in(2023, TEN, include_unpublished=True)
    assert {c: n for c, n in h2023.counts.items() if n} == {"6403": 25, "6472": 25}


def test_granted_through_2025_counts_the_cumulative_2024_figure_once():
    stock = programme.granted_through(2025, TEN)
    # 535 to date in 2024 (includes 2021 and 2023) + 1.500 + 180 in 2025
    assert sum(stock.counts.values()) == 535 + 1500 + 180
    assert programme.granted_through(2023, TEN).counts["6401"] == 20
    assert sum(programme.granted_through(2023, TEN).counts.values()) == 90


def test_equal_split_sums_exactly():
    assert programme.equal_split(535, TEN) == {c: 54 if i < 5 else 53 for i, c in enumerate(TEN)}


def test_realised_baseline_scenario_locks_the_realised_counts():
    s = load("realised-2025-uep")
    assert dict(s.locks) == {c: 150 for c in TEN} and s.realised_year == 2025
    assert s.budget_rp == 1500 * s.grant_rp  # 1.500 x the upper end of the 2025 range
    assert load("proposal-2027-uep").baseline.stem == "realised-2025-uep"


# ------------------------------------------------------------------------ trace to the sources


def _in_row(row: dict, value: float) -> bool:
    """The figure is the row's value, or is stated in its note (e.g. 'Rp 3 juta each')."""
    if float(row["value"]) == float(value):
        return True
    note = row["note"].replace(",", "").replace(".", "")
    juta = f"Rp {int(value) // 1_000_000} juta" if value % 1_000_000 == 0 else None
    return bool(juta and juta in row["note"]) or str(int(value)) in note


def test_every_parameter_figure_traces_to_a_found_row_with_its_source():
    rows = found_rows()
    source_doc = (DATA / "source-document-excerpts.txt").read_text(encoding="utf-8")
    for value in programme.grant_values():
        figures = [(value.trace, value.value_rp)]
        if value.is_range:
            figures.append((value.trace, value.maximum_rp))
        traces = [value.trace]
        if value.minimum_rp is not None:
            figures.append((_raw_trace("grant_per_recipient", value.start, "trace_minimum"), value.minimum_rp))
        for trace, figure in figures:
            if trace == "sk-2023":
                assert "40.9/33/DS.V/2023" in source_doc and "Rp 3 juta per orang" in source_doc
                assert figure == 3_000_000
                continue
            row = rows[tuple(trace.split(":"))]
            assert _in_row(row, figure), (trace, figure)
            if trace in traces:
                assert row["source"] == value.reference, trace
    for value in programme.eligibility_values():
        if value.trace != "sk-2023":
            assert rows[tuple(value.trace.split(":"))]["source"] == value.reference


def _raw_trace(table: str, start: dt.date, key: str) -> str:
    import tomllib

    raw = tomllib.loads(resources.files("optimizer.data").joinpath("parameters.toml").read_text(encoding="utf-8"))
    return next(v[key] for v in raw[table]["values"] if v["from"] == start)


def test_every_realised_figure_traces_to_a_found_row_with_its_source():
    rows = found_rows()
    for r in programme.realised_rows():
        found = rows[tuple(r.trace.split(":"))]
        assert float(found["value"]) == r.recipients, r.trace
        assert found["source"] == r.source, r.trace
        assert found["region_code"] == r.region_code


# ------------------------------------------------------------------------ what people see


def test_run_and_compare_show_the_grant_year_and_source():
    runner = CliRunner()
    run = runner.invoke(main, ["run", "proposal-2027-uep"])
    assert run.exit_code == 0, run.output
    assert "Hibah: Rp 5.000.000 per keluarga (KPM)" in run.stdout and "sejak 2026" in run.stdout
    assert programme.grant_in_force(2026).reference in run.stdout
    compare = runner.invoke(main, ["compare", "proposal-2027-uep", "--lang", "en"])
    assert compare.exit_code == 0, compare.output
    assert "[1] realised-2025-uep" in compare.stdout and "[2] proposal-2027-uep" in compare.stdout
    assert "reported range Rp 4,500,000–Rp 5,000,000" in compare.stdout  # in English digits
    document = json.loads(runner.invoke(main, ["run", "realised-2025-uep", "--format", "json"]).stdout)
    assert document["grant"]["year"] == 2025 and document["grant"]["minimum_rp"] == 4_500_000
    assert all(r["recipients"] == 150 for r in document["regions"])


def test_compare_of_one_scenario_without_a_baseline_is_a_usage_error():
    """baseline-2023 is the default pembanding itself: alone it has nothing to be compared with."""
    result = CliRunner().invoke(main, ["compare", "baseline-2023"])
    assert result.exit_code == 2 and "kolom Pembanding di wrse scenarios" in result.output


def test_scenarios_lists_the_baseline_and_the_proposal_that_compares_with_it():
    result = CliRunner().invoke(main, ["scenarios"])
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("proposal-2027-uep"))
    assert "realised-2025-uep" in line and "Rp 5.000.000 (2026)" in line
    assert any(line.startswith("realised-2025-uep") for line in result.stdout.splitlines())


def test_the_realised_split_is_labelled_realised_not_with_a_rounding_method(tmp_path):
    """realised-2025-uep is the province's equal split (1.500 = 10 x 150, every region locked to
    it): compare, run, scenarios and the report's baseline sentence say "realisasi", not
    Sainte-Laguë; the proposal compared with it keeps its method."""
    runner = CliRunner()
    compared = json.loads(runner.invoke(main, ["compare", "proposal-2027-uep", "--format", "json"]).stdout)
    assert compared["scenarios"][0]["name"] == "realised-2025-uep"
    assert {r["scenarios"][0]["recipients"] for r in compared["regions"]} == {150} and len(compared["regions"]) == 10
    legend = runner.invoke(main, ["compare", "proposal-2027-uep"]).stdout.splitlines()
    assert legend[1].startswith("  [1] realised-2025-uep") and legend[1].endswith(
        "realisasi (jumlah tetap per wilayah)"
    )
    assert legend[3].startswith("  [2] proposal-2027-uep") and "Sainte-Laguë" in legend[3]
    english = runner.invoke(main, ["compare", "proposal-2027-uep", "--lang", "en"]).stdout.splitlines()
    assert english[1].endswith("realised (fixed counts per region)")
    run = runner.invoke(main, ["run", "realised-2025-uep"]).stdout
    assert "Metode: realisasi (jumlah tetap per wilayah)" in run and "Sainte-Laguë" not in run
    row = next(line for line in runner.invoke(main, ["scenarios"]).stdout.splitlines() if line.startswith("realised"))
    assert "realisasi 2025" in row and "sainte-lague" not in row
    out = tmp_path / "r"
    result = runner.invoke(
        main, ["report", "proposal-2027-uep", "--format", "md", "--date", "2026-12-01", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = (out / "proposal-2027-uep.md").read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if line.startswith("Pembanding: "))
    assert "jumlah realisasi 2025 per wilayah" in sentence and "Sainte-Laguë" not in sentence


def test_group_help_claims_no_fixed_grant():
    """The grant is dated data per fiscal year (Rp 3 juta in 2023, Rp 5 juta for UEP): the help
    of ``wrse`` names none of them as the grant."""
    from optimizer.scenario import load, shipped_scenarios

    grants = {load(path).grant_rp for path in shipped_scenarios()}
    assert len(grants) > 1  # the shipped scenarios do use different grants
    text = CliRunner().invoke(main, ["--help"], env={"WRSE_LANG": "en"}).stdout
    assert "grant per recipient of its fiscal year" in text
    assert not any(f"{grant:,}".replace(",", ".") in text for grant in grants)


def test_scenarios_lists_the_baseline_that_report_uses_by_default(tmp_path):
    """The Pembanding column is the report's default ``--baseline``: the scenario's own
    scenario.baseline, else baseline-2023; none for baseline-2023 (not compared with itself)."""
    runner = CliRunner()
    listed = {
        r["name"]: r["baseline"] for r in json.loads(runner.invoke(main, ["scenarios", "--format", "json"]).stdout)
    }
    assert listed["next-fiscal-year"] == "baseline-2023" and listed["proposal-2027-uep"] == "realised-2025-uep"
    assert listed["baseline-2023"] is None
    table = runner.invoke(main, ["scenarios"]).stdout.splitlines()
    heading = next(line for line in table if line.startswith("Nama"))
    column = heading.index("Pembanding")
    row = next(line for line in table if line.startswith("next-fiscal-year "))
    assert row[column:].startswith("baseline-2023")
    assert next(line for line in table if line.startswith("baseline-2023"))[column : column + 10].strip() == ""
    for name in ("next-fiscal-year", "baseline-2023"):
        out = tmp_path / name
        result = runner.invoke(main, ["report", name, "--format", "md", "--date", "2026-12-01", "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = (out / f"{name}.md").read_text(encoding="utf-8")
        assert f"wrse report {name} --baseline {listed[name] or 'none'} " in text


# ------------------------------------------------------------------------ the shipped roadmap


@pytest.fixture(scope="module")
def shipped_plan():
    from optimizer.analysis import roadmap as rm
    from optimizer.analysis.plan import plan

    return plan(rm.load("roadmap-2027-uep"))


def test_shipped_roadmap_starts_in_2027_from_the_realised_2025_counts(shipped_plan):
    p = shipped_plan
    assert p.years[0] == 2027 and p.roadmap.baseline.year == 2025
    assert list(p.baseline) == [150] * 10  # the realised 2025 counts, not a modelled split
    # everyone granted up to 2025 (535 to 2024, 1.500 and 180 in 2025) is out of the pool
    assert int(p.granted_before.sum()) == 535 + 1500 + 180
    frame = p.frame()
    assert sorted(frame["year"].unique()) == [2025, 2027, 2028, 2029]  # no planned year before 2027
    last = frame[frame["year"] == 2029].set_index("region_code")
    for j, code in enumerate(p.codes):
        assert last.loc[code, "cumulative"] == p.granted_before[j] + p.x[:, j].sum() <= p.eligible[j]


def test_shipped_roadmap_hold_harmless_keeps_half_of_2025(shipped_plan):
    p = shipped_plan
    assert p.roadmap.hold_harmless == Fraction(1, 2)
    assert (p.x >= 75).all()
    assert (p.x == 75).any()  # it binds somewhere: Balikpapan's need share alone gives fewer


def test_hold_harmless_is_checked_independently(shipped_plan):
    from optimizer.analysis.plan import prepare
    from optimizer.analysis.plan_check import check_plan, counts_of
    from optimizer.inputs.data import shipped

    inputs = prepare(shipped_plan.roadmap, shipped())
    x = shipped_plan.x.copy()
    assert check_plan(inputs.rules, counts_of(inputs.years, inputs.base.codes, x)) == []
    x[0, 0] = 74
    problems = check_plan(inputs.rules, counts_of(inputs.years, inputs.base.codes, x))
    assert any("hold-harmless" in problem and "2027 6401" in problem for problem in problems)


def test_plan_cli_on_the_shipped_roadmap():
    result = CliRunner().invoke(main, ["plan", "roadmap-2027-uep"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("Kode") and "2025*" in line)
    assert header.split()[2:7] == ["2025*", "s.d.", "2025", "2027", "2028"] and "2026" not in header


# ------------------------------------------------------------------------ data corrections


def _csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _shipped_rows() -> list[dict]:
    with resources.as_file(resources.files("optimizer.data").joinpath("kaltim-indicators.csv")) as path:
        return _csv(path)


def test_shared_indicator_copy_is_verbatim_where_the_shared_folder_exists():
    shared = SHARED / "kaltim-indicators.csv"
    if not shared.is_file():
        pytest.skip("the shared domain folder is not on this machine")
    assert (DATA / "kaltim-indicators-shared.csv").read_bytes() == shared.read_bytes()


def test_every_shipped_indicator_figure_traces_to_a_source_row():
    """A figure is the shared table's (same region, indicator, year, value), or a row of
    kaltim-found-2026.csv with the same value whose source address starts the shipped source."""
    shared = {(r["region_code"], r["indicator"], r["year"]): r for r in _csv(DATA / "kaltim-indicators-shared.csv")}
    found = found_rows()
    for row in _shipped_rows():
        key = (row["region_code"], row["indicator"], row["year"])
        value = float(row["value"])
        candidates = [found.get((row["indicator"], row["region_code"], row["year"]))]
        if key in shared and float(shared[key]["value"]) == value:
            continue
        hit = next((c for c in candidates if c and float(c["value"]) == value), None)
        assert hit is not None, (key, value)
        assert hit["source"].split(" ")[0] == row["source"].split(" ")[0], key
        if "DERIVED" in hit["note"] or "derived" in hit["source_date"]:
            assert row["status"] == "estimate", key


def test_no_source_is_a_template_and_every_row_names_one_address():
    for row in _shipped_rows():
        assert "<" not in row["source"] and row["source"].strip(), row
    for value in __import__("optimizer.competing", fromlist=["x"]).competing_values():
        assert "<" not in value.source


def test_ppu_2024_poor_population_is_the_residual_estimate():
    rows = {(r["region_code"], r["indicator"], r["year"]): r for r in _shipped_rows()}
    ppu = rows[("6409", "poor_population", "2024")]
    others = sum(
        float(r["value"])
        for (code, ind, year), r in rows.items()
        if ind == "poor_population" and year == "2024" and code not in ("64", "6409")
    )
    total = float(rows[("64", "poor_population", "2024")]["value"])
    assert ppu["status"] == "estimate" and "residual" in ppu["note"]
    assert round(total - others, 2) == float(ppu["value"]) == 10.77  # 221,34 minus the nine others
    assert abs(6.68 / 100 * 161_099 / 1000 - 10.77) < 0.02  # the second method of the note


def test_competing_idg_2022_rule_chooses_the_value_and_says_another_exists(tmp_path):
    from optimizer import competing
    from optimizer.engine import allocate
    from optimizer.inputs.data import shipped

    values = {v.variant: v.value for v in competing.competing_values()}
    assert values == {"official_release": 66.01, "source_document": 66.89}
    default = allocate(load("next-fiscal-year-latest-idg"), shipped())
    assert default.idg_reference == 66.01
    assert any(n.key == "competing" and "66,89" in n.text("id") for n in default.notices)
    text = (Path(load("next-fiscal-year-latest-idg").path)).read_text(encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        text.replace('extends = "next-fiscal-year.toml"', 'extends = "next-fiscal-year"')
        + '\n[indicators]\nidg_year = 2022\ncompeting = "source_document"\n'
        if "[indicators]" not in text
        else text.replace('extends = "next-fiscal-year.toml"', 'extends = "next-fiscal-year"').replace(
            "[indicators]\n", '[indicators]\ncompeting = "source_document"\n'
        ),
        encoding="utf-8",
    )
    other = allocate(load(tmp_path / "s.toml"), shipped())
    assert other.idg_reference == 66.89
    assert any("66,01" in n.text("id") and "dokumen sumber" in n.text("id") for n in other.notices)
    assert shipped().series("idg")["64"][2022]["value"] == 66.01  # the shipped set itself is unchanged


def test_wrse_data_shows_corrections_and_competing_values():
    result = CliRunner().invoke(main, ["data"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "6409 Penajam Paser Utara, Jumlah penduduk miskin (ribu jiwa) 2024: 10,77 · estimasi · metode residu" in out
    assert "66,01 (rilis resmi terbaru DKP3A/BPS; dipakai secara bawaan" in out and "66,89 (dokumen sumber" in out
    assert "sifat basis penduduk Susenas" in out and "periksa angkanya" not in out
    document = json.loads(CliRunner().invoke(main, ["data", "--format", "json"]).stdout)
    assert {c["value"] for c in document["competing"]} == {66.01, 66.89}


# ------------------------------------------------------------------------ eligible-pool proxy


def test_female_headed_proxy_by_hand():
    from optimizer.engine import allocate
    from optimizer.inputs.data import shipped

    a = allocate(load("next-fiscal-year-female-headed"), shipped())
    rows = a.regions.set_index("region_code")
    # Dukcapil counts x P0 2024 (kaltim-found-2026.csv; radarpaser.com P0)
    assert rows.loc["6472", "eligible"] == round(55_844 * 4.30 / 100) == 2401
    assert rows.loc["6403", "eligible"] == round(46_099 * 7.28 / 100) == 3356
    assert rows.loc["6472", "eligible_year"] == 2023 and rows.loc["6403", "eligible_year"] == 2024
    # the others: poor population x the provincial ratio 238.596 x 5,78 % / 221.340
    ratio = 238_596 * 5.78 / 100 / 221_340
    assert rows.loc["6401", "eligible"] == round(25_280 * ratio) == 1575
    assert rows.loc["6409", "eligible"] == round(10_770 * ratio)
    assert (
        "Dukcapil" in rows.loc["6472", "eligible_source_id"]
        and "rasio provinsi" in rows.loc["6401", "eligible_source_id"]
    )
    assert (rows["eligible_status"] == "estimate").all()
    (methods,) = [n for n in a.notices if n.key == "eligible_methods"]
    assert "6403, 6472" in methods.text("id") and "0,0623" in methods.text("id")


def test_the_two_proxy_methods_agree_where_both_exist():
    # Samarinda and Kutai Kartanegara have both inputs: the ratio method would give within 10 % of the direct one
    ratio = 238_596 * 5.78 / 100 / 221_340
    for poor, direct in ((37_800, 2401), (59_000, 3356)):
        assert abs(poor * ratio / direct - 1) < 0.10


def test_partial_eligible_file_keeps_the_proxy_for_the_rest(tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text("region_code,eligible\n6401,120\n6472,300\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    regions = {r["region_code"]: r for r in document["regions"]}
    assert regions["6401"]["eligible"] == 120 and regions["6401"]["eligible_status"] == "supplied"
    assert regions["6403"]["eligible"] == 59_000 and regions["6403"]["eligible_status"] == "estimate"
    assert document["eligible_method"] == "file_and_proxy"
    assert any("6403" in n and "counts.csv" in n for n in document["notices"])
    table = CliRunner().invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts)])
    assert "tetap memakai proksi skenario" in table.stdout


def test_a_partial_eligible_file_is_flagged_with_the_share_it_costs_the_screened_region(tmp_path):
    """Screened counts for some regions beside the poor-population proxy for the rest are two bases in
    one weight: the region that screened first loses need share. The caution (on stderr whatever the
    format) names that share and the share with the proxy everywhere, both recomputed here by hand."""
    counts = tmp_path / "counts.csv"
    counts.write_text("region_code,eligible\n6401,100\n", encoding="utf-8")
    runner = CliRunner()
    plain = json.loads(runner.invoke(main, ["run", "next-fiscal-year", "--format", "json"]).stdout)
    rows = {r["region_code"]: r for r in plain["regions"]}
    w = plain["weights"]

    def share(eligible: dict[str, float]) -> float:
        gaps = {c: r["idg_gap"] for c, r in rows.items()}
        p0 = {c: r["poverty_rate"] for c, r in rows.items()}
        return (
            w["idg_gap"] * gaps["6401"] / sum(gaps.values())
            + w["poverty_rate"] * p0["6401"] / sum(p0.values())
            + w["eligible"] * eligible["6401"] / sum(eligible.values())
        )

    proxy = {c: r["eligible"] for c, r in rows.items()}
    mixed = {**proxy, "6401": 100}
    assert abs(share(proxy) - rows["6401"]["need_share"]) < 1e-12
    result = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "csv"])
    assert result.exit_code == 0
    (line,) = [x for x in result.stderr.splitlines() if "dua dasar yang tidak sebanding" in x]
    expected = f"6401 Paser mendapat bagian kebutuhan {share(mixed) * 100:.2f}%".replace(".", ",")
    assert expected in line and f"semua wilayah: {share(proxy) * 100:.2f}%)".replace(".", ",") in line
    assert "1 dari 10 wilayah" in line and "counts.csv" in line
    # a file for every region is one basis: no caution
    full = tmp_path / "full.csv"
    full.write_text("region_code,eligible\n" + "".join(f"{c},{200 + i}\n" for i, c in enumerate(rows)), "utf-8")
    quiet = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(full), "--format", "csv"])
    assert quiet.exit_code == 0 and "tidak sebanding" not in quiet.stderr
