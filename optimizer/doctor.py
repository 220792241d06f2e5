"""Checks of the environment for ``wrse doctor``: versions, solvers, and a tiny known model."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata

PACKAGES = (
    "wrse-optimizer",
    "pulp",
    "numpy",
    "pandas",
    "scipy",
    "click",
    "openpyxl",
    "highspy",
    "matplotlib",
    "jinja2",
    "python-docx",
)

# A model whose answer is known by hand: quotas 3.5, 2.1, 1.4 and 7 recipients give
# 4, 2, 1 under Sainte-Laguë (highest averages 3.5, 2.1, 1.4, 1.17, 0.7, 0.7, 0.5).
KNOWN_QUOTAS = (3.5, 2.1, 1.4)
KNOWN_TOTAL = 7
KNOWN_ANSWER = [4, 2, 1]


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it passed, and details."""

    name: str
    ok: bool
    detail: str
    essential: bool = True


def versions() -> list[tuple[str, str]]:
    """Python and package versions (``'not installed'`` for a missing optional package)."""
    rows = [
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("platform", f"{platform.system()} {platform.machine()}"),
    ]
    for name in PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows


def _known_problem():
    import numpy as np

    from .problem import SAINTE_LAGUE, Problem

    return Problem(
        ("6401", "6402", "6403"),
        np.array(KNOWN_QUOTAS),
        np.zeros(3, dtype=np.int64),
        np.full(3, 100, dtype=np.int64),
        KNOWN_TOTAL,
        SAINTE_LAGUE,
    )


def run_checks() -> list[Check]:
    """Run every check; never raises (a failure is a failed :class:`Check`)."""
    checks: list[Check] = []
    try:
        from .apportion import solve_exact

        answer = solve_exact(_known_problem()).tolist()
        checks.append(Check("exact solver", answer == KNOWN_ANSWER, f"known model gives {answer}"))
    except Exception as exc:  # the point of doctor is to report, not to crash
        checks.append(Check("exact solver", False, f"{type(exc).__name__}: {exc}"))
    from .model import cbc_available, highs_available, scipy_milp_available, solve_milp

    ok, why = cbc_available()
    if ok:
        try:
            outcome = solve_milp(_known_problem(), "cbc")
            used = outcome.solver
            good = outcome.x.tolist() == KNOWN_ANSWER and used == "cbc"
            checks.append(Check("CBC (PuLP)", good, f"known model gives {outcome.x.tolist()} with {used}"))
        except Exception as exc:
            checks.append(Check("CBC (PuLP)", False, f"{type(exc).__name__}: {exc}"))
    else:
        checks.append(Check("CBC (PuLP)", False, why))
    if highs_available():
        try:
            outcome = solve_milp(_known_problem(), "highs")
            checks.append(
                Check(
                    "HiGHS (highspy)",
                    outcome.x.tolist() == KNOWN_ANSWER and outcome.solver == "highs",
                    f"known model gives {outcome.x.tolist()} with {outcome.solver}",
                    essential=False,
                )
            )
        except Exception as exc:
            checks.append(Check("HiGHS (highspy)", False, f"{type(exc).__name__}: {exc}", essential=False))
    else:
        checks.append(
            Check(
                "HiGHS (highspy)",
                False,
                "not installed (optional: pip install 'wrse-optimizer[highs]')",
                essential=False,
            )
        )
    if scipy_milp_available():
        try:
            outcome = solve_milp(_known_problem(), "scipy")
            good = outcome.x.tolist() == KNOWN_ANSWER and outcome.solver == "scipy"
            checks.append(
                Check("HiGHS (SciPy milp)", good, f"known model gives {outcome.x.tolist()} with {outcome.solver}")
            )
        except Exception as exc:
            checks.append(Check("HiGHS (SciPy milp)", False, f"{type(exc).__name__}: {exc}"))
    else:
        checks.append(Check("HiGHS (SciPy milp)", False, "scipy.optimize.milp cannot be imported (SciPy 1.9+)"))
    try:
        from .inputs.data import shipped

        data = shipped()
        checks.append(
            Check(
                "shipped data",
                len(data.units) == 10,
                f"{len(data.units)} kabupaten/kota, {len(data.records)} figures, sha256 {data.sha256[:12]}…",
            )
        )
    except Exception as exc:
        checks.append(Check("shipped data", False, f"{type(exc).__name__}: {exc}"))
    return checks


def healthy(checks: list[Check]) -> bool:
    """True when the exact solver, the data and at least one MILP solver work."""
    by_name = {c.name: c for c in checks}
    either = ("CBC (PuLP)", "HiGHS (SciPy milp)")  # CBC falls back to SciPy's HiGHS
    milp = any(by_name[name].ok for name in either) or by_name["HiGHS (highspy)"].ok
    return milp and all(c.ok for c in checks if c.essential and c.name not in either)
