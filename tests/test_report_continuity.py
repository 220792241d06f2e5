"""The roadmap's continuity rule named as a policy choice in the report, with what the same
roadmap planned without it gives (issue 13: "the roadmap's continuity rule keeps at least half
of last year's count and binds at once (Kukar 36 → 18)").

The counts with the rule are checked against the rule itself (the minimum is half the
reference count, rounded up); the counts without it against ``wrse plan`` run as a user runs
it on a copy of the roadmap with the rule set to 0 (a second path: file, CLI, JSON)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from optimizer import scenario
from optimizer.analysis.roadmap import building_on
from optimizer.analysis.roadmap import load as load_roadmap
from optimizer.cli import main
from optimizer.report import pipeline
from optimizer.report.text import resolve
from optimizer.scenario import shipped_dir

FIXTURE = Path(__file__).parent / "data" / "roadmap-all-ten-2027.toml"


def _items(report, lang: str = "id") -> list[str]:
    """Every bullet of the method section and of part IV (Analisis) of the telaahan staf."""
    out = []
    method = next(s for s in report.sections if s.key == "method")
    analysis = next(p for p in report.front.parts if p.number == 4)
    for section in (method, analysis):
        for block in section.blocks:
            out += [resolve(item, lang) for item in getattr(block, "items", ())]
    return out


def _continuity(report, lang: str = "id") -> list[str]:
    """The continuity items of the method section and of the memo's analysis, once each."""
    word = "kesinambungan" if lang == "id" else "continuity rule"
    return list(dict.fromkeys(text for text in _items(report, lang) if word in text))


def _plan_without(runner, tmp_path, source: Path, replacements: dict[str, str]) -> dict:
    """``wrse plan`` on a copy of ``source`` with lines replaced (the rule set to 0), as JSON."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def proposal_report(kaltim):
    proposal = scenario.load("proposal-2027-uep")
    roadmaps = building_on(proposal.path)
    assert [r.name for r in roadmaps] == ["roadmap-2027-uep"]  # the shipped roadmap built on the proposal
    return pipeline.make_report(
        proposal, kaltim, baseline=None, command="wrse report proposal-2027-uep", sensitivity=None, roadmaps=roadmaps
    )


def test_hold_harmless_of_the_uep_roadmap_is_a_named_choice_with_its_alternative(proposal_report, runner, tmp_path):
    (text,) = _continuity(proposal_report)
    assert text.startswith("Aturan kesinambungan dalam Peta jalan TA 2027-2029: setiap wilayah menerima paling")
    assert "paling sedikit 50% dari jumlahnya pada 2025, setiap tahun" in text
    # binds at once: Balikpapan had 150 in 2025 and gets exactly ceil(50% x 150) = 75 in 2027
    assert "Dalam peta jalan, aturan ini langsung mengikat pada 2027" in text
    assert f"Kota Balikpapan 150 → {math.ceil(150 / 2)}" in text
    # without the rule: the same roadmap planned by wrse plan with rules.hold_harmless_pct = 0
    shipped = shipped_dir()
    plan = _plan_without(
        runner,
        tmp_path,
        shipped / "roadmap-2027-uep.toml",
        {
            "hold_harmless_pct = 50": "hold_harmless_pct = 0",
            'scenario = "proposal-2027-uep"': f'scenario = "{shipped / "proposal-2027-uep.toml"}"',
            'scenario = "realised-2025-uep"': f'scenario = "{shipped / "realised-2025-uep.toml"}"',
        },
    )
    without = {r["region_code"]: r["recipients"]["2027"] for r in plan["regions"]}
    assert without["6471"] < 75  # the rule is what holds Balikpapan at 75
    assert f"Kota Balikpapan 75 → {without['6471']}" in text
    # the same sentence in the memo's analysis as in the method section, and in English
    assert _items(proposal_report).count(text) == 2
    (english,) = _continuity(proposal_report, "en")
    assert "every region gets at least 50% of its 2025 count, every year" in english
    assert "In the roadmap the rule binds at once in 2027" in english


def test_previous_year_rule_binds_at_once_kukar_36_to_18(kaltim, next_year, runner, tmp_path):
    # the 2024-2028 roadmap from the 2023 baseline (Kukar 36, Samarinda 14 of the 50):
    # at least half of the previous year's count, so 18 and 7 in 2024
    roadmap = load_roadmap(FIXTURE)
    report = pipeline.make_report(
        next_year, kaltim, baseline=None, command="wrse report next-fiscal-year", sensitivity=None, roadmaps=(roadmap,)
    )
    (text,) = _continuity(report)
    assert "mempertahankan paling sedikit 50% dari jumlahnya pada tahun sebelumnya" in text
    assert "Dalam peta jalan, aturan ini langsung mengikat pada 2024" in text
    assert "tabel rekomendasi" not in text  # the roadmap starts in 2024, not in the scenario's year
    assert "Kab. Kutai Kartanegara 36 → 18" in text and f"Kota Samarinda 14 → {math.ceil(14 / 2)}" in text
    shipped = shipped_dir()
    plan = _plan_without(
        runner,
        tmp_path,
        FIXTURE,
        {
            "min_share_of_previous_pct = 50": "min_share_of_previous_pct = 0",
            'scenario = "next-fiscal-year"': f'scenario = "{shipped / "next-fiscal-year.toml"}"',
            'scenario = "baseline-2023"': f'scenario = "{shipped / "baseline-2023.toml"}"',
        },
    )
    without = {r["region_code"]: r["recipients"]["2024"] for r in plan["regions"]}
    assert without["6403"] < 18
    assert f"Kab. Kutai Kartanegara 18 → {without['6403']}" in text


def test_cli_names_the_roadmap_rule_by_default_and_leaves_it_out_with_none(runner, tmp_path):
    day = ["--date", "2026-12-01", "--format", "md", "--baseline", "none"]
    out = tmp_path / "a"
    result = runner.invoke(main, ["report", "proposal-2027-uep", *day, "--out", out], env={"WRSE_LANG": "id"})
    assert result.exit_code == 0, result.output
    text = (out / "proposal-2027-uep.md").read_text(encoding="utf-8")
    assert "Aturan kesinambungan dalam Peta jalan TA 2027-2029" in text
    assert "| peta jalan | roadmap-2027-uep.toml |" in text  # the audit trail lists the file with its SHA-256
    out = tmp_path / "c"
    result = runner.invoke(
        main, ["report", "proposal-2027-uep", "--format", "md", "--out", out, "--date", "2026-12-01"]
    )
    assert result.exit_code == 0, result.output
    # the default baseline (scenario.baseline) is named in the audit trail's command, not by this machine's path
    command = next(
        line
        for line in (out / "proposal-2027-uep.md").read_text(encoding="utf-8").splitlines()
        if "**Perintah**" in line
    )
    assert "--baseline realised-2025-uep " in command and "/" not in command.split("**Perintah**")[1]
    out = tmp_path / "b"
    result = runner.invoke(main, ["report", "proposal-2027-uep", *day, "--roadmap", "none", "--out", out])
    assert result.exit_code == 0, result.output
    text = (out / "proposal-2027-uep.md").read_text(encoding="utf-8")
    assert "kesinambungan" not in text and "--roadmap none" in text


def _part_items(report, number: int, lang: str = "id") -> list[str]:
    """Every bullet and paragraph sentence of part ``number`` of the telaahan staf."""
    part = next(p for p in report.front.parts if p.number == number)
    out = []
    for block in part.blocks:
        out += [resolve(item, lang) for item in getattr(block, "items", ())]
    return out


def test_uep_telaahan_says_the_table_does_not_apply_the_roadmap_rule_and_what_applying_it_changes(
    proposal_report, runner
):
    # the second 2027 figure, computed independently: wrse plan as a user runs it
    result = runner.invoke(main, ["plan", "roadmap-2027-uep", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    roadmap_2027 = {r["region_code"]: r["recipients"]["2027"] for r in plan["regions"]}
    total = sum(roadmap_2027.values())
    assert total == 1480 and roadmap_2027["6471"] == math.ceil(150 / 2)
    table = {row[1]: row[2] for row in proposal_report.front.recommendation.rows}
    assert sum(table.values()) == 1500 and table["Kota Balikpapan"] == 54
    (text,) = _continuity(proposal_report)
    assert "Tabel rekomendasi adalah alokasi satu tahun usulan ini (1.500 penerima) dan tidak menerapkan" in text
    assert f"jumlahnya menjadi {total:,} penerima".replace(",", ".") in text
    # the roadmap's bimtek assumption is the reason the total is lower: 10 sessions of Rp 10 juta
    assert plan["roadmap"]["session_rp"] == 10_000_000
    assert "biaya bimtek Rp 10.000.000 per sesi (10 sesi, Rp 100.000.000)" in text
    # every region that differs, table count → roadmap count
    names = {r["region_code"]: r["region_name"] for r in plan["regions"]}
    for code, count in roadmap_2027.items():
        label = next(n for n in table if n.endswith(names[code]))
        if table[label] != count:
            assert f"{label} {table[label]} → {count}" in text
    # Saran: a decision to take, never as if the table already applied the rule
    advice = _part_items(proposal_report, 6)
    (decision,) = [a for a in advice if "kesinambungan" in a]
    assert decision.startswith(
        "Memutuskan apakah aturan kesinambungan Peta jalan TA 2027-2029 diberlakukan pada TA 2027"
    )
    assert "tidak menerapkannya; apabila aturan kesinambungan peta jalan diberlakukan" in decision
    assert "menjadi 1.480 penerima" in decision and "Kota Balikpapan 54 → 75" in decision
    english = [a for a in _part_items(proposal_report, 6, "en") if "continuity rule" in a]
    assert english and "does not apply it; if the roadmap's continuity rule is applied" in english[0]


def test_uep_praanggapan_states_the_roadmap_bimtek_cost_it_cites(proposal_report, next_year, kaltim):
    (bimtek,) = [a for a in _part_items(proposal_report, 2) if a.startswith("Biaya bimtek")]
    assert "tidak dihitung terpisah" not in bimtek and "belum diketahui" not in bimtek
    assert "tidak dihitung dalam tabel rekomendasi" in bimtek
    assert "Peta jalan TA 2027-2029 mengasumsikan Rp 10.000.000 per sesi" in bimtek
    assert "(10 sesi pada 2027, Rp 100.000.000)" in bimtek
    assert "sumber angka: asumsi perencanaan (tidak dipublikasikan)" in bimtek
    # without a roadmap the scenario's own statement stays
    plain = pipeline.make_report(next_year, kaltim, baseline=None, command="wrse report", sensitivity=None)
    assert any("tidak dihitung terpisah" in a for a in _part_items(plain, 2))


def test_the_roadmaps_a_report_names_are_read_in_its_language():
    """An English report names the roadmap by its English title (its ``[en]`` table), the shipped
    one found for the scenario as well as one given with ``--roadmap``."""
    from optimizer.cli.report import _roadmaps

    proposal = scenario.load("proposal-2027-uep")
    for reference in (None, "roadmap-2027-uep"):
        (english,) = _roadmaps(reference, proposal, "en")
        (indonesian,) = _roadmaps(reference, proposal, "id")
        assert english.title == "Roadmap FY 2027-2029: from the 2025 realisation to a split by need"
        assert indonesian.title.startswith("Peta jalan TA 2027-2029")
