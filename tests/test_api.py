"""The public Python API: the README's example runs, and every name is the library's own function."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import optimizer

README = Path(__file__).resolve().parent.parent / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Python API") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_api_example_runs(capsys):
    namespace: dict = {}
    exec(compile(_example(), "README.md (Python API)", "exec"), namespace)
    allocation = namespace["allocation"]
    assert allocation.allocated == 750_000_000 // allocation.cost_per_recipient_rp
    out = capsys.readouterr().out
    assert out.startswith("<Allocation next-fiscal-year: 250 recipients in 10 regions")
    assert "p95" in out


def test_api_names_are_the_real_functions():
    from optimizer.engine import allocate
    from optimizer.report.pipeline import make_report
    from optimizer.screening.select import select

    assert optimizer.allocate is allocate and optimizer.report is make_report and optimizer.select is select
    for name in optimizer.__all__[1:]:
        value = getattr(optimizer, name)
        assert value.__doc__, name
        assert inspect.signature(value), name
    assert "data" in inspect.signature(optimizer.allocate).parameters


def test_the_report_subpackage_does_not_hide_the_report_function():
    import optimizer.report.content  # noqa: F401 - importing the subpackage must not replace the API name
    from optimizer import report

    assert callable(report) and report.__name__ == "make_report"


def test_results_have_a_short_repr_and_a_frame(kaltim, next_year):
    from optimizer import budget_grid, build, sweep

    allocation = optimizer.allocate(next_year, kaltim)
    assert len(repr(allocation)) < 200 and len(allocation.to_frame()) == len(kaltim.units)
    swept = sweep(build(next_year, kaltim), budget_grid(300_000_000, 600_000_000, 150_000_000))
    assert len(repr(swept)) < 200 and list(swept.to_frame()["budget_rp"]) == [300_000_000, 450_000_000, 600_000_000]
