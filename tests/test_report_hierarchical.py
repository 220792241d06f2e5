"""``wrse report --hierarchical``: the telaahan staf and the report read the kabupaten/kota split of
the hierarchical result, the desa go to section 10 and the workbook, the text says the split is
hierarchical and the data synthetic, and every number in those texts is in the tables.

The data is synthetic (``optimizer.synthetic``, as ``wrse synth`` writes it): one province, five
kabupaten/kota, forty desa; a second set with two provinces for the refusal."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from openpyxl import load_workbook

from optimizer import scenario, synthetic
from optimizer.cli import main
from optimizer.errors import VerificationError
from optimizer.hierarchy import allocate_hierarchical
from optimizer.inputs.data import load as load_data
from optimizer.levels import level_view, report_level
from optimizer.report import sections_levels
from optimizer.report.pipeline import make_report
from optimizer.report.text import resolve
from optimizer.report.view import report_view

BUDGET = 450_000_000  # Rp 450 juta: 150 recipients, fewer than the desa can take (the budget limits)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    synthetic.write(folder, synthetic.generate(seed=5, provinces=1, kabkota=5, desa=40))
    loaded = scenario.load(folder / "synthetic-national.toml")
    data = load_data(folder / "synthetic-desa.csv")
    full = allocate_hierarchical(loaded, data, budget_rp=BUDGET)
    document = make_report(
        loaded, data, baseline=None, command="wrse report", budget_rp=BUDGET, hierarchical=True, sensitivity=None
    )
    return folder, loaded, data, full, document


def _rows(table) -> list[dict]:
    keys = [c.key for c in table.columns]
    return [dict(zip(keys, row, strict=True)) for row in table.rows]


def _paragraphs(document, key: str, lang: str) -> str:
    section = next(s for s in report_view(document, lang).sections if s.key == key)
    return " ".join(b.text for b in section.blocks if getattr(b, "kind", "") == "paragraph")


def test_the_kabupaten_kota_table_is_the_hierarchical_level_two(province):
    _, _, _, full, document = province
    nodes = full.nodes
    kab = nodes[nodes["level"] == 1].set_index("region_code")
    desa = nodes[nodes["level"] == 2]
    rows = _rows(document.table("allocation"))
    assert [r["region_code"] for r in rows] == list(kab.index)
    for r in rows:
        code = r["region_code"]
        # the kabupaten/kota's count is the sum over its desa, computed here from the desa rows
        assert r["recipients"] == int(desa.loc[desa["parent_code"] == code, "recipients"].sum())
        assert r["recipients"] == int(kab.loc[code, "recipients"])
        assert r["need_share"] == pytest.approx(float(kab.loc[code, "need_share"]))
        assert r["cost_rp"] == r["recipients"] * 3_000_000
    assert sum(r["recipients"] for r in rows) == full.allocated == BUDGET // 3_000_000
    assert sum(r["need_share"] for r in rows) == pytest.approx(1.0)
    # the telaahan's one-page table is the same kabupaten/kota split
    memo = _rows(document.front.recommendation)
    assert [(r["region_name"], r["recipients"]) for r in memo] == [(r["region_name"], r["recipients"]) for r in rows]
    assert document.front.recommendation.total[2] == full.allocated


def test_the_desa_table_adds_up_to_the_kabupaten_kota_table(province):
    _, _, _, full, document = province
    desa = _rows(document.table("level_3"))
    assert len(desa) == 40 and not document.table("level_3").sheet_only
    by_parent: dict[str, int] = {}
    for r in desa:
        by_parent[r["region_code"][:4]] = by_parent.get(r["region_code"][:4], 0) + r["recipients"]
        assert r["cost_rp"] == r["recipients"] * 3_000_000
    assert by_parent == {r["region_code"]: r["recipients"] for r in _rows(document.table("allocation"))}
    assert document.table("level_3").total[5] == full.allocated


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_of_the_levels_text_is_in_the_tables(province, lang):
    document = province[-1]
    desa = _rows(document.table("level_3"))
    text = _paragraphs(document, "levels", lang)
    received = sum(1 for r in desa if r["recipients"] > 0)
    if lang == "id":
        assert f"Tingkat 3 (desa/kelurahan): 40 wilayah, {received} di antaranya mendapat penerima, 150 penerima" in (
            text
        )
        assert "Provinsi Sintetis 11 (11), di atas kabupaten/kota, menerima seluruh 150 penerima" in text
        assert "Anggaran Rp 450.000.000 membeli 150 penerima" in text
    else:
        assert f"Level 3 (desa/kelurahan): 40 regions, {received} of them with recipients, 150 recipients" in text
    summary = _paragraphs(document, "summary", lang)
    kabkota = len(_rows(document.table("allocation")))
    if lang == "id":
        assert f"pembagian tingkat 2 ({kabkota} kabupaten/kota)" in summary and "ke 40 desa/kelurahan" in summary
        assert summary.startswith("DATA SINTETIS: ") and "Pembagian ini bertingkat (3 tingkat" in summary
    else:
        assert f"level-2 split ({kabkota} kabupaten/kota)" in summary and "the 40 desa/kelurahan" in summary
        assert summary.startswith("SYNTHETIC DATA: ")
    memo = " ".join(resolve(p, lang) for b in document.front.parts[0].blocks for p in b.parts)
    assert memo.startswith("DATA SINTETIS: " if lang == "id" else "SYNTHETIC DATA: ")
    assert ("bertingkat (3 tingkat" if lang == "id" else "hierarchical (3 levels") in memo


def test_a_long_level_is_in_the_workbook_only_and_the_text_says_so(province, monkeypatch):
    _, _, _, full, document = province
    monkeypatch.setattr(sections_levels, "PRINTED_ROWS", 12)
    level = report_level(full)
    section = sections_levels.levels_section(level_view(full, level), sections_levels.Levels(full, level, True))
    tables = {b.key: b for b in section.blocks if hasattr(b, "rows")}
    assert tables["level_3"].sheet_only and not tables["level_3_summary"].sheet_only
    summary = _rows(tables["level_3_summary"])
    kab = {r["region_code"]: r["recipients"] for r in _rows(document.table("allocation"))}
    assert {r["region_code"]: r["recipients"] for r in summary} == kab
    assert sum(r["regions"] for r in summary) == 40
    assert max(r["largest"] for r in summary) == max(r["recipients"] for r in _rows(tables["level_3"]))
    document = replace(document, sections=(*document.sections[:-1], section))
    text = _paragraphs(document, "levels", "id")
    assert "(lebih dari 12 baris) tidak dicetak di dokumen ini" in text and "lembar “Tingkat 3 desa-kelurahan”" in text
    shown = next(s for s in report_view(document, "id").sections if s.key == "levels")
    assert [getattr(b, "key", None) for b in shown.blocks if hasattr(b, "rows")] == ["level_3_summary"]
    from optimizer.report import html, xlsx

    alone = replace(document, sections=(section,), front=None, charts={})  # the annex alone: quicker to render
    page = html.render(alone, "id").decode("utf-8")
    assert "1101010001" not in page and 'data-table="level_3_summary"' in page
    book = load_workbook(io.BytesIO(xlsx.render(alone, "id")))
    sheet = book["Tingkat 3 desa-kelurahan"]
    assert sheet.freeze_panes is not None and sheet.freeze_panes != "A1"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Kode")
    data = [row for row in values[header + 1 :] if row[0] and str(row[0]).isdigit()]
    assert len(data) == 40
    assert all(isinstance(row[5], int) and isinstance(row[6], int) and isinstance(row[3], float) for row in data)
    width = sheet.column_dimensions["B"].width
    assert width >= max(len(str(row[1])) for row in data)


def test_the_view_refuses_need_shares_the_hierarchy_did_not_compute(province):
    """The applied weights of the kabupaten/kota split are recomputed from the same figures and
    checked against the hierarchy's need shares: a tampered share is a verification error."""
    _, _, _, full, _ = province
    columns = full.node_columns
    shares = columns["need_share"].copy()
    shares[np.flatnonzero(columns["level"] == 1)[0]] += 0.01
    tampered = replace(full, tree=replace(full.tree, columns=columns.with_columns(need_share=shares)))
    with pytest.raises(VerificationError):
        level_view(tampered, 1)


def test_cli_report_hierarchical_and_its_refusal(runner, province, tmp_path):
    folder = province[0]
    args = ["report", str(folder / "synthetic-national.toml"), "--data", str(folder / "synthetic-desa.csv")]
    args += ["--baseline", "none", "--budget", "450 juta", "--date", "2026-12-01"]
    made = runner.invoke(main, [*args, "--hierarchical", "--format", "md", "--out", str(tmp_path / "r")])
    assert made.exit_code == 0, made.output
    text = next((tmp_path / "r").glob("*.md")).read_text(encoding="utf-8")
    assert "## 10. Lampiran: tingkat di bawah kabupaten/kota" in text and "--hierarchical" in text
    # section 8's weight draws are those of the command the audit trail quotes, on the kabupaten/kota split
    assert "Penerima per wilayah dari 10.000 undian bobot" in text and "belum tersedia untuk pembagian" not in text
    quoted = [line for line in text.splitlines() if line.startswith("wrse sensitivity ")]
    assert len(quoted) == 1 and quoted[0].endswith("--seed 20230050") and " --hierarchical " in quoted[0]
    two = tmp_path / "two"
    synthetic.write(two, synthetic.generate(seed=5, provinces=2, kabkota=6, desa=30))
    other = ["report", str(two / "synthetic-national.toml"), "--data", str(two / "synthetic-desa.csv")]
    refused = runner.invoke(main, [*other, "--baseline", "none", "--hierarchical", "--out", str(tmp_path / "x")])
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "synthetic-desa.csv" in refused.output and "di bawah 2 provinsi (11, 12)" in refused.output
    assert "Traceback" not in refused.output and not (tmp_path / "x").exists()


def test_kaltim_hierarchical_report_is_the_flat_report_said_to_be_hierarchical(kaltim, next_year):
    flat = make_report(next_year, kaltim, baseline=None, command="wrse report", sensitivity=None)
    tree = make_report(next_year, kaltim, baseline=None, command="wrse report", sensitivity=None, hierarchical=True)
    assert tree.table("allocation").rows == flat.table("allocation").rows
    summary = _paragraphs(tree, "summary", "id")
    assert "kabupaten/kota adalah tingkat 2 dan tingkat terbawah data" in summary
    assert "SINTETIS" not in summary and not synthetic.marked(kaltim)


def test_the_gap_from_the_best_region_is_not_claimed_for_a_hierarchical_split(province):
    """The hierarchy measures each group's IDG gap from its parent's own IDG (the synthetic
    province's), whatever the scenario's reference: rerunning with the reference at the best
    kabupaten/kota gives the same split, so the report must not present it as the alternative."""
    _, loaded, data, full, document = province
    kab = full.nodes[full.nodes["level"] == 1]
    province_idg = float(full.nodes[full.nodes["level"] == 0]["idg"].iloc[0])
    best = float(kab["idg"].max())
    assert best > province_idg  # the choice exists: some kabupaten/kota are above the reference
    rerun = allocate_hierarchical(loaded.replace(idg_reference=best), data, budget_rp=BUDGET)
    assert rerun.recipients() == full.recipients()  # the scenario's reference does not reach this level
    method = _paragraphs(document, "method", "id") + " ".join(
        " ".join(b.items)
        for b in next(s for s in report_view(document, "id").sections if s.key == "method").blocks
        if getattr(b, "items", None)
    )
    idg = f"{province_idg:.2f}".replace(".", ",")
    assert f"diukur dari IDG wilayah induknya (di sini IDG {idg})" in method
    assert "Bila kesenjangan diukur dari wilayah terbaik" not in method
