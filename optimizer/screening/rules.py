"""The eligibility rules of SK Kadinsos Kaltim No. 40.9/33/DS.V/2023, applied to one candidate.

A candidate is **eligible** when no rule rejects her:

* her NIK is usable: 16 digits, a province code in digits 1-2 (Kepmendagri No.
  100.1.1-6117 Tahun 2022), a possible birth date in digits 7-12 that shows a woman
  (day + 40) and agrees with the stated birth date (``nik_*`` reasons);
* a stated birth date not after the reference date (``birth_date_after_as_of``: a typing
  error such as 2070 for 1970; no age is computed from it);
* aged 18-59 on the reference date (criterion 2; completed years, so 59 lasts until the
  day before her 60th birthday);
* listed in DTKS and in P3KE (criterion 1, the SK's 2023 wording and the default rule), or,
  with the rule ``dtsen`` (:class:`DatabaseRule`: since Inpres 4/2025 DTKS and P3KE are
  merged into DTSEN, desil 1-10), listed in DTSEN at a desil no higher than the scenario's
  ``screening.dtsen_max_desil``; not a PKH or KUBE recipient (criterion 3);
* the main breadwinner / head of her family (the SK's definition of WRSE).

Each rejection is a :class:`Finding` with a stable code (written to the decisions file)
and words in Indonesian and English (``[screen.reason]`` in the message catalogues).
Warnings do not reject: a NIK issued in another kabupaten/kota or province (people move,
the NIK stays), a NIK whose kabupaten/kota code is not one of today's ten (a pre-2012 code
of what is now Kalimantan Utara, e.g. Bulungan or Tarakan, is still on many KTPs), a NIK
stored as a spreadsheet number, a name cell holding a NIK-like number (masked; are the NIK
and Nama columns swapped?), a birth date taken from the NIK,
an unknown business status (she is then not prioritised), an empty business line
(criterion 5, will and skills for a line of business, is checked at bimtek, not here).

Priority (criterion 4, "diutamakan yang belum memiliki usaha"): group 1 = no business
yet, group 2 = has a business or unknown. The ranking inside a group is in
:mod:`~optimizer.screening.ranking`.

The SK's "18-59 tahun dan/atau sudah berkeluarga" is applied as the age band alone, as
the programme applies it; marital status does not decide (the SK admits married,
unmarried, divorced and abandoned women alike).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InputError
from ..i18n import Msg, catalogue, t
from .nik import KALTIM_PROVINCE, NIK_LENGTH, PROVINCES, NikCell, facts

MIN_AGE = 18  # SK 40.9/33/DS.V/2023, criterion 2
MAX_AGE = 59  # idem: "berusia antara 18-59 tahun"

# The reference dates screening accepts: a plausibility window, not a rule of the SK. A
# reference date outside it is a typing error (--as-of 1900-01-01 made every age negative).
EARLIEST_AS_OF = dt.date(2000, 1, 1)
LATEST_AS_OF = dt.date(2100, 12, 31)

# Criterion columns: (field, value that rejects, reason code when it does).
CRITERIA = (
    ("dtks", False, "not_in_dtks"),
    ("p3ke", False, "not_in_p3ke"),
    ("pkh", True, "pkh_recipient"),
    ("kube", True, "kube_recipient"),
    ("head_of_family", False, "not_head_of_family"),
)

DATABASES = ("dtks_p3ke", "dtsen")


@dataclass(frozen=True)
class DatabaseRule:
    """The data-base criterion (criterion 1).

    ``kind``: ``dtks_p3ke`` (listed in DTKS and in P3KE, the SK 40.9/33/DS.V/2023 wording;
    the default) or ``dtsen`` (listed in DTSEN, Inpres 4/2025, at a desil from 1 to
    ``max_desil``; the limit is the scenario's ``screening.dtsen_max_desil``, a policy choice).
    """

    kind: str = "dtks_p3ke"
    max_desil: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in DATABASES:
            raise InputError("screening.rules.screening_rule_unknown", kind=self.kind, databases=", ".join(DATABASES))
        if self.kind == "dtsen" and (self.max_desil is None or not 1 <= self.max_desil <= 10):
            raise InputError("screening.rules.dtsen_screening_rule_needs", max_desil=self.max_desil)


SK_2023 = DatabaseRule()

REJECTIONS = (
    "nik_missing",
    "nik_scientific",
    "nik_format",
    "nik_invalid",
    "nik_not_female",
    "nik_birth_date_mismatch",
    "birth_date_missing",
    "birth_date_unreadable",
    "birth_date_after_as_of",
    "age_under_18",
    "age_over_59",
    *(code for _, _, code in CRITERIA),
    "not_in_dtsen",
    "dtsen_desil_above",
    "unreadable_dtsen_desil",
    "unreadable_dtsen",
    *(f"missing_{field}" for field, _, _ in CRITERIA),
    *(f"unreadable_{field}" for field, _, _ in CRITERIA),
    "duplicate_nik",
)
WARNINGS = (
    "nik_stored_as_number",
    "nik_other_province",
    "nik_region_unknown",
    "nik_other_region",
    "name_holds_nik",
    "birth_date_from_nik",
    "missing_has_business",
    "unreadable_has_business",
    "business_type_missing",
    "duplicate_group",
)

PRIORITY_NO_BUSINESS = 1
PRIORITY_OTHERS = 2


@dataclass(frozen=True)
class Finding:
    """A reason (rejection) or warning: a stable ``code`` and the parameters of its words."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: str, /, **params: object) -> Finding:
        """Build a finding from keyword parameters (any name, ``code`` included)."""
        return cls(code, tuple(sorted(params.items())))

    def text(self, lang: str = "id") -> str:
        """The finding in words (``lang`` ``id`` or ``en``), with its parameters."""
        return _words("reason", self.code, lang, dict(self.params))


def label(code: str, lang: str = "id") -> str:
    """A short label of a reason or warning code, without parameters (for summaries)."""
    return _words("label", code, lang, {})


def _words(kind: str, code: str, lang: str, params: dict[str, object]) -> str:
    if f"screen.{kind}.{code}" in catalogue(lang):
        return t(f"screen.{kind}.{code}", lang, **params)
    prefix, _, field = code.partition("_")
    return t(f"screen.{kind}.{prefix}", lang, column=t(f"screen.column.{field}", lang), **params)


@dataclass(frozen=True)
class Candidate:
    """One row of a candidate list, parsed (cells already read by column kind).

    ``flags``: ``{field: True/False/None}`` for the yes/no fields (None: empty or
    unreadable; ``problems`` says which). ``problems``: ``{field: 'missing'|'unreadable'}``.
    ``region_code``: BPS code of the proposing kabupaten/kota. ``name_holds_nik``: the
    name cell held a run of 12 or more digits (a NIK in the wrong column; masked on reading).
    ``dtsen_desil``: the DTSEN desil (1-10), or None when not listed (read with the rule ``dtsen``).
    """

    nik: NikCell
    birth_date: dt.date | None
    region_code: str
    flags: dict[str, bool | None]
    problems: dict[str, str]
    business_type_missing: bool = False
    name_holds_nik: bool = False
    dtsen_desil: int | None = None


@dataclass(frozen=True)
class Assessment:
    """The decision on one candidate before duplicates are considered.

    ``rejections``/``warnings``: findings in a fixed order. ``age``: completed years on
    the reference date (None when no birth date is known). ``priority_group``: 1 (no
    business yet) or 2. ``nik_bps``: BPS code of the region that issued the NIK, or ``""``.
    """

    rejections: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    age: int | None
    priority_group: int
    nik_bps: str

    @property
    def eligible(self) -> bool:
        """True when no rule rejects the candidate."""
        return not self.rejections


def check_as_of(as_of: dt.date) -> None:
    """Raise :class:`InputError` unless ``as_of`` is a plausible reference date
    (:data:`EARLIEST_AS_OF` to :data:`LATEST_AS_OF`)."""
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise InputError("screening.rules.reference_date_plausible", as_of=as_of, as_of_range=as_of_range())


def as_of_range() -> Msg:
    """The accepted reference dates in words: ``a date from 01-01-2000 to 31-12-2100`` (a message)."""
    return Msg.of("error.expected.date_range", first=f"{EARLIEST_AS_OF:%d-%m-%Y}", last=f"{LATEST_AS_OF:%d-%m-%Y}")


def age_on(born: dt.date, as_of: dt.date) -> int:
    """Completed years of age on ``as_of`` (a 29 February birthday counts on 1 March).

    Raises ``ValueError`` when ``born`` is after ``as_of`` (an age is never negative).
    """
    if born > as_of:
        raise ValueError("the birth date is after the reference date")
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def _region_label(bps: str) -> str:
    from ..regions import kaltim_registry

    region = kaltim_registry().by_code.get(bps)
    return region.display_name if region else bps


def _dtsen(candidate: Candidate, rule: DatabaseRule) -> list[Finding]:
    """Criterion 1 under DTSEN: listed (a desil, and not marked 'tidak' in a DTSEN column), at a
    desil no higher than ``rule.max_desil``."""
    if candidate.problems.get("dtsen_desil") == "unreadable":
        return [Finding("unreadable_dtsen_desil")]
    if candidate.problems.get("dtsen") == "unreadable":
        return [Finding("unreadable_dtsen")]
    if candidate.flags.get("dtsen") is False or candidate.dtsen_desil is None:
        return [Finding("not_in_dtsen")]
    if candidate.dtsen_desil > rule.max_desil:
        return [Finding.of("dtsen_desil_above", desil=candidate.dtsen_desil, limit=rule.max_desil)]
    return []


def assess(candidate: Candidate, as_of: dt.date, database: DatabaseRule = SK_2023) -> Assessment:
    """Apply the rules (see the module docstring) to ``candidate`` on the date ``as_of``;
    ``database``: the data-base criterion (default the SK's DTKS and P3KE)."""
    rejections: list[Finding] = []
    warnings: list[Finding] = []
    cell = candidate.nik
    decoded = None
    if cell.stored_as_number:
        warnings.append(Finding("nik_stored_as_number"))
    if cell.scientific:
        rejections.append(Finding("nik_scientific"))
    elif cell.empty:
        rejections.append(Finding("nik_missing"))
    elif cell.digits is None or len(cell.digits) != NIK_LENGTH:
        rejections.append(Finding("nik_format"))
    else:
        decoded = facts(cell.digits)
        if not decoded.valid:
            rejections.append(Finding("nik_invalid"))
            decoded = None
    stated = candidate.birth_date
    future = stated is not None and stated > as_of
    nik_bps = ""
    if decoded is not None:
        if not decoded.female:
            rejections.append(Finding("nik_not_female"))
        # a stated date after as_of never agrees: the NIK's date is read as the latest one not after as_of
        if stated is not None and (future or not decoded.agrees_with(stated)):
            rejections.append(Finding("nik_birth_date_mismatch"))
        if decoded.province != KALTIM_PROVINCE:
            warnings.append(
                Finding.of("nik_other_province", province=decoded.province, name=PROVINCES[decoded.province])
            )
        elif not decoded.bps:
            warnings.append(Finding.of("nik_region_unknown", code=decoded.kemendagri))
        else:
            nik_bps = decoded.bps
            if decoded.bps != candidate.region_code:
                warnings.append(
                    Finding.of(
                        "nik_other_region",
                        nik_region=_region_label(decoded.bps),
                        list_region=_region_label(candidate.region_code),
                    )
                )
    born = stated
    if future:
        rejections.append(Finding.of("birth_date_after_as_of", as_of=f"{as_of:%d-%m-%Y}"))
        born = None
    elif born is None:
        problem = candidate.problems.get("birth_date", "missing")
        from_nik = decoded.birth_date(as_of) if decoded is not None and decoded.female else None
        if problem == "unreadable":
            # A stated date that cannot be read is a question for the office, not a gap to fill.
            rejections.append(Finding("birth_date_unreadable"))
        elif from_nik is not None:
            born = from_nik
            warnings.append(Finding("birth_date_from_nik"))
        else:
            rejections.append(Finding("birth_date_missing"))
    age = age_on(born, as_of) if born is not None else None
    if age is not None:
        if age < MIN_AGE:
            rejections.append(Finding.of("age_under_18", age=age))
        elif age > MAX_AGE:
            rejections.append(Finding.of("age_over_59", age=age))
    for field, rejecting, code in CRITERIA:
        if database.kind == "dtsen" and field in ("dtks", "p3ke"):
            continue
        value = candidate.flags.get(field)
        if value is None:
            rejections.append(Finding(f"{candidate.problems.get(field, 'missing')}_{field}"))
        elif value == rejecting:
            rejections.append(Finding(code))
    if database.kind == "dtsen":
        rejections.extend(_dtsen(candidate, database))
    business = candidate.flags.get("has_business")
    if business is None:
        warnings.append(Finding(f"{candidate.problems.get('has_business', 'missing')}_has_business"))
    if candidate.name_holds_nik:
        warnings.append(Finding("name_holds_nik"))
    if candidate.business_type_missing:
        warnings.append(Finding("business_type_missing"))
    group = PRIORITY_NO_BUSINESS if business is False else PRIORITY_OTHERS
    return Assessment(tuple(rejections), tuple(warnings), age, group, nik_bps)
