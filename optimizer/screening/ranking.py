"""The order in which eligible women of one kabupaten/kota receive a grant.

First the SK's priority (criterion 4, "diutamakan yang belum memiliki usaha"): group 1,
women with no business yet, before group 2 (a business, or unknown). Inside a group, one
of two documented, deterministic rules:

``list-order`` (default)  the order of the lists as the kabupaten/kota offices sent them
                          (files in the order given on the command line, rows top to
                          bottom): the office that proposes the candidates (SK mechanism,
                          step 2) also orders them.
``lottery``               a reproducible draw: rows ordered by SHA-256 of
                          ``seed + ":" + NIK``. Anyone holding the lists and the published
                          seed can redo it; nobody can steer it by reordering a list.
                          Ties (none in practice) fall back to list order.

Rank 1 is served first; ranks run 1..n inside each kabupaten/kota, over the rows that
are eligible and counted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

RULES = ("list-order", "lottery")


def lottery_key(seed: str, nik: str) -> str:
    """The lottery's sort key of one woman: hex SHA-256 of ``seed:nik`` (UTF-8)."""
    return hashlib.sha256(f"{seed}:{nik}".encode()).hexdigest()


def ranks(
    region: Sequence[str],
    group: Sequence[int],
    eligible: Sequence[bool],
    niks: Sequence[str | None],
    rule: str = "list-order",
    seed: str = "",
) -> list[int | None]:
    """Priority rank of every row (None for rows not eligible), per region.

    All sequences are aligned with the rows in input order. ``group``: priority group
    (1 or 2). Raises ``ValueError`` for an unknown ``rule``.
    """
    if rule not in RULES:
        raise ValueError(f"ranking rule {rule!r} is unknown; expected one of {', '.join(RULES)}")
    frame = pd.DataFrame({"region": list(region), "group": list(group), "eligible": list(eligible)})
    frame["order"] = range(len(frame))
    chosen = frame[frame["eligible"]].copy()
    if rule == "lottery":
        chosen["key"] = [lottery_key(seed, niks[p] or "") for p in chosen["order"]]
        by = ["region", "group", "key", "order"]
    else:
        by = ["region", "group", "order"]
    chosen = chosen.sort_values(by, kind="stable")
    chosen["rank"] = chosen.groupby("region", sort=False).cumcount() + 1
    out: list[int | None] = [None] * len(frame)
    for position, rank in zip(chosen["order"], chosen["rank"], strict=True):
        out[position] = int(rank)
    return out
