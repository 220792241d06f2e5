"""Personal data never leaves the tool unmasked: NIK masking and a redaction safety net.

A NIK (Nomor Induk Kependudukan, 16 digits) is shown at most as its first 6 and last 2
digits (``640204********12``). :func:`redact` masks any run of 12 or more digits in a
text, whatever single separators a person typed between them (spaces, ``.``, ``-``,
``/``, ``_``, and the no-break spaces and dashes a word processor or spreadsheet puts
instead: ``6402.0450.1280.0012``, ``6402-0450-1280-0012``, ``6402/0450/…``,
``6402 0450 1280 0012``, ``6402–0450–1280–0012``), so a NIK pasted into a name or notes cell, an option or a file
name is never echoed in a file, a message or a "written:" line.

Rupiah amounts written with thousands dots (``Rp 1.500.000.000``, up to 15 digits) are
left alone; 16 or more digits are masked whatever their grouping (no budget has 16 digits).
"""

from __future__ import annotations

import re

# Digits joined by at most one separator each: a space, a tab, '.', '-', '/', '_', and what word
# processors and spreadsheets put there instead (a no-break, narrow no-break or figure space; a
# hyphen, non-breaking hyphen, en or em dash, or minus sign).
_SPACES = " \t\u00a0\u202f\u2007"
_RUN = re.compile(rf"\d(?:[{_SPACES}./_\-\u2010\u2011\u2013\u2014\u2212]?\d)+")
# One part of a run that reads as a number a person writes in a table or message:
# thousands-grouped (1.500.000 or 1,500,000, with decimals) or up to three digits.
_AMOUNT_PART = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:,\d+)?")
MIN_DIGITS = 12  # a run this long is personal data (a NIK, a KK number, a phone number)
NIK_DIGITS = 16


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


def _is_amount(run: str, digits: int) -> bool:
    """True when ``run`` reads as Rupiah amounts (thousands dots), not as one long number."""
    if digits >= NIK_DIGITS:
        return False
    parts = re.split(rf"[{_SPACES}]", run)
    return all(_AMOUNT_PART.fullmatch(part) for part in parts) and any("." in p or "," in p for p in parts)


def _mask_run(match: re.Match) -> str:
    run = match.group(0)
    digits = re.sub(r"\D", "", run)
    if len(digits) < MIN_DIGITS or _is_amount(run, len(digits)):
        return run
    return mask(digits)


def redact(text: str) -> str:
    """Mask every run of 12 or more digits in ``text`` (single separators allowed between).

    ``'Nama 6402.0450.1280.0012'`` -> ``'Nama 640204********12'``; the same for dashes,
    slashes, underscores and single spaces. Rupiah amounts with thousands dots
    (``Rp 1.500.000.000``) are left alone. A safety net for messages, cells and paths.
    """
    return _RUN.sub(_mask_run, str(text))


def redact_path(path: object) -> str:
    """A path as text for a message or a "written:" line, with any NIK in it masked."""
    return redact(str(path))
