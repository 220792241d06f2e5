"""Byte-identical report files: one fixed timestamp, and zip containers rewritten without
the clock.

XLSX and DOCX are zip files: every entry carries a modification time, and
``docProps/core.xml`` carries created/modified dates (openpyxl stamps the time of saving).
:func:`normalise_zip` rewrites such a file with every entry dated :func:`fixed_datetime`,
``[Content_Types].xml`` first and the other entries sorted by name, one compression
setting, no platform-dependent attributes, and the core-property dates set to the same
fixed time.

The fixed time is ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds
convention) when that variable is set, else 1 January of the scenario's fiscal year,
00:00 UTC.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime

from ..errors import InputError

CONTENT_TYPES = "[Content_Types].xml"
CORE = "docProps/core.xml"
_ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest time a zip entry can carry


def fixed_datetime(fiscal_year: int, environ: Mapping[str, str] | None = None) -> datetime:
    """The timestamp written into report files (naive, UTC).

    ``SOURCE_DATE_EPOCH`` from ``environ`` (default: the process environment) when set,
    else 1 January of ``fiscal_year``. Raises :class:`InputError` when the variable is
    not a whole non-negative number of seconds.
    """
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        if not raw.isdigit():
            raise InputError("report.reproducible.environment_variable_source_date", raw=raw)
        return datetime.fromtimestamp(int(raw), UTC).replace(tzinfo=None)
    return datetime(fiscal_year, 1, 1)


def w3cdtf(when: datetime) -> str:
    """``when`` as the W3CDTF text used in ``docProps/core.xml`` (``2027-01-01T00:00:00Z``)."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _core(xml: bytes, when: datetime) -> bytes:
    stamp = w3cdtf(when).encode()
    for tag in (b"dcterms:created", b"dcterms:modified"):
        xml = re.sub(rb"(<" + tag + rb"\b[^>]*>)[^<]*(</" + tag + rb">)", rb"\g<1>" + stamp + rb"\g<2>", xml)
    return re.sub(rb"<cp:lastPrinted\b[^>]*>[^<]*</cp:lastPrinted>", b"", xml)


def saved(document, when: datetime) -> bytes:
    """An office document (anything with ``save(file)``: a python-docx ``Document``, an
    openpyxl ``Workbook``) as bytes that do not depend on the clock: saved, then
    :func:`normalise_zip` at ``when``."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), when)


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite the zip ``data`` so that it no longer depends on the clock or the platform."""
    stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(entries, key=lambda name: (name != CONTENT_TYPES, name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            content = entries[name]
            if name == CORE:
                content = _core(content, when)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
