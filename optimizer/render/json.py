"""JSON for other tools: plain Python values, and large documents written fast.

:func:`plain` turns numpy scalars into Python ones and NaN into ``null``;
:func:`dumps_large` writes a document indented, except that with more than
:data:`LARGE_JSON` items in its list ``key`` each item is written on one line (Python's
JSON encoder is ten times faster without indentation inside them; 83.763 desa take about
a second instead of five). The document is the same JSON either way.
"""

from __future__ import annotations

import json
import math

LARGE_JSON = 1000  # items above which each item of the big list is written on one line


def tool() -> dict:
    """``{"name": "wrse-optimizer", "version": ...}``: the ``tool`` key every JSON document opens with."""
    from .. import __version__

    return {"name": "wrse-optimizer", "version": __version__}


def scenario_head(s) -> dict:
    """The ``scenario`` key of a JSON document: name, title, fiscal year and file of the
    :class:`~optimizer.scenario.Scenario` ``s``."""
    return {"name": s.name, "title": s.title, "fiscal_year": s.fiscal_year, "file": str(s.path) if s.path else None}


def run_head(a) -> dict:
    """The keys a run's JSON opens with (``tool``, ``scenario``, ``data``), for a flat or a
    hierarchical :class:`~optimizer.engine.Allocation` alike."""
    return {
        "tool": tool(),
        "scenario": scenario_head(a.scenario),
        "data": {"label": a.data.label, "sha256": a.data.sha256},
    }


def plain(value: object) -> object:
    """JSON-safe scalar: numpy -> Python, NaN -> None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def dumps(document: object) -> str:
    """``document`` as indented JSON text (UTF-8 characters kept) with a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def dumps_large(document: dict, key: str) -> str:
    """``document`` as JSON; its list ``key`` (the last key) one item per line when long."""
    if len(document[key]) <= LARGE_JSON:
        return dumps(document)
    document = dict(document)
    items = document.pop(key)
    head = json.dumps(document, ensure_ascii=False, indent=2)
    lines = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items)
    return head[:-2] + f',\n  "{key}": [\n' + lines + "\n  ]\n}\n"
