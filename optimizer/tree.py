"""The regions of a data set as a tree, and the part of it a scenario includes.

A region's parent is its ``parent_code`` when the file gives one (it must be a proper
prefix of the region's code) and otherwise the longest proper prefix of its code that is
a region of the data set (``6403010001`` -> ``6403`` -> ``64``); a ``parent_code`` absent
from the file still becomes a node. The units of the data set (the regions without
children) are the leaves. Every step is an array pass over the nodes (83,763 desa in a few
passes, one per level), never a walk per node.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    regions: dict[str, Region] = data.regions_by_code
    pending = [r.parent_code for r in regions.values() if r.parent_code and r.parent_code not in regions]
    if pending:
        regions = dict(regions)
    while pending:
        code = pending.pop()
        if code not in regions:
            regions[code] = Region(code=code, name=code, type="provinsi" if len(code) == 2 else "")
    codes = sorted(regions)
    nodes = [regions[c] for c in codes]
    where = {code: i for i, code in enumerate(codes)}

    def positions(wanted: list[str]) -> np.ndarray:
        return np.fromiter((where.get(code, -1) for code in wanted), dtype=np.int64, count=len(wanted))

    lengths = np.fromiter(map(len, codes), dtype=np.int64, count=len(codes))
    # the parent_code the file gives, else the longest proper prefix that is a region
    own = [r.parent_code or "" for r in nodes]
    stated = np.fromiter((p != "" and p != c for p, c in zip(own, codes, strict=True)), dtype=bool, count=len(codes))
    parent = np.full(len(codes), -1, dtype=np.int64)
    if stated.any():
        parent[stated] = positions([own[i] for i in np.flatnonzero(stated).tolist()])
    for length in sorted(set(lengths.tolist())):  # shortest first: a longer prefix found later wins
        longer = np.flatnonzero(~stated & (lengths > length))
        if longer.size == 0:
            continue
        found = positions([codes[i][:length] for i in longer.tolist()])
        parent[longer[found >= 0]] = found[found >= 0]
    depth = _depths(parent)
    units = set(data.codes)
    unit = np.fromiter((code in units for code in codes), dtype=bool, count=len(codes))
    return Tree(tuple(codes), tuple(nodes), parent, depth, unit)


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
