"""A proxy is named as what it is, in every output: the run table, its workbook and CSV for
Excel, the hierarchical table, the weights lines, the machine CSV/JSON and the report.

When no eligible-count file is given the shipped scenarios use the BPS poor population as the
eligible figure. It counts men and women of every age, so a heading "Memenuhi syarat" and a
coverage column (recipients / poor population) would tell a planner something false. The
expected words are the catalogue's for the proxy (``column.eligible_proxy``, the report's
heading too); with a counts file the same outputs say "Memenuhi syarat" and carry coverage.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from optimizer.cli import main
from optimizer.i18n import t

CODES = ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")


@pytest.fixture(scope="module")
def counts(tmp_path_factory):
    path = tmp_path_factory.mktemp("counts") / "counts.csv"
    path.write_text("region_code,eligible\n" + "\n".join(f"{c},500" for c in CODES) + "\n")
    return path


def _run(runner, *args):
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _head(text: str) -> str:
    """The run table's heading line (above its ---- rule; a --wide table is not wrapped)."""
    lines = text.splitlines()
    return next(lines[i - 1] for i, line in enumerate(lines) if line.startswith("----"))


@pytest.mark.parametrize(
    ("lang", "proxy", "counted", "weight", "coverage"),
    [
        ("id", "Penduduk miskin (proksi, jiwa)", "Memenuhi syarat", "penduduk miskin (proksi) 40,0%", "Cakupan"),
        ("en", "Poor population (proxy, persons)", "Eligible", "poor population (proxy) 40.0%", "Coverage"),
    ],
)
def test_run_table_names_the_proxy_and_has_no_coverage(runner, counts, lang, proxy, counted, weight, coverage):
    wide = _run(runner, "run", "next-fiscal-year", "--wide", "--lang", lang)
    assert proxy in _head(wide) and counted not in _head(wide) and coverage not in _head(wide)
    assert f"· {weight} ·" in wide
    assert proxy in _run(runner, "run", "next-fiscal-year", "--lang", lang)  # named below the narrow table
    own = _run(runner, "run", "next-fiscal-year", "--wide", "--eligible", str(counts), "--lang", lang)
    assert counted in _head(own) and coverage in _head(own) and proxy not in own
    assert weight.split(" (")[0] not in own.split("\n\n")[0]  # the weights line names no proxy


def test_csv_for_excel_and_workbook_name_the_proxy(runner, counts, tmp_path):
    text = _run(runner, "run", "next-fiscal-year", "--format", "csv-excel").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[7:9] == [t("column.eligible_proxy", "id"), t("table.eligible_year_proxy", "id")]
    assert t("column.eligible_proxy", "id") == "Penduduk miskin (proksi, jiwa)"
    assert not any(h.startswith("Cakupan") for h in header)
    assert rows[1][-1] == "* estimasi: penduduk miskin (proksi)"
    own = _run(runner, "run", "next-fiscal-year", "--format", "csv-excel", "--eligible", str(counts))
    own_header = next(csv.reader(io.StringIO(own.removeprefix("\ufeff")), delimiter=";"))
    assert "Memenuhi syarat" in own_header and "Cakupan (%)" in own_header

    from openpyxl import load_workbook

    out = tmp_path / "alokasi.xlsx"
    _run(runner, "run", "next-fiscal-year", "-o", str(out))
    sheet = load_workbook(out).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "Penduduk miskin (proksi, jiwa)" in cells and "Memenuhi syarat" not in cells
    assert not any(v.startswith("Cakupan") for v in cells)


def test_machine_outputs_leave_coverage_empty_for_a_proxy(runner, counts):
    """coverage_pct: empty in CSV and null in JSON for a proxy; recipients / count with a counts file."""
    rows = list(csv.DictReader(io.StringIO(_run(runner, "run", "next-fiscal-year", "--format", "csv"))))
    assert "coverage_pct" in rows[0] and all(r["coverage_pct"] == "" for r in rows)
    document = json.loads(_run(runner, "run", "next-fiscal-year", "--format", "json"))
    assert document["eligible_method"] == "poor_population"
    assert all(r["coverage_pct"] is None for r in document["regions"])
    own = json.loads(_run(runner, "run", "next-fiscal-year", "--format", "json", "--eligible", str(counts)))
    for r in own["regions"]:
        assert r["coverage_pct"] == pytest.approx(100 * r["recipients"] / 500)
    own_rows = list(
        csv.DictReader(
            io.StringIO(_run(runner, "run", "next-fiscal-year", "--format", "csv", "--eligible", str(counts)))
        )
    )
    assert float(own_rows[0]["coverage_pct"]) == pytest.approx(100 * int(own_rows[0]["recipients"]) / 500)


def test_hierarchical_table_names_the_proxy(runner):
    wide = _run(runner, "run", "next-fiscal-year", "--hierarchical", "--wide")
    assert "Penduduk miskin (proksi, jiwa)" in wide and "Memenuhi syarat" not in _head(wide)
    assert "· penduduk miskin (proksi) 40,0%" in wide
    english = _run(runner, "run", "next-fiscal-year", "--hierarchical", "--wide", "--lang", "en")
    assert "Poor population (proxy, persons)" in english and "poor population (proxy) 40.0%" in english


def test_report_and_run_table_share_the_heading(next_year):
    """The report's eligible column and the run table's are the one message (column.eligible_proxy)."""
    from page_helpers import engine_allocation

    from optimizer.output import allocation_columns
    from optimizer.report.phrases import eligible_heading, indicator_label

    a = engine_allocation(next_year)
    heading = next(c.heading for c in allocation_columns("id", a.eligible_method) if c.key == "eligible")
    assert heading == eligible_heading(a).key == "column.eligible_proxy"
    assert t(heading, "id") == "Penduduk miskin (proksi, jiwa)"
    assert indicator_label(a, "eligible").key == "weight.eligible_proxy"
    assert t("weight.eligible_proxy", "en") == "poor population (proxy)"


def test_sensitivity_names_the_proxy_among_the_weights_drawn(runner, counts):
    text = _run(runner, "sensitivity", "next-fiscal-year", "--draws", "20")
    rows = [line for line in text.splitlines() if line.endswith("%") and "40,0%" in line]
    assert rows and rows[0].startswith("penduduk miskin (proksi) ")
    own = _run(runner, "sensitivity", "next-fiscal-year", "--draws", "20", "--eligible", str(counts))
    assert "penduduk miskin (proksi)" not in own and "\nmemenuhi syarat " in own


def test_report_on_the_female_headed_proxy_names_it_in_the_allocation_table(runner, tmp_path):
    """The female-headed estimate is no poor population: its column and the note below it say so."""
    _run(runner, "report", "next-fiscal-year-female-headed", "--format", "md", "--out", str(tmp_path))
    text = (tmp_path / "next-fiscal-year-female-headed.md").read_text(encoding="utf-8")
    assert "| Keluarga miskin berkepala perempuan (proksi) |" in text
    assert "Kolom keluarga miskin berkepala perempuan (proksi) adalah estimasi" in text
    assert "Kolom penduduk miskin (proksi)" not in text and "Penduduk miskin (proksi, jiwa)" not in text


# The report's sentences about the eligible pool, as the female-headed proxy says them (id, en), and
# the poor population's wording of the same sentence, which that report must not say.
FEMALE_HEADED_SENTENCES = {
    "id": [
        (
            "- keluarga miskin berkepala perempuan sebagai proksi jumlah perempuan memenuhi syarat: estimasi:",
            "penduduk miskin sebagai proksi",
        ),
        (
            "40,0% × keluarga miskin berkepala perempuan_r / Σ keluarga miskin berkepala perempuan",
            "penduduk miskin_r",
        ),
        (
            "- tidak ada wilayah yang mendapat lebih dari estimasi jumlah keluarga miskin berkepala perempuan"
            " di wilayah itu (proksi jumlah memenuhi syarat);",
            "jumlah penduduk miskinnya",
        ),
        (
            "Jumlah memenuhi syarat belum tersedia: estimasi keluarga miskin berkepala perempuan dipakai"
            " sebagai proksi, bukan hitungan perempuan memenuhi syarat;",
            "penduduk miskin dipakai sebagai proksi",
        ),
        ("penerima per 10.000 keluarga miskin berkepala perempuan berkisar dari", "per 10.000 penduduk miskin"),
        (
            "| keluarga miskin berkepala perempuan: angka 2023 (angka tahun yang diminta belum tersedia) |",
            "| penduduk miskin: angka",
        ),
        (
            "jumlahnya dibatasi oleh jumlah keluarga miskin berkepala perempuan (proksi) 671: 671.",
            "penduduk miskin (proksi)",
        ),
    ],
    "en": [
        (
            "- poor female-headed families as a proxy of the number of eligible women: estimate:",
            "the poor population as a proxy",
        ),
        ("40.0% × poor female-headed families_r / Σ poor female-headed families", "poor population_r"),
        (
            "- no region gets more than its estimated number of poor female-headed families"
            " (the proxy of the eligible count);",
            "more than its poor population",
        ),
        (
            "Eligible counts are not yet available: the estimated poor female-headed families are used as a proxy,",
            "the poor population is used as a proxy",
        ),
        ("recipients per 10,000 of the poor female-headed families range from", "per 10,000 of the poor population"),
        ("| poor female-headed families: 2023 figure (none yet for the year asked) |", "| poor population: 2023"),
        ("the count is limited by the poor female-headed families (proxy) of 671: 671.", "poor population (proxy)"),
    ],
}
# The screening advice of the telaahan staf (part VI), by proxy.
ADVICE = {
    ("id", "poor_population"): "agar proksi penduduk miskin diganti dengan jumlah perempuan memenuhi syarat.",
    ("id", "female_headed_x_p0"): "agar proksi keluarga miskin berkepala perempuan diganti dengan jumlah perempuan"
    " memenuhi syarat.",
    ("en", "poor_population"): "so that the poor-population proxy is replaced by the number of eligible women.",
    ("en", "female_headed_x_p0"): "so that the proxy of poor female-headed families is replaced by the number of"
    " eligible women.",
}


@pytest.fixture(scope="module")
def pool_reports(kaltim, next_year):
    """``{(proxy, lang): (markdown, telaahan paragraphs)}`` of the reports of next-fiscal-year (the
    poor population) and next-fiscal-year-female-headed, the latter with a budget large enough
    (Rp 15 miliar, 5.000 recipients) that the pools of 6409, 6411 and 6474 bind."""
    from datetime import date

    import docx

    from optimizer.report import pipeline, writer
    from optimizer.scenario import load

    out = {}
    for scenario, budget in ((next_year, None), (load("next-fiscal-year-female-headed"), 15_000_000_000)):
        report = pipeline.make_report(
            scenario,
            kaltim,
            baseline=None,
            command="test",
            sensitivity=None,
            budget_rp=budget,
            issued=date(2026, 12, 1),
        )
        for lang in ("id", "en"):
            memo = docx.Document(io.BytesIO(writer.RENDERERS["docx"](report, lang, None)))
            out[scenario.eligible.proxy, lang] = (
                writer.RENDERERS["md"](report, lang, None).decode("utf-8"),
                [p.text for p in memo.paragraphs],
            )
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_sentences_name_the_female_headed_pool(pool_reports, lang):
    """Every sentence of the report about the eligible pool names the proxy the run used: the
    female-headed estimate is no poor population (background, notices, formula, constraint,
    per-10.000 finding, data note, why a region got its number, the telaahan's advice)."""
    text, memo = pool_reports["female_headed_x_p0", lang]
    for present, absent in FEMALE_HEADED_SENTENCES[lang]:
        assert present in text
        assert absent not in text
    assert any(p.endswith(ADVICE[lang, "female_headed_x_p0"]) for p in memo)
    assert not any(p.endswith(ADVICE[lang, "poor_population"]) for p in memo)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_sentences_of_the_poor_population_keep_its_words(pool_reports, lang):
    text, memo = pool_reports["poor_population", lang]
    kept = {
        "id": [
            "- penduduk miskin sebagai proksi jumlah perempuan memenuhi syarat:",
            "40,0% × penduduk miskin_r / Σ penduduk miskin",
            "- tidak ada wilayah yang mendapat lebih dari jumlah penduduk miskinnya (proksi jumlah memenuhi syarat);",
            "Jumlah memenuhi syarat belum tersedia: penduduk miskin dipakai sebagai proksi,",
        ],
        "en": [
            "- the poor population as a proxy of the number of eligible women:",
            "40.0% × poor population_r / Σ poor population",
            "- no region gets more than its poor population (the proxy of the eligible count);",
            "Eligible counts are not yet available: the poor population is used as a proxy,",
        ],
    }[lang]
    for sentence in kept:
        assert sentence in text
    assert "keluarga miskin berkepala perempuan" not in text and "female-headed" not in text
    assert any(p.endswith(ADVICE[lang, "poor_population"]) for p in memo)


@pytest.mark.parametrize(
    ("method", "id_name", "en_name"),
    [
        ("data", "jumlah memenuhi syarat", "eligible count"),
        ("poor_population", "penduduk miskin (proksi)", "poor population (proxy)"),
        ("female_headed_x_p0", "keluarga miskin berkepala perempuan (proksi)", "poor female-headed families (proxy)"),
        ("file_and_proxy", "jumlah memenuhi syarat (sebagian proksi)", "eligible count (partly proxy)"),
    ],
)
def test_a_dropped_eligible_weight_names_the_pool(method, id_name, en_name):
    """The eligible term totalling 0 drops out with a notice that names the figures as what they
    are: a proxy's pool is no count of the eligible (need.combine is told the method)."""
    import numpy as np

    from optimizer.need import combine, shares_of

    columns = {"poverty_rate": np.array([4.0, 6.0]), "eligible": np.array([0.0, 0.0])}
    weights = {"idg_gap": 0.0, "poverty_rate": 0.6, "eligible": 0.4}
    applied, _, values, notices = combine(columns, weights, eligible_method=method)
    assert applied["eligible"] == 0 and values.tolist() == [0.4, 0.6]
    (notice,) = notices
    assert notice.key == "weight_dropped"
    assert notice.text("id").startswith(f"Indikator {id_name} berjumlah 0 ")
    assert notice.text("en").startswith(f"Indicator {en_name} totals 0 ")
    _, _, (again,) = shares_of(("6402", "6401"), columns, weights, eligible_method=method)
    assert again.text("id") == notice.text("id")


def test_the_runs_tell_the_need_formula_and_the_fallback_notices_their_method(monkeypatch, kaltim):
    """The single-level and the hierarchical run pass the eligible method on (the words of the
    notices above); the female-headed scenario's Samarinda count is of 2023, a fallback."""
    from optimizer import engine, hierarchy, need, tree_need
    from optimizer.scenario import load

    seen = []

    def spy(real):
        def wrapped(*args, **kwargs):
            seen.append(kwargs.get("eligible_method"))
            return real(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(engine, "shares_of", spy(need.shares_of))
    monkeypatch.setattr(tree_need, "combine", spy(need.combine))
    scenario = load("next-fiscal-year-female-headed")
    a = engine.allocate(scenario, kaltim)
    h = hierarchy.allocate_hierarchical(scenario, kaltim)
    assert seen and set(seen) == {"female_headed_x_p0"}
    for notices in (a.notices, h.notices):
        (fallback,) = [n for n in notices if n.key == "fallback"]
        assert fallback.text("id").startswith("keluarga miskin berkepala perempuan (proksi) untuk 6472 ")
        assert fallback.text("en").startswith("poor female-headed families (proxy) for 6472 ")


@pytest.mark.parametrize(
    ("lang", "label", "counted"),
    [
        ("id", "jumlah keluarga miskin berkepala perempuan (proksi)", "jumlah memenuhi syarat"),
        ("en", "poor female-headed families (proxy)", "eligible count"),
    ],
)
def test_a_region_held_at_its_proxy_count_is_bound_by_the_proxy(runner, pool_reports, lang, label, counted):
    """With Rp 15 miliar, 6409, 6411 and 6474 get their whole female-headed estimate: the binding
    constraint is that estimate, in the report's tables and summary, the run table and the page's key."""
    from page_helpers import engine_allocation

    from optimizer.page.payload import build_payload
    from optimizer.scenario import load

    text, _ = pool_reports["female_headed_x_p0", lang]
    rows = [line for line in text.splitlines() if line.startswith(("| 6409 |", "| 6411 |", "| 6474 |"))]
    # the allocation table's rows and the why table's (section 5)
    assert sum(f"| {label} |" in row for row in rows) == 6 and not any(f"| {counted} |" in row for row in rows)
    assert f"{label} {'di 3 wilayah' if lang == 'id' else 'in 3 regions'}" in text  # the summary's binding list
    table = _run(runner, "run", "next-fiscal-year-female-headed", "--budget", "15 miliar", "--lang", lang)
    bound = [line for line in table.splitlines() if line.startswith(("6409 ", "6411 ", "6474 "))]
    assert len(bound) == 3 and all(line.rstrip().endswith(label) for line in bound)
    payload = build_payload(engine_allocation(load("next-fiscal-year-female-headed")), None)
    assert payload["data"]["eligible_keys"]["binding"] == "binding.eligible_proxy_female_headed"
    assert t("binding.eligible_proxy_female_headed", lang) == label


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "Batas atas 5.000 untuk 6411 melebihi penduduk miskin (proksi) 2.900; penduduk miskin (proksi) yang"),
        ("en", "Cap 5,000 for 6411 is above its poor population (proxy) 2,900; the poor population (proxy) applies"),
    ],
)
def test_a_cap_above_the_proxy_names_the_proxy_not_a_count(runner, tmp_path, lang, expected):
    """The poor population of Mahakam Ulu (2,9 ribu jiwa, BPS 2024) is a proxy: a cap above it is
    said to be above that proxy, in the reader's digits, not above an eligible count."""
    from optimizer.scenario import shipped_dir

    text = (shipped_dir() / "next-fiscal-year.toml").read_text(encoding="utf-8")
    scenario = tmp_path / "cap.toml"
    scenario.write_text(text.replace("[constraints]", "[constraints]\ncaps = { 6411 = 5000 }", 1), encoding="utf-8")
    result = runner.invoke(main, ["run", str(scenario), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert expected in " ".join(result.stdout.split())
