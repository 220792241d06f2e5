"""Shared fixtures and hooks. Keep the suite fast on 2 cores: build expensive things once, assert many things on them.

Fixtures:

* ``kaltim``, ``next_year``, ``baseline`` (session): the shipped data set and scenarios; ``runner``: Click's test
  runner. Prefer ``runner.invoke(main, [...])`` over a subprocess: a few true subprocess tests per command cover
  the entry point, exit codes and signals; the rest runs in-process;
* ``browser`` (session: one headless Chromium per xdist worker) and ``browser_page`` (a fresh 1366×768 page in its
  own context); ``render_dir``: a folder whose PDFs and page images are kept for a person to look at;
* ``shared_tmp`` (session): a folder shared by the xdist workers of one run, for work both workers would
  otherwise repeat: pass it as ``cache=`` to ``rendering.office_to_pdfs`` (LibreOffice then converts a set of
  byte-identical documents once per run) or keep a file there under ``rendering.locked``;
* ``false_infeasible``: the MILP solver falsely reports the allocation model infeasible; ``cbc_program``: a
  function that makes PuLP run a given file as CBC (a broken or fake CBC).

Rendering (tests/rendering.py): convert all the DOCX/XLSX a module needs in ONE ``rendering.office_to_pdfs`` call from
a module-scoped fixture (LibreOffice's start costs more than a document), and read a PDF through
``rendering.read_pdf`` (or ``pdf_pages_text``/``pdf_words``/``overflowing_chars``, which share its one pdfplumber
parse). Hypothesis: under ``CI=true`` its built-in ``ci`` profile is active (derandomized, no example database), so
CI runs are reproducible; give each property a ``max_examples`` that fits what one example costs, and prove a
property where it is decided (house monotonicity on the structured solver in test_apportion.py, a few full engine
runs in test_engine.py).

Hooks: ``pytest_configure`` keeps bytecode in a cache folder outside the tree when ``PYTHONDONTWRITEBYTECODE`` is set;
render and browser tests skip with the Debian package to install when a tool is missing, and fail under
``CI=true``.
"""

from __future__ import annotations

import os
import re

import pytest
import rendering
from click.testing import CliRunner

from optimizer import scenario
from optimizer.inputs.data import shipped


def pytest_configure(config):
    """With ``PYTHONDONTWRITEBYTECODE`` set, every ``wrse`` the tests start as a subprocess would compile the whole
    package again (about 0.4 CPU-seconds each, some 60 times a run). Python's bytecode goes to a cache folder
    outside the source tree instead (``PYTHONPYCACHEPREFIX`` under the system temporary folder, per user and
    interpreter), so the tree stays as clean as the variable intends and each module is compiled once. Runs in
    the controller before the xdist workers start, so workers and their subprocesses inherit it. An explicit
    ``PYTHONPYCACHEPREFIX`` is left alone."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        import hashlib
        import sys
        import tempfile

        tag = hashlib.sha256(sys.prefix.encode()).hexdigest()[:12]
        prefix = os.path.join(tempfile.gettempdir(), f"wrse-pycache-{os.getuid()}-{tag}")
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
        os.environ["PYTHONPYCACHEPREFIX"] = prefix


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


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """Tables are fitted to ``COLUMNS`` (pytest-xdist workers set it to 80): tests that want
    a width set it themselves, so every other output is the same under -n 2 and without."""
    monkeypatch.delenv("COLUMNS", raising=False)


# --- render and browser checks (see tests/rendering.py) ------------------------------------------------------------

_MISSING_TOOL_WORDS = re.compile(
    r"chromium|libreoffice|soffice|poppler|pdftoppm|playwright|pdfplumber|strace", re.IGNORECASE
)


def pytest_runtest_setup(item):
    for marker, tools in rendering.MARKER_TOOLS.items():
        if item.get_closest_marker(marker) is not None:
            rendering.require(*tools)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true, a test skipped because a render or browser tool (or strace) is missing fails instead.

    CI installs those tools (.ci/run), so such a skip means a check silently did not run. Any skip whose reason
    names one of the tools (whoever wrote the skip) counts.
    """
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or os.environ.get("CI", "").lower() != "true" or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    if rendering.MISSING_TOOL in reason or _MISSING_TOOL_WORDS.search(reason):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every render/browser check must run: {reason}"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium per test worker (Playwright ``Browser``); skips when Chromium is missing."""
    with rendering.launch_browser() as b:
        yield b


@pytest.fixture
def browser_page(browser):
    """A fresh 1366×768 page in its own browser context, closed after the test."""
    context = browser.new_context(viewport=rendering.VIEWPORT)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory):
    """A folder shared by every pytest-xdist worker of this run (the plain base temp folder without xdist).

    For work both workers would otherwise repeat: give it as ``cache=`` to ``rendering.office_to_pdfs``, or keep
    a file there under ``rendering.locked`` (as tests/test_page_equal.py keeps its corpus).
    """
    base = tmp_path_factory.getbasetemp()
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    folder = base.parent / f"shared-{run}" if run else base / "shared"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def render_dir(request):
    """A folder for the PDFs and page images this test renders, kept after the run for a person to look at."""
    return rendering.render_dir_for(request.node.nodeid)


@pytest.fixture
def false_infeasible(monkeypatch):
    """The MILP solver reports the allocation model infeasible (as HiGHS did on feasible problems);
    every other model (the elastic one) is solved for real."""
    from optimizer import solvers
    from optimizer.errors import InfeasibleError

    original = solvers.run

    def run(lp, name, time_limit):
        if lp.name == "wrse_allocation":
            raise InfeasibleError("simulated")
        return original(lp, name, time_limit)

    monkeypatch.setattr(solvers, "run", run)


@pytest.fixture
def cbc_program(monkeypatch):
    """A function ``use(path)``: from then on ``--solver cbc`` runs the file at ``path`` as its CBC
    program (PuLP's ``COIN_CMD``, no output); the other solvers stay as they are."""
    import pulp

    from optimizer import solvers

    original = solvers._make_solver

    def use(path) -> None:
        def make(name, time_limit):
            if name == "cbc":
                return pulp.COIN_CMD(path=str(path), msg=False)
            return original(name, time_limit)

        monkeypatch.setattr(solvers, "_make_solver", make)

    return use
