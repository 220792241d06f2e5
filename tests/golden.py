"""The change detector: the numbers of the shipped scenarios' allocations, recorded in tests/data/golden_outputs.json.

A CHANGE DETECTOR, NOT A PROOF OF CORRECTNESS. The recorded numbers were produced by this code, so matching them
only says that nothing moved. Correctness is pinned elsewhere by expectations the code did not produce:
hand-computed cases (test_apportion.py, test_verify.py, test_engine.py), published apportionments and an exact
second implementation (test_published.py), and properties (budget, bounds, house monotonicity).

Only numbers are kept (per region: eligible, need share, quota, bounds, recipients, Rupiah; per run: budget,
affordable, allocated, spent, leftover, what limited the total, method, IDG reference; the indicator values in use),
so wording, translation and layout can change without touching it. When a change of numbers is intended,
re-record and say why in the commit message:

    python tests/golden.py
"""

from __future__ import annotations

import json
from pathlib import Path

PATH = Path(__file__).parent / "data" / "golden_outputs.json"
SCENARIOS = ("all-ten-same-budget", "baseline-2023", "next-fiscal-year", "next-fiscal-year-latest-idg")
VARIANTS = ((), ("--budget", "1,5 miliar"), ("--budget", "20 miliar"), ("--method", "hamilton"))
RUN_FIELDS = (
    "budget_rp",
    "cost_per_recipient_rp",
    "affordable",
    "allocated",
    "spent_rp",
    "leftover_rp",
    "limited_by",
    "method",
    "idg_reference",
    "idg_reference_year",
)
REGION_FIELDS = ("included", "eligible", "need_share", "quota", "lower", "upper", "recipients", "cost_rp", "binding")
NOTE = "Change detector only: numbers recorded from this code (see tests/golden.py). Re-record: python tests/golden.py"


def cases() -> list[tuple[str, ...]]:
    """The ``wrse`` argument lists recorded (keys of the golden file: the arguments joined by tabs).

    Every shipped scenario at its own budget, at two other budgets, and with Hamilton.
    """
    return [("run", s, *v, "--format", "json", "--lang", "en") for s in SCENARIOS for v in VARIANTS]


def numbers(run_json: str) -> dict:
    """The numbers of one ``wrse run --format json`` output: run fields and per-region fields by BPS code."""
    document = json.loads(run_json)
    return {
        "run": {k: document[k] for k in RUN_FIELDS},
        "regions": {r["region_code"]: [r[k] for k in REGION_FIELDS] for r in document["regions"]},
    }


def data_numbers(data_json: str) -> dict:
    """The indicator values of ``wrse data --format json``: {indicator: {region_code: {year: value}}}."""
    document = json.loads(data_json)
    out: dict = {}
    for row in document["records"]:
        out.setdefault(row["indicator"], {}).setdefault(row["region_code"], {})[str(row["year"])] = row["value"]
    return out


def invoke(args) -> str:
    """Run ``wrse`` in-process as a user would; returns stdout; AssertionError on a non-zero exit."""
    from click.testing import CliRunner

    from optimizer.cli import main

    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def record() -> dict:
    """Re-run every case and write the golden file."""
    golden = {
        "_note": NOTE,
        "region_fields": list(REGION_FIELDS),
        "data": data_numbers(invoke(["data", "--format", "json"])),
        "runs": {"\t".join(args): numbers(invoke(args)) for args in cases()},
    }
    PATH.write_text(json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return golden


if __name__ == "__main__":
    record()
    print(f"wrote {PATH}")
