"""The content of ``wrse report``: every number equals the engine's, recomputed independently
where possible (need formula by hand, variants by calling the engine directly)."""

from __future__ import annotations

import math
import string
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import engine, output
from optimizer.i18n import catalogue
from optimizer.inputs.years import select as select_indicator
from optimizer.report import findings, pipeline
from optimizer.report.text import Msg, Val, fmt, resolve
from optimizer.report.view import report_view


@pytest.fixture(scope="module")
def alloc(kaltim, next_year):
    return engine.allocate(next_year, kaltim)


@pytest.fixture(scope="module")
def report(kaltim, next_year, baseline):
    return pipeline.make_report(next_year, kaltim, baseline=baseline, command="wrse report next-fiscal-year")


def _by_code(table, column):
    i, j = table.column("region_code"), table.column(column)
    return {row[i]: row[j] for row in table.rows}


def test_allocation_table_is_the_engines_allocation(report, alloc):
    table = report.table("allocation")
    regions = alloc.regions.set_index("region_code")
    assert [row[0] for row in table.rows] == list(regions.index)
    for column in ("recipients", "cost_rp", "quota", "need_share", "eligible", "lower", "upper"):
        assert _by_code(table, column) == {c: regions.at[c, column] for c in regions.index}, column
    # Rupiah recomputed from the counts, the grant of Rp 3.000.000 (SK 40.9/33/DS.V/2023)
    assert _by_code(table, "cost_rp") == {c: int(n) * 3_000_000 for c, n in regions["recipients"].items()}
    total = dict(zip([c.key for c in table.columns], table.total, strict=True))
    assert total["recipients"] == alloc.allocated == 200
    assert total["cost_rp"] == alloc.spent_rp <= alloc.budget_rp
    assert total["need_share"] == pytest.approx(1.0, abs=1e-12)
    assert total["quota"] == pytest.approx(alloc.affordable, abs=1e-9)
    # the eligible column is the poor population (a proxy): headed as such, and no coverage % for it
    assert "coverage" not in [c.key for c in table.columns]
    assert resolve(table.columns[table.column("eligible")].label, "id") == "Penduduk miskin (proksi, jiwa)"


def test_worked_example_by_hand(report, alloc, kaltim):
    # Kutai Timur has the largest need share (15,90 %); recompute it from the shipped figures.
    example = findings.worked_example(alloc)
    assert example.code == "6404"
    idg = select_indicator(kaltim, "idg", 2019, alloc.problem.codes, False).frame["value"]
    reference = select_indicator(kaltim, "idg", 2019, ["64"], False).frame.at["64", "value"]
    rate = select_indicator(kaltim, "poverty_rate", 2024, alloc.problem.codes, False).frame["value"]
    poor = select_indicator(kaltim, "poor_population", 2024, alloc.problem.codes, True).frame["value"]
    gaps = {c: max(0.0, reference - v) for c, v in idg.items()}
    eligible = {c: round(v * 1000) for c, v in poor.items()}
    assert reference == 65.65
    by_hand = (
        0.3 * gaps["6404"] / sum(gaps.values())
        + 0.3 * rate["6404"] / rate.sum()
        + 0.4 * eligible["6404"] / sum(eligible.values())
    )
    assert example.need_share == pytest.approx(by_hand, rel=1e-12)
    assert example.need_share == alloc.regions.set_index("region_code").at["6404", "need_share"]
    assert example.quota == pytest.approx(by_hand * 200)
    assert example.components["idg_gap"][0] == pytest.approx(65.65 - 56.35)
    table = report.table("worked_example")
    assert table.total[-1] == example.need_share
    assert math.fsum(row[-1] for row in table.rows) == pytest.approx(example.need_share, abs=1e-15)


def test_sainte_lague_multiplier_reproduces_every_free_region(alloc):
    low, high = findings.sainte_lague_multiplier(alloc)
    assert low <= high
    middle = (low + high) / 2
    free = alloc.included[alloc.included["binding"] == ""]
    assert len(free) == 10  # the floor of 5 binds nowhere in next-fiscal-year
    for _, r in free.iterrows():
        assert math.floor(r["quota"] * middle + 0.5) == r["recipients"]


def test_provisions_match_direct_engine_runs(report, alloc, kaltim, next_year):
    summary = report.table("provisions_summary")
    assert [str(resolve(row[0], "en")) for row in summary.rows] == [
        "Without floors",
        "Without caps",
        "Without locks",
        "Weight of IDG gap = 0",
        "Weight of P0 = 0",
        "Weight of poor population (proxy) = 0",
    ]
    status = [resolve(row[-1], "en") for row in summary.rows]
    assert status[1] == status[2] == "not applicable: the scenario does not set it"
    table = report.table("provisions")
    no_idg = engine.allocate(
        next_year.replace(weights=MappingProxyType({"idg_gap": 0.0, "poverty_rate": 30.0, "eligible": 40.0})), kaltim
    )
    assert _by_code(table, "weight-zero-idg_gap") == no_idg.recipients()
    change = _by_code(table, "weight-zero-idg_gap-change")
    assert change == {c: no_idg.recipients()[c] - n for c, n in alloc.recipients().items()}
    no_floor = engine.allocate(next_year.replace(floor_all=0), kaltim)
    assert _by_code(table, "no-floors") == no_floor.recipients() == alloc.recipients()


def test_floors_caps_and_locks_are_explained(kaltim, next_year):
    # 60 recipients over ten regions with a floor of 5: the floor binds in the small regions.
    scenario = next_year.replace(
        budget_rp=180_000_000, caps=MappingProxyType({"6403": 7}), locks=MappingProxyType({"6472": 6})
    )
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test", sensitivity=None)
    alloc = engine.allocate(scenario, kaltim)
    why = report.table("why")
    binding = dict(zip(alloc.regions["region_code"], alloc.regions["binding"], strict=True))
    assert binding["6403"] == "cap" and binding["6472"] == "lock" and "floor" in binding.values()
    texts = {row[0]: resolve(row[-1], "en") for row in why.rows}
    floor_region = next(c for c, b in binding.items() if b == "floor")
    assert "the floor of 5 applies, so the region gets 5 recipients, more than without it" in texts[floor_region]
    assert "With this provision removed for every region (Without floors):" in texts[floor_region]
    assert "the cap of 7 applies, so the region gets 7 recipients, fewer than without it" in texts["6403"]
    assert texts["6472"].startswith("Locked by the scenario at 6 recipients")
    # the floors take 4 recipients above quota: the free regions share it through λ < 1
    low, high = findings.sainte_lague_multiplier(alloc)
    assert high < 1
    q = alloc.regions.set_index("region_code").at["6409", "quota"]
    assert 6.5 <= q * low <= q * high <= 7.5 + 1e-9 and q > 7.5  # the interval rounds to 7, the quota to 8
    assert texts["6409"].startswith(
        f"Quota {q:.2f}; quota × λ = {q * low:.2f} to {q * high:.2f}, rounded to the nearest whole number: "
        "7 (below the quota). "
    )
    # ... and the text names the other regions' floors that took its recipients, with the counts
    no_floors = engine.allocate(scenario.replace(floor_all=0), kaltim).recipients()
    held = [c for c, b in binding.items() if b == "floor"]
    extra = sum(alloc.recipients()[c] - no_floors[c] for c in held)
    names = ", ".join(kaltim.region(c).display_name for c in held)
    assert (
        f"The floors of {names} give those regions {extra} more recipients than without floors; they come from "
        f"the other regions, and without floors this region gets {no_floors['6409']}." in texts["6409"]
    )
    assert no_floors["6409"] > 7 and extra > 0
    table = report.table("provisions")
    without_caps = engine.allocate(scenario.replace(caps=MappingProxyType({})), kaltim)
    assert _by_code(table, "no-caps") == without_caps.recipients()
    without_locks = engine.allocate(scenario.replace(locks=MappingProxyType({})), kaltim)
    assert _by_code(table, "no-locks") == without_locks.recipients()
    summary = " ".join(resolve(part, "en") for part in report.sections[0].blocks[1].parts)
    floors = sum(1 for b in binding.values() if b == "floor")
    assert f"floor in {floors} regions, cap in 1 regions, locked in 1 regions" in summary


def test_weight_zero_variant_that_would_zero_all_weights_is_skipped(kaltim, next_year):
    scenario = next_year.replace(weights=MappingProxyType({"idg_gap": 0.0, "poverty_rate": 1.0, "eligible": 0.0}))
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test", sensitivity=None)
    status = [resolve(row[-1], "en") for row in report.table("provisions_summary").rows]
    assert status[3:] == [
        "not applicable: its weight is already 0",
        "skipped: every weight would be 0",
        "not applicable: its weight is already 0",
    ]


def test_sensitivity_variants(report, alloc, kaltim, next_year):
    table = report.table("sensitivity")
    minus = engine.allocate(next_year.replace(budget_rp=540_000_000), kaltim)
    plus = engine.allocate(next_year.replace(budget_rp=660_000_000), kaltim)
    assert _by_code(table, "budget-minus-10") == minus.recipients()
    assert _by_code(table, "budget-plus-10") == plus.recipients()
    base = alloc.recipients()
    for code in base:  # Sainte-Laguë is house monotone
        assert minus.recipients()[code] <= base[code] <= plus.recipients()[code]
    # IDG gap +10 points before renormalising: 40/30/40 -> 36,36 / 27,27 / 36,36 %
    moved = engine.allocate(
        next_year.replace(weights=MappingProxyType({"idg_gap": 0.4, "poverty_rate": 0.3, "eligible": 0.4})), kaltim
    )
    assert moved.weights["idg_gap"] == pytest.approx(0.4 / 1.1)
    assert _by_code(table, "weight-idg_gap-plus-10") == moved.recipients()
    lo, hi = _by_code(table, "min"), _by_code(table, "max")
    # the range is over the scenario and the weight variants only (the budget variants change the total)
    weight_keys = [c.key for c in table.columns if c.key.startswith("weight-")]
    for code, value in base.items():
        seen = [value] + [_by_code(table, k)[code] for k in weight_keys]
        assert lo[code] == min(seen) and hi[code] == max(seen)
    assert lo["6403"] == 27 and hi["6403"] == 33  # with PPU 2024 as the residual estimate (10,77 thousand)
    label = resolve(report.table("sensitivity_summary").rows[3][0], "id")
    assert label == "kesenjangan IDG +10 poin (kesenjangan IDG 36,4% · P0 27,3% · penduduk miskin (proksi) 36,4%)"


def test_infeasible_budget_variant_is_reported(kaltim, next_year):
    scenario = next_year.replace(budget_rp=150_000_000)  # exactly the ten floors of 5
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test")
    rows = {resolve(r[0], "en"): r for r in report.table("sensitivity_summary").rows}
    minus = rows["Budget −10% (Rp 135,000,000)"]
    assert resolve(minus[-1], "en").startswith("infeasible: ")
    assert minus[2] is None
    assert "budget-minus-10" not in [c.key for c in report.table("sensitivity").columns]


def test_baseline_comparison_matches_compare(report, alloc, kaltim, baseline):
    base = engine.allocate(baseline, kaltim)
    frame = output.comparison_frame([base, alloc]).set_index("region_code")
    table = report.table("baseline")
    assert _by_code(table, "baseline_recipients") == frame["recipients_0"].to_dict()
    assert _by_code(table, "change_rp") == frame["change_rp_1"].to_dict()
    assert table.total[2:8] == (50, 150_000_000, 200, 600_000_000, 150, 450_000_000)
    gained = resolve(report.sections[5].blocks[1].parts[0], "en")
    assert gained.startswith("Regions that gain an allocation: Kab. Paser, Kab. Kutai Barat")


def test_report_keys_are_the_same_in_both_languages():
    formatter = string.Formatter()
    ids = {k: v for k, v in catalogue("id").items() if k.startswith("report.")}
    ens = {k: v for k, v in catalogue("en").items() if k.startswith("report.")}
    assert ids.keys() == ens.keys()
    for key in ids:
        fields = [{f for _, f, _, _ in formatter.parse(text) if f} for text in (ids[key], ens[key])]
        assert fields[0] == fields[1], key


def test_both_languages_resolve_every_message(report):
    texts = {}
    for lang in ("id", "en"):
        view = report_view(report, lang)
        texts[lang] = repr(view)
        assert "{" not in "".join(s.title for s in view.sections)
    assert "Ringkasan" in texts["id"] and "Summary" in texts["en"]
    assert "Summary" not in texts["id"]
    with pytest.raises(KeyError):
        resolve(Msg.of("report.no_such_key"), "id")


@pytest.mark.parametrize(
    ("kind", "value", "id_text", "en_text"),
    [
        ("rp", 1_500_000_000, "Rp 1.500.000.000", "Rp 1,500,000,000"),
        ("share", 0.0840136, "8,40%", "8.40%"),
        ("count", 222_700, "222.700", "222,700"),
        ("dec2", 65.65, "65,65", "65.65"),
        ("signed_rp", -18_000_000, "-Rp 18.000.000", "-Rp 18,000,000"),
        ("signed_count", 0, "0", "0"),
        ("year", 0, "", ""),
        ("number", 25_280.0, "25.280", "25,280"),
        ("count", None, "", ""),
    ],
)
def test_value_formats(kind, value, id_text, en_text):
    assert fmt(kind, value, "id") == id_text
    assert fmt(kind, value, "en") == en_text
    assert resolve(Val(kind, value), "id") == id_text


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    budget=st.integers(min_value=150, max_value=400).map(lambda n: n * 3_000_000 + 1_234),
    weights=st.tuples(*[st.integers(min_value=0, max_value=5)] * 3).filter(any),
    floor=st.integers(min_value=0, max_value=5),
)
def test_report_totals_hold_for_any_scenario(kaltim, next_year, budget, weights, floor):
    scenario = next_year.replace(
        budget_rp=budget,
        floor_all=floor,
        weights=MappingProxyType(dict(zip(("idg_gap", "poverty_rate", "eligible"), map(float, weights), strict=True))),
    )
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test", sensitivity=None)
    alloc = engine.allocate(scenario, kaltim)
    table = report.table("allocation")
    total = dict(zip([c.key for c in table.columns], table.total, strict=True))
    assert total["recipients"] == alloc.allocated == sum(_by_code(table, "recipients").values())
    assert total["cost_rp"] == alloc.allocated * 3_000_000 <= budget
    assert budget - total["cost_rp"] < 3_000_000  # the whole budget is used up to one grant
    assert findings.worked_example(alloc).need_share == pytest.approx(
        alloc.regions["need_share"].max(), rel=1e-12, abs=1e-15
    )
    multiplier = findings.sainte_lague_multiplier(alloc)
    if multiplier is not None:  # every region no bound holds is its quota x λ, rounded
        middle = sum(multiplier) / 2
        free = alloc.included[alloc.included["binding"] == ""]
        assert all(abs(r.quota * middle - r.recipients) <= 0.5 + 1e-9 for r in free.itertuples())


def _equal_regions(tmp_path, method: str, idg=(50,) * 5, budget: int = 39_000_000):
    """Five made-up regions with identical indicators (a fixture, not data about any place) and
    13 recipients: every quota is 2,60, so the split 3/3/3/2/2 is decided by the tie rule alone.
    ``idg``: the five regions' IDG (the province's is 60); ``budget`` in Rp (Rp 3.000.000 a grant)."""
    from optimizer.inputs.data import load as load_data
    from optimizer.scenario import load as load_scenario

    data = tmp_path / "equal.csv"
    lines = [
        "region_code,region_name,idg,idg_year,poverty_rate,poverty_rate_year,poor_population,"
        "poor_population_year,source",
        "99,Provinsi Uji,60,2024,6,2024,40,2024,fixture",
    ]
    lines += [f"99{i:02d},Wilayah {i},{v},2024,5,2024,10,2024,fixture" for i, v in enumerate(idg, 1)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = tmp_path / "equal.toml"
    scenario.write_text(
        f'[scenario]\nname = "seri"\nfiscal_year = 2026\nbudget = {budget}\nmethod = "{method}"\n'
        "[costs]\ngrant_rp = 3000000\n"
        "[indicators]\nidg_year = 2024\npoverty_year = 2024\n"
        '[eligible]\nsource = "proxy"\nproxy = "poor_population"\nyear = 2024\n'
        "[weights]\nidg_gap = 30\npoverty_rate = 30\neligible = 40\n",
        encoding="utf-8",
    )
    return load_scenario(scenario), load_data(data)


@pytest.mark.parametrize("method", ["sainte-lague", "largest-remainder"])
def test_an_exact_tie_is_decided_by_the_tie_rule_not_by_rounding(tmp_path, method):
    scenario, data = _equal_regions(tmp_path, method)
    report = pipeline.make_report(scenario, data, baseline=None, command="test", sensitivity=None)
    why = report.table("why")
    counts = {row[0]: row[why.column("recipients")] for row in why.rows}
    assert counts == {"9901": 3, "9902": 3, "9903": 3, "9904": 2, "9905": 2}  # lower BPS codes first
    texts = {row[0]: resolve(row[-1], "id") for row in why.rows}
    for code, text in texts.items():
        assert "aturan seri yang ditetapkan (kode BPS lebih kecil didahulukan)" in text, text
        assert "dibulatkan ke bilangan bulat terdekat" not in text
        assert text.endswith(f": {counts[code]}.")
    if method == "sainte-lague":
        assert "kuota × λ = 2,50, tepat di tengah dua bilangan bulat" in texts["9901"]
    else:
        assert "bagian bulat 2, sisa 0,60, sama dengan sisa" in texts["9904"]


def test_equal_rates_make_no_per_10000_finding(tmp_path):
    """Ten recipients over five identical regions of 10.000 poor people (10 thousand in the
    proxy): 2 each, 2,00 per 10.000 everywhere, so there is no spread to report (a range
    "from 2,00 to 2,00" would be no finding)."""
    scenario, data = _equal_regions(tmp_path, "sainte-lague", budget=30_000_000)
    report = pipeline.make_report(scenario, data, baseline=None, command="test", sensitivity=None)
    assert set(_by_code(report.table("why"), "recipients").values()) == {2}
    assert "per 10.000" not in _text(report, "method")


def test_an_alternative_that_moves_no_region_says_so(tmp_path):
    """Wilayah 5 (IDG 70) is above the province's 60, the others at 50: measured from the best
    region the four gaps are 20 instead of 10, the same shares, so no count moves. And with the
    13 recipients tied 3/3/3/2/2 on the pool too, all weight on the pool moves none either."""
    scenario, data = _equal_regions(tmp_path, "sainte-lague", idg=(50, 50, 50, 50, 70))
    report = pipeline.make_report(scenario, data, baseline=None, command="test", sensitivity=None)
    method = _text(report, "method")
    assert "1 dari 5 wilayah (Wilayah 5)" in method
    assert "diukur dari wilayah terbaik (Wilayah 5, IDG 70,00), jumlah setiap wilayah tidak berubah." in method
    assert "hasilnya: ." not in method and "terbesar: ." not in method
    scenario, data = _equal_regions(tmp_path, "sainte-lague")
    method = _text(pipeline.make_report(scenario, data, baseline=None, command="test", sensitivity=None), "method")
    # 3/3/3/2/2 over 10.000 poor people each: the lowest code of the lowest rate, the highest of the highest
    assert "berkisar dari 2,00 di Wilayah 4 sampai 3,00 di Wilayah 3." in method
    assert "besarnya kelompok sasaran, jumlah setiap wilayah tidak berubah." in method


def test_a_lock_is_binding_only_if_removing_it_changes_a_count(kaltim, next_year):
    free = engine.allocate(next_year, kaltim).recipients()
    scenario = next_year.replace(locks=MappingProxyType({"6404": free["6404"]}))  # locked at what it gets anyway
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test", sensitivity=None)
    why = report.table("why")
    row = next(r for r in why.rows if r[0] == "6404")
    assert resolve(row[why.column("binding")], "id") == "dikunci (tidak mengikat)"
    assert "jadi kunci ini tidak mengikat" in resolve(row[-1], "id")
    summary = " ".join(resolve(p, "id") for p in report.sections[0].blocks[1].parts)
    assert "dikunci di" not in summary and "Kunci di Kab. Kutai Timur tidak mengikat" in summary
    # locked one above: now it binds
    bound = next_year.replace(locks=MappingProxyType({"6404": free["6404"] + 1}))
    report = pipeline.make_report(bound, kaltim, baseline=None, command="test", sensitivity=None)
    summary = " ".join(resolve(p, "id") for p in report.sections[0].blocks[1].parts)
    assert "dikunci di 1 wilayah" in summary


def _text(report, key):
    section = next(s for s in report.sections if s.key == key)
    out = []
    for block in section.blocks:
        for part in getattr(block, "parts", ()) + getattr(block, "items", ()):
            out.append(resolve(part, "id"))
    return "\n".join(out)


def test_rationale_is_printed_and_its_absence_said(report):
    method = _text(report, "method")
    assert (
        "Bobot kebutuhan (kesenjangan IDG = 30 · P0 = 30 · penduduk miskin (proksi) = 40): belum ada alasan" in method
    )
    assert "pilihan ini belum dijustifikasi" in method
    assert "Batas bawah (5 penerima di setiap wilayah): Setiap kabupaten/kota paling sedikit" in method


def test_policy_choices_are_recomputed_by_the_engine(report, alloc, kaltim, next_year):
    method = _text(report, "method")
    # IDG gap cut at the provincial reference: the four regions above it, and the gap measured from the best
    above = [
        kaltim.region(c).display_name
        for c, g in zip(alloc.regions["region_code"], alloc.regions["idg_gap"], strict=True)
        if g <= 0
    ]
    assert f"4 dari 10 wilayah ({', '.join(above)})" in method
    best = float(alloc.regions["idg"].max())
    other = engine.allocate(next_year.replace(idg_reference=best), kaltim).recipients()
    mine = alloc.recipients()
    assert other["6401"] > mine["6401"] and other["6409"] < mine["6409"]
    assert f"Kab. Paser {mine['6401']} → {other['6401']}" in method
    assert f"Kab. Penajam Paser Utara {mine['6409']} → {other['6409']}" in method
    # recipients per 10.000 of the poor population, from the allocation table by hand
    rates = {
        c: 10_000 * mine[c] / e for c, e in zip(alloc.regions["region_code"], alloc.regions["eligible"], strict=True)
    }
    low, high = min(rates.values()), max(rates.values())
    assert f"berkisar dari {low:.2f}".replace(".", ",") in method and f"sampai {high:.2f}".replace(".", ",") in method


def test_robustness_paragraph_reads_the_draws_table(report):
    table = report.table("sensitivity_draws")
    firm = [
        row[1] for row in table.rows if row[table.column("p5")] >= row[2] - 1 and row[table.column("p95")] <= row[2] + 1
    ]
    text = _text(report, "sensitivity")
    assert "Ketahanan hasil terhadap bobot" in text
    for name in firm:
        assert f"{name} (" in text.split("kokoh")[1].split("Angka berikut bergantung")[0]


@pytest.mark.parametrize(
    ("lang", "solver_text", "sentence"),
    [("id", "CBC", "hasil pemecah CBC belum terbukti optimal"), ("en", "CBC", "the CBC result is not proven optimal")],
)
def test_report_names_the_solver_not_its_repr(alloc, lang, solver_text, sentence):
    """The audit trail's solver row and the summary's not-optimal warning name the solver
    as a reader sees it; a value object left to str() would print 'SolverName(name=...)'."""
    from dataclasses import replace

    from optimizer.report.content import AuditInfo, build

    def text_of(allocation):
        built = build(allocation, baseline=None, provisions=(), sensitivity=None, audit=AuditInfo("wrse"))
        return repr(report_view(built, lang))

    text = text_of(replace(alloc, solver="cbc", status="Not Solved", optimal=False))
    assert "SolverName" not in text
    assert sentence in text
    row = text_of(replace(alloc, solver="cbc+exact"))
    expected = {"id": "CBC + pemecah eksak terstruktur", "en": "CBC + the exact structured solver"}[lang]
    assert expected in row


@pytest.mark.parametrize(
    ("name", "said", "not_said"),
    [
        ("realised-2025-uep", "ditetapkan oleh kunci skenario", "mengikuti bagian kebutuhannya"),
        ("next-fiscal-year", "mengikuti bagian kebutuhannya", "ditetapkan oleh kunci skenario"),
    ],
)
def test_summary_says_what_sets_the_counts(kaltim, name, said, not_said):
    """When every region is locked (the realised equal split of 2025), no count follows a need
    share: the summary says the locks set them instead of describing the formula the table contradicts."""
    from optimizer.scenario import load as load_scenario

    report = pipeline.make_report(load_scenario(name), kaltim, baseline=None, command="w", sensitivity=None)
    summary = repr(report_view(report, "id").sections[0])
    assert said in summary and not_said not in summary
