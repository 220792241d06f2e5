"""Region identity: BPS codes, Kemendagri codes, names and the aliases people type.

The tool keys every region by its **BPS kode wilayah** (``6403`` Kutai Kartanegara).
Kemendagri codes (Permendagri on kode wilayah, also the first digits of a NIK) differ
for some regions: Kemendagri ``64.02`` is Kutai Kartanegara while BPS ``6402`` is Kutai
Barat. A code written with a dot (``64.02``) is read as a Kemendagri code and translated
with a notice; a plain four-digit code is read as BPS and cross-checked against the name
when the file gives one, so a file keyed by the wrong scheme is an error, not a silent
transfer of money between regions.

The registry of known regions is ``data/region-codes.csv`` (the ten kabupaten/kota of
Kalimantan Timur, from ``shared/domain/region-codes.csv``). Data sets for other regions
(e.g. a national table) bring their own codes and names; those are accepted as given.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import repeat

from .errors import InputError
from .i18n import Msg, Notice

_PREFIXES = ("kabupaten", "kab.", "kab", "kota", "kotamadya", "kodya", "city of", "regency")


def normalise_name(name: str) -> str:
    """Reduce a region name to a comparison key.

    Lower case, single spaces, without the ``Kab.`` / ``Kabupaten`` / ``Kota`` prefixes:
    ``'KAB. KUTAI KARTANEGARA'`` -> ``'kutai kartanegara'``.
    """
    text = " ".join(str(name).lower().replace("_", " ").split())
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix + " ") or (prefix.endswith(".") and text.startswith(prefix)):
                text = text[len(prefix) :].strip()
                changed = True
    return text


@dataclass(frozen=True)
class Region:
    """One kabupaten/kota: BPS code, Kemendagri code (``64.02`` form), name, type, aliases."""

    code: str
    name: str
    type: str = ""
    kemendagri_code: str = ""
    aliases: tuple[str, ...] = ()
    parent_code: str = ""

    @property
    def display_name(self) -> str:
        """Name with ``Kab.``/``Kota`` as Indonesian documents write it (a name that has it already,
        such as ``Kab. Sintetis 1101`` of ``wrse synth``, as it is)."""
        words = self.name.lower().split()
        if self.type == "kota" and words[:1] != ["kota"]:
            return f"Kota {self.name}"
        if self.type == "kabupaten" and words[:1] not in (["kab."], ["kabupaten"]):
            return f"Kab. {self.name}"
        return self.name


def _attributes(code: str, name: str, type: str, parent_code: str) -> dict:
    """The ``__dict__`` ``Region(code=code, name=name, type=type, parent_code=parent_code)`` has."""
    return {"code": code, "name": name, "type": type, "kemendagri_code": "", "aliases": (), "parent_code": parent_code}


def bulk_regions(codes: list[str], names: list[str], types: list[str], parent_codes: list[str]) -> list[Region]:
    """``[Region(code=c, name=n, type=t, parent_code=p) for c, n, t, p in zip(...)]`` built
    without the frozen dataclass's ``__init__`` (one attribute dict each, set by C-level maps;
    about half the time), for reading tables of 83,763 desa; the regions are equal to (and
    hashed as) the ones ``Region(...)`` builds. The four lists are of equal length."""
    regions = list(map(Region.__new__, repeat(Region, len(codes))))
    attributes = map(_attributes, codes, names, types, parent_codes)
    deque(map(object.__setattr__, regions, repeat("__dict__"), attributes), maxlen=0)
    return regions


def bulk_region(code: str, name: str, type: str, parent_code: str) -> Region:
    """One region of :func:`bulk_regions`."""
    return bulk_regions([code], [name], [type], [parent_code])[0]


@dataclass(frozen=True)
class Registry:
    """Known regions, looked up by BPS code, Kemendagri code or any alias."""

    regions: tuple[Region, ...]
    provinces: dict[str, str] = field(default_factory=dict)  # code -> name, for complete provinces only
    by_code: dict[str, Region] = field(init=False, repr=False, compare=False)
    by_kemendagri: dict[str, Region] = field(init=False, repr=False, compare=False)
    by_name: dict[str, Region] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {r.code: r for r in self.regions})
        kemendagri = {r.kemendagri_code.replace(".", ""): r for r in self.regions if r.kemendagri_code}
        object.__setattr__(self, "by_kemendagri", kemendagri)
        names: dict[str, Region] = {}
        for region in self.regions:
            for alias in (region.name, region.display_name, *region.aliases):
                names[normalise_name(alias)] = region
        object.__setattr__(self, "by_name", names)

    def find_name(self, name: str) -> Region | None:
        """The region whose name or alias matches ``name`` (any case, any prefix), or None."""
        return self.by_name.get(normalise_name(name))


@lru_cache(maxsize=1)
def kaltim_registry() -> Registry:
    """The ten kabupaten/kota of Kalimantan Timur (source: ``data/region-codes.csv``)."""
    text = resources.files("optimizer.data").joinpath("region-codes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    regions = tuple(
        Region(
            code=row["bps_code"].strip(),
            name=row["name"].strip(),
            type=row["type"].strip(),
            kemendagri_code=row["kemendagri_code"].strip(),
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            parent_code=row["bps_code"].strip()[:2],
        )
        for row in rows
    )
    # region-codes.csv lists every kabupaten/kota of Kalimantan Timur (64): a 64xx code
    # outside it is a typo or another scheme, never a region of its own.
    return Registry(regions, provinces={"64": "Kalimantan Timur"})


_CODE = re.compile(r"^[0-9]{2,10}$")
# What a kode wilayah BPS of each length names (a key below ``region_kind`` in the catalogues):
# 2 digits the province, +2 the kabupaten/kota, +3 the kecamatan, +3 the desa/kelurahan
# (Permendagri 100.1.1-6117/2022; BPS MFD). The lengths a code may have are these.
REGION_KINDS = {2: "province", 4: "kabkota", 7: "kecamatan", 10: "desa"}
BPS_CODE_LENGTHS = tuple(REGION_KINDS)
KABKOTA_DIGITS = 4


def region_kind(digits: int) -> str:
    """``province``, ``kabkota``, ``kecamatan``, ``desa`` (a key below ``region_kind`` in the
    catalogues) for a kode wilayah BPS of ``digits`` digits; ``region`` for another length."""
    return REGION_KINDS.get(digits, "region")


def level_kind(codes) -> str:
    """:func:`region_kind` of the most common code length among ``codes`` (``region`` for none)."""
    from collections import Counter

    lengths = Counter(len(str(c)) for c in codes).most_common(1)
    return region_kind(lengths[0][0]) if lengths else "region"


_DOTTED = re.compile(r"^[0-9]{2}(?:\.[0-9]{2,4})+$")


@dataclass(frozen=True)
class Resolved:
    """The BPS code a row refers to, and a notice when a translation was made."""

    code: str
    notice: Notice | None = None


def resolve_region(
    code: object,
    name: object,
    *,
    source: str,
    row: int | None,
    registry: Registry | None = None,
    kemendagri: bool = False,
) -> Resolved:
    """Work out the BPS code of one row from its code and/or name.

    ``code`` may be a BPS code (``6403``), a dotted Kemendagri code (``64.02``, translated
    with a notice) or empty when ``name`` is given; with ``kemendagri=True`` (a column
    named as Kemendagri codes) a plain code is translated too. ``name`` may be any alias
    (``Kukar``, ``KAB. KUTAI KARTANEGARA``). Regions outside ``registry`` are accepted as
    given (a national data set brings its own codes).

    Raises :class:`InputError` naming ``source`` and ``row`` when the code is malformed,
    when a Kaltim code contradicts its name (the usual sign of a file keyed by Kemendagri
    codes), or when neither identifies a region.
    """
    registry = registry or kaltim_registry()
    code_text = "" if code is None else str(code).strip()
    if code_text.endswith(".0") and code_text[:-2].isdigit():  # spreadsheet number 6403.0
        code_text = code_text[:-2]
    name_text = "" if name is None else " ".join(str(name).split())
    named = registry.find_name(name_text) if name_text else None
    notice = None
    if code_text:
        plain = code_text.replace(".", "")
        if kemendagri or _DOTTED.match(code_text):
            if not _CODE.match(plain):
                raise InputError("regions.row_region_code_code", source=source, row=row, code_text=code_text)
            region = registry.by_kemendagri.get(plain)
            if region is None:
                raise InputError("regions.row_looks_like_kemendagri", source=source, row=row, code_text=code_text)
            notice = Notice.of(
                "kemendagri_translated",
                source=source,
                row=row,
                code=code_text,
                bps=region.code,
                name=region.display_name,
            )
            bps = region.code
        elif _CODE.match(code_text):
            bps = code_text
        else:
            raise InputError("regions.row_region_code_code_2", source=source, row=row, code_text=code_text)
        known = registry.by_code.get(bps)
        if named is not None and known is not None and named.code != bps:
            hint = ""
            other = registry.by_kemendagri.get(bps)
            if other is not None and other.code == named.code and notice is None:
                hint = Msg.of("error.regions.kemendagri_hint", dotted=f"{bps[:2]}.{bps[2:]}", name=named.name)
            raise InputError(
                "regions.row_code_bps_coding",
                source=source,
                row=row,
                code_text=code_text,
                display_name=known.display_name,
                name_text=name_text,
                hint=hint,
            )
        if len(bps) not in BPS_CODE_LENGTHS:
            raise InputError(
                "regions.row_region_code_digits", source=source, row=row, code_text=code_text, n_bps=len(bps)
            )
        if named is not None and known is None and len(bps) == len(named.code):
            raise InputError(
                "regions.row_code_known_kabupaten",
                source=source,
                row=row,
                code_text=code_text,
                name_text=name_text,
                code=named.code,
            )
        province = registry.provinces.get(bps[:2])
        if len(bps) == 4 and known is None and province is not None:
            listing = ", ".join(r.code for r in registry.regions if r.code.startswith(bps[:2]))
            raise InputError(
                "regions.row_code_kabupaten_kota",
                source=source,
                row=row,
                code_text=code_text,
                province=province,
                listing=listing,
            )
        return Resolved(bps, notice)
    if named is not None:
        return Resolved(named.code, None)
    if name_text:
        raise InputError("regions.row_region_name_known", source=source, row=row, name_text=name_text)
    raise InputError("regions.row_region_missing_bps", source=source, row=row)
