"""TOML data files (scenarios, roadmaps): reading, finding shipped ones, checking every key.

A TOML file here is data: read with :mod:`tomllib`, nothing evaluated. Every failure is an
:class:`~optimizer.errors.InputError` whose one-line message names the file and the
dotted key, the value and what was expected.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import InputError
from .money import AmountError, parse_amount

TYPE_NAMES = {int: "an integer", float: "a number", str: "text", bool: "true/false", list: "a list", dict: "a table"}

Schema = Mapping[str, Mapping[str, type | tuple[type, ...]]]


def read_toml(path: Path, what: str) -> dict:
    """Parse ``path``; ``what`` (``scenario``, ``roadmap``) names the kind of file in messages."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 BOM, as Windows Notepad writes it
            data = data[3:]
        return tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what} file; expected a .toml file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; expected a .toml {what} file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected a TOML {what} file saved as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc}); expected a {what} file as in scenarios/README.md") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def locate(reference: str | Path, shipped: Iterable[Path], what: str) -> Path:
    """A file by path, or by the name of a shipped one (``baseline-2023`` for ``…/baseline-2023.toml``).

    Raises :class:`InputError` listing the shipped names when nothing matches.
    """
    path = Path(reference)
    if path.is_file():
        return path
    shipped = list(shipped)
    for candidate in shipped:
        if str(reference) in (candidate.name, candidate.stem):
            return candidate
    names = ", ".join(p.stem for p in shipped)
    raise InputError(f"{reference}: no such {what} file; expected a .toml path or a shipped {what} ({names})")


def check_schema(raw: dict, schema: Schema, src: str, also: str = "") -> None:
    """Check that every table and key of ``raw`` is in ``schema`` with a value of its type.

    ``schema``: ``{table: {key: type or tuple of types}}``; ``also``: extra top-level names
    allowed (mentioned in the message, e.g. ``'extends'``). ``True``/``False`` are not numbers.
    """
    for table, value in raw.items():
        if table not in schema:
            extra = f" (or {also})" if also else ""
            raise InputError(f"{src}: unknown key {table!r}; expected one of the tables {', '.join(schema)}{extra}")
        if not isinstance(value, dict):
            raise InputError(f"{src}: key {table!r} must be a table ([{table}])")
        for key, item in value.items():
            expected = schema[table].get(key)
            if expected is None:
                raise InputError(f"{src}: unknown key '{table}.{key}'; expected one of {', '.join(schema[table])}")
            types = expected if isinstance(expected, tuple) else (expected,)
            ok = False if isinstance(item, bool) and bool not in types else isinstance(item, types)
            if not ok:
                names = " or ".join(TYPE_NAMES[t] for t in types)
                raise InputError(f"{src}: key '{table}.{key}' is {item!r}; expected {names}")


def amount_at(value: Any, src: str, key: str) -> int:
    """An amount of money at ``key`` (``"150 juta"``, ``150000000``…) as integer rupiah."""
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise InputError(f"{src}: key {key!r}: {exc}") from None


def strings_at(value: list, src: str, key: str) -> list[str]:
    """A list of text lines at ``key``, each with its whitespace collapsed."""
    if not all(isinstance(v, str) for v in value):
        raise InputError(f"{src}: key {key!r} must be a list of text lines")
    return [" ".join(v.split()) for v in value]
