"""Re-record tests/data/golden_outputs.json: the outputs of the shipped scenarios.

Run it only when an output change is intended, and say why in the commit message:
    python tests/data/record_golden.py
"""

import json
from pathlib import Path

from click.testing import CliRunner

from optimizer.cli import main

PATH = Path(__file__).parent / "golden_outputs.json"


def record() -> None:
    cases = sorted(json.loads(PATH.read_text(encoding="utf-8")))
    runner = CliRunner()
    golden = {}
    for case in cases:
        result = runner.invoke(main, case.split("\t"))
        assert result.exit_code == 0, (case, result.output)
        if "\tjson" in case or case.endswith("json"):
            document = json.loads(result.stdout)
            document["scenario"]["file"] = None
            golden[case] = document
        else:
            golden[case] = result.stdout
    PATH.write_text(json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record()
