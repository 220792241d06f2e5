"""Shared fixtures: the shipped data set and scenarios, and a Click runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from optimizer import scenario
from optimizer.inputs.data import shipped


@pytest.fixture(scope="session")
def kaltim():
    """The shipped Kalimantan Timur data set."""
    return shipped()


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
