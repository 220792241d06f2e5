"""Text tables for the terminal: aligned columns that fit the width of the screen.

:func:`render` writes a :class:`~optimizer.render.table.Table` with the numbers formatted
by :mod:`optimizer.render.format`. Without ``wide`` it shows the columns a planner reads
first and fits them into ``width`` characters: headings wrap onto two or three lines,
then the columns of highest ``priority`` are left out (a line below names them and
``--wide``), then long names are shortened with ``…``. ``width`` None means no limit
(output to a file or a pipe). :func:`terminal_width` is the width to use for standard output.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence

from .format import value as format_value
from .table import Column, Table

GAP = "  "
MIN_TEXT = 10  # a name is never shortened below this many characters
TEXT_GIVE = 4  # a name column wraps its few longest names by up to this many characters before a column is left out


def terminal_width() -> int | None:
    """The width of standard output: ``COLUMNS`` if set, else the terminal's when standard
    output is a terminal, else None (a file or a pipe: no limit)."""
    if os.environ.get("COLUMNS", "").strip().isdigit():
        return max(int(os.environ["COLUMNS"]), 20)
    if not sys.stdout.isatty():
        return None
    columns = shutil.get_terminal_size(fallback=(0, 0)).columns
    return columns if columns > 0 else None


def cell_text(column: Column, row, lang: str) -> str:
    """The text of ``row``'s cell in ``column``: the formatted value and its note."""
    item = row.get(column.key)
    text = item if isinstance(item, str) else format_value(column.kind, item, lang, column.places)
    if text and column.note and row.get(column.note):
        text += str(row[column.note])
    return text


def lines(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    """Align ``rows`` under ``headers``; ``right[i]`` right-aligns column i.

    A heading or a cell may hold ``\n``: headings sit on the rule (short ones on its last
    line), a cell of several lines makes its row that tall.
    """
    split = [h.split("\n") for h in headers]
    body = [[c.split("\n") for c in r] for r in rows]
    widths = [max([len(p) for p in s] + [len(p) for r in body for p in r[i]]) for i, s in enumerate(split)]
    depth = max((len(s) for s in split), default=1)

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if rj else c.ljust(w) for c, w, rj in zip(cells, widths, right, strict=True)]
        return GAP.join(parts).rstrip()

    out = []
    for level in range(depth):
        out.append(line([s[level - depth + len(s)] if level >= depth - len(s) else "" for s in split]))
    out.append(GAP.join("-" * w for w in widths))
    for r in body:
        for k in range(max(len(c) for c in r) if r else 1):
            out.append(line([c[k] if k < len(c) else "" for c in r]))
    return out


# Spans a wrap never breaks at their spaces: an amount (``Rp 750.000.000``, ``-Rp 1,000``,
# ``1,5 miliar``) and a quoted value (``'Rp 150.000.000'``, ``"abc"``, ``“150 juta”``): a quote
# opens after a space, a bracket or the line's start and closes before a space or punctuation, so
# an apostrophe (``tool's``) opens nothing.
_UNBROKEN = re.compile(
    r"[-+]?\bRp \d(?:[\d.,]*\d)?(?: (?:juta|miliar|triliun|million|billion|trillion)\b)?"
    r"|\b\d[\d.,]* (?:juta|miliar|triliun|million|billion|trillion)\b"
    r"""|(?<![^\s(\[])(?:'[^'\n]+'|"[^"\n]+"|“[^”\n]+”|‘[^’\n]+’)(?![^\s.,;:!?)\]])"""
)
_WORD_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
# private-use characters standing for a space and a hyphen that must not break (one column each)
_GLUED_SPACE, _GLUED_HYPHEN = "\ue000", "\ue001"


def keep_together(text: str, room: int | None = None) -> str:
    """``text`` for :class:`textwrap.TextWrapper` (this module's :func:`fill`, Click's help):
    the spaces of an amount or a quoted value (see ``_UNBROKEN``) and the hyphens inside a word
    (``csv-excel``, ``--time-limit``, ``berkas-berkas``) replaced by characters it never breaks
    at, each one column wide. A span longer than ``room`` columns (None: any length) keeps its
    spaces, so it can still wrap. :func:`released` gives the spaces and hyphens back."""

    def glue(match: re.Match) -> str:
        span = match.group(0)
        return span.replace(" ", _GLUED_SPACE) if room is None or len(span) <= room else span

    return _WORD_HYPHEN.sub(_GLUED_HYPHEN, _UNBROKEN.sub(glue, text))


def released(text: str) -> str:
    """``text`` of :func:`keep_together` (wrapped or not) with its spaces and hyphens back."""
    return text.replace(_GLUED_SPACE, " ").replace(_GLUED_HYPHEN, "-")


def fill(lines: Sequence[str], width: int | None, indent: str = "", break_long_words: bool = False) -> list[str]:
    """``lines`` wrapped at ``width`` characters (None: unchanged); continuation lines get ``indent``.
    A word longer than the width (a source's URL) is kept whole on its own line, never broken
    mid-word (``daulatnews`` / ``.com``); ``break_long_words=True`` breaks it. An amount
    (``Rp 750.000.000``) or a quoted value (``'150 juta'``) that fits on a line is never split
    across lines (:func:`keep_together`)."""
    if width is None:
        return list(lines)
    out: list[str] = []
    for line in lines:
        lead = line[: len(line) - len(line.lstrip())]
        wrapped = textwrap.wrap(
            keep_together(line, width - len(lead + indent)),
            width,
            subsequent_indent=lead + indent,
            break_on_hyphens=False,
            break_long_words=break_long_words,
        )
        out += [released(part) for part in wrapped] or [line]
    return out


def _words(heading: str) -> list[str]:
    """The parts a heading may be wrapped between: words, and after a ``/`` (``Kabupaten/`` ``Kota``)."""
    return heading.replace("/", "/ ").split()


def _wrap(heading: str, width: int) -> str:
    lines = textwrap.wrap(heading.replace("/", "/ "), max(width, 1), break_long_words=False)
    return "\n".join(line.replace("/ ", "/") for line in lines) or heading


def _wrap_cell(text: str, width: int) -> str:
    """A long text cell on several lines of at most ``width`` characters; words are kept
    whole (a word longer than ``width`` makes its line longer, never ``kabupate/n``), and an
    amount that fits on a line is never split (``Rp`` / ``3.000.000``: :func:`keep_together`)."""
    if len(text) <= width:
        return text
    glued = keep_together(text, width)
    lines = textwrap.wrap(glued, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(released(line) for line in lines) or text


def render(table: Table, lang: str = "id", width: int | None = None, wide: bool = False) -> str:
    """``table`` as aligned text lines (no trailing newline), fitted to ``width`` unless ``wide``.

    Fitting, in order: headings wrap; columns are left out by ``priority`` (highest first;
    a line below names them) unless the longest text column wrapped by at most
    :data:`TEXT_GIVE` characters makes them fit (a long name on two lines rather than no
    quota); the longest text column wraps onto several lines (never narrower than
    :data:`MIN_TEXT`); columns marked ``panel`` (e.g. one per region) that
    still do not fit go into further panels below, each repeating the other columns.
    The total row (if any) comes last.
    """
    columns = table.screen_columns(wide)
    hidden = [c for c in table.screen_columns(True) if c not in columns]
    body = [*table.rows, *([table.total] if table.total is not None else [])]
    cells = {c.key: [cell_text(c, r, lang) for r in body] for c in columns}
    headings = {c.key: c.title(lang) for c in columns}

    def natural(c: Column, wrap: bool) -> int:
        longest = max((len(part) for x in cells[c.key] for part in x.split("\n")), default=0)
        words = _words(headings[c.key]) if wrap else [headings[c.key]]
        return max([longest, *map(len, words)])

    def total_width(shown: list[Column], wrap: bool) -> int:
        return sum(natural(c, wrap) for c in shown) + len(GAP) * (len(shown) - 1)

    shown = list(columns)
    panels: list[list[Column]] = []
    wrap = False
    if width is not None and not wide:
        wrap = total_width(shown, False) > width
        fixed = [c for c in shown if not c.panel]
        movable = [c for c in shown if c.panel]

        def give() -> int:  # what wrapping the longest text column may save before a column goes
            texts = [natural(c, wrap) for c in shown if c.kind == "text"]
            return max(0, min(TEXT_GIVE, max(texts) - MIN_TEXT)) if texts else 0

        while total_width(shown, wrap) - give() > width and any(c.priority for c in fixed):
            drop = max((c for c in fixed if c.priority), key=lambda c: (c.priority, fixed.index(c)))
            fixed.remove(drop)
            shown.remove(drop)
            hidden.append(drop)
        if movable and total_width(shown, wrap) > width:  # panels of the columns that do not fit
            panels, current = [], []
            for c in movable:
                if current and total_width([*fixed, *current, c], wrap) > width:
                    panels.append(current)
                    current = []
                current.append(c)
            panels.append(current)
            shown = [*fixed, *panels[0]]
        excess = total_width(shown, wrap) - width
        if excess > 0:  # wrap the longest text column (a name, a note), never below MIN_TEXT
            texts = [c for c in shown if c.kind == "text"]
            if texts:
                longest = max(texts, key=lambda c: natural(c, wrap))
                target = max(MIN_TEXT, natural(longest, wrap) - excess)
                cells[longest.key] = [_wrap_cell(x, target) for x in cells[longest.key]]
    if wide:
        hidden = []
    order = {c.key: i for i, c in enumerate(table.columns)}
    hidden.sort(key=lambda c: order[c.key])

    def block(chosen: list[Column]) -> list[str]:
        headers = []
        for c in chosen:
            heading = headings[c.key]
            headers.append(_wrap(heading, natural(c, True)) if wrap else heading)
        rows = [[cells[c.key][i] for c in chosen] for i in range(len(body))]
        return lines(headers, rows, [c.numeric for c in chosen])

    out = block(shown)
    if len(panels) > 1:
        fixed = [c for c in shown if not c.panel]
        for panel in panels[1:]:
            out += ["", *block([*fixed, *panel])]
    if hidden:
        from ..i18n import t

        names = ", ".join(dict.fromkeys(" ".join(c.title(lang).split()) for c in hidden if c.screen))
        note = t("table.more_columns", lang, columns=names)
        out += fill([note], width)
    return "\n".join(out)
