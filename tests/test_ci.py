"""CI runs what the README promises and installs what the render checks need (.ci/run)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quickstart(marker: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- quickstart:{marker} -->\s*```bash\n(.+?)\n```", readme, re.DOTALL)
    assert found, f"README.md has no <!-- quickstart:{marker} --> block"
    return found.group(1).strip()


def test_ci_runs_the_readme_test_command_verbatim():
    command = _quickstart("test")
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert command in lines


def test_ci_installs_every_tool_a_render_skip_names():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("chromium", "libreoffice-writer", "libreoffice-calc", "poppler-utils", "strace"):
        assert package in script
    assert "apt-get install" in script
    for check in ("ruff check .", "ruff format --check .", "mypy"):
        assert re.search(rf"^{re.escape(check)}$", script, re.MULTILINE), check


def test_the_quickstart_blocks_come_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("```", readme.index("<!-- quickstart:test -->") + 30) + 3]
    assert head.index("<!-- quickstart:run -->") < head.index("<!-- quickstart:test -->")
    assert "## " not in head, "the two quick-start commands must come before any section"
