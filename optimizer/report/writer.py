"""Writing a report's files: every format rendered first, then all written atomically.

1. Every requested format is rendered in memory; a renderer that fails stops everything
   before any file is touched.
2. The files are written together with :func:`optimizer.files.write_files_atomic`: each to a
   temporary name in the output folder, flushed to disk, then renamed over its target; an
   earlier file of the same name is moved aside first and put back if a later rename fails.

So an error leaves no half-written file, no temporary file, and the earlier report (if
any) as it was. Output files never overwrite an input (scenario, data or eligible file).

File names: ``<slug>.<ext>`` in Indonesian (the default language), ``<slug>.en.<ext>``
in English, so both languages can sit in one folder.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from ..errors import InputError
from ..files import check_folder, check_target, inside, write_files_atomic
from ..i18n import DEFAULT_LANGUAGE
from .document import Report
from .reproducible import fixed_datetime

FORMATS = ("html", "docx", "xlsx", "md")
DEFAULT_FORMATS = ("html", "xlsx")

Renderer = Callable[[Report, str, datetime], bytes]


def _renderer(module: str) -> Renderer:
    """The ``render`` of ``optimizer.report.<module>``, imported when first called: a Markdown or HTML report does
    not load python-docx and openpyxl (nor the DOCX's chart code) at start-up."""

    def render(report: Report, lang: str, when: datetime) -> bytes:
        return importlib.import_module(f".{module}", __package__).render(report, lang, when)

    render.__name__ = render.__qualname__ = f"{module}.render"
    return render


RENDERERS: dict[str, Renderer] = {
    "html": _renderer("html"),
    "docx": _renderer("docx"),
    "xlsx": _renderer("xlsx"),
    "md": _renderer("markdown"),
}


def parse_formats(text: str) -> tuple[str, ...]:
    """``'html,xlsx'`` -> ``('html', 'xlsx')`` (order kept, duplicates dropped, ``markdown`` = ``md``).

    Raises :class:`InputError` (the reason, for the caller to attach to its option) for an
    unknown or empty format list; for ``pdf`` the error ``report.writer.pdf_unavailable``,
    which says how to make a PDF from the DOCX or the HTML (a whole sentence, not a usage error).
    """
    items = [item.strip().lower().lstrip(".") for item in str(text).split(",")]
    items = ["md" if item == "markdown" else item for item in items if item]
    unknown = [item for item in items if item not in FORMATS]
    if "pdf" in unknown:
        # No pip-installable converter renders the DOCX's Word layout without a network or an
        # office suite (docs/report.md, "PDF"); the reader is told how to make one instead.
        raise InputError("report.writer.pdf_unavailable")
    if unknown:
        raise InputError("report.writer.unknown_format", given=unknown[0], formats=", ".join(FORMATS))
    if not items:
        raise InputError("report.writer.no_format", formats=", ".join(FORMATS))
    return tuple(dict.fromkeys(items))


def file_name(slug: str, fmt: str, lang: str) -> str:
    """The file name of one format: ``next-fiscal-year.html`` or ``next-fiscal-year.en.html``."""
    return f"{slug}.{fmt}" if lang == DEFAULT_LANGUAGE else f"{slug}.{lang}.{fmt}"


def render_all(report: Report, formats: Sequence[str], lang: str, when: datetime) -> dict[str, bytes]:
    """Render every format in memory: ``{format: bytes}``."""
    return {fmt: RENDERERS[fmt](report, lang, when) for fmt in formats}


def write(
    report: Report,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    lang: str = "id",
    inputs: Iterable[str | Path | None] = (),
    when: datetime | None = None,
    replace: bool = True,
    new_folders: int = 1,
) -> list[Path]:
    """Render ``report`` in ``formats`` and ``lang`` and write the files into ``out_dir``.

    ``inputs``: files that must not be overwritten; ``when``: the timestamp of zip entries and
    document properties (default :func:`~optimizer.report.reproducible.fixed_datetime`);
    ``replace``: False to refuse (InputError, nothing written) when a target already holds
    different bytes, i.e. another report; ``new_folders``: how many missing folders may be
    made (1: ``out_dir`` itself, not a mistyped parent; see :func:`~optimizer.files.check_folder`).
    Returns the paths written, in the order of ``formats``. Raises :class:`InputError` when
    ``out_dir`` is a file or a target is an input; any error leaves earlier files intact.
    """
    folder = check_folder(out_dir, new_folders=new_folders)
    targets = {fmt: inside(folder, file_name(report.slug, fmt, lang)) for fmt in formats}
    inputs = list(inputs)
    for target in targets.values():
        check_target(target, inputs, what="--out", new_folders=new_folders)
    when = when or fixed_datetime(report.fiscal_year)
    rendered = render_all(report, formats, lang, when)
    if not replace:
        for fmt, target in targets.items():
            if target.is_file() and target.read_bytes() != rendered[fmt]:
                raise InputError("report.writer.different_report_already_there", target=target)
    folder.mkdir(parents=True, exist_ok=True)
    write_files_atomic({targets[fmt]: rendered[fmt] for fmt in formats})
    return [targets[fmt] for fmt in formats]
