"""Cells in Indonesian and English number formats, read by the column's declared unit."""

import pytest

from optimizer.numbers import parse_count, parse_decimal


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1234", 1234),
        ("1.234", 1234),
        ("1,234", 1234),
        ("12.345.678", 12345678),
        ("1.234,00", 1234),
        (1234, 1234),
        (1234.0, 1234),
        (" 15 380 ", 15380),
        ("0", 0),
    ],
)
def test_counts(cell, value):
    assert parse_count(cell) == value


@pytest.mark.parametrize("cell", ["1,5", "1.5", "12.34", "abc", "", 12.5, "1.234,5", True])
def test_bad_counts(cell):
    with pytest.raises(ValueError):
        parse_count(cell)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("66,89", 66.89),
        ("66.89", 66.89),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("7", 7.0),
        (7.61, 7.61),
        ("5,08%", 5.08),
        ("-0,5", -0.5),
    ],
)
def test_decimals(cell, value):
    assert parse_decimal(cell) == pytest.approx(value)


@pytest.mark.parametrize("cell", ["", "x", "1.2.3", "1,2,3", "66,8a", float("nan")])
def test_bad_decimals(cell):
    with pytest.raises(ValueError):
        parse_decimal(cell)
