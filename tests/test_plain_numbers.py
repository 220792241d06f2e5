"""Plain numbers read in bulk (optimizer/inputs/plain.py) are the numbers float() reads, bit for bit."""

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.inputs.plain import plain_numbers

_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_COUNT = re.compile(r"[0-9]+")
_CELLS = st.one_of(
    st.from_regex(r"\A[0-9]{1,9}(\.[0-9]{1,8})?\Z"),
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(repr),
    st.text(alphabet="0123456789.,-+ e", max_size=6),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=8), st.booleans())
def test_plain_cells_read_in_bulk_are_what_float_reads(cells, decimal):
    got = plain_numbers(cells, decimal)
    form = _DECIMAL if decimal else _COUNT
    plain = all(form.fullmatch(cell) for cell in cells)
    if got is None:  # declined: a cell not plain, or too long to be exact
        assert not plain or any(sum(ch.isdigit() for ch in cell) > 15 for cell in cells)
        return
    assert plain
    expected = np.array([float(cell) for cell in cells])
    assert got.view(np.int64).tolist() == expected.view(np.int64).tolist()


def test_cells_that_are_not_text_are_declined():
    assert plain_numbers([1, "2"], decimal=False) is None
    assert plain_numbers([], decimal=True) is None
    assert plain_numbers(["1", ""], decimal=True) is None
    assert plain_numbers(["١٢"], decimal=False) is None  # digits, but not ASCII ones
