"""The report as Markdown (GitHub-flavoured tables), for quick review and line diffs.

Charts are not embedded (their numbers are in the tables); a line points to the HTML and
DOCX versions. Text from data (region names, sources) is escaped so it is shown, never
interpreted as Markdown or HTML.
"""

from __future__ import annotations

import re
from datetime import datetime

from .. import __version__
from .document import Report
from .text import Msg, resolve
from .view import BlockView, TableView, report_view

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def escape(text: str) -> str:
    """Escape Markdown syntax and HTML in ``text``, and keep it on one line."""
    text = " ".join(str(text).split())
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _table(t: TableView) -> list[str]:
    lines = [f"**{escape(t.title)}**", ""]
    lines.append("| " + " | ".join(escape(h) for h in t.headers) + " |")
    align = ["---:" if k not in ("text", "year") else "---" for k in t.kinds]
    lines.append("| " + " | ".join(align) + " |")
    for row in t.rows:
        lines.append("| " + " | ".join(escape(c.text) for c in row) + " |")
    if t.total is not None:
        lines.append("| " + " | ".join(f"**{escape(c.text)}**" if c.text else "" for c in t.total) + " |")
    lines.append("")
    for note in t.notes:
        lines.append(f"_{escape(note)}_")
        lines.append("")
    return lines


def _block(b: object, lang: str, chart_titles: dict[str, str]) -> list[str]:
    if isinstance(b, TableView):
        return _table(b)
    assert isinstance(b, BlockView)
    if b.kind == "paragraph":
        return [escape(b.text), ""]
    if b.kind == "bullets":
        return [*(f"- {escape(i)}" for i in b.items), ""]
    if b.kind == "formula":
        return ["```text", *b.items, "```", ""]
    if b.kind == "facts":
        return [*(f"- **{escape(k)}**: {escape(v)}" for k, v in b.pairs), ""]
    if b.kind == "figure":
        title = chart_titles[b.chart]
        return [f"_{escape(title)}: {escape(resolve(Msg.of('report.charts_elsewhere'), lang))}_", ""]
    raise TypeError(b.kind)


def render(report: Report, lang: str, when: datetime | None = None) -> bytes:
    """The Markdown file of ``report`` in ``lang`` (UTF-8 bytes). ``when`` is not used (no dates)."""
    view = report_view(report, lang)
    lines = [f"# {escape(view.title)}", "", escape(view.subtitle), ""]
    lines.append(f"**{escape(resolve(Msg.of('report.contents'), lang))}**")
    lines.append("")
    lines.extend(f"{s.number}. {escape(s.title)}" for s in view.sections)
    lines.append("")
    for s in view.sections:
        lines.extend([f"## {s.number}. {escape(s.title)}", ""])
        for b in s.blocks:
            lines.extend(_block(b, lang, view.chart_titles))
    lines.append(f"_{escape(resolve(Msg.of('report.generated', version=__version__), lang))}_")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
