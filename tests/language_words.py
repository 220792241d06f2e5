"""Word lists that give away the other language in a user-visible text.

``foreign_words(text, lang)`` returns the words of ``text`` that belong to the other
language: English words in an Indonesian text (``lang="id"``), Indonesian words in an
English one. Identifiers a person types or sees verbatim are left out first: quoted
values, option names (``--budget``), dotted or underscored keys (``weights.idg_gap``),
paths, ``[tables]``, words joined by ``/`` (``kabupaten/kota``, ``ya/tidak``) and
all-capital codes. The lists hold only words that are not also the other language's
(``data``, ``status``, ``optimal``, ``solver``, ``model``, ``total`` are both).
"""

from __future__ import annotations

import re

ENGLISH = frozenset(
    """
    the is are was were be been not no expected expect row rows column columns key keys value values missing must
    should and or of with for from which unknown found invalid usage options option show help budget budgets
    recipients recipient region regions file files written warning error errors persons person shipped year years
    table cannot does has have this that it its by at to on an name names number count counts above below least
    most than more less only each every one two twice use try write writes read default command commands allocate
    allocation scenario scenarios roadmap amount whole positive negative between such when then there here
    indicator indicators eligible need share quota women woman list lists date yes got gives give given
    empty binary mixes separators wrong digits ambiguous could would text numbers sheet workbook header cells cell same
    again first unreadable readable exit version message choose comparison under over
    """.split()
)

INDONESIAN = frozenset(
    """
    dan atau tidak yang untuk dengan baris kolom berkas diharapkan kunci nilai penerima anggaran wilayah bukan ada
    tahun jumlah harus sebagai adalah dari pada ini itu kesalahan peringatan ditulis bawaan orang skenario memenuhi
    syarat kebutuhan kuota penggunaan opsi perintah tampilkan keluar bantuan coba sah diisi dapat dipakai paling
    sedikit banyak sampai sebelum sesudah dua kali berisi bernilai menyebut tabel daftar perempuan calon peringkat
    keputusan sumber catatan bobot metode sisa dibatasi oleh terjangkau dialokasikan acuan tingkat semua setiap
    """.split()
)

_IDENTIFIERS = [
    r"'[^']*'",  # quoted values, as repr() writes them
    r'"[^"]*"',
    r"`[^`]*`",
    r"--?[A-Za-z][\w-]*",  # options
    r"\[[^\]]*\]",  # [tables], [default: ...], [OPSI]
    r"\S*[/\\]\S*",  # paths, kabupaten/kota, ya/tidak
    r"\S*[._]\w\S*",  # dotted and underscored keys, file names, decimals
    r"https?://\S+",
    r"\b[A-Z][A-Z0-9]+\b",  # codes and metavars written in capitals (IDG, BPS, APBD)
]


def words(text: str) -> list[str]:
    """The words of ``text`` a person reads as language (identifiers removed), lower-cased."""
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
