"""Shared fixtures: the shipped data set and scenarios, and a Click runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from optimizer import indicators, scenario


@pytest.fixture(scope="session")
def kaltim():
    """The shipped Kalimantan Timur data set."""
    return indicators.shipped()


@pytest.fixture(scope="session")
def next_year():
    """The shipped next-fiscal-year scenario."""
    return scenario.load("next-fiscal-year")


@pytest.fixture(scope="session")
def baseline():
    """The shipped 2023 baseline scenario."""
    return scenario.load("baseline-2023")


@pytest.fixture
def runner():
    """Click's test runner, with stderr kept apart from stdout."""
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """Tables are fitted to ``COLUMNS`` (pytest-xdist workers set it to 80): tests that want
    a width set it themselves, so every other output is the same under -n 2 and without."""
    monkeypatch.delenv("COLUMNS", raising=False)
