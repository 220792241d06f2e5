"""Synthetic candidate lists for tests and benchmarks. No real person's data.

Every NIK here is made of random digits around a valid structure (Kemendagri region
code, birth date with +40 for women, random kecamatan and serial); every name is
``Calon Uji 0001``-style. Nothing is copied from a real list.

The generator can hit every rule (age, DTKS, P3KE, PKH, KUBE, head of family, each NIK
check), make duplicates within and across lists, use Kemendagri codes where BPS codes
are expected (the wrong scheme), and write odd date and yes/no spellings.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from optimizer.regions import kaltim_registry

HEADERS = (
    "NIK",
    "Nama",
    "Tanggal Lahir",
    "Kabupaten/Kota",
    "Status DTKS",
    "Terdaftar P3KE",
    "Penerima PKH",
    "Penerima KUBE",
    "Memiliki Usaha",
    "Jenis Usaha",
    "Status Perkawinan",
    "Kepala Keluarga / Pencari Nafkah Utama",
)
YES_SPELLINGS = ("ya", "Ya", "YA", "y", "Y", "1", "true", "TRUE", "True")
NO_SPELLINGS = ("tidak", "Tidak", "TIDAK", "t", "T", "0", "false", "FALSE", "False")
REGION_SPELLINGS = {
    "6401": ("Paser", "Kab. Paser", "KABUPATEN PASER"),
    "6402": ("Kutai Barat", "Kubar", "KAB. KUTAI BARAT"),
    "6403": ("Kutai Kartanegara", "Kukar", "Kabupaten Kutai Kartanegara", "KAB. KUTAI KARTANEGARA"),
    "6404": ("Kutai Timur", "Kutim", "kab. kutai timur"),
    "6405": ("Berau", "Kab. Berau"),
    "6409": ("Penajam Paser Utara", "PPU"),
    "6411": ("Mahakam Ulu", "Mahulu"),
    "6471": ("Kota Balikpapan", "Balikpapan", "KOTA BALIKPAPAN"),
    "6472": ("Kota Samarinda", "Samarinda"),
    "6474": ("Kota Bontang", "Bontang"),
}
BUSINESSES = ("warung kelontong", "jahit", "kue basah", "sayur keliling", "laundry")
MARITAL = ("Kawin", "Belum Kawin", "Cerai Hidup", "Cerai Mati")


def kemendagri_digits(bps: str) -> str:
    """The four Kemendagri digits (NIK prefix) of a BPS kabupaten/kota code: 6403 -> '6402'."""
    return kaltim_registry().by_code[bps].kemendagri_code.replace(".", "")


def make_nik(rng: random.Random, born: dt.date, *, region: str = "6403", female: bool = True, prefix: str = "") -> str:
    """A synthetic NIK: Kemendagri digits of BPS ``region`` (or ``prefix``, 4 digits), a random
    kecamatan, the birth date (day + 40 for women) and a random serial."""
    head = prefix or kemendagri_digits(region)
    day = born.day + (40 if female else 0)
    return f"{head}{rng.randint(1, 30):02d}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"


def format_date(born: dt.date, style: str) -> object:
    """A birth date in one of the spellings offices use (``date`` for a spreadsheet cell)."""
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober")
    months += ("November", "Desember")
    return {
        "dmy-dash": born.strftime("%d-%m-%Y"),
        "dmy-slash": born.strftime("%d/%m/%Y"),
        "iso": born.isoformat(),
        "named": f"{born.day} {months[born.month - 1]} {born.year}",
        "date": born,
    }[style]


def birth_for_age(rng: random.Random, age: int, as_of: dt.date) -> dt.date:
    """A birth date at which a woman is exactly ``age`` completed years old on ``as_of``."""
    latest = dt.date(as_of.year - age, as_of.month, min(as_of.day, 28))
    return latest - dt.timedelta(days=rng.randint(0, 360))


@dataclass
class Spec:
    """What one synthetic candidate should be; ``row()`` turns it into cells."""

    number: int
    region: str
    born: dt.date
    female: bool = True
    nik: str | None = None
    nik_prefix: str = ""
    dtks: bool | None = True
    p3ke: bool | None = True
    pkh: bool | None = False
    kube: bool | None = False
    head: bool | None = True
    business: bool | None = False
    stated_born: object = "same"
    date_style: str = "dmy-dash"
    region_text: str = ""
    extra: dict = field(default_factory=dict)


def row(spec: Spec, rng: random.Random, spell: bool = True) -> dict:
    """Cells of one candidate (Indonesian headers). ``spell``: vary yes/no spellings."""

    def yn(value: bool | None) -> str:
        if value is None:
            return ""
        pool = YES_SPELLINGS if value else NO_SPELLINGS
        return rng.choice(pool) if spell else pool[0]

    nik = (
        spec.nik
        if spec.nik is not None
        else make_nik(rng, spec.born, region=spec.region, female=spec.female, prefix=spec.nik_prefix)
    )
    stated = spec.born if spec.stated_born == "same" else spec.stated_born
    cells = {
        "NIK": nik,
        "Nama": f"Calon Uji {spec.number:04d}",
        "Tanggal Lahir": format_date(stated, spec.date_style) if isinstance(stated, dt.date) else (stated or ""),
        "Kabupaten/Kota": spec.region_text or rng.choice(REGION_SPELLINGS[spec.region]),
        "Status DTKS": yn(spec.dtks),
        "Terdaftar P3KE": yn(spec.p3ke),
        "Penerima PKH": yn(spec.pkh),
        "Penerima KUBE": yn(spec.kube),
        "Memiliki Usaha": yn(spec.business),
        "Jenis Usaha": rng.choice(BUSINESSES),
        "Status Perkawinan": rng.choice(MARITAL),
        "Kepala Keluarga / Pencari Nafkah Utama": yn(spec.head),
    }
    cells.update(spec.extra)
    return cells


_FLAG_FAULTS = {  # a reject by one flag: fault -> (the Spec field, its value)
    "dtks": ("dtks", False),
    "p3ke": ("p3ke", False),
    "pkh": ("pkh", True),
    "kube": ("kube", True),
    "head": ("head", False),
    "male": ("female", False),
}


def random_list(
    rng: random.Random,
    count: int,
    as_of: dt.date,
    regions: tuple[str, ...] = tuple(REGION_SPELLINGS),
    *,
    start: int = 1,
    reject_share: float = 0.3,
) -> list[dict]:
    """``count`` candidates over ``regions``: about ``1 - reject_share`` eligible, the rest failing
    one random rule each; mixed date and yes/no spellings."""
    rows = []
    styles = ("dmy-dash", "dmy-slash", "iso", "named")
    for i in range(count):
        region = regions[i % len(regions)]
        spec = Spec(start + i, region, birth_for_age(rng, rng.randint(18, 59), as_of), date_style=rng.choice(styles))
        spec.business = rng.random() < 0.4
        if rng.random() < reject_share:
            fault = rng.choice(("young", "old", "dtks", "p3ke", "pkh", "kube", "head", "male", "mismatch", "short"))
            if fault == "young":
                spec.born = birth_for_age(rng, rng.randint(10, 17), as_of)
            elif fault == "old":
                spec.born = birth_for_age(rng, rng.randint(60, 80), as_of)
            elif fault in _FLAG_FAULTS:
                setattr(spec, *_FLAG_FAULTS[fault])
            elif fault == "mismatch":
                spec.stated_born = spec.born - dt.timedelta(days=400)
            else:
                spec.nik = make_nik(rng, spec.born, region=region)[:15]
        rows.append(row(spec, rng))
    return rows


def write_csv(path: Path, rows: list[dict], *, sep: str = ",", title: str | None = None) -> Path:
    """Write rows under :data:`HEADERS` (plus any extra keys) as CSV; ``title`` adds a title row above."""
    headers = list(HEADERS) + [k for k in (rows[0] if rows else {}) if k not in HEADERS]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=sep)
        if title:
            writer.writerow([title])
        writer.writerow(headers)
        for r in rows:
            writer.writerow([r.get(h, "") for h in headers])
    return path


def write_xlsx(path: Path, rows: list[dict], *, title: str | None = None, nik_as_text: bool = True) -> Path:
    """Write rows as a workbook (dates as date cells when given as dates); ``title`` adds a title row.
    ``nik_as_text=False`` stores NIKs as numbers, as a careless spreadsheet does."""
    from openpyxl import Workbook

    headers = list(HEADERS) + [k for k in (rows[0] if rows else {}) if k not in HEADERS]
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for r in rows:
        cells = [r.get(h, "") for h in headers]
        if not nik_as_text and str(cells[0]).isdigit():
            cells[0] = int(cells[0])
        sheet.append(cells)
    book.save(path)
    return path


DECISION_KEYS = (
    "source_file",
    "source_row",
    "nik_masked",
    "region_code",
    "eligible",
    "priority_group",
    "priority_rank",
)


def decisions_file(
    path: Path,
    rng: random.Random,
    listed: dict[str, int],
    *,
    as_of: dt.date = dt.date(2027, 1, 1),
    rejected: int = 1,
    raw_niks: bool = True,
    lang: str = "id",
) -> tuple[Path, set[str]]:
    """A decisions file as ``wrse screen`` writes it (headers in ``lang``), for regions of any
    level (a synthetic desa code as well as a kabupaten/kota code): ``listed[code]`` eligible
    women per region, ranked 1..n, plus ``rejected`` ineligible rows per region (no rank).

    ``raw_niks``: the NIK column holds unmasked synthetic NIKs (a file edited by hand, or a
    careless export), which ``wrse select`` must mask; else masked ones as ``wrse screen``
    writes. The NIK's first four digits are the region code's (synthetic codes, not a real
    Kemendagri code). Returns the path and the set of NIKs written.
    """
    from optimizer.i18n import t
    from optimizer.screening.nik import mask

    niks: set[str] = set()
    headers = [t(f"screen.file.{key}", lang) for key in DECISION_KEYS]
    yes, no = t("screen.file.yes", lang), t("screen.file.no", lang)
    line = 1
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for code, count in listed.items():
            ranks = list(range(1, count + 1)) + [0] * rejected
            rng.shuffle(ranks)  # file order is not rank order
            for rank in ranks:
                line += 1
                nik = make_nik(rng, birth_for_age(rng, rng.randint(18, 59), as_of), prefix=code[:4])
                niks.add(nik)
                eligible = rank > 0
                writer.writerow(
                    [
                        "calon-sintetis.csv",
                        line,
                        nik if raw_niks else mask(nik),
                        code,
                        yes if eligible else no,
                        rng.choice((1, 2)) if eligible else "",
                        rank if eligible else "",
                    ]
                )
    return path, niks
