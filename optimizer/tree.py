"""The regions of a data set as a tree, and the part of it a scenario includes.

A region's parent is its ``parent_code`` when the file gives one (it must be a proper
prefix of the region's code) and otherwise the longest proper prefix of its code that is
a region of the data set (``6403010001`` -> ``6403`` -> ``64``); a ``parent_code`` absent
from the file still becomes a node. The units of the data set (the regions without
children) are the leaves. Every step is an array pass over the nodes (83,763 desa in a few
passes, one per level), never a walk per node.
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .engine import code_listing
from .errors import InputError
from .inputs.dataset import DataSet
from .regions import Region
from .scenario import Scenario


@dataclass(frozen=True)
class Tree:
    """The regions of a data set as a tree, sorted by BPS code (depth-first order).

    ``codes``: node codes; ``regions``: the Region of each node (a node named only as a
    ``parent_code`` gets a Region with its code as name); ``parent``: int64 index of each
    node's parent, -1 at the top; ``depth``: 0 at the top; ``unit``: bool, the node is an
    allocation unit of the data set.
    """

    codes: tuple[str, ...]
    regions: tuple[Region, ...]
    parent: np.ndarray
    depth: np.ndarray
    unit: np.ndarray

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.codes)

    def children_counts(self) -> np.ndarray:
        """Number of children of every node (int64)."""
        inner = self.parent[self.parent >= 0]
        return np.bincount(inner, minlength=self.n).astype(np.int64)


def build_tree(data: DataSet) -> Tree:
    """The tree of ``data``'s regions (see the module docstring)."""
    codes, nodes, named, unit = _nodes(data)
    n = len(codes)
    # the parent_code the file gives, else the longest proper prefix that is a region
    parent = _positions(codes, named)
    stated = (parent >= 0) & (parent != np.arange(n))  # a region naming itself names no parent
    parent[~stated] = -1
    loose = np.flatnonzero(~stated)
    lengths = np.array([len(codes[i]) for i in loose.tolist()], dtype=np.int64)
    for length in sorted(set(map(len, codes))):  # shortest first: a longer prefix found later wins
        longer = loose[lengths > length]
        if longer.size == 0:
            continue
        found = _positions(codes, [codes[i][:length] for i in longer.tolist()])
        parent[longer[found >= 0]] = found[found >= 0]
    return Tree(tuple(codes), tuple(nodes), parent, _depths(parent), unit)


def _nodes(data: DataSet) -> tuple[list[str], list[Region], list[str], np.ndarray]:
    """Every region of ``data`` sorted by code: ``(codes, regions, parent codes ("" for none),
    unit flags)``. A code that is a unit and a parent has the parent's Region; a ``parent_code``
    that is neither becomes a Region with its code as name. The few regions that are not units
    are merged into the units' sorted list (83,763 desa are read once, never hashed)."""
    units, codes = list(data.units), list(data.codes)
    if not all(map(operator.lt, codes, codes[1:])):  # not as a data file gives them: sort, a code once
        by_code = {r.code: r for r in units}
        codes = sorted(by_code)
        units = [by_code[c] for c in codes]
    others: dict[str, Region] = {}
    for code, region in data.parents.items():
        where = _index(codes, code)
        if where >= 0:
            units[where] = region
        else:
            others[code] = region
    named = [r.parent_code or "" for r in units]
    for code in sorted({*named, *(r.parent_code or "" for r in others.values())} - {""} - others.keys()):
        if _index(codes, code) < 0:
            others[code] = Region(code=code, name=code, type="provinsi" if len(code) == 2 else "")
    extra = sorted(others)
    at = [bisect.bisect_left(codes, code) for code in extra]
    unit = np.ones(len(codes) + len(extra), dtype=bool)
    unit[np.asarray(at, dtype=np.int64) + np.arange(len(extra))] = False
    regions = [others[code] for code in extra]
    return (
        _merged(codes, extra, at),
        _merged(units, regions, at),
        _merged(named, [r.parent_code or "" for r in regions], at),
        unit,
    )


def _merged(items: list, inserted: list, at: list[int]) -> list:
    """``items`` with ``inserted[k]`` placed before ``items[at[k]]`` (``at`` ascending)."""
    out: list = []
    start = 0
    for item, i in zip(inserted, at, strict=True):
        out += items[start:i]
        out.append(item)
        start = i
    out += items[start:]
    return out


def _index(codes: list[str], code: str) -> int:
    """The position of ``code`` in the sorted list ``codes``, -1 if absent."""
    at = bisect.bisect_left(codes, code)
    return at if at < len(codes) and codes[at] == code else -1


def _positions(codes: list[str], wanted: list[str]) -> np.ndarray:
    """The position of each of ``wanted`` in the sorted list ``codes`` (int64, -1 if absent):
    a search per distinct code when they are few (the parents of 83,763 desa), else one dict."""
    distinct = set(wanted)
    if len(distinct) * 20 < len(codes):
        where = {code: _index(codes, code) for code in distinct}
    else:
        where = {code: i for i, code in enumerate(codes)}
    return np.fromiter(map(where.get, wanted, repeat(-1)), dtype=np.int64, count=len(wanted))


def _depths(parent: np.ndarray) -> np.ndarray:
    """Depth of every node (0 at the top) from the parent index of each (-1 at the top)."""
    depth = np.zeros(len(parent), dtype=np.int64)
    has_parent = parent >= 0
    for _ in range(len(parent) + 1):  # one pass per level of the tree
        deeper = np.where(has_parent, depth[np.maximum(parent, 0)] + 1, 0)
        if np.array_equal(deeper, depth):
            break
        depth = deeper
    return depth


def included_tree(tree: Tree, scenario: Scenario, src: str, label: str) -> Tree:
    """The part of ``tree`` the scenario includes: the included units and every region above them."""
    named = [*(scenario.include or ()), *scenario.floors, *scenario.caps, *scenario.locks]
    index = {c: i for i, c in enumerate(tree.codes)} if named else {}
    unknown = [c for c in named if c not in index]
    if unknown:
        raise InputError(
            "hierarchy.region_region_data_set",
            src=src,
            unknown=unknown[0],
            label=label,
            code_listing=code_listing(list(tree.codes)),
        )
    keep_unit = tree.unit.copy()
    has_parent = tree.parent >= 0
    up = np.maximum(tree.parent, 0)
    if scenario.include is not None:
        chosen = np.zeros(tree.n, dtype=bool)
        chosen[[index[c] for c in scenario.include]] = True
        while True:  # a region stands for every region below it
            below = chosen | (has_parent & chosen[up])
            if np.array_equal(below, chosen):
                break
            chosen = below
        keep_unit &= chosen
    keep = keep_unit.copy()
    while True:  # and every region above an included unit is kept
        above = keep.copy()
        above[tree.parent[keep & has_parent]] = True
        if np.array_equal(above, keep):
            break
        keep = above
    if not keep_unit.any():
        raise InputError("hierarchy.unit_data_set_included", src=src, label=label)
    if keep.all():  # the whole tree (a scenario over every region)
        return Tree(tree.codes, tree.regions, tree.parent, tree.depth, keep_unit)
    kept = np.flatnonzero(keep)
    new_index = np.full(tree.n, -1, dtype=np.int64)
    new_index[kept] = np.arange(len(kept))
    parent = np.where(tree.parent[kept] >= 0, new_index[np.maximum(tree.parent[kept], 0)], -1)
    constrained = set(named) - set(scenario.include or ())
    outside = [tree.codes[i] for i in np.flatnonzero(~keep).tolist() if tree.codes[i] in constrained]
    if outside:
        raise InputError("hierarchy.constraints_name_region_which", src=src, outside=outside[0])
    return Tree(
        tuple(tree.codes[i] for i in kept),
        tuple(tree.regions[i] for i in kept),
        parent.astype(np.int64),
        tree.depth[kept],
        keep_unit[kept],
    )
