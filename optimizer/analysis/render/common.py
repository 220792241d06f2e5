"""What the renderings of the analyses share: the scenario head and the notices of the
reference allocation, and the notes block of the text tables."""

from __future__ import annotations

from ...engine import BUDGET_NOTICES
from ...i18n import t


def scenario_head(base) -> dict:
    """The scenario of an analysis' :class:`~optimizer.analysis.base.Base` for JSON: name, title, fiscal year, file."""
    s = base.scenario
    if s is None:
        return {"name": None, "title": None, "file": None}
    from ...render.json import scenario_head as head

    return head(s)


def hierarchical(base) -> bool:
    """True when ``base`` is a split of a hierarchical allocation (:attr:`~optimizer.result.Levels.split`)."""
    return base.allocation is not None and base.allocation.tree is not None


def split_level(base) -> int:
    """The level (1 at the top) of the split ``base`` holds: 1 for a single-level allocation."""
    return base.allocation.tree.split_level + 1 if hierarchical(base) else 1


def hierarchy_lines(base, key: str, lang: str) -> list[str]:
    """For a hierarchical base, the message ``key`` (``sweep.hierarchical``,
    ``sensitivity.hierarchical``) saying which split the table holds: the top level's, or
    (``key`` + ``_below``) the split at a lower level under the one region above it; else none."""
    if not hierarchical(base):
        return []
    from ...regions import level_kind
    from ...render.format import count

    a = base.allocation
    shared = {"levels": a.levels, "groups": count(a.groups, lang), "regions": count(base.n, lang)}
    parent = a.tree.split_parent
    if not parent:
        return [t(key, lang, **shared)]
    nodes = a.tree.columns
    name = str(nodes["region_name"][list(nodes["region_code"]).index(parent)])
    kind = t(f"region_kind.{level_kind(base.codes)}", lang)
    return [t(f"{key}_below", lang, **shared, level=split_level(base), kind=kind, parent=f"{name} ({parent})")]


def reference_notices(base, lang: str, any_budget: bool = False) -> list[str]:
    """The reference allocation's notices; with ``any_budget`` (a sweep), only those that hold
    at every budget (not, e.g., the leftover of the scenario's own budget)."""
    if base.allocation is None:
        return []
    skip = BUDGET_NOTICES if any_budget else frozenset()
    return [n.text(lang) for n in base.allocation.notices if n.key not in skip]


def notes_text(notes: list[str], lang: str, width: int | None) -> str:
    """The notes block of a text table (:func:`optimizer.output.notes_block`)."""
    from ...output import notes_block

    return notes_block(notes, lang, width)
