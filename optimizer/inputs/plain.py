"""Columns of plain numbers (``2024``, ``66.89``) checked and converted in bulk, with NumPy.

A *plain* cell is text of ASCII digits, for a decimal optionally followed by a point and
more digits (``[0-9]+(?:\\.[0-9]+)?``; a count or a year: ``[0-9]+``). A whole column of
them is joined into one byte string and checked and converted with array operations: the
value of a cell of at most 15 digits is its digits read as an integer (exact below 2**53)
divided by ``10**decimals`` (exact too), so the quotient is the correctly rounded value
``float(cell)`` gives, bit for bit (the exact-division case of Clinger's algorithm).
"""

from __future__ import annotations

import numpy as np

_DIGITS = 15  # at most this many digits a cell: its digits as an integer are below 2**53
_POWERS = 10 ** np.arange(_DIGITS + 1, dtype=np.int64)
_SEP, _POINT, _ZERO = ord(","), ord("."), ord("0")


def plain_numbers(cells: list, decimal: bool) -> np.ndarray | None:
    """The float64 value of every cell of ``cells`` (a list of ``n`` cells, ``n`` > 0), or None
    when a cell is not plain text (of a decimal when ``decimal``, else of a count) or has more
    than 15 digits (the caller then parses the cells another way).

    Each value is ``float(cell)`` exactly (for a count ``float(int(cell))``, the same number).
    """
    if not cells:
        return None
    try:
        joined = ",".join(cells)
    except TypeError:  # a number or a date (from a workbook): not text
        return None
    if not joined.isascii():
        return None
    chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    digit = (chars >= _ZERO) & (chars <= _ZERO + 9)
    point = chars == _POINT
    seps = np.flatnonzero(chars == _SEP)
    if len(seps) != len(cells) - 1 or not (digit | point)[chars != _SEP].all():
        return None  # a character other than a digit, a point or the separator (a comma in a cell)
    starts = np.r_[0, seps + 1]
    ends = np.r_[seps, len(chars)]  # one past each cell's last character
    if not (ends > starts).all() or not (digit[starts] & digit[ends - 1]).all():
        return None  # an empty cell, or one that starts or ends with a point
    count = np.cumsum(digit)  # digits up to and including each character
    before = np.r_[0, count][starts]  # digits before each cell
    digits = count[ends - 1] - before
    points = np.cumsum(point)
    n_points = points[ends - 1] - np.r_[0, points][starts]
    if (n_points > (1 if decimal else 0)).any() or (digits > _DIGITS).any():
        return None  # two points in a cell (or one in a count), or too many digits to be exact
    cell_end = np.repeat(count[ends - 1], ends - starts + 1)[: len(chars)]  # (the separator: its cell's)
    after = np.where(digit, cell_end - count, 0)  # digits after each digit in its cell
    terms = np.where(digit, (chars - _ZERO).astype(np.int64), 0) * _POWERS[after]
    mantissa = np.add.reduceat(terms, starts)
    decimals = np.zeros(len(cells), dtype=np.int64)
    at = np.flatnonzero(point)
    if len(at):
        cell_of = np.searchsorted(starts, at, side="right") - 1
        decimals[cell_of] = count[ends[cell_of] - 1] - count[at]
    return mantissa.astype(np.float64) / _POWERS[decimals].astype(np.float64)
