"""Pausing Python's cyclic garbage collector for a bulk pass over many rows."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk pass runs; restore its state afterwards,
    also on error.

    Reading 83.763 desa rows or screening a 100.000-row candidate list allocates millions of small
    objects and no reference cycles (reference counting frees them); the collector would rescan
    the growing heap again and again (a third of the data load time, about half of a screening
    pass, measured with ``benchmarks/bench_scale.py`` and ``benchmarks/screen_scale.py``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
