"""The collector pause of bulk reads and screening restores the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from optimizer.gc_pause import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_restored_after_also_on_error(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), collector_paused():
            raise ValueError("a bad row")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
