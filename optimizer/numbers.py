"""Reading numbers from data cells written the Indonesian way (or the English way).

A cell is read according to the *declared unit* of its column, never guessed:

``count``   whole persons. ``.`` and ``,`` can only group thousands (``1.234`` is 1234
            people, ``12.345.678`` too); a decimal part other than zeros is an error.
``decimal`` a measured value (an index, a percentage, thousands of persons). A single
            ``,`` or ``.`` is the decimal mark (``66,89`` and ``66.89`` are both 66.89).
            With both marks, the last one is the decimal mark (``1.234,5`` = 1234.5).

Spreadsheet cells that are already numbers are taken as they are (a float that must be
a count has to be whole). Every failure is a :class:`NumberError` (a ``ValueError``) that
says, in the reader's language, what was expected; callers pass it as the ``expected`` of
:func:`~optimizer.errors.input_error`, which names the file, row and column.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from .i18n import Msg, t

_GROUPED = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")

COUNT = "count"
DECIMAL = "decimal"

#: What a cell of each unit should hold (messages ``error.numbers.count`` / ``error.numbers.decimal``).
EXPECTED = {COUNT: Msg.of("error.numbers.count"), DECIMAL: Msg.of("error.numbers.decimal")}


class NumberError(ValueError):
    """A cell that is not a number of its unit; ``text(lang)`` says what was expected.

    ``key``: a message below ``error.numbers.`` (``count``, ``count_fraction``…).
    """

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def text(self, lang: str = "en") -> str:
        """What was expected, in ``lang``."""
        return t(f"error.numbers.{self.key}", lang)

    def __str__(self) -> str:
        return self.text("en")


def _clean(text: str) -> str:
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if text.endswith("%"):
        text = text[:-1]
    return text


def parse_count(value: object) -> int:
    """Read a whole number of persons from a cell; see the module docstring.

    Returns an ``int`` (may be negative; range checks belong to the caller).
    Raises ``ValueError`` for a missing, non-numeric or fractional value.
    """
    if isinstance(value, bool):
        raise NumberError("count")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise NumberError("count_fraction")
    text = _clean(str(value))
    sign = 1
    if text[:1] in "-−" and text:
        sign, text = -1, text[1:]
    if not text:
        raise NumberError("count")
    # ",00" or ".00" after the last group is a zero decimal part, written by some exports.
    for mark in (",", "."):
        head, sep, tail = text.rpartition(mark)
        if sep and head and tail and set(tail) == {"0"} and len(tail) != 3:
            text = head
            break
    if text.isdigit():
        return sign * int(text)
    unified = text.replace(",", ".")
    if "," in text and "." in text:
        raise NumberError("count_mixed")
    if _GROUPED.match(unified):
        return sign * int(unified.replace(".", ""))
    if _PLAIN.match(unified):
        raise NumberError("count_fraction")
    raise NumberError("count")


def parse_decimal(value: object) -> float:
    """Read a measured value (index, %, thousands of persons) from a cell.

    Returns a finite ``float``. Raises ``ValueError`` for a missing or non-numeric value.
    """
    if isinstance(value, bool):
        raise NumberError("decimal")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise NumberError("decimal")
        return number
    text = _clean(str(value))
    sign = ""
    if text[:1] in "-−" and text:
        sign, text = "-", text[1:]
    if not text:
        raise NumberError("decimal")
    if "," in text and "." in text:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        whole, _, frac = text.rpartition(decimal_mark)
        if decimal_mark in whole or not _GROUPED.match(whole.replace(group_mark, ".")):
            raise NumberError("decimal_odd")
        text = whole.replace(group_mark, "") + "." + frac
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        raise NumberError("decimal_grouped")
    if not _PLAIN.match(text):
        raise NumberError("decimal")
    try:
        return float(Decimal(sign + text))
    except InvalidOperation:  # pragma: no cover - the regex above rules this out
        raise NumberError("decimal") from None


def parse_by_unit(value: object, unit: str) -> float | int:
    """Read ``value`` as ``unit`` (``'count'`` or ``'decimal'``); see the module docstring."""
    if unit == COUNT:
        return parse_count(value)
    if unit == DECIMAL:
        return parse_decimal(value)
    raise ValueError(f"unknown unit kind {unit!r}")
