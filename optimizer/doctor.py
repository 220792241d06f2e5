"""Checks of the environment for ``wrse doctor``: versions, solvers, and a tiny known model."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata

from .i18n import Count, Msg

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
    """One line of the report: what was checked (``name``, a key of the ``[doctor.check]`` messages),
    whether it passed, and ``detail``: a :class:`~optimizer.i18n.Msg` in the reader's language, or
    the text of an exception (a library's own words, shown as it is)."""

    name: str
    ok: bool
    detail: Msg | str
    essential: bool = True


NOT_INSTALLED = Msg.of("doctor.not_installed")


def versions() -> list[tuple[str, str | Msg]]:
    """Python and package versions (:data:`NOT_INSTALLED` for a missing optional package)."""
    rows: list[tuple[str, str | Msg]] = [
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("platform", f"{platform.system()} {platform.machine()}"),
    ]
    for name in PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, NOT_INSTALLED))
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


def _failure(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _solved(answer: list[int], used: str | None = None) -> Msg:
    """ "the known model gives [4, 2, 1] (with cbc)"; the expected answer is named when it differs."""
    shown = f"[{', '.join(str(v) for v in answer)}]"
    expected = f"[{', '.join(str(v) for v in KNOWN_ANSWER)}]"
    if answer != KNOWN_ANSWER:
        return Msg.of("doctor.wrong_answer", answer=shown, expected=expected, solver=used or "exact")
    if used is None:
        return Msg.of("doctor.known_model", answer=shown)
    return Msg.of("doctor.known_model_with", answer=shown, solver=used)


def _milp_check(name: str, solver: str, essential: bool = True) -> Check:
    from .model import solve_milp

    try:
        outcome = solve_milp(_known_problem(), solver)
    except Exception as exc:  # the point of doctor is to report, not to crash
        return Check(name, False, _failure(exc), essential)
    answer = outcome.x.tolist()
    return Check(name, answer == KNOWN_ANSWER and outcome.solver == solver, _solved(answer, outcome.solver), essential)


def run_checks() -> list[Check]:
    """Run every check; never raises (a failure is a failed :class:`Check`)."""
    checks: list[Check] = []
    try:
        from .apportion import solve_exact

        answer = solve_exact(_known_problem()).tolist()
        checks.append(Check("exact", answer == KNOWN_ANSWER, _solved(answer)))
    except Exception as exc:  # the point of doctor is to report, not to crash
        checks.append(Check("exact", False, _failure(exc)))
    from .model import cbc_available, highs_available, scipy_milp_available

    ok, why = cbc_available()
    checks.append(_milp_check("cbc", "cbc") if ok else Check("cbc", False, why))
    if highs_available():
        checks.append(_milp_check("highs", "highs", essential=False))
    else:
        checks.append(Check("highs", False, Msg.of("doctor.highs_missing"), essential=False))
    if scipy_milp_available():
        checks.append(_milp_check("scipy", "scipy"))
    else:
        checks.append(Check("scipy", False, Msg.of("doctor.scipy_missing")))
    try:
        from .inputs.data import shipped

        data = shipped()
        checks.append(
            Check(
                "data",
                len(data.units) == 10,
                Msg.of(
                    "doctor.shipped_data",
                    regions=Count(len(data.units)),
                    figures=Count(len(data.records)),
                    sha=data.sha256[:12],
                ),
            )
        )
    except Exception as exc:
        checks.append(Check("data", False, _failure(exc)))
    return checks


def healthy(checks: list[Check]) -> bool:
    """True when the exact solver, the data and at least one MILP solver work."""
    by_name = {c.name: c for c in checks}
    either = ("cbc", "scipy")  # CBC falls back to SciPy's HiGHS
    milp = any(by_name[name].ok for name in either) or by_name["highs"].ok
    return milp and all(c.ok for c in checks if c.essential and c.name not in either)
