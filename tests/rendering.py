"""Render checks in real programs: DOCX/XLSX → PDF in LibreOffice, HTML → PDF/screenshot in Chromium, PDF → PNG/text.

What a reader sees is what a program renders, so the tests that guard layout (a word broken inside a cell, "###" in a
spreadsheet cell, a column cut at the page edge) render the outputs with the programs people open them in and then
read the PDF back:

* :func:`office_to_pdf` runs ``soffice --headless --convert-to pdf`` (Debian packages ``libreoffice-writer`` and
  ``libreoffice-calc``) with a profile of its own per call, so parallel pytest-xdist workers never share one;
  :func:`office_to_pdfs` converts several documents in ONE call (LibreOffice's start costs about a CPU-second and
  2–5 s of wall time per call, a document far less): convert everything a module needs at once, in a module- or
  session-scoped fixture, and assert many things on the PDFs;
* :func:`pdf_to_png` runs ``pdftoppm -png`` (Debian package ``poppler-utils``) and returns the page images, which a
  test saves (see the ``render_dir`` fixture) for a person to look at;
* :func:`launch_browser`, :func:`html_to_pdf` and :func:`screenshot` drive Debian's ``/usr/bin/chromium`` through
  Playwright for Python; nothing is downloaded at run time (Playwright's own browser builds are never used);
* :func:`pdf_pages_text`, :func:`page_count`, :func:`overflowing_chars` and :func:`pdf_words` read text and layout
  back with pdfplumber, all from one parse per PDF (:func:`read_pdf`, remembered by the PDF's sha256; its
  ``chars`` serve any other layout check), as pdfplumber's parse is the costliest step of a render check;
  :func:`split_words` and :func:`missing_words` look for broken and missing words in the text.

A missing program skips the test with a reason that names the Debian package to install (``chromium``,
``libreoffice``, ``poppler-utils``) or the pip extra. Under ``CI=true`` the same reasons fail the test instead
(``conftest.py`` turns such skips into failures), because CI installs these programs (``.ci/run``) and must never
skip a render check.

Use the markers ``@pytest.mark.render`` (LibreOffice, poppler and pdfplumber needed) and ``@pytest.mark.browser``
(Chromium and Playwright needed), or call :func:`require` directly, and the fixtures ``browser``, ``browser_page`` and
``render_dir`` from ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

#: Every skip for a missing render tool starts with this, so CI can find such skips and fail them.
MISSING_TOOL = "render tool missing"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: The laptop screen the planners use (issue 14): screenshots are taken at this size.
VIEWPORT = {"width": 1366, "height": 768}

# tool -> (how to find it, what to install)
_TOOLS: dict[str, tuple[str, str]] = {
    "soffice": ("program", "Debian package libreoffice (libreoffice-writer, libreoffice-calc)"),
    "pdftoppm": ("program", "Debian package poppler-utils"),
    "chromium": ("chromium", "Debian package chromium"),
    "playwright": ("module", "Python package playwright: pip install -e '.[test]'"),
    "pdfplumber": ("module", "Python package pdfplumber: pip install -e '.[test]'"),
}

#: What each marker needs.
MARKER_TOOLS = {
    "render": ("soffice", "pdftoppm", "pdfplumber"),
    "browser": ("chromium", "playwright"),
}


def missing(tool: str) -> str | None:
    """The install hint for ``tool`` when it is missing on this machine, else None.

    ``tool`` is one of ``soffice``, ``pdftoppm``, ``chromium``, ``playwright``, ``pdfplumber``; KeyError otherwise.
    """
    kind, hint = _TOOLS[tool]
    if kind == "program":
        found = shutil.which(tool) is not None
    elif kind == "chromium":
        found = os.access(CHROMIUM, os.X_OK)
    else:
        found = importlib.util.find_spec(tool) is not None
    return None if found else hint


def missing_reason(tool: str, hint: str) -> str:
    """The skip reason for a missing tool: names the tool and the package that brings it."""
    return f"{MISSING_TOOL}: {tool} not found; install the {hint}"


def require(*tools: str) -> None:
    """Skip the calling test (fail it under ``CI=true``) unless every tool in ``tools`` is installed."""
    for tool in tools:
        hint = missing(tool)
        if hint is not None:
            reason = missing_reason(tool, hint)
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(reason + " (CI must run every render check; .ci/run installs it)", pytrace=False)
            pytest.skip(reason)


def _run(cmd: Sequence[str], *, timeout: float, what: str) -> None:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")


def office_to_pdf(document: Path | str, out_dir: Path | str | None = None, *, timeout: float = 180) -> Path:
    """Convert a DOCX, XLSX (or any document LibreOffice opens) to PDF with headless LibreOffice.

    Each call uses a fresh LibreOffice user profile under the system temporary folder, removed afterwards, so calls
    from parallel workers never collide on a shared profile lock. Returns the path of the PDF, named after the
    document, in ``out_dir`` (default: beside the document). Skips when LibreOffice is missing; RuntimeError when
    the conversion fails or writes no PDF. To convert several documents, use :func:`office_to_pdfs` (one start).
    """
    document = Path(document)
    return office_to_pdfs([document], out_dir or document.resolve().parent, timeout=timeout)[0]


@contextlib.contextmanager
def locked(path: Path | str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the file ``path`` (created if missing): parallel workers take turns."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def office_to_pdfs(
    documents: Sequence[Path | str],
    out_dir: Path | str,
    *,
    timeout: float = 300,
    convert_to: str = "pdf",
    cache: Path | str | None = None,
) -> list[Path]:
    """Convert several documents in one headless LibreOffice run: ``soffice --convert-to pdf a.docx b.xlsx …``.

    One start of LibreOffice serves every document (its start, not the conversion, dominates a small document's
    cost). Returns the converted files in the order of ``documents``, each named after its document with the
    ``convert_to`` extension (``"pdf"``; or e.g. ``"xlsx:Calc MS Excel 2007 XML"`` to have LibreOffice open, compute
    and save a workbook again), in ``out_dir``. The documents' file names (without extension) must differ:
    ValueError otherwise, as LibreOffice writes each output under its document's name. Fresh profile per call
    (parallel workers never share one); skips when LibreOffice is missing; RuntimeError when LibreOffice fails or
    writes no file for one of the documents.

    ``cache``: a folder shared by the pytest-xdist workers of one run (the ``shared_tmp`` fixture). The converted
    files are kept there under the sha256 of the documents' names and bytes and of ``convert_to``, so when two
    workers convert the same documents (a module fixture built on each worker), LibreOffice runs once and the
    other worker waits for its result and copies it.
    """
    require("soffice")
    paths = [Path(d).resolve() for d in documents]
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise ValueError(f"office_to_pdfs: documents with the same name would overwrite each other: {stems}")
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    suffix = "." + convert_to.split(":", 1)[0]
    if cache is not None:
        digest = hashlib.sha256(convert_to.encode())
        for path in paths:
            digest.update(b"\0" + path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        kept = Path(cache) / f"office-{digest.hexdigest()[:32]}"
        with locked(kept.with_suffix(".lock")):
            if not kept.is_dir():
                part = kept.with_suffix(".part")
                shutil.rmtree(part, ignore_errors=True)
                office_to_pdfs(paths, part, timeout=timeout, convert_to=convert_to)
                part.rename(kept)
        targets = [out / (stem + suffix) for stem in stems]
        for target in targets:
            shutil.copyfile(kept / target.name, target)
        return targets
    with tempfile.TemporaryDirectory(prefix="wrse-lo-") as tmp:
        profile = Path(tmp) / f"profile-{uuid.uuid4().hex}"
        work = Path(tmp) / "out"
        cmd = [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            convert_to,
            "--outdir",
            str(work),
            *map(str, paths),
        ]
        names = " ".join(p.name for p in paths)
        _run(cmd, timeout=timeout, what=f"soffice --convert-to {convert_to} {names}")
        targets = []
        for path in paths:
            produced = work / (path.stem + suffix)
            if not produced.exists():
                raise RuntimeError(f"soffice wrote no {suffix.lstrip('.').upper()} for {path.name}")
            target = out / produced.name
            shutil.move(str(produced), target)
            targets.append(target)
    return targets


def pdf_to_png(
    pdf: Path | str, out_dir: Path | str | None = None, *, dpi: int = 80, prefix: str | None = None
) -> list[Path]:
    """Render every page of ``pdf`` to PNG with ``pdftoppm -png``; returns the images in page order.

    Images are named ``<prefix>-<page>.png`` (prefix defaults to the PDF's stem) in ``out_dir`` (default: beside
    the PDF); ``dpi`` is the resolution (80 is enough to read a page). Skips when poppler-utils is missing.
    """
    require("pdftoppm")
    pdf = Path(pdf).resolve()
    out_dir = Path(out_dir or pdf.parent).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = prefix or pdf.stem

    def page_number(path: Path) -> int:
        return int(path.stem.rsplit("-", 1)[1])

    # pdftoppm writes into a folder of its own, so images another call is writing into out_dir (a folder shared by
    # several renders) are never taken for this PDF's, nor removed half-written
    with tempfile.TemporaryDirectory(prefix="wrse-png-", dir=out_dir) as tmp:
        _run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(Path(tmp) / stem)], timeout=120, what="pdftoppm")
        made = sorted(
            (p for p in Path(tmp).glob(f"{stem}-*.png") if p.stem.rsplit("-", 1)[1].isdigit()), key=page_number
        )
        for old in out_dir.glob(f"{stem}-*.png"):
            old.unlink(missing_ok=True)
        return [Path(shutil.move(str(p), out_dir / p.name)) for p in made]


@contextlib.contextmanager
def launch_browser() -> Iterator[Any]:
    """Start Debian's Chromium headless through Playwright and yield the ``playwright.sync_api.Browser``.

    Launched with ``executable_path=/usr/bin/chromium`` and the offline flags (:data:`CHROMIUM_ARGS`); Playwright's
    own browser downloads are never used. Skips when Chromium or Playwright is missing. Prefer the session fixture
    ``browser`` in tests: one browser per xdist worker.
    """
    require("chromium", "playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def _url(html: Path | str) -> str:
    text = str(html)
    if re.match(r"^(file|https?|data|about):", text):
        return text
    return Path(text).resolve().as_uri()


def html_to_pdf(browser: Any, html: Path | str, pdf: Path | str, *, landscape: bool = False) -> Path:
    """Print an HTML file (path or URL) to an A4 PDF in Chromium, as a reader's "Print → PDF" does.

    The page's own ``@page`` CSS (size, orientation, margins) wins where it sets them; ``landscape`` is the
    default orientation otherwise. Backgrounds are printed. Returns the PDF path.
    """
    pdf = Path(pdf)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    try:
        page.goto(_url(html), wait_until="load")
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), format="A4", landscape=landscape, print_background=True, prefer_css_page_size=True)
    finally:
        page.close()
    return pdf


def screenshot(
    browser: Any, html: Path | str, png: Path | str, *, full_page: bool = False, viewport: dict | None = None
) -> Path:
    """Screenshot an HTML file (path or URL) in Chromium at 1366×768 (or ``viewport``); returns the PNG path."""
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=viewport or VIEWPORT)
    try:
        page.goto(_url(html), wait_until="load")
        page.screenshot(path=str(png), full_page=full_page)
    finally:
        page.close()
    return png


def _pdfplumber() -> Any:
    require("pdfplumber")
    import pdfplumber

    return pdfplumber


@dataclasses.dataclass(frozen=True)
class PdfReadback:
    """What one pdfplumber pass over a PDF reads back (see :func:`read_pdf`).

    ``texts``: each page's text in reading order (pdfplumber's ``extract_text``); ``sizes``: each page's (width,
    height) in points; ``chars``: per page, the non-blank characters as dicts with ``text``, ``x0``, ``x1``,
    ``top``, ``bottom`` (points, origin top left); ``words``: per page, pdfplumber's ``extract_words`` (dicts with
    the same keys). Treat them as read-only: they are shared by every caller.
    """

    texts: tuple[str, ...]
    sizes: tuple[tuple[float, float], ...]
    chars: tuple[tuple[dict, ...], ...]
    words: tuple[tuple[dict, ...], ...]


_READBACK: dict[str, PdfReadback] = {}  # by the PDF's sha256
_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom")


def read_pdf(pdf: Path | str) -> PdfReadback:
    """Parse ``pdf`` once with pdfplumber: page texts, page sizes, characters and words.

    Remembered by the file's content (sha256), so several checks on one rendered PDF (text, page count, overflow,
    words, overlapping characters), or on a copy of it, cost one parse (pdfplumber's parse is the costly part).
    Skips when pdfplumber is missing.
    """
    path = Path(pdf)
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    found = _READBACK.get(key)
    if found is not None:
        return found
    texts, sizes, chars, words = [], [], [], []
    with _pdfplumber().open(str(path)) as doc:
        for page in doc.pages:
            texts.append(page.extract_text() or "")
            sizes.append((float(page.width), float(page.height)))
            chars.append(tuple({k: ch[k] for k in _CHAR_KEYS} for ch in page.chars if ch["text"].strip()))
            words.append(tuple(page.extract_words(keep_blank_chars=False)))
    found = PdfReadback(tuple(texts), tuple(sizes), tuple(chars), tuple(words))
    _READBACK[key] = found
    return found


def page_count(pdf: Path | str) -> int:
    """Number of pages in ``pdf``."""
    return len(read_pdf(pdf).texts)


def pdf_pages_text(pdf: Path | str) -> list[str]:
    """The text of each page of ``pdf``, in reading order (pdfplumber's ``extract_text``)."""
    return list(read_pdf(pdf).texts)


def pdf_words(pdf: Path | str) -> list[list[dict]]:
    """The words of each page: dicts with ``text``, ``x0``, ``x1``, ``top``, ``bottom`` (points, origin top left)."""
    return [[dict(word) for word in page] for page in read_pdf(pdf).words]


def overflowing_chars(pdf: Path | str, *, tolerance: float = 0.5) -> list[tuple[int, str]]:
    """Characters drawn (partly) outside their page: ``(page number from 1, char)`` for each; empty when all fit.

    A document that draws past its page (LibreOffice keeps such glyphs in the PDF) shows up here. Chromium clips
    at the page edge instead, so for printed HTML check with :func:`missing_words` that every cell's text is there.
    """
    read = read_pdf(pdf)
    out: list[tuple[int, str]] = []
    for number, ((width, height), chars) in enumerate(zip(read.sizes, read.chars, strict=True), start=1):
        for ch in chars:
            if (
                ch["x0"] < -tolerance
                or ch["x1"] > width + tolerance
                or ch["top"] < -tolerance
                or ch["bottom"] > height + tolerance
            ):
                out.append((number, ch["text"]))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("-\n", ""))


def split_words(text: str, words: Sequence[str]) -> list[str]:
    """The ``words`` that ``text`` shows only broken across a line or a gap ("Kabupate n/Kota"), never whole.

    ``text`` is extracted PDF text (e.g. ``"\\n".join(pdf_pages_text(pdf))``). A word counts as broken when it is
    absent from the text as written but present once the text's whitespace (and hyphen-newline) is removed.
    Each word must itself contain no whitespace.
    """
    broken = []
    squashed = _squash(text)
    for word in words:
        if word not in text and word in squashed:
            broken.append(word)
    return broken


def missing_words(text: str, words: Sequence[str]) -> list[str]:
    """The ``words`` that do not appear in ``text`` at all, whole or broken: e.g. a column clipped at the page edge."""
    squashed = _squash(text)
    return [word for word in words if _squash(word) not in squashed]


def render_dir_for(node_name: str) -> Path:
    """The folder where a test saves the PDFs and page images it rendered, for a person to look at.

    ``$WRSE_RENDER_DIR/<test name>`` when that variable is set, else ``<temp>/wrse-render/<test name>``.
    """
    root = Path(os.environ.get("WRSE_RENDER_DIR") or Path(tempfile.gettempdir()) / "wrse-render")
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", node_name).strip("_")[:120]
    path = root / safe
    path.mkdir(parents=True, exist_ok=True)
    return path
