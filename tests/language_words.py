"""Word lists that give away the other language in a user-visible text.

``foreign_words(text, lang)`` returns the words of ``text`` that belong to the other
language: English words in an Indonesian text (``lang="id"``), Indonesian words in an
English one. Identifiers a person types or sees verbatim are left out first: quoted
values, option names (``--budget``), dotted or underscored keys (``weights.idg_gap``),
paths, ``[tables]``, words joined by ``/`` (``kabupaten/kota``, ``ya/tidak``) and
all-capital codes. The lists hold only words that are not also the other language's
(``data``, ``status``, ``optimal``, ``model``, ``total`` are both; ``solver`` is English: ``pemecah``).
"""

from __future__ import annotations

import re

ENGLISH = frozenset(
    """
    above again allocate allocation ambiguous amount an and are at be been below between binary budget budgets
    by cannot cell cells choose column columns command commands comparison could count counts date default
    digits does each eligible empty error errors every exit expect expected file files first for found from give
    given gives got has have header help here indicator indicators invalid is it its key keys least less list
    lists message missing mixes more most must name names need negative no not number numbers of on one only
    option options or over person persons positive quota read readable recipient recipients region regions
    roadmap row rows same scenario scenarios separators share sheet shipped should show such table text than
    that the then there this to try twice two under unknown unreadable usage use value values version warning
    was were when which whole with woman women workbook would write writes written wrong year years yes
    fallback gap seed solver
    about after all also before both but can different equal estimate figure figures grant grants into other
    poor population poverty published received source sources split their these they without
    """.split()  # noqa: SIM905 - a word list is easier to keep as text
)

INDONESIAN = frozenset(
    """
    acuan ada adalah anggaran atau bantuan banyak baris bawaan berisi berkas bernilai bobot bukan calon catatan
    coba daftar dan dapat dari dengan dialokasikan dibatasi diharapkan diisi dipakai ditulis dua harus ini itu
    jumlah kali kebutuhan keluar keputusan kesalahan kolom kunci kuota memenuhi menyebut metode nilai oleh opsi
    orang pada paling penerima penggunaan perempuan peringatan peringkat perintah sah sampai sebagai sebelum
    sedikit semua sesudah setiap sisa skenario sumber syarat tabel tahun tampilkan terjangkau tidak tingkat
    untuk wilayah yang
    bahwa belum bila dalam dibagi dibanding hanya hasil jika juga karena kepada lain lebih menjadi menurut
    realisasi sehingga sekitar sudah tetapi usulan
    """.split()  # noqa: SIM905 - a word list is easier to keep as text
)

# Phrases a reader of either language sees as they are written, each with the reason it is kept.
# They are removed before the words are looked up (only exactly these phrases).
ALLOWED: dict[str, str] = {
    # proper names of sources, cited as published
    "INNOVATIVE: Journal of Social Science Research": "the journal's name, as printed on the article cited",
    "Pemberdayaan Gender Melalui Program Wanita Rawan Sosial Ekonomi (WRSE) di Provinsi Kalimantan Timur": (
        "the cited article's title (Octavia & Winarto 2024), as published"
    ),
    "Wanita Rawan Sosial Ekonomi": "the programme's name",
    "SK Kepala Dinas Sosial": "the title of the decree (Surat Keputusan) cited",
    "Kepala Dinas Sosial": "the issuer of the decree, an office's name",
    "List of regencies and cities in East Kalimantan": "the title of the cited web page",
    # programme and administrative terms an English reader of this programme uses as they are
    "kabupaten/kota": "the administrative level, a programme term in both languages",
    "Dinas Sosial": "the provincial social affairs office, a proper name",
    "Jumlah Penduduk dan Persentase Kemiskinan": "the title of the cited BPS table (databoks), as published",
    "Dalam Angka": "the name of the BPS publication series (Mahakam Ulu Dalam Angka 2023), cited as published",
    "Tahun Anggaran": "a fiscal year as the APBD document names it (TA 2027)",
    "telaahan staf": "the Indonesian staff memo, a document type the English report names",
}

_QUOTED = [
    r"\bNo\.",  # Nomor (No. 40.9/33/DS.V/2023): the abbreviation both languages print
    r"```\w*",  # a Markdown code fence and its language tag
    r"wrse [\w-]+",  # a command as typed
    r"(?m)^ +[a-z][\w-]* {2,}",  # the command column of wrse --help
    r"(?m)^ *(?:table|xlsx|csv-excel|csv|json|auto|exact|dirichlet|uniform)(?=:)",  # values an option takes
    r"'[^']*'",  # quoted values, as repr() writes them
    r'"[^"]*"',
    r"`[^`]*`",
    r"\S*\w-\w\S*",  # next-fiscal-year, sainte-lague, roadmap-all-ten-2027
]
_IDENTIFIERS = [
    r"(?<!\w)--?[A-Za-z][\w-]*",  # options
    r"\[[^\]]*\]",  # [tables], [default: ...], [OPSI]
    r"\{[^}]*\}",  # the fields of a message template ({year}), as the page carries its catalogue
    r"\S*[/\\]\S*",  # paths, kabupaten/kota, ya/tidak
    r"\S*[._]\w\S*",  # dotted and underscored keys, file names, decimals
    r"https?://\S+",
    r"\b[A-Z][A-Z0-9]+\b",  # codes and metavars written in capitals (IDG, BPS, APBD)
]


def _identifiers() -> frozenset[str]:
    """Names a user types in a scenario, a roadmap or a data file (TOML tables and keys, indicator
    names, column headers): they appear verbatim in messages of either language."""
    from optimizer.analysis.roadmap import ROADMAP_SCHEMA
    from optimizer.inputs.dataset import INDICATORS, RECORD_COLUMNS, STATUSES
    from optimizer.scenario import SCHEMA, WEIGHT_KEYS

    names: set[str] = set(INDICATORS) | set(WEIGHT_KEYS) | set(RECORD_COLUMNS) | set(STATUSES)
    for schema in (SCHEMA, ROADMAP_SCHEMA):
        names |= set(schema)
        for keys in schema.values():
            names |= set(keys)
    return frozenset(n.lower() for n in names if n.isalpha())


IDENTIFIERS = _identifiers()


_LIST = re.compile(r"[\w'<>-]+(?:, [\w'<>-]+)+(?:,? (?:atau|or|dan|and) [\w'<>-]+)?")


def _strip_identifier_lists(text: str) -> str:
    """Remove lists of names a user types (``idg, poverty_rate, eligible``; ``scenario, costs, regions``)."""

    def strip(match: re.Match) -> str:
        items = re.split(r",? (?:atau|or|dan|and) |, ", match.group(0))
        typed = all(item.lower() in IDENTIFIERS or not item.isalpha() for item in items)
        return " " if typed else match.group(0)

    return _LIST.sub(strip, text)


def words(text: str) -> list[str]:
    """The words of ``text`` a person reads as language (identifiers and :data:`ALLOWED` removed), lower-cased.
    A non-breaking hyphen (U+2011, which keeps ``--date`` whole in the DOCX) reads as ``-``."""
    text = text.replace("\u2011", "-")
    for phrase in ALLOWED:
        text = text.replace(phrase, " ")
    for pattern in _QUOTED:
        text = re.sub(pattern, " ", text)
    text = _strip_identifier_lists(text)
    for pattern in _IDENTIFIERS:
        text = re.sub(pattern, " ", text)
    return [w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)]


def foreign_words(text: str, lang: str) -> list[str]:
    """Words of ``text`` from the language that is not ``lang`` (``id`` or ``en``), in order, unique."""
    other = ENGLISH if lang == "id" else INDONESIAN
    seen: dict[str, None] = {}
    for word in words(text):
        if word in other:
            seen[word] = None
    return list(seen)


def foreign_lines(text: str, lang: str) -> list[str]:
    """The lines of ``text`` that hold a word of the other language, each with the words found."""
    out = []
    for line in text.splitlines():
        found = foreign_words(line, lang)
        if found:
            out.append(f"{found}: {line.strip()}")
    return out
