"""Errors the user can act on, raised as message keys with their values.

Every error raised for bad input, an infeasible scenario or a solver fault is a
:class:`WrseError` built from a message key (under ``[error]`` in the catalogues
``optimizer/messages/id.toml`` and ``en.toml``) and the values of its template:
``InputError("scenario.method_unknown", src=path, value=text, choices=METHODS)``.
The core never formats prose; the CLI renders the error in the chosen language
(:meth:`WrseError.text`) and prints it as ``Kesalahan: <message>`` / ``Error: <message>``
with exit status 1, without a traceback. ``str(error)`` is the English text (logs,
tests). The message is one line that names the file, the row or key, the value and
what was expected. Personal values (NIK, names) are never put in a message: pass
``personal=True`` to :func:`input_error` and only the location is named.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_\-]+)+$")


def _rebuild(cls, key, params, extra):
    error = cls.__new__(cls)
    WrseError.__init__(error, key, **params)
    error.__dict__.update(extra)
    return error


class WrseError(Exception):
    """Base class of every error whose message is meant for the user.

    ``key``: a message key below ``error.`` in the catalogues (``"money.mixed_separators"``);
    ``params``: the values of the template's fields. Values with a ``text(lang)`` method
    (:class:`Location`, :class:`~optimizer.i18n.Msg`, :class:`~optimizer.i18n.Count`,
    another error) are rendered in the reader's language.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def text(self, lang: str = "en") -> str:
        """The message as one line in ``lang`` (``id`` or ``en``)."""
        from .i18n import render

        if not _KEY.match(self.key):  # a message not (yet) in the catalogues
            return _one_line(self.key)
        return _one_line(render(f"error.{self.key}", lang, self.params))

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self):
        extra = {k: v for k, v in self.__dict__.items() if k not in ("key", "params")}
        return (_rebuild, (type(self), self.key, self.params, extra))


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


@dataclass(frozen=True)
class QuotedNumber:
    """A number a spreadsheet cell held, quoted in an error the reader's way (``'12,7'`` in
    Indonesian, ``'12.7'`` in English), with as many decimals as it has (up to 6)."""

    value: float

    def text(self, lang: str) -> str:
        from .i18n import Number

        return repr(Number.as_given(self.value).text(lang))


def describe_value(value: object, limit: int = 60) -> str | QuotedNumber:
    """Quote a cell value for an error message, shortened to ``limit`` characters; a number
    with decimals (an XLSX cell) as a :class:`QuotedNumber`, written in the reader's language.

    Runs of 12 or more digits (a NIK in the wrong cell) are masked, never echoed.
    """
    from .privacy import redact

    if isinstance(value, float) and math.isfinite(value) and not value.is_integer() and abs(value) < 1e12:
        return QuotedNumber(value)

    text = redact(_one_line("" if value is None else str(value)))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


@dataclass(frozen=True)
class Location:
    """Where a bad value is: ``file, baris 12, kolom 'idg'`` / ``file, row 12, column 'idg'``.

    Parts that are None are left out. ``row`` is the row number as a spreadsheet shows
    it (the header is row 1 in a CSV); ``key`` is a dotted TOML key such as
    ``weights.idg_gap``. ``str()`` and f-strings give the English text.
    """

    source: str | Path | None = None
    row: int | None = None
    field: str | None = None
    key: str | None = None

    def text(self, lang: str = "en") -> str:
        """The location in ``lang`` (row numbers grouped the reader's way)."""
        from .i18n import Count, localise, t

        parts: list[str] = []
        if self.source is not None:
            parts.append(str(localise(self.source, lang)))  # a Label in the reader's language, a path as is
        if self.row is not None:
            parts.append(t("error.where.row", lang, row=Count(self.row).text(lang)))
        if self.field is not None:
            parts.append(t("error.where.column", lang, field=self.field))
        if self.key is not None:
            parts.append(t("error.where.key", lang, key=self.key))
        return ", ".join(parts)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.source, self.row, self.field, self.key))

    def __str__(self) -> str:
        return self.text("en")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def location(
    source: str | Path | None = None,
    *,
    row: int | None = None,
    field: str | None = None,
    key: str | None = None,
) -> Location:
    """The :class:`Location` ``file, row 12, column 'idg'`` (parts that are None are left out)."""
    return Location(source, row, field, key)


def input_error(
    source: str | Path | None,
    expected: str | object,
    *,
    row: int | None = None,
    field: str | None = None,
    key: str | None = None,
    value: object = None,
    has_value: bool = True,
    personal: bool = False,
    **expected_params: object,
) -> InputError:
    """Build an :class:`InputError` naming the location, the value and what was expected.

    ``expected`` is a message key below ``error.expected.`` (formatted with
    ``expected_params``) or an object with ``text(lang)`` (a :class:`~optimizer.i18n.Msg`,
    another error whose message says what is wrong). The message reads
    ``<location>: value '<value>' is not usable; expected <expected>``. With
    ``personal=True`` (a NIK, a name) the value is left out and only the location is
    named. With ``has_value=False`` the message says the value is missing.
    """
    from .i18n import Msg

    if isinstance(expected, str) and re.fullmatch(r"[a-z0-9_]+", expected):
        expected = Msg.of(f"error.expected.{expected}", **expected_params)
    where = location(source, row=row, field=field, key=key)
    if personal:
        what = "personal"
    elif not has_value or value is None or (isinstance(value, str) and not value.strip()):
        what = "missing"
    else:
        what = "value"
    if not where:
        return InputError(f"input.{what}_nowhere", value=describe_value(value), expected=expected)
    return InputError(f"input.{what}", where=where, value=describe_value(value), expected=expected)
