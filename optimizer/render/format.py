"""The one number formatter: every number a person reads is written here, per language.

The separators are the Unicode CLDR locale data's (``id``: ``1.234,5``; ``en``:
``1,234.5``; Babel for any other locale, and a test checks the two against Babel); the
digits are laid out with Python's own formatting, fast enough for tables of 83.763 desa.
Plural forms follow CLDR's rules through Babel (:func:`plural`). Kinds (:data:`KINDS`):

``count``          whole persons: ``1.234`` (id) / ``1,234`` (en)
``rupiah``         integer rupiah: ``Rp 3.000.000`` (id) / ``Rp 3,000,000`` (en)
``percent``        a fraction shown as a percentage: ``0.084`` -> ``8,40%`` (``places`` decimals, default 2)
``decimal``        a measured value (index points, P0 in %, a quota in recipients), ``places`` decimals
``signed_count``   a change in persons: ``+3``, ``-1``, ``±0``
``signed_rupiah``  a change in rupiah: ``+Rp 3.000.000``
``year``           a year; 0 or missing is blank
``code``           an identifier such as a BPS region code, shown as it is
``text``           text shown as it is

``None`` and NaN are blank in every kind. Parsing amounts typed by planners is not done
here: that is :func:`optimizer.money.parse_amount`, the project's own parser.
"""

from __future__ import annotations

import math
import numbers
from functools import cache

KINDS = ("text", "code", "count", "rupiah", "percent", "decimal", "signed_count", "signed_rupiah", "year")
#: ``places`` of a ``decimal`` column whose values each keep the decimals they have (0 to 6):
#: a column of figures of several indicators, counts (238.596) beside indices (65,65)
AS_GIVEN = -1


def places_of(value: float) -> int:
    """The decimals ``value`` is written with, up to 6: ``238596.0`` -> 0, ``65.65`` -> 2."""
    number = float(value)
    return next(p for p in range(7) if round(number, p) == round(number, 6))


NUMERIC_KINDS = frozenset(KINDS) - {"text", "code"}
INTEGER_KINDS = frozenset({"count", "rupiah", "signed_count", "signed_rupiah", "year"})

# Text a spreadsheet would run as a formula (or DDE command) when it starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# CLDR's separators of the two languages of the tool (Babel: get_decimal_symbol, get_group_symbol),
# kept here so that a run does not pay Babel's import (~0.2 s); tests/test_render_tables.py
# checks them against Babel, which also serves any other locale.
CLDR_SEPARATORS = {"id": (",", "."), "en": (".", ",")}


@cache
def separators(lang: str) -> tuple[str, str]:
    """``(decimal mark, group mark)`` of ``lang`` from CLDR: ``(',', '.')`` for id."""
    if lang in CLDR_SEPARATORS:
        return CLDR_SEPARATORS[lang]
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(lang), get_group_symbol(lang)


def blank(value: object) -> bool:
    """True for a missing value (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def grouped(number: float, places: int = 0, lang: str = "id") -> str:
    """``number`` with ``places`` decimals and thousands grouped the way of ``lang``."""
    text = f"{number:,.{places}f}"
    mark, group = separators(lang)
    if (mark, group) == (".", ","):
        return text
    return text.replace(",", "\x00").replace(".", mark).replace("\x00", group)


def count(value: int, lang: str = "id") -> str:
    """Whole persons: ``1234`` -> ``'1.234'`` (id), ``'1,234'`` (en); blank -> ``''``."""
    return "" if blank(value) else grouped(int(value), 0, lang)


def rupiah(amount: int, lang: str = "id") -> str:
    """Integer rupiah: ``3000000`` -> ``'Rp 3.000.000'`` (id), ``'Rp 3,000,000'`` (en).

    Negative amounts keep their sign (``'-Rp 3.000.000'``). Raises ``TypeError`` for a
    non-integer, so a float can never be formatted as money by accident.
    """
    if isinstance(amount, bool) or not isinstance(amount, numbers.Integral):  # int or a numpy integer
        raise TypeError(f"money must be an int number of rupiah, got {type(amount).__name__}")
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {grouped(abs(amount), 0, lang)}"


def decimal(value: float, places: int = 2, lang: str = "id") -> str:
    """A measured value with ``places`` decimals: ``66.894`` -> ``'66,89'`` (id); blank -> ``''``."""
    return "" if blank(value) else grouped(float(value), places, lang)


def percent(fraction: float, places: int = 2, lang: str = "id") -> str:
    """A fraction as a percentage: ``0.125`` -> ``'12,50%'`` (id), ``'12.50%'`` (en); blank -> ``''``."""
    return "" if blank(fraction) else grouped(100 * float(fraction), places, lang) + "%"


def signed(value: int, lang: str = "id", money: bool = False) -> str:
    """A change: ``+3``, ``-1``, ``±0`` (persons) or ``+Rp 3.000.000`` (``money``)."""
    number = int(value)
    text = rupiah(abs(number), lang) if money else grouped(abs(number), 0, lang)
    return ("+" if number > 0 else "-" if number < 0 else "±") + text


def value(kind: str, item: object, lang: str = "id", places: int | None = None) -> str:
    """``item`` of ``kind`` (one of :data:`KINDS`) as text for ``lang``; blank -> ``''``.

    ``places``: decimals for ``decimal`` (default 2) and ``percent`` (default 2).
    Raises ``ValueError`` for an unknown kind.
    """
    if blank(item):
        return ""
    if kind in ("text", "code"):
        return str(item)
    if kind == "count":
        return count(item, lang)
    if kind == "rupiah":
        return rupiah(int(item), lang)
    if kind == "percent":
        return percent(item, 2 if places is None else places, lang)
    if kind == "decimal":
        return decimal(item, 2 if places is None else places_of(item) if places == AS_GIVEN else places, lang)
    if kind == "signed_count":
        return signed(item, lang)
    if kind == "signed_rupiah":
        return signed(item, lang, money=True)
    if kind == "year":
        return str(int(item)) if int(item) else ""
    raise ValueError(f"unknown value kind {kind!r}; expected one of {', '.join(KINDS)}")


def neutralise(text: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with ``'``; other values pass.

    The one place CSV cells are made safe (``=HYPERLINK(...)``, ``+62…``, ``-1+1``, ``@SUM``).
    A lone ``-`` (a dash for "none") cannot be a formula and stays as it is.
    """
    if isinstance(text, str) and text.startswith(FORMULA_PREFIXES) and text != "-":
        return "'" + text
    return text


def plural(lang: str, number: int, one: str, other: str) -> str:
    """``one`` or ``other`` by the CLDR plural rule of ``lang`` for ``number`` (Indonesian has
    one form: always ``other``; English ``1 NIK`` / ``3 NIKs``)."""
    from babel import Locale

    return one if Locale.parse(lang).plural_form(abs(int(number))) == "one" else other
