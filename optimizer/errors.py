"""Errors the user can act on.

Every error raised for bad input, an infeasible scenario or a solver fault is a
:class:`WrseError`. Its message is one line that names the file, the row or key,
the value and what was expected; the CLI prints it as ``Error: <message>`` and
exits with status 1, without a traceback. Personal values (NIK, names) are never
put in a message: pass ``personal=True`` to :func:`input_error` and only the
location is named.
"""

from __future__ import annotations

from pathlib import Path


class WrseError(Exception):
    """Base class of every error whose message is meant for the user."""


class InputError(WrseError):
    """A file, option or scenario field holds a value the tool cannot use."""


class InfeasibleError(WrseError):
    """The constraints of a scenario cannot all hold at once."""


class SolverError(WrseError):
    """The solver is missing, failed, or returned a result that is not usable."""


class VerificationError(WrseError):
    """An allocation failed the independent check after solving; it is never output."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def describe_value(value: object, limit: int = 60) -> str:
    """Quote a cell value for an error message, shortened to ``limit`` characters.

    Runs of 12 or more digits (a NIK in the wrong cell) are masked, never echoed.
    """
    from .privacy import redact

    text = redact(_one_line("" if value is None else str(value)))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def location(
    source: str | Path | None = None,
    *,
    row: int | None = None,
    field: str | None = None,
    key: str | None = None,
) -> str:
    """Format a location as ``file, row 12, column 'idg'`` (parts that are None are left out).

    ``row`` is the row number as a spreadsheet shows it (the header is row 1 in a CSV).
    ``key`` is a dotted TOML key such as ``weights.idg_gap``.
    """
    parts: list[str] = []
    if source is not None:
        parts.append(str(source))
    if row is not None:
        parts.append(f"row {row:,}".replace(",", "."))
    if field is not None:
        parts.append(f"column {field!r}")
    if key is not None:
        parts.append(f"key {key!r}")
    return ", ".join(parts)


def input_error(
    source: str | Path | None,
    expected: str,
    *,
    row: int | None = None,
    field: str | None = None,
    key: str | None = None,
    value: object = None,
    has_value: bool = True,
    personal: bool = False,
) -> InputError:
    """Build an :class:`InputError` with a one-line message.

    The message reads ``<location>: value '<value>' is not usable; expected <expected>``.
    With ``personal=True`` (a NIK, a name) the value is left out and only the location
    is named. With ``has_value=False`` the message says the value is missing.
    """
    where = location(source, row=row, field=field, key=key)
    if personal:
        what = "the value is not usable (not shown: personal data)"
    elif not has_value or value is None or (isinstance(value, str) and not value.strip()):
        what = "the value is missing"
    else:
        what = f"value {describe_value(value)} is not usable"
    prefix = f"{where}: " if where else ""
    return InputError(_one_line(f"{prefix}{what}; expected {expected}"))
