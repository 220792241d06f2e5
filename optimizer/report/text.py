"""Language-neutral text and typed values of a report, and how each is written per language.

A report is built once, without a language: sentences are :class:`Msg` objects (a key of
the message catalogues ``optimizer/messages/{id,en}.toml`` and its parameters) and
numbers are typed (:data:`KINDS`). Rendering resolves them for ``lang``:

* ``count``: whole persons, ``1.234`` (id) / ``1,234`` (en);
* ``rp``: integer rupiah grouped the reader's way, ``Rp 1.500.000.000`` (id) / ``Rp 1,500,000,000`` (en),
  as every other output of the tool writes them (:func:`optimizer.render.format.rupiah`);
* ``share``: a fraction shown as a percentage with 2 decimals (``0.084`` -> ``8,40%``);
  ``share4`` the same with 4 decimals (worked examples); ``weight`` with 1 decimal;
* ``dec2``: a measured value with 2 decimals (``66,89`` / ``66.89``), e.g. an index, a P0 in %,
  a quota in recipients; ``dec4`` with 4 decimals (a divisor multiplier);
* ``number``: a whole value like ``count``, any other like ``dec2`` (a column that mixes
  indicators, e.g. the inputs table);
* ``year``: a year, blank when 0 or missing;
* ``signed_count`` / ``signed_rp`` / ``signed_dec2``: a change, with ``+`` or ``-``;
* ``date``: a calendar date with the month's name (``1 Desember 2026``);
* ``text``: text shown as it is (user data such as region names and sources, or a :class:`Msg`).

``None`` (or NaN) is a blank cell in every kind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..i18n import t

KINDS = (
    "text",
    "count",
    "rp",
    "share",
    "share4",
    "weight",
    "dec2",
    "dec4",
    "number",
    "year",
    "signed_count",
    "signed_rp",
    "signed_dec2",
    "date",
)

NUMERIC_KINDS = frozenset(KINDS) - {"text", "date"}


@dataclass(frozen=True)
class Msg:
    """A sentence or label: catalogue ``key`` and its parameters as (name, value) pairs.

    A parameter value may be plain text (shown as is), a :class:`Val`, another
    :class:`Msg`, a :class:`~optimizer.i18n.Notice`, or a tuple of those (joined with ``, ``).
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **params: object) -> Msg:
        """Build a message from keyword parameters."""
        return cls(key, tuple(params.items()))


@dataclass(frozen=True)
class Val:
    """A typed value (``kind`` one of :data:`KINDS`) inside a sentence."""

    kind: str
    value: object

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown value kind {self.kind!r}")


@dataclass(frozen=True)
class ByLang:
    """A text that data already gives in both languages (e.g. an eligible-count source)."""

    id: str
    en: str


@dataclass(frozen=True)
class Joined:
    """Parts (text, :class:`Msg`, :class:`Val`…) written one after another with ``sep``."""

    parts: tuple[object, ...]
    sep: str = " "


def blank(value: object) -> bool:
    """True for a missing value (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _rupiah(amount: int, lang: str) -> str:
    from ..render.format import rupiah  # the one rupiah formatter of every output

    return rupiah(amount, lang)


def _grouped(number: float, places: int, lang: str) -> str:
    from ..render.format import grouped  # the one number formatter

    return grouped(number, places, lang)


def fmt(kind: str, value: object, lang: str) -> str:
    """Write ``value`` of ``kind`` for ``lang`` (see the module docstring); blank -> ``''``."""
    if blank(value):
        return ""
    if kind == "text":
        return resolve(value, lang)
    if kind == "count":
        return _grouped(int(value), 0, lang)
    if kind == "rp":
        return _rupiah(int(value), lang)
    if kind == "share":
        return _grouped(100 * float(value), 2, lang) + "%"
    if kind == "share4":
        return _grouped(100 * float(value), 4, lang) + "%"
    if kind == "weight":
        return _grouped(100 * float(value), 1, lang) + "%"
    if kind == "dec2":
        return _grouped(float(value), 2, lang)
    if kind == "dec4":
        return _grouped(float(value), 4, lang)
    if kind == "number":
        number = float(value)
        return _grouped(number, 0 if number.is_integer() else 2, lang)
    if kind == "date":  # a datetime.date: "1 Desember 2026" / "1 December 2026"
        return f"{value.day} {t(f'report.month.{value.month}', lang)} {value.year}"
    if kind == "year":
        return str(int(value)) if int(value) else ""
    if kind in ("signed_count", "signed_rp", "signed_dec2"):
        number = value
        if kind == "signed_dec2":
            number = round(float(value), 2)
            magnitude = _grouped(abs(number), 2, lang)
        elif kind == "signed_rp":
            magnitude = _rupiah(abs(int(value)), lang)
        else:
            magnitude = _grouped(abs(int(value)), 0, lang)
        sign = "+" if number > 0 else "-" if number < 0 else ""
        return sign + magnitude
    raise ValueError(f"unknown value kind {kind!r}")


def is_command(text: str) -> bool:
    """A ``wrse`` command line shown to the reader (the audit trail's, the analysis commands)."""
    return text.startswith("wrse ")


def resolve(item: object, lang: str) -> str:
    """The text of ``item`` in ``lang``: a :class:`Msg`, :class:`Val`, :class:`Joined`,
    :class:`ByLang`, anything with a ``text(lang)`` method (a :class:`~optimizer.i18n.Notice`,
    :class:`~optimizer.solvers.SolverName`), tuple (joined with ``, ``) or plain text.

    Raises KeyError when a catalogue lacks a message key or a template names a parameter
    that was not given (so a missing message can never pass unnoticed).
    """
    if isinstance(item, Msg):
        params = {name: resolve(value, lang) for name, value in item.params}
        return t(item.key, lang, **params) if params else t(item.key, lang)
    if isinstance(item, Val):
        return fmt(item.kind, item.value, lang)
    if isinstance(item, Joined):
        return item.sep.join(text for text in (resolve(p, lang) for p in item.parts) if text)
    if callable(getattr(item, "text", None)):
        return item.text(lang)  # a Notice, a Term, a Count, a SolverName: anything that speaks a language
    if isinstance(item, ByLang):
        return item.en if lang == "en" else item.id
    if isinstance(item, tuple | list):
        return ", ".join(resolve(p, lang) for p in item)
    if item is None:
        return ""
    return str(item)
