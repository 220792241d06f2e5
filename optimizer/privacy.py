"""Personal data never leaves the tool unmasked: NIK masking and a redaction safety net.

A NIK (Nomor Induk Kependudukan, 16 digits) is shown at most as its first 6 and last 2
digits (``640204********12``). :func:`redact` masks any run of 12 or more digits in a
message, so a NIK pasted into the wrong cell or option is never echoed in an error.
"""

from __future__ import annotations

import re

_LONG_DIGITS = re.compile(r"\d(?:[ \-]?\d){11,}")


def mask(digits: str | None) -> str:
    """Mask a NIK for output: first 6 and last 2 digits at most, ``*`` between.

    ``'6402045012800012'`` -> ``'640204********12'``. A string of fewer than 10 digits is
    all ``*``; ``None`` or ``''`` gives ``''``.
    """
    if not digits:
        return ""
    if len(digits) < 10:
        return "*" * len(digits)
    return digits[:6] + "*" * (len(digits) - 8) + digits[-2:]


def redact(text: str) -> str:
    """Mask every run of 12 or more digits in ``text`` (single spaces or dashes allowed between).

    A safety net for messages that might quote a cell: a NIK there becomes
    ``640204********12``. Rupiah amounts (``Rp 1.500.000.000``, dotted groups) are left alone.
    """
    return _LONG_DIGITS.sub(lambda m: mask(re.sub(r"\D", "", m.group(0))), text)
