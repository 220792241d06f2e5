"""The report as one self-contained HTML file: Jinja2 template, inline CSS and SVG charts.

The file needs no network (no fonts, scripts or images from elsewhere), reads on screen
and prints to A4 (``@page``; sections with wide tables print in landscape). Numeric cells
carry their raw value in ``data-value`` so a reader or a test can check every number.
Every text is escaped by Jinja2's autoescaping; the SVG charts come from matplotlib,
which escapes the text it writes.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from . import charts
from .document import Report, Table
from .text import Msg, is_command, resolve
from .view import report_view


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates (``optimizer/report/templates``)."""
    env = Environment(
        loader=PackageLoader("optimizer.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["command"] = command_tokens
    return env


def command_tokens(text: object) -> object:
    """A ``wrse`` command line with each of its words kept on one line (``--date 2026-12-01`` broke
    after ``2026-`` when printed): the words in ``nowrap`` spans, the spaces between them left for
    the browser to wrap at, the text copied as it is. Any other text is returned unchanged."""
    if not isinstance(text, str) or not is_command(text):
        return text
    return Markup(" ".join(f'<span class="word">{escape(word)}</span>' for word in text.split(" ")))


def render(report: Report, lang: str, when: datetime | None = None) -> bytes:
    """The HTML file of ``report`` in ``lang`` (UTF-8 bytes). ``when`` is not used: the file has no date."""
    view = report_view(report, lang)
    svgs = {key: Markup(charts.svg(chart, lang)) for key, chart in report.charts.items()}
    wide = {s.key for s in report.sections if any(isinstance(b, Table) and b.wide for b in s.blocks)}
    text = (
        environment()
        .get_template("report.html.j2")
        .render(
            r=view,
            svgs=svgs,
            wide=wide,
            version=__version__,
            contents=resolve(Msg.of("report.contents"), lang),
            generated=resolve(Msg.of("report.generated", version=__version__), lang),
        )
    )
    return text.encode("utf-8")
