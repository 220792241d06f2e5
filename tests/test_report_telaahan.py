"""The telaahan staf in front of the DOCX report: structure, numbers equal to the annex,
blanks for what the tool cannot know, the total in words (terbilang) checked by hand."""

from __future__ import annotations

import io

import docx
import pytest

from optimizer import engine
from optimizer.report import pipeline, writer
from optimizer.report.terbilang import terbilang
from optimizer.report.text import resolve

# written out by hand the way a Dinas letter spells them (PUEBI: seratus, seribu, sebelas, satu juta)
HAND = {
    0: "nol rupiah",
    1_000: "seribu rupiah",
    11_000: "sebelas ribu rupiah",
    21_000: "dua puluh satu ribu rupiah",
    100_000: "seratus ribu rupiah",
    1_000_000: "satu juta rupiah",
    1_001_000: "satu juta seribu rupiah",
    3_000_000: "tiga juta rupiah",
    51_000_000: "lima puluh satu juta rupiah",
    600_000_000: "enam ratus juta rupiah",
    1_500_000_000: "satu miliar lima ratus juta rupiah",
    1_500_001_000: "satu miliar lima ratus juta seribu rupiah",
    2_115_000_000: "dua miliar seratus lima belas juta rupiah",
}


@pytest.mark.parametrize("rp, words", sorted(HAND.items()))
def test_terbilang_is_the_official_wording(rp, words):
    assert terbilang(rp) == words


def test_terbilang_english_and_negative():
    assert terbilang(600_000_000, "en") == "six hundred million rupiah"
    with pytest.raises(ValueError, match="negative"):
        terbilang(-1)


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


@pytest.fixture(scope="module")
def memo_docx(kaltim, next_year):
    from datetime import date

    report = pipeline.make_report(
        next_year, kaltim, baseline=None, command="test", sensitivity=None, issued=date(2026, 12, 1)
    )
    return report, docx.Document(io.BytesIO(writer.RENDERERS["docx"](report, "id", None)))


def test_the_docx_opens_with_a_telaahan_staf(memo_docx):
    _, document = memo_docx
    text = _paragraphs(document)
    assert text[0] == "TELAAHAN STAF"
    order = [
        "I. Persoalan",
        "II. Praanggapan",
        "III. Fakta-fakta yang mempengaruhi",
        "IV. Analisis",
        "V. Kesimpulan",
        "VI. Saran",
        "LAMPIRAN: LAPORAN TEKNIS",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    heading = document.tables[0]
    fields = {row.cells[0].text: row.cells[2].text for row in heading.rows}
    assert list(fields) == ["Kepada Yth.", "Dari", "Tanggal", "Nomor", "Sifat", "Lampiran", "Perihal"]
    assert fields["Tanggal"] == "1 Desember 2026"
    assert fields["Nomor"] == fields["Kepada Yth."] == "…………………………"  # visible blanks to fill
    assert "NIP. …………………………" in text
    # the weights' justification is absent in the shipped scenario: the note says so
    assert any("pilihan ini belum dijustifikasi" in line for line in text)
    # the facts say what the grant is once ("berupa modal usaha berupa barang" said it twice)
    assert any("berupa modal usaha dalam bentuk barang senilai Rp 3.000.000" in line for line in text)


def test_recommendation_table_is_the_allocation_with_the_total_in_words(memo_docx, kaltim, next_year):
    _, document = memo_docx
    alloc = engine.allocate(next_year, kaltim)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    rows = [[c.text for c in row.cells] for row in table.rows]
    names = {kaltim.region(c).display_name: n for c, n in alloc.recipients().items()}
    body = rows[1:-1]
    assert {r[1]: int(r[2]) for r in body} == names
    assert all(r[3] == f"Rp {int(r[2]) * 3_000_000:,}".replace(",", ".") for r in body)
    assert rows[-1][1:] == ["Jumlah", "200", "Rp 600.000.000"]
    assert "Terbilang: Enam ratus juta rupiah" in _paragraphs(document)


def test_the_lampiran_field_counts_what_follows_the_signature(memo_docx):
    """The heading says how many attachments follow the note: the recommendation page (its own
    table and signature) and the technical report. It said "1 (satu) berkas" with two following."""
    _, document = memo_docx
    fields = {row.cells[0].text: row.cells[2].text for row in document.tables[0].rows}
    text = _paragraphs(document)
    signed = [i for i, line in enumerate(text) if line.startswith("NIP.")]
    after_note = text[signed[0] + 1 :]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    attachments = ["Rekomendasi alokasi bantuan WRSE TA 2027 per kabupaten/kota", "LAMPIRAN: LAPORAN TEKNIS"]
    assert all(line in after_note for line in attachments)
    assert table.rows[-1].cells[1].text == "Jumlah"
    assert fields["Lampiran"] == "2 (dua) berkas: tabel rekomendasi alokasi dan laporan teknis alokasi"


def test_document_fields_come_from_the_scenario(kaltim, next_year):
    from types import MappingProxyType

    scenario = next_year.replace(
        document=MappingProxyType(
            {
                "number": "400.9/123/DS",
                "to": "Kepala Dinas Sosial Provinsi Kalimantan Timur",
                "signatory_title": "Kepala Bidang Perlindungan dan Jaminan Sosial",
            }
        )
    )
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test", sensitivity=None)
    document = docx.Document(io.BytesIO(writer.RENDERERS["docx"](report, "id", None)))
    fields = {row.cells[0].text: row.cells[2].text for row in document.tables[0].rows}
    assert fields["Nomor"] == "400.9/123/DS"
    assert fields["Kepada Yth."] == "Kepala Dinas Sosial Provinsi Kalimantan Timur"
    assert "Kepala Bidang Perlindungan dan Jaminan Sosial" in _paragraphs(document)
    assert resolve(report.front.heading[2][0], "en") == "Date"


def _advice(document) -> list[str]:
    text = _paragraphs(document)
    start = text.index("VI. Saran") + 1
    return [line for line in text[start:] if line.strip()][:3]


def test_unjustified_weights_are_settled_before_approval_is_asked(memo_docx):
    """The shipped scenario gives no basis for its weights and the conclusion says so: the
    advice cannot then ask to approve the table as it stands, only once the weights are settled."""
    _, document = memo_docx
    advice = _advice(document)
    assert advice[0].startswith("Menetapkan dasar bobot kebutuhan")
    assert advice[1].startswith("Setelah dasar bobot kebutuhan ditetapkan, menyetujui alokasi")
    assert not any(line.startswith("Menyetujui alokasi") for line in _paragraphs(document))


def test_justified_weights_let_the_memo_ask_for_approval(kaltim, next_year):
    from types import MappingProxyType

    from optimizer.scenario_tables import Rationale

    reason = Rationale(text="Bobot menurut sasaran RPJMD", reference="RPJMD Prov. Kaltim 2025-2029")
    scenario = next_year.replace(rationale=MappingProxyType({"weights": reason}))
    report = pipeline.make_report(scenario, kaltim, baseline=None, command="test", sensitivity=None)
    document = docx.Document(io.BytesIO(writer.RENDERERS["docx"](report, "id", None)))
    advice = _advice(document)
    assert advice[0] == "Menyetujui alokasi pada tabel rekomendasi sebagai dasar penganggaran bantuan WRSE TA 2027."
    assert not any("Menetapkan dasar bobot" in line for line in advice)
