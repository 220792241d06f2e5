"""Reading the counts and decisions files ``wrse screen`` writes, by column key, in either language."""

from __future__ import annotations

import csv
from pathlib import Path


def header_keys() -> dict[str, str]:
    """``{header as written: column key}`` for both languages (``Memenuhi syarat`` -> ``eligible``)."""
    from optimizer.i18n import catalogue

    return {
        value: key.removeprefix("screen.file.")
        for lang in ("id", "en")
        for key, value in catalogue(lang).items()
        if key.startswith("screen.file.") and key not in ("screen.file.yes", "screen.file.no")
    }


def file_rows(path: Path) -> list[dict]:
    """The rows of a counts or decisions CSV by column key (``eligible``, ``nik_masked``), whatever
    the language of its headers; a decision's ``eligible`` as ``yes``/``no``."""
    keys = header_keys()
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [{keys.get(k, k): v for k, v in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        if "duplicate_group" in row:
            row["eligible"] = {"ya": "yes", "tidak": "no"}.get(row["eligible"], row["eligible"])
    return rows
