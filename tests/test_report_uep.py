"""The report of the TA 2027 UEP proposal (scenarios/proposal-2027-uep.toml) read as a Dinas Sosial
reader reads it: the scenario's stated reasons are cited, the UEP rules (not the SK 2023 WRSE
criteria) describe the recipients, and the realised 2025 counts are called what they are."""

from __future__ import annotations

from datetime import date

import pytest

from optimizer import scenario
from optimizer.cli import main
from optimizer.report import pipeline
from optimizer.report.text import resolve


@pytest.fixture(scope="module")
def uep_report(kaltim):
    proposal = scenario.load("proposal-2027-uep")
    return pipeline.make_report(
        proposal,
        kaltim,
        baseline=scenario.load("realised-2025-uep"),
        command="wrse report proposal-2027-uep",
        sensitivity=None,
        issued=date(2026, 12, 1),
    )


def _section_text(section, lang: str = "id") -> str:
    out = []
    for block in section.blocks:
        for part in getattr(block, "parts", ()) + getattr(block, "items", ()):
            out.append(resolve(part, lang))
    return "\n".join(out)


def _memo_part(report, number: int) -> str:
    return _section_text(next(p for p in report.front.parts if p.number == number))


def _section(report, key: str) -> str:
    return _section_text(next(s for s in report.sections if s.key == key))


def test_praanggapan_and_method_cite_the_scenarios_stated_reasons(uep_report):
    # the assumptions of proposal-2027-uep.toml give why the budget is Rp 7,5 miliar and why 5 per region
    for text in (_memo_part(uep_report, 2), _section(uep_report, "method")):
        assert "Anggaran Rp 7.500.000.000: belum ada alasan" not in text
        assert "Batas bawah (5 penerima di setiap wilayah): belum ada alasan" not in text
        assert "Anggaran Rp 7.500.000.000: Sama dengan skala realisasi 2025 (1.500 x Rp 5.000.000)" in text
        assert "Batas bawah (5 penerima di setiap wilayah): Agar setiap kabupaten/kota dapat menyelenggarakan" in text
        # no reference is published: said, not invented; the weights stay unjustified
        assert "Rujukan (RPJMD/Renstra, keputusan TAPD atau peraturan) belum disebut" in text
        assert (
            "Bobot kebutuhan (kesenjangan IDG = 30 · P0 = 30 · penduduk miskin (proksi) = 40): belum ada alasan" in text
        )


def test_uep_recipients_are_described_by_the_rule_in_force(uep_report):
    # UEP from 2025 is open to poor men and women (optimizer/data/parameters.toml, eligibility)
    summary, background = _section(uep_report, "summary"), _section(uep_report, "background")
    assert "perempuan WRSE" not in summary
    assert "1.500 bantuan UEP (satu bantuan per keluarga penerima manfaat (KPM) miskin)" in summary
    assert "Kriteria penerima bantuan usaha ekonomi produktif (SK" not in background
    assert "terbuka bagi laki-laki dan perempuan dari keluarga miskin" in background
    memo = _memo_part(uep_report, 3)
    assert "Penerima memenuhi kriteria SK" not in memo and "laki-laki dan perempuan" in memo


def _whole_text(report) -> str:
    """The telaahan staf with its heading, every section (facts with their labels), table titles,
    headings and notes."""
    out = [_section_text(s) for s in report.sections]
    out += [_section_text(p) for p in report.front.parts]
    out += [
        resolve(report.title, "id"),
        resolve(report.subtitle, "id"),
        resolve(report.front.recommendation.title, "id"),
    ]
    out += [resolve(value, "id") for _label, value in report.front.heading]  # the facts' labels: _section_text
    for table in report.tables():
        out.append(resolve(table.title, "id"))
        out += [resolve(c.label, "id") for c in table.columns]
        out += [resolve(n, "id") for n in getattr(table, "notes", ())]
    return "\n".join(out)


def test_uep_wording_follows_the_dated_rule_of_the_fiscal_year(uep_report):
    # TA 2027 takes the 2026 UEP value: Rp 5.000.000 per family (KPM), open to poor men and women.
    # The report said "perempuan memenuhi syarat", "Bantuan WRSE" and "Bantuan per penerima"
    # beside a table of UEP grants per family.
    text = _whole_text(uep_report)
    for wrong in ("perempuan memenuhi syarat", "perempuan yang memenuhi syarat", "Bantuan WRSE", "bantuan WRSE"):
        assert wrong not in text, wrong
    for wrong in ("Bantuan per penerima", "Biaya per penerima", "biaya Rp 5.000.000 per penerima"):
        assert wrong not in text, wrong
    assert resolve(uep_report.title, "id") == "Laporan justifikasi alokasi bantuan UEP TA 2027"
    assert "Usulan alokasi bantuan UEP TA 2027 per kabupaten/kota" in text  # perihal
    assert "Rekomendasi alokasi bantuan UEP TA 2027 per kabupaten/kota" in text
    # I Persoalan counts recipients like the rest of the memo (the unit, per family, is in III)
    assert "(1.500 penerima @ Rp 5.000.000)" in text and "KPM @" not in text
    assert "Bantuan per keluarga (KPM)" in text and "Rupiah = penerima × biaya per keluarga (KPM)." in text
    assert "bukan hitungan keluarga (KPM) memenuhi syarat" in text
    # the unit's year comes from the dated values (the first per-family value), not from the wording
    assert "sejak 2026 satuan bantuan adalah keluarga (KPM)" in text


def test_wrse_wording_stays_with_the_sk_2023_rule(kaltim, next_year):
    # next-fiscal-year keeps the SK 2023 value (Rp 3.000.000 per person, WRSE: women only)
    report = pipeline.make_report(
        next_year, kaltim, baseline=None, command="wrse report next-fiscal-year", sensitivity=None
    )
    text = _whole_text(report)
    assert resolve(report.title, "id") == "Laporan justifikasi alokasi bantuan WRSE TA 2027"
    assert "Bantuan per penerima" in text and "(200 penerima @ Rp 3.000.000)" in text
    assert "bukan hitungan perempuan memenuhi syarat" in text and "Usulan alokasi bantuan WRSE TA 2027" in text
    for wrong in ("KPM", "bantuan UEP", "keluarga (KPM) memenuhi syarat"):
        assert wrong not in text, wrong


def test_realised_baseline_is_called_the_realised_counts(uep_report):
    text = _section(uep_report, "baseline")
    assert "dihitung dengan mesin alokasi yang sama" not in text
    assert "jumlah realisasi 2025 per wilayah sebagaimana dilaporkan" in text
    assert "(realised-2025-uep)" not in text


# English words and internal identifiers a Dinas Sosial reader found in the Indonesian report
ENGLISH = (
    "solver:",
    "Baseline",
    "baseline",
    "Hold-harmless",
    "Gap IDG",
    "gap IDG",
    "inverse CDF",
    "same list",
    "all ten",
    "seed document",
    "000_ff87c541184e31ca",
    "opsi --",
    "--baseline none",
    "largest-remainder",
)


def _indonesian_text(report) -> str:
    """Everything a reader reads in the report except the audit trail (which quotes the command
    and the input files by name, as it must): sections, table titles and headings, chart labels."""
    out = [_section_text(s) for s in report.sections if s.key != "audit"]
    out += [_section_text(p) for p in report.front.parts]
    for table in report.tables():
        if table.key in ("audit_files",):
            continue
        out.append(resolve(table.title, "id"))
        out += [resolve(c.label, "id") for c in table.columns]
    for chart in report.charts.values():
        out += [resolve(chart.title, "id"), resolve(chart.axis, "id")]
        out += [resolve(s.label, "id") for s in chart.series]
    return "\n".join(out)


def test_no_english_or_scenario_ids_in_the_indonesian_report(uep_report):
    text = _indonesian_text(uep_report)
    for word in ENGLISH:
        assert word not in text, word
    # section 6, its table and its chart name the scenarios by title, not by file name
    comparison = [_section(uep_report, "baseline"), resolve(uep_report.table("baseline").title, "id")]
    comparison += [resolve(s.label, "id") for s in uep_report.charts["recipients"].series]
    for word in ("realised-2025-uep", "proposal-2027-uep"):
        assert word not in "\n".join(comparison), word
    # the comparison is named by the scenarios' titles
    assert "Penerima dan rupiah per wilayah dibandingkan dengan Realisasi 2025 (UEP)" in text
    assert "pembanding: Realisasi 2025 (UEP)" in text and "skenario: Usulan TA 2027 (UEP)" in text


def test_overrides_are_said_in_plain_words(kaltim, next_year):
    report = pipeline.make_report(
        next_year,
        kaltim,
        baseline=None,
        command="wrse report next-fiscal-year",
        budget_rp=1_500_000_000,
        method="largest-remainder",
        sensitivity=None,
    )
    text = _indonesian_text(report)
    for word in ENGLISH:
        assert word not in text, word
    assert (
        "anggaran diubah dari Rp 600.000.000 (200 penerima) yang tertulis di skenario menjadi Rp 1.500.000.000" in text
    )
    assert report.slug == "next-fiscal-year_1500juta_hamilton"


def test_workbook_cells_never_touch_their_neighbours(uep_report):
    # LibreOffice showed "Rp 635.000.000-": a right-aligned amount against the left-aligned
    # "Kendala mengikat" text; every value keeps one character of indent on its aligned side
    import io

    import openpyxl

    from optimizer.report import writer

    wb = openpyxl.load_workbook(io.BytesIO(writer.RENDERERS["xlsx"](uep_report, "id", None)))
    table = uep_report.table("allocation")
    ws = wb[resolve(table.sheet, "id")]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=20) if any(c.value == "Rupiah" for c in r))
    columns = {c.value: c.column for c in header}
    rupiah, binding = columns["Rupiah"], columns["Kendala mengikat"]
    assert binding == rupiah + 1
    assert header[rupiah - 1].alignment.indent >= 1 and header[binding - 1].alignment.indent >= 1
    rows = [r for r in ws.iter_rows(min_row=header[0].row + 1) if r[rupiah - 1].value is not None]
    assert len(rows) >= 10
    for row in rows:
        amount, text = row[rupiah - 1], row[binding - 1]
        assert amount.alignment.horizontal == "right" and amount.alignment.indent >= 1
        if text.value is not None:
            assert text.alignment.horizontal == "left" and text.alignment.indent >= 1


def test_print_css_gives_every_table_one_font_size():
    # the printed HTML mixed 6,6 pt wide tables with 8 pt narrow ones (one table "full size")
    import re
    from importlib import resources

    css = resources.files("optimizer.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    sizes = set(re.findall(r"table[^{]*\{[^}]*font-size:\s*([\d.]+pt)", printed))
    assert sizes == {"6.6pt"}
    assert re.search(r"(^|[\s,}])table, table\.wide \{[^}]*font-size: 6.6pt", printed)
    # the screen page is wide enough for the nine-column comparison table at 1366 px
    width = float(re.search(r"body \{ max-width: ([\d.]+)rem", css).group(1))
    assert width * 14 >= 1100


def test_docx_charts_fit_their_page_with_the_legend(uep_report):
    # at 230 mm wide on a landscape page the quota chart was taller than the page: LibreOffice cut
    # off its axis label and legend (DOCX p.11)
    import io

    import docx

    from optimizer.report import writer

    document = docx.Document(io.BytesIO(writer.RENDERERS["docx"](uep_report, "id", None)))
    body = document.element.body
    sections = list(document.sections)
    assert document.inline_shapes
    for shape in document.inline_shapes:
        # the section a picture is in: the first section break after it (or the last section)
        paragraph = shape._inline.getparent()
        while paragraph.getparent() is not body:
            paragraph = paragraph.getparent()
        index = sum(
            1 for el in body[: list(body).index(paragraph)] if el.find(".//" + docx.oxml.ns.qn("w:sectPr")) is not None
        )
        section = sections[min(index, len(sections) - 1)]
        room = section.page_height - section.top_margin - section.bottom_margin
        assert shape.height <= room, (shape.height.mm, room.mm)


def test_a_proxy_made_from_an_estimated_figure_is_flagged_and_no_command_is_cited(tmp_path):
    """PPU's 2024 poor population is a residual-method estimate; as the proxy its row carried no
    'estimasi' flag, and the Mahakam Ulu note sent a TAPD reader to the command 'wrse data'."""
    from click.testing import CliRunner

    from optimizer.cli import main

    result = CliRunner().invoke(main, ["report", "next-fiscal-year", "--format", "md", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "next-fiscal-year.md").read_text(encoding="utf-8")
    ppu = next(
        line for line in text.splitlines() if line.startswith("| 6409 |") and "| [7] |" in line.replace("\\", "")
    )
    assert ppu.rstrip(" |").endswith("penduduk miskin: estimasi")
    paser = next(line for line in text.splitlines() if line.startswith("| 6401 |"))
    assert "estimasi" not in paser
    assert "wrse data" not in text


def test_memo_counts_recipients_one_way_and_names_the_proxy_in_persons(uep_report):
    """The telaahan said "1.500 KPM" in I and "1.500 penerima" elsewhere; the proxy column counts
    persons (penduduk miskin), so its heading says so and never calls it families."""
    memo = " ".join(
        resolve(item, "id")
        for part in uep_report.front.parts
        for block in part.blocks
        for item in (getattr(block, "items", ()) or getattr(block, "parts", ()))
    )
    assert "1.500 penerima" in memo and "1.500 KPM" not in memo
    headings = [resolve(c.label, "id") for t in uep_report.tables() for c in t.columns]
    proxy = [h for h in headings if h.lower().startswith("penduduk miskin")]
    assert proxy and all(h == "Penduduk miskin (proksi, jiwa)" for h in proxy)
    assert not [h for h in headings if "proksi" in h and ("KPM" in h or "keluarga" in h)]


def test_baseline_sentence_names_the_comparison_once(kaltim, next_year, baseline):
    """III Fakta and the technical report said "Program 2023: 50 penerima di … (TA 2023): 50
    penerima di 2 kabupaten/kota"; the baseline is named by its short title, the counts once."""
    report = pipeline.make_report(next_year, kaltim, baseline=baseline, command="t", sensitivity=None)
    facts = next(p for p in report.front.parts if p.number == 3)
    (line,) = [
        resolve(i, "id") for b in facts.blocks for i in getattr(b, "items", ()) if "Pembanding" in resolve(i, "id")
    ]
    assert line == "Pembanding: Program 2023 (TA 2023): 50 penerima di 2 kabupaten/kota."
    assert line.count("50 penerima") == 1


def test_workbook_says_the_cost_per_family_and_signs_recipients_minus_quota(uep_report):
    """The UEP grant is per keluarga (KPM) from 2026: the workbook's cost cell says so, as the
    DOCX's facts do (it said "Biaya per penerima"); "Penerima - kuota" keeps its "+"."""
    import io

    import openpyxl

    from optimizer.report import writer

    wb = openpyxl.load_workbook(io.BytesIO(writer.RENDERERS["xlsx"](uep_report, "id", None)))
    labels = {ws.title: [c.value for (c,) in ws.iter_rows(max_col=1, max_row=8)] for ws in wb}
    for sheet in ("Rekomendasi", "Alokasi"):
        assert "Biaya per keluarga (KPM)" in labels[sheet] and "Biaya per penerima" not in labels[sheet], sheet
    why = wb[resolve(uep_report.table("why").sheet, "id")]
    header = next(r for r in why.iter_rows(max_row=10) if any(c.value == "Penerima - kuota" for c in r))
    column = next(c.column for c in header if c.value == "Penerima - kuota")
    cells = [r[column - 1] for r in why.iter_rows(min_row=header[0].row + 1) if r[column - 1].value is not None]
    expected = {row[0]: row[4] - row[3] for row in uep_report.table("why").rows if row[3] is not None}
    assert len(cells) == len(expected) == 10
    assert any(v > 0 for v in expected.values()) and any(v < 0 for v in expected.values())
    for cell in cells:
        fmt = cell.number_format
        assert fmt.split(";")[0].endswith("+#,##0.00") and fmt.split(";")[1] == "-#,##0.00", fmt
    assert sorted(c.value for c in cells) == pytest.approx(sorted(expected.values()))


def test_docx_command_lines_break_between_arguments_only():
    """Prose keeps its minus signs on the digit (``(-13)`` never broken after ``(-``); a command
    line is left plain (:func:`unbroken`), so that a copied command runs."""
    from optimizer.report.docx import unbroken

    line = "wrse report proposal-2027-uep --baseline realised-2025-uep --lang id"
    assert unbroken(line) == line
    assert unbroken("Perubahan (-13) dan rata-rata") == "Perubahan (\u201113) dan rata-rata"  # prose: minus signs only


@pytest.mark.parametrize("lang", ["id", "en"])
def test_docx_commands_are_plain_ascii_and_fit_on_one_line(runner, tmp_path, lang):
    """``wrse report --format docx``: every command shown to the reader (the audit trail's, the
    analysis command) is plain ASCII, so a copied command runs (``‑‑baseline`` with U+2011 is an
    unknown option), and in Courier New (every character 0,6 em) at a size that fits its line,
    so that Writer never breaks it after a hyphen (``--`` / ``baseline``)."""
    import docx
    from docx.shared import Mm

    result = runner.invoke(
        main,
        [
            "report",
            "next-fiscal-year",
            "--format",
            "docx",
            "--date",
            "2026-12-01",
            "--out",
            str(tmp_path),
            "--lang",
            lang,
        ],
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(next(tmp_path.glob("*.docx"))))
    section = document.sections[-1]
    page = section.page_width - section.left_margin - section.right_margin
    found = []
    for paragraph in document.paragraphs:
        found += [(run, page) for run in paragraph.runs if "wrse " in run.text and "-" in run.text]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                room = cell.width - Mm(3.8)  # Word's and Writer's default cell margins, 0,19 cm each side
                found += [(r, room) for p in cell.paragraphs for r in p.runs if r.text.startswith("wrse ")]
    texts = {run.text for run, _ in found}
    assert any(t.startswith("wrse report next-fiscal-year --baseline") for t in texts), texts
    assert any(t.startswith("wrse sensitivity next-fiscal-year --draws") for t in texts), texts
    for run, room in found:
        assert run.text.isascii(), run.text
        assert run.font.name == "Courier New", run.text
        assert len(run.text) * 0.6 * run.font.size <= room, (run.text, run.font.size.pt)
