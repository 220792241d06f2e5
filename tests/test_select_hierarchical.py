"""``wrse select --hierarchical``: the quotas come from the level of the hierarchical result that
the candidates' region codes name (desa codes: each desa's quota; kabupaten/kota codes: their
totals; province codes: the top-level split), run as a user runs it on synthetic data
(``optimizer.synthetic``, candidates from ``tests/synthetic_candidates.py``): no real person."""

from __future__ import annotations

import json
import random
import re

import pytest
from synthetic_candidates import decisions_file

from optimizer import scenario, synthetic
from optimizer.cli import main
from optimizer.hierarchy import allocate_hierarchical
from optimizer.inputs.data import load as load_data

BUDGET = 300_000_000  # Rp 300 juta: 100 recipients at the synthetic grant, fewer than the desa can take
SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture(scope="module")
def nation(tmp_path_factory):
    """2 synthetic provinces, 6 kabupaten/kota, 30 desa (``wrse synth`` files), and their hierarchical run."""
    folder = tmp_path_factory.mktemp("nation")
    made = synthetic.generate(seed=11, provinces=2, kabkota=6, desa=30)
    synthetic.write(folder, made)
    loaded = scenario.load(folder / "synthetic-desa.toml")
    data = load_data(folder / "synthetic-desa.csv")
    run = allocate_hierarchical(loaded, data, budget_rp=BUDGET)
    return folder, made, run.nodes.set_index("region_code")


def _select(runner, folder, decisions, *extra):
    return runner.invoke(
        main,
        [
            "select",
            str(folder / "synthetic-desa.toml"),
            "--data",
            str(folder / "synthetic-desa.csv"),
            "--decisions",
            str(decisions),
            "--budget",
            "300 juta",
            "--hierarchical",
            *extra,
        ],
    )


def _by_region(result) -> dict:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {r["region_code"]: r for r in data["regions"]}, data


def test_desa_codes_take_the_desa_quotas(runner, nation, tmp_path):
    folder, made, nodes = nation
    rng = random.Random(5)
    listed = {c: rng.randint(0, 7) for c in made.desa["region_code"]}
    decisions, _ = decisions_file(tmp_path / "keputusan.csv", rng, listed)
    regions, data = _by_region(_select(runner, folder, decisions, "--format", "json"))
    assert data["hierarchical"] is True and data["level"] == 3
    assert set(regions) == set(made.desa["region_code"])
    for code, region in regions.items():
        quota = int(nodes.loc[code, "recipients"])  # the desa's count in the level-by-level split
        assert region["allocated"] == quota
        assert len(region["selected"]) == min(quota, listed[code])
        assert region["short"] == max(0, quota - listed[code])
        assert [w["priority_rank"] for w in region["selected"]] == list(range(1, len(region["selected"]) + 1))
        assert len(region["selected"]) + len(region["waiting"]) == listed[code]
    assert sum(r["allocated"] for r in regions.values()) == BUDGET // synthetic_cost(folder)
    # some desa are short here (lists of 0..7 women): the short ones are named on the table
    table = _select(runner, folder, decisions)
    assert (
        table.exit_code == 0
        and "per desa/kelurahan" in table.stdout
        and "Alokasi bertingkat (3 tingkat)" in table.stdout
    )


def synthetic_cost(folder) -> int:
    return scenario.load(folder / "synthetic-desa.toml").cost_per_recipient_rp


def test_kabupaten_kota_codes_take_the_kabupaten_kota_totals(runner, nation, tmp_path):
    folder, made, nodes = nation
    rng = random.Random(6)
    listed = {c: 40 for c in made.kabkota["region_code"]}  # long lists: nobody short
    decisions, _ = decisions_file(tmp_path / "keputusan-kab.csv", rng, listed)
    regions, data = _by_region(_select(runner, folder, decisions, "--format", "json", "--lang", "en"))
    assert data["level"] == 2
    desa = made.desa.set_index("region_code")
    for code, region in regions.items():
        # the kabupaten/kota's total: the sum over its desa's counts (computed here from the desa rows)
        total = sum(int(nodes.loc[d, "recipients"]) for d in desa.index[desa["parent_code"] == code])
        assert region["allocated"] == total == len(region["selected"])
    english = _select(runner, folder, decisions, "--lang", "en")
    assert "Selected recipients per kabupaten/kota" in english.stdout and "(level 2)" in english.stdout


def test_province_codes_take_the_top_level_split(runner, nation, tmp_path):
    """The top level of the hierarchical split is a single-level split of the provinces: need
    shares from their own P0 and eligible counts (weights 40/60 of synthetic-desa.toml), then
    Sainte-Laguë by highest averages, capped at each province's eligible count; computed here."""
    folder, made, _ = nation
    p = made.provinces.set_index("region_code")
    p0, women = p["poverty_rate"].astype(float), p["eligible"].astype(int)
    share = 0.4 * p0 / p0.sum() + 0.6 * women / women.sum()
    seats = dict.fromkeys(p.index, 0)
    for _ in range(BUDGET // synthetic_cost(folder)):
        best = max((c for c in p.index if seats[c] < women[c]), key=lambda c: share[c] / (2 * seats[c] + 1))
        seats[best] += 1
    decisions, _ = decisions_file(tmp_path / "keputusan-prov.csv", random.Random(7), {"11": 80, "12": 80})
    regions, data = _by_region(_select(runner, folder, decisions, "--format", "json"))
    assert data["level"] == 1
    assert {c: r["allocated"] for c, r in regions.items()} == seats


def test_kaltim_kabupaten_kota_select_equals_the_flat_select(runner, tmp_path):
    """Kalimantan Timur is one province: its kabupaten/kota totals are the single-level run's."""
    from optimizer.regions import kaltim_registry

    codes = [r.code for r in kaltim_registry().regions if len(r.code) == 4]
    rng = random.Random(8)
    decisions, _ = decisions_file(tmp_path / "keputusan.csv", rng, {c: rng.randint(5, 30) for c in codes})
    args = ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "csv"]
    flat, tree = runner.invoke(main, args), runner.invoke(main, [*args, "--hierarchical"])
    assert flat.exit_code == 0 and tree.exit_code == 0, tree.output
    assert tree.stdout == flat.stdout


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", ("baris 3", "tingkat 3 (desa/kelurahan: 10 angka, mis.")), ("en", ("row 3", "level 3 (desa/kelurahan"))],
)
def test_a_code_of_no_level_is_one_line_naming_file_row_code_and_levels(runner, nation, tmp_path, lang, words):
    folder, _, _ = nation
    decisions, _ = decisions_file(tmp_path / "keputusan.csv", random.Random(9), {"1101010001": 3}, rejected=0)
    text = decisions.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace(",1101010001,", ",1101010,")  # a kecamatan code: not a level of the data
    decisions.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = _select(runner, folder, decisions, "--lang", lang)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "keputusan.csv" in lines[0] and "'1101010'" in lines[0] and "synthetic-desa.csv" in lines[0]
    assert all(w in lines[0] for w in words)


def test_codes_of_two_levels_are_refused(runner, nation, tmp_path):
    folder, _, _ = nation
    decisions, _ = decisions_file(tmp_path / "campur.csv", random.Random(10), {"1101010001": 2, "1101": 2}, rejected=0)
    result = _select(runner, folder, decisions)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "campur.csv, baris 4" in result.output and "'1101' adalah wilayah tingkat 2" in result.output
    assert "baris 2 memakai tingkat 3" in result.output
    # without --hierarchical a desa code is not a kabupaten/kota of the shipped data: refused as before
    flat = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions)])
    assert flat.exit_code == 1 and "1101010001" in flat.output


def test_no_nik_is_ever_unmasked(runner, nation, tmp_path):
    """The file holds raw synthetic NIKs (a careless export): every output shows them masked."""
    folder, made, _ = nation
    rng = random.Random(12)
    decisions, niks = decisions_file(tmp_path / "mentah.csv", rng, {c: 4 for c in made.desa["region_code"]})
    outputs = []
    for fmt in ("table", "csv", "json"):
        result = _select(runner, folder, decisions, "--format", fmt)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    workbook = tmp_path / "pilih.xlsx"
    assert _select(runner, folder, decisions, "-o", str(workbook)).exit_code == 0
    import zipfile

    with zipfile.ZipFile(workbook) as archive:
        outputs.append("".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()))
    for text in outputs:
        assert not SIXTEEN.search(text)
        squeezed = re.sub(r"[\s.\-]", "", text)
        assert not [n for n in niks if n in squeezed]
    assert "********" in outputs[1]
