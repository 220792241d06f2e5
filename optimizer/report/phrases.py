"""Phrases shared by the section builders: message shorthands and recurring value lists."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Allocation
from ..need import INDICATOR_COLUMNS
from .text import Joined, Msg, Val


def m(key: str, **params: object) -> Msg:
    return Msg.of(f"report.{key}", **params)


def weights_text(weights) -> Joined:
    return Joined(
        tuple(
            m("weight_item", indicator=Msg.of(f"weight.{k}"), value=Val("weight", float(v)))
            for k, v in weights.items()
            if float(v) > 0
        ),
        " · ",
    )


def region_list(items: Sequence[tuple[str, int]]) -> Joined:
    return Joined(tuple(m("region_count", name=name, count=Val("count", n)) for name, n in items), ", ")


STATUS_KEYS = ("published", "estimate", "supplied")


def status_text(value: str) -> object:
    return Msg.of(f"report.status.{value}") if value in STATUS_KEYS else value


def eligible_method(a: Allocation) -> Msg:
    s = a.scenario
    if a.eligible_method == "file":
        return m("eligible_method.file", file=a.eligible_file.name if a.eligible_file else "")
    if a.eligible_method == "data":
        return m("eligible_method.data", year=Val("year", s.eligible.year))
    return m(
        f"eligible_method.{a.eligible_method}",
        year=Val("year", s.eligible.year),
        population_year=Val("year", s.eligible.population_year or 0),
    )


def raw_weights(weights) -> Joined:
    return Joined(
        tuple(
            m("weight_raw", indicator=Msg.of(f"weight.{k}"), value=f"{float(v):g}")
            for k, v in weights.items()
            if k in INDICATOR_COLUMNS
        ),
        " · ",
    )
