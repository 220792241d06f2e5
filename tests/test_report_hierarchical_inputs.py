"""``wrse report --hierarchical``: the weight draws of section 8 are those of ``wrse sensitivity
--hierarchical`` on the kabupaten/kota split (the audit trail quotes that command, which prints the
same numbers); the inputs table cites a kabupaten/kota eligible count summed from a counts file per
desa as that sum; a roadmap's continuity rule, which ``wrse plan`` cannot apply to a hierarchical
split, is said not to be applied and its file is not listed among the audit trail's inputs.

Data: synthetic (``optimizer.synthetic``, as ``wrse synth`` writes it; one province, five
kabupaten/kota, forty desa) and the shipped Kalimantan Timur data (one province above its ten
kabupaten/kota, where the hierarchical split under the province is the single-level run)."""

from __future__ import annotations

import csv
import json
import shlex

import numpy as np
import pytest

from optimizer import engine, scenario, synthetic
from optimizer.analysis.roadmap import building_on
from optimizer.cli import main
from optimizer.compose import load_eligible
from optimizer.inputs.data import load as load_data
from optimizer.report import markdown, pipeline, weight_draws
from optimizer.report.document import Formula
from optimizer.report.text import resolve

BUDGET = 450_000_000  # Rp 450 juta: 150 recipients at Rp 3 juta


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    synthetic.write(folder, synthetic.generate(seed=5, provinces=1, kabkota=5, desa=40))
    return folder


def _text(document, lang: str) -> str:
    return markdown.render(document, lang).decode("utf-8")


def _rows(table) -> dict[str, dict]:
    keys = [c.key for c in table.columns]
    return {row[0]: dict(zip(keys, row, strict=True)) for row in table.rows}


def _hierarchical_report(loaded, data, **options):
    """The hierarchical report of ``loaded`` on ``data`` at :data:`BUDGET`, without a baseline."""
    return pipeline.make_report(
        loaded, data, baseline=None, command="wrse report", budget_rp=BUDGET, hierarchical=True, **options
    )


def test_the_report_draws_are_those_of_sensitivity_hierarchical(province, runner, monkeypatch):
    monkeypatch.chdir(province)
    loaded = scenario.load(province / "synthetic-national.toml")
    data = load_data(province / "synthetic-desa.csv")
    document = _hierarchical_report(
        loaded, data, data_file=province / "synthetic-desa.csv", scenario_arg="synthetic-national.toml"
    )
    draws = _rows(document.table("sensitivity_draws"))
    allocation = _rows(document.table("allocation"))
    assert list(draws) == list(allocation) and len(draws) == 5  # the five kabupaten/kota
    assert all(draws[c]["recipients"] == allocation[c]["recipients"] for c in draws)
    audit = next(s for s in document.sections if s.key == "audit")
    (formula,) = [b for b in audit.blocks if isinstance(b, Formula)]
    words = shlex.split(resolve(formula.lines[0], "id"))
    assert words[:3] == ["wrse", "sensitivity", "synthetic-national.toml"] and "--hierarchical" in words
    printed = runner.invoke(main, [*words[1:], "--format", "json"])
    assert printed.exit_code == 0, printed.output
    result = json.loads(printed.stdout)
    assert result["level"] == 2 and [r["region_code"] for r in result["regions"]] == list(draws)
    for region in result["regions"]:
        mine = draws[region["region_code"]]
        assert [mine[k] for k in ("recipients", "p5", "median", "p95", "p_fewer", "p_more")] == [
            region[k] for k in ("scenario", "p5", "median", "p95", "p_fewer", "p_more")
        ]
    assert "belum tersedia untuk pembagian bertingkat" not in _text(document, "id")
    # the IDG reference is the synthetic province's own (as its row of the inputs table), not Kaltim's
    assert "acuan: IDG Provinsi Sintetis 11 2023 = 73,78, wilayah di atas kabupaten/kota" in _text(document, "id")
    assert "Kalimantan Timur 2023" not in _text(document, "id")
    assert "do not take a hierarchical split" not in _text(document, "en")


def test_kaltim_hierarchical_draws_are_the_single_level_draws(kaltim, next_year):
    """Province 64 alone above its ten kabupaten/kota: the draws on the split under it are the flat run's."""
    full = engine.allocate(next_year, kaltim, hierarchical=True)
    tree = weight_draws.draw(pipeline.at_level(full, None), full).result
    flat = weight_draws.draw(engine.allocate(next_year, kaltim)).result
    assert tree is not None and tree.base.codes == flat.base.codes and len(tree.base.codes) == 10
    np.testing.assert_array_equal(tree.x, flat.x)
    assert tree.summary.equals(flat.summary)


def test_a_kabupaten_kota_count_summed_from_desa_counts_says_so(province):
    rows = list(csv.DictReader((province / "synthetic-desa.csv").open(encoding="utf-8")))
    counts = {r["region_code"]: int(r["eligible"]) + 3 for r in rows if len(r["region_code"]) == 10}
    with (province / "desa-counts.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("region_code", "eligible"), *counts.items()])
    text = (province / "synthetic-desa.toml").read_text(encoding="utf-8")  # IDG weight 0: no notice
    assert 'source = "data"' in text
    (province / "desa-file.toml").write_text(
        text.replace('source = "data"', 'source = "file"\nfile = "desa-counts.csv"'), encoding="utf-8"
    )
    loaded = scenario.load(province / "desa-file.toml")
    data = load_data(province / "synthetic-desa.csv")
    document = _hierarchical_report(loaded, data, eligible=load_eligible(loaded, data), sensitivity=None)
    table = document.table("inputs")
    kabkota = {r[0]: r for r in table.rows if len(str(r[0])) == 4}
    assert len(kabkota) == 5
    keys = [c.key for c in table.columns]
    for code, row in kabkota.items():
        cells = dict(zip(keys, row, strict=True))
        assert cells["eligible"] == sum(n for c, n in counts.items() if c.startswith(code))  # by hand from the file
        assert cells["eligible_source"]  # a numbered note, not a blank
    for lang, said in (
        ("id", "jumlah hitungan desa/kelurahan di bawah masing-masing kabupaten/kota: berkas desa-counts.csv"),
        ("en", "the sum of the counts of the desa/kelurahan under each kabupaten/kota: file desa-counts.csv"),
    ):
        assert said in _text(document, lang), lang
    # the synthetic figures are estimates (flagged in the table), so the data notes do not say "no estimates"
    assert all("IDG: estimasi" in resolve(r[-1], "id") for r in kabkota.values())
    text = _text(document, "id")
    assert "Tidak ada fallback atau estimasi" not in text
    assert "IDG tahun 2023 (tidak dipakai (bobot 0))" in text  # IDG weight 0: no reference is stated
    assert "berstatus estimasi ditandai di kolom Keterangan data" in text


def test_a_roadmap_is_said_not_applied_to_a_hierarchical_split(kaltim):
    proposal = scenario.load("proposal-2027-uep")
    roadmaps = building_on(proposal.path)
    assert [r.name for r in roadmaps] == ["roadmap-2027-uep"] and roadmaps[0].hold_harmless > 0
    document = pipeline.make_report(
        proposal, kaltim, baseline=None, command="wrse report", roadmaps=roadmaps, hierarchical=True, sensitivity=None
    )
    for lang, said in (
        ("id", "Aturan kesinambungan dalam Peta jalan TA 2027-2029 tidak diterapkan pada pembagian bertingkat ini"),
        ("en", "The continuity rule of Peta jalan TA 2027-2029 is not applied to this hierarchical split"),
    ):
        text = _text(document, lang)
        assert text.count(said) >= 1, lang
        assert "roadmap-2027-uep.toml" not in text  # not among the audit trail's files: it was not used
