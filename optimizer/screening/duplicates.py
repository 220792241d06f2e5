"""The same NIK on more than one row, within one list or across lists.

Every row of such a group is flagged (warning ``duplicate_group`` with the group's id and
where its other rows are), and the woman is counted **once**: on one row of the group,
chosen by a fixed rule, in this order:

1. a row on which she is eligible (so a rejected copy never hides an eligible one);
2. a row proposed by the kabupaten/kota that issued her NIK (where she was registered);
3. the first row in input order (the lists in the order given, then top to bottom).

Her other eligible rows are rejected with ``duplicate_nik`` ("counted on row … of …").
Detection is a dictionary from NIK to rows: linear in the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence


def groups(niks: Sequence[str | None]) -> list[list[int]]:
    """Positions of the rows that share a NIK, one list per NIK seen more than once.

    ``niks``: the digits of each row's NIK (None when unreadable; such rows never match).
    Returns the groups in the order of their first row, each in input order.
    """
    seen: dict[str, list[int]] = {}
    for position, nik in enumerate(niks):
        if nik:
            seen.setdefault(nik, []).append(position)
    return [rows for rows in seen.values() if len(rows) > 1]


def counted_row(members: Sequence[int], eligible: Sequence[bool], home: Sequence[bool]) -> int:
    """The position in ``members`` on which the woman is counted (see the module docstring).

    ``eligible[p]``: row p is eligible on its own; ``home[p]``: row p's kabupaten/kota
    issued the NIK. ``members`` are positions in input order.
    """
    return min(members, key=lambda p: (not eligible[p], not home[p], p))
