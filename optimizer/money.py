"""Rupiah amounts: parse what planners type, format what they read.

Money is always an ``int`` number of rupiah. Parsing goes through :class:`decimal.Decimal`
so that ``1,5 miliar`` is exactly 1.500.000.000 and never a float.

Accepted forms (case and spaces do not matter)::

    150000000        Rp 150.000.000      Rp150.000.000,00     150,000,000
    150 juta         150jt               1,5 miliar           1.5M   (M = miliar)
    2 milyar         750 ribu / 750rb    1 triliun            IDR 150.000.000
    750 million      1.5 billion / 1,5bn 750 thousand         2 trillion

Separators follow Indonesian practice: ``.`` groups thousands and ``,`` marks decimals;
English grouping (``150,000,000`` or ``1,500.50``) is recognised when it is unambiguous.
A single separator followed by exactly three digits together with a unit word
(``1.500 juta``) is ambiguous and rejected rather than guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

from .errors import InputError
from .i18n import Count, Msg, Number

UNITS: dict[str, int] = {
    "": 1,
    "rb": 1_000,
    "ribu": 1_000,
    "k": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "m": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "t": 1_000_000_000_000,
    "triliun": 1_000_000_000_000,
    # the same words in English, for a reader of --lang en (``M`` stays miliar, as above)
    "thousand": 1_000,
    "million": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}

# Rp 1.000 triliun: about a third of the whole APBN, far above any social programme; a larger
# amount is a typo or a pasted NIK (16 digits, at least 1.1 x 10^15), never a budget.
MAX_RP = 10**15

_AMOUNT = re.compile(r"^(?P<num>[0-9][0-9.,]*)(?P<unit>[a-z]*)$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{3})+$")

#: What an amount should look like (message ``error.expected.amount``).
EXPECTED = Msg.of("error.expected.amount")


def _bare(value: str) -> str:
    """``value`` as the amount grammar reads it: lower case, no spaces, no ``Rp``/``IDR`` prefix,
    no closing ``,-`` (``"Rp 150.000.000,-"`` -> ``"150.000.000"``)."""
    text = "".join(value.lower().split())
    for prefix in ("rp.", "rp", "idr"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text[:-2] if text.endswith(",-") else text  # "Rp 150.000.000,-" as written on Indonesian forms


def unit_of(value: str) -> str:
    """The unit word of an amount as :func:`parse_amount` reads it (a key of :data:`UNITS`:
    ``"m"`` for ``"750M"``, ``"juta"`` for ``"150 juta"``, ``""`` for plain rupiah or a text it
    does not read)."""
    match = _AMOUNT.match(_bare(str(value)))
    return match.group("unit") if match and match.group("unit") in UNITS else ""


class AmountError(InputError):
    """An amount of money could not be read."""


def _number(text: str, has_unit: bool, original: str) -> Decimal:
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # The separator that comes last is the decimal mark; the other groups thousands.
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        whole, _, frac = text.rpartition(decimal_mark)
        if whole.count(decimal_mark) or not _GROUPED.match(whole.replace(group_mark, ".")):
            raise AmountError("money.amount_mixes_separators_oddly", original=original, expected=EXPECTED)
        return Decimal(whole.replace(group_mark, "") + "." + frac)
    sep = "." if dots else "," if commas else ""
    count = dots or commas
    if not sep:
        return Decimal(text)
    if count > 1:
        if not _GROUPED.match(text):
            raise AmountError("money.amount_thousands_separators_wrong", original=original, expected=EXPECTED)
        return Decimal(text.replace(sep, ""))
    whole, frac = text.split(sep)
    if not frac or not whole:
        raise AmountError("money.amount_separator_digits_after", original=original, expected=EXPECTED)
    if len(frac) == 3:
        if has_unit:
            raise AmountError(
                "money.amount_ambiguous_could_decimal",
                original=original,
                whole=whole,
                sep=sep,
                frac=frac,
                frac2=frac[0],
            )
        return Decimal(whole + frac)
    return Decimal(whole + "." + frac)


def parse_amount(value: object) -> int:
    """Parse an amount of money into integer rupiah.

    ``value`` is a string in one of the forms listed in the module docstring, or an ``int``.
    Returns the amount in rupiah (``int``, >= 0).

    Raises :class:`AmountError` (an :class:`~optimizer.errors.InputError`) for an empty,
    negative, fractional-rupiah, ambiguous or unknown form; the message quotes the input
    and the accepted forms.
    """
    if isinstance(value, bool):
        raise AmountError("money.amount_amount_money", value=value, expected=EXPECTED)
    if isinstance(value, int):
        if value < 0:
            raise AmountError("money.amount_negative_positive_amount_2", value=value)
        return value
    if isinstance(value, float):
        if value != value or value < 0 or not value.is_integer():
            raise AmountError("money.amount_whole_non_negative", value=value, expected=EXPECTED)
        return int(value)
    if not isinstance(value, str):
        raise AmountError("money.amount_text_number", value=value, expected=EXPECTED)
    original = " ".join(value.split())
    text = _bare(value)
    if text.startswith("-") or text.startswith("−"):
        raise AmountError("money.amount_negative_positive_amount", original=original)
    match = _AMOUNT.match(text)
    if not match or match.group("unit") not in UNITS:
        raise AmountError("money.amount_form_tool_reads", original=original, expected=EXPECTED)
    unit = match.group("unit")
    if len(match.group("num")) > 40:
        raise AmountError("money.amount_too_many_digits", original=original, expected=EXPECTED)
    try:
        with localcontext() as context:
            context.prec = 60  # exact for every amount up to MAX_RP, whatever its written form
            number = _number(match.group("num"), bool(unit), original)
            rupiah = number * UNITS[unit]
    except InvalidOperation:
        raise AmountError("money.amount_number", original=original, expected=EXPECTED) from None
    if rupiah > MAX_RP:
        limit = Count(MAX_RP // UNITS["triliun"])  # in triliun: 16 digits would be masked as a NIK (privacy.redact)
        raise AmountError("money.amount_more_than_far", original=original, max_triliun=limit, expected=EXPECTED)
    if rupiah != rupiah.to_integral_value():
        places = max(0, -int(rupiah.as_tuple().exponent))  # as written: 1,5 -> 1,5; 150.000.000,50 -> 150.000.000,50
        shown = Number(float(rupiah), min(places, 6))  # in the reader's digits, not Python's 1.5
        raise AmountError("money.amount_whole_number_rupiah", original=original, rupiah=shown, expected=EXPECTED)
    return int(rupiah)


def format_rp(amount: int, lang: str = "id") -> str:
    """Integer rupiah for people: ``3000000`` -> ``'Rp 3.000.000'`` (the one formatter,
    :func:`optimizer.render.format.rupiah`; ``lang='en'`` groups with ``,``).

    Raises ``TypeError`` for a non-integer, so a float can never be formatted as money by accident.
    """
    from .render.format import rupiah

    return rupiah(amount, lang)


def format_count(count: int, lang: str = "id") -> str:
    """Whole number, thousands grouped: ``'1.234'`` (id), ``'1,234'`` (en) (:func:`optimizer.render.format.count`)."""
    from .render.format import count as grouped

    return grouped(count, lang)
