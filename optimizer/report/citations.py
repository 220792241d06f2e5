"""Sources cited as a reader can find them: publisher, title, year and release, never a file name.

The data set records where each figure was found (``source`` in ``kaltim-indicators.csv``):
often a web page that carries a BPS or DKP3A figure. :func:`cite` turns that record into a
citation an official document can carry: the body that produced the figure (BPS for P0 and
the poor population, from the March Susenas; BPS with DKP3A Kaltim for the IDG), the
indicator and year, then the release or the page that carried it (``dikutip dari Radar Paser``)
and its address. A record from a site the table does not know (a user's own data file) is cited
as it was recorded: no producer is claimed for it.

:data:`ARTICLE` is the programme's description (the source document of this project), cited by
its authors and journal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import ByLang

ARTICLE = (
    "Octavia, A. A. & Winarto, A. (2024). Pemberdayaan Gender Melalui Program Wanita Rawan Sosial Ekonomi "
    "(WRSE) di Provinsi Kalimantan Timur. INNOVATIVE: Journal of Social Science Research 4(2): 5581–5589"
)

# host (suffix) -> the name a reader knows it by; official bodies first
CARRIERS: tuple[tuple[str, str, str], ...] = (
    ("dkp3a.kaltimprov.go.id", "siaran DKP3A Provinsi Kalimantan Timur", "release of DKP3A Kalimantan Timur"),
    ("bps.go.id", "Berita Resmi Statistik BPS", "BPS official statistics news"),
    ("antaranews.com", "LKBN Antara Biro Kalimantan Timur", "Antara news agency, East Kalimantan"),
    ("databoks.katadata.co.id", "Databoks (Katadata)", "Databoks (Katadata)"),
    ("radarpaser.com", "Radar Paser", "Radar Paser"),
    ("berauterkini.co.id", "Berau Terkini", "Berau Terkini"),
    ("beritakaltim.co", "Berita Kaltim", "Berita Kaltim"),
    ("borneo.news", "Borneo News", "Borneo News"),
    ("jpnn.com", "JPNN Kaltim", "JPNN Kaltim"),
    ("katakaltim.com", "Kata Kaltim", "Kata Kaltim"),
    ("mediakaltim.com", "Media Kaltim", "Media Kaltim"),
    ("balikpapantv.co.id", "Balikpapan TV", "Balikpapan TV"),
    ("disway.id", "Nomor Satu Kaltim", "Nomor Satu Kaltim"),
    ("a-news.id", "A-News", "A-News"),
    ("innalar.com", "Innalar", "Innalar"),
    ("prokal.co", "Kaltim Post (Prokal)", "Kaltim Post (Prokal)"),
    ("kaltimfaktual.co", "Kaltim Faktual", "Kaltim Faktual"),
    ("wikipedia.org", "Wikipedia (ringkasan angka BPS)", "Wikipedia (summary of BPS figures)"),
)

# indicator -> (producer and title in Indonesian, in English); {year} is the figure's year
PRODUCERS = {
    "idg": (
        "BPS dan KemenPPPA, Indeks Pemberdayaan Gender (IDG) {year}",
        "BPS and KemenPPPA, Gender Empowerment Index (IDG) {year}",
    ),
    "ipg": (
        "BPS dan KemenPPPA, Indeks Pembangunan Gender (IPG) {year}",
        "BPS and KemenPPPA, Gender Development Index (IPG) {year}",
    ),
    "poverty_rate": (
        "BPS, Persentase Penduduk Miskin (P0) Maret {year}, Susenas",
        "BPS, Share of the population in poverty (P0), March {year}, Susenas",
    ),
    "poor_population": (
        "BPS, Jumlah Penduduk Miskin Maret {year}, Susenas",
        "BPS, Number of poor people, March {year}, Susenas",
    ),
    "population": (
        "BPS, Sensus Penduduk 2020 dan proyeksi penduduk pertengahan tahun",
        "BPS, Population Census 2020 and mid-year projections",
    ),
}

_URL = re.compile(r"(?:https?://)?([A-Za-z0-9.-]+\.[a-z]{2,})(/[^\s;)]*)?")
_SEED = re.compile(r"seed document \S+\s*\(([^)]*)\)")
_DATED = re.compile(r"\((?:[^;()]*?,\s*)?(\d{1,2} \w{3} \d{4})")
MONTHS = {
    "Jan": ("Januari", "January"),
    "Feb": ("Februari", "February"),
    "Mar": ("Maret", "March"),
    "Apr": ("April", "April"),
    "May": ("Mei", "May"),
    "Jun": ("Juni", "June"),
    "Jul": ("Juli", "July"),
    "Aug": ("Agustus", "August"),
    "Sep": ("September", "September"),
    "Oct": ("Oktober", "October"),
    "Nov": ("November", "November"),
    "Dec": ("Desember", "December"),
}


@dataclass(frozen=True)
class Citation:
    """A source as printed: ``text`` in both languages (:class:`~.text.ByLang`)."""

    text: ByLang


def _known(host: str) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix, _, _ in CARRIERS)


def _carrier(host: str) -> tuple[str, str]:
    for suffix, name_id, name_en in CARRIERS:
        if host == suffix or host.endswith("." + suffix):
            return name_id, name_en
    return host, host


def _date(raw: str) -> tuple[str, str] | None:
    found = _DATED.search(raw)
    if not found:
        return None
    day, month, year = found.group(1).split()
    names = MONTHS.get(month)
    if names is None:
        return None
    return f"{int(day)} {names[0]} {year}", f"{int(day)} {names[1]} {year}"


def cite(raw: str, indicator: str, year: int | None) -> Citation:
    """The citation of a figure of ``indicator`` (``idg``, ``poverty_rate``, ``poor_population``…)
    for ``year``, from the data set's ``source`` record ``raw``."""
    raw = " ".join(str(raw).split())
    if _SEED.search(raw) or "Octavia" in raw:
        inner = _SEED.search(raw)
        cited = inner.group(1).split("citing", 1)[-1].strip() if inner and "citing" in inner.group(1) else ""
        return Citation(
            ByLang(
                ARTICLE + (f", mengutip {cited}" if cited else ""),
                ARTICLE + (f", citing {cited}" if cited else ""),
            )
        )
    producer_id, producer_en = PRODUCERS.get(indicator, ("{year}", "{year}"))
    label = str(year) if year else ""
    producer_id, producer_en = producer_id.format(year=label), producer_en.format(year=label)
    match = _URL.search(raw)
    known = match is not None and _known(match.group(1).lower())
    if not known:  # a source this table does not know (e.g. a user's --data file): as recorded
        return Citation(ByLang(raw, raw))
    host = match.group(1).lower()
    address = host + (match.group(2) or "")
    carrier_id, carrier_en = _carrier(host)
    when = _date(raw)
    dated_id = f", {when[0]}" if when else ""
    dated_en = f", {when[1]}" if when else ""
    if "'" in raw and "<region>" in raw:  # one page per region on a site: cite the site and the series
        address = host
    return Citation(
        ByLang(
            f"{producer_id}; dikutip dari {carrier_id}{dated_id} ({address})",
            f"{producer_en}; as published by {carrier_en}{dated_en} ({address})",
        )
    )


def eligible_citation(raw_id: str, indicator: str, year: int | None) -> Citation | None:
    """The citation of a proxy eligible count's underlying figure (the poor population), from
    its recorded source (``…; sumber: <address>``); None when the count is not a proxy."""
    if not raw_id.startswith("estimasi") or "sumber:" not in raw_id:
        return None
    return cite(raw_id.split("sumber:", 1)[1].strip(), indicator, year)
