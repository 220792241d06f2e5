"""Competing published values for one indicator, region and year, and the rule that picks one.

Some figures are published twice with different values (the provincial IDG 2022: 66,01 in
a DKP3A Kaltim release of 29 April 2024, 66,89 in the source document). Both are kept in
``data/competing-values.csv``, each with its source and a ``variant`` name; the shipped
indicator table holds the value of :data:`DEFAULT_RULE`. A scenario chooses the rule
(``indicators.competing``); every output that uses such a figure says which value it took
and that another exists.

Rules (the ``variant`` of the value taken):

``official_release``  the value of the most recent government release (DKP3A/BPS); default.
``source_document``   the value of the source document (Octavia & Winarto 2024).
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .i18n import ByLanguage, Notice, Number, Term

RULES = ("official_release", "source_document")  # labels: messages [competing]
DEFAULT_RULE = "official_release"


@dataclass(frozen=True)
class CompetingValue:
    """One of two or more published values of ``indicator`` for ``region_code`` in ``year``.

    ``variant``: a rule of :data:`RULES` that picks it. ``source``: one citable address.
    ``trace``: the row of ``kaltim-found-2026.csv`` (``indicator:region:year``) or ``seed``
    (the shipped table's figure from the source document).
    """

    region_code: str
    indicator: str
    year: int
    value: float
    variant: str
    status: str
    source: str
    source_date: str
    trace: str
    note: str


@cache
def competing_values() -> tuple[CompetingValue, ...]:
    """Every competing value (``data/competing-values.csv``)."""
    text = resources.files("optimizer.data").joinpath("competing-values.csv").read_text(encoding="utf-8")
    return tuple(
        CompetingValue(
            r["region_code"],
            r["indicator"],
            int(r["year"]),
            float(r["value"]),
            r["variant"],
            r["status"],
            r["source"],
            r["source_date"],
            r["trace"],
            r["note"],
        )
        for r in csv.DictReader(text.splitlines())
    )


def groups() -> dict[tuple[str, str, int], tuple[CompetingValue, ...]]:
    """Competing values by (region_code, indicator, year)."""
    out: dict[tuple[str, str, int], list[CompetingValue]] = {}
    for value in competing_values():
        out.setdefault((value.region_code, value.indicator, value.year), []).append(value)
    return {key: tuple(values) for key, values in out.items()}


def chosen(key: tuple[str, str, int], rule: str) -> CompetingValue:
    """The value ``rule`` picks for ``key``; the default rule's value when none has that variant."""
    values = groups()[key]
    for value in values:
        if value.variant == rule:
            return value
    return next(v for v in values if v.variant == DEFAULT_RULE)


def apply(data, rule: str):
    """``data`` with each competing figure set to the value ``rule`` picks.

    Only the shipped data set holds the default rule's values; a user's ``--data`` file is
    taken as written (returned unchanged). Returns a new :class:`~optimizer.inputs.dataset.DataSet`
    (or ``data`` itself when nothing changes).
    """
    from .inputs.data import shipped

    if rule == DEFAULT_RULE or data is not shipped():
        return data
    figures = data.figures
    value, source, status = figures["value"].copy(), figures["source"].copy(), figures["status"].copy()
    changed = False
    for key in groups():
        pick = chosen(key, rule)
        code, indicator, year = key
        mask = (figures["region_code"] == code) & (figures["indicator"] == indicator) & (figures["year"] == year)
        if mask.any():
            value[mask], source[mask], status[mask] = pick.value, pick.source, pick.status
            changed = True
    if not changed:
        return data
    return dataclasses.replace(data, figures=figures.with_columns(value=value, source=source, status=status), _index={})


def notices(rule: str, used: set[tuple[str, str, int]]) -> list[Notice]:
    """One notice per competing figure in ``used`` ((region, indicator, year) the result took):
    the value taken, by which rule, and the other value(s) with their sources."""
    out = []
    for key, values in groups().items():
        if key not in used:
            continue
        pick = chosen(key, rule)
        others = [v for v in values if v is not pick]
        out.append(
            Notice.of(
                "competing",
                code=key[0],
                indicator=key[1].upper(),
                year=key[2],
                value=Number(round(float(pick.value), 2), 2),
                rule=Term(f"competing.{pick.variant}"),
                others=ByLanguage(
                    "; ".join(f"{v.value:.2f}".replace(".", ",") + f" ({v.source})" for v in others),
                    "; ".join(f"{v.value:.2f} ({v.source})" for v in others),
                ),
            )
        )
    return out


__all__ = ["DEFAULT_RULE", "RULES", "CompetingValue", "apply", "chosen", "competing_values", "groups", "notices"]
