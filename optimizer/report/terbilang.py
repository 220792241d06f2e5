"""An amount of rupiah in words (*terbilang*), as written on Indonesian government documents.

``terbilang(600_000_000)`` -> ``"enam ratus juta rupiah"``. The words come from num2words
(``lang="id"``), which follows the Indonesian rules (*seratus*, *seribu*, *sebelas*, *satu juta*)
except inside a larger number, where it writes a lone thousand as *satu ribu*
(``1.001.000`` -> ``satu juta satu ribu``); the official form is *seribu* (``satu juta seribu``),
so that group is corrected here. English (``lang="en"``) uses num2words' English.
"""

from __future__ import annotations

import re

from num2words import num2words

_LONE_THOUSAND = re.compile(r"(^|(?:juta|miliar|triliun) )satu ribu\b")


def terbilang(rp: int, lang: str = "id") -> str:
    """``rp`` (whole rupiah, >= 0) in words followed by ``rupiah``; ValueError for a negative amount."""
    amount = int(rp)
    if amount < 0:
        raise ValueError(f"terbilang: {rp} is negative; expected an amount of at least Rp 0")
    if lang != "id":
        return f"{num2words(amount, lang='en').replace(',', '')} rupiah"
    words = "nol" if amount == 0 else _LONE_THOUSAND.sub(r"\1seribu", num2words(amount, lang="id"))
    return f"{words} rupiah"
