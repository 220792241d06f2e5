"""The plan's note on everyone granted before the first planning year names each published
figure so no year reads twice and groups the counts the reader's way (newcomer: "(2024: 535,
2025: 1500, 2025: 180)")."""

from __future__ import annotations

import re

from optimizer import programme
from optimizer.cli import main


def _note(runner, lang: str) -> str:
    result = runner.invoke(main, ["plan", "roadmap-2027-uep", "--lang", lang], env={"WRSE_LANG": None})
    assert result.exit_code == 0, result.output
    word = "riwayat realisasi (" if lang == "id" else "realised history ("
    (line,) = [line for line in result.stdout.splitlines() if word in line]
    return line.split(word, 1)[1].rstrip(")")


def test_history_figures_are_named_once_and_grouped(runner):
    rows = {(r.year, r.kind, r.recipients) for r in programme.realised_rows() if r.region_code == "64"}
    assert {(2024, "cumulative", 535), (2025, "new", 1500), (2025, "new", 180)} <= rows  # shipped figures
    assert _note(runner, "id") == "kumulatif sampai 2024: 535, 2025: 1.500, APBD-P 2025: 180"
    english = _note(runner, "en")
    assert english == "cumulative up to 2024: 535, 2025: 1,500, APBD-P 2025: 180"
    labels = [part.rsplit(":", 1)[0] for part in english.split(", ")]
    assert len(labels) == len(set(labels))  # no label twice
    assert not re.search(r"\b\d{4,}\b", _note(runner, "id").replace("2024", "").replace("2025", ""))
