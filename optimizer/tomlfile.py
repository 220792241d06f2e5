"""TOML data files (scenarios, roadmaps): reading, finding shipped ones, checking every key.

A TOML file here is data: read with :mod:`tomllib`, nothing evaluated. Every failure is an
:class:`~optimizer.errors.InputError` whose one-line message names the file and the
dotted key, the value and what was expected.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import InputError, location
from .i18n import Either, Msg, Term
from .money import AmountError, parse_amount

#: The name of each TOML value type in messages (``error.type.<name>``).
TYPE_NAMES = {
    int: Term("error.type.integer"),
    float: Term("error.type.number"),
    str: Term("error.type.text"),
    bool: Term("error.type.boolean"),
    list: Term("error.type.list"),
    dict: Term("error.type.table"),
}


def _kind(what: str) -> Term:
    """The kind of file (``scenario``, ``roadmap``) as a translatable term."""
    return Term(f"error.kind.{what}")


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
        raise InputError("tomlfile.such_file_toml_file", path=path, what=_kind(what)) from None
    except IsADirectoryError:
        raise InputError("tomlfile.folder_toml_file", path=path, what=_kind(what)) from None
    except UnicodeDecodeError:
        raise InputError("tomlfile.utf_text_toml_file", path=path, what=_kind(what)) from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        where = location(path, row=int(at.group(1))) if at else location(path)
        column = at.group(2) if at else "?"
        raise InputError("tomlfile.invalid_toml", where=where, column=column, what=_kind(what)) from None
    except OSError as exc:
        raise InputError("tomlfile.cannot_read_file", path=path, value=exc.strerror or exc) from None


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
    raise InputError("tomlfile.such_file_toml_path", reference=reference, what=_kind(what), names=names)


def check_schema(raw: dict, schema: Schema, src: str, also: str = "") -> None:
    """Check that every table and key of ``raw`` is in ``schema`` with a value of its type.

    ``schema``: ``{table: {key: type or tuple of types}}``; ``also``: extra top-level names
    allowed (mentioned in the message, e.g. ``'extends'``). ``True``/``False`` are not numbers.
    """
    for table, value in raw.items():
        if table not in schema:
            extra = Msg.of("error.tomlfile.also", also=also) if also else ""
            raise InputError("tomlfile.unknown_tables", src=src, table=table, schema=", ".join(schema), extra=extra)
        if not isinstance(value, dict):
            raise InputError("tomlfile.must_table", src=src, table=table)
        for key, item in value.items():
            expected = schema[table].get(key)
            if expected is None:
                raise InputError("tomlfile.unknown", src=src, table=table, key=key, schema=", ".join(schema[table]))
            types = expected if isinstance(expected, tuple) else (expected,)
            ok = False if isinstance(item, bool) and bool not in types else isinstance(item, types)
            if not ok:
                names = Either(tuple(TYPE_NAMES[t] for t in types))
                raise InputError("tomlfile.error_2", src=src, table=table, key=key, item=item, names=names)


#: The table that holds a file's texts in English (the file itself is written in Indonesian).
ENGLISH_TABLE = "en"


def translations(raw: dict, translatable: Mapping[str, type], src: str) -> dict[str, Any]:
    """The English texts of a scenario or roadmap file: its ``[en]`` table, checked, as ``{dotted key: text}``.

    ``[en]`` repeats, at the same place, the texts of the file in English: ``[en.scenario]
    title = "..."``, ``[en.rationale.budget] text = "..."``. ``translatable``: the dotted keys that
    may be given (``*`` matches one table name, e.g. ``rationale.*.text``) and their type. ``raw``
    keeps no ``[en]`` table afterwards. Raises :class:`InputError` naming the file and key for a
    key that is not a text of the file, or a value of the wrong type.
    """
    table = raw.pop(ENGLISH_TABLE, None)
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise InputError("tomlfile.must_table", src=src, table=ENGLISH_TABLE)
    found: dict[str, Any] = {}

    def walk(value: dict, prefix: str) -> None:
        for key, item in value.items():
            dotted = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(item, dict):
                walk(item, dotted)
                continue
            expected = next((t for pattern, t in translatable.items() if _matches(pattern, dotted)), None)
            if expected is None:
                raise InputError(
                    "tomlfile.unknown_translation",
                    src=src,
                    key=f"{ENGLISH_TABLE}.{dotted}",
                    keys=", ".join(translatable),
                )
            if not isinstance(item, expected) or (expected is list and not all(isinstance(v, str) for v in item)):
                raise InputError(
                    "tomlfile.error_2", src=src, table=ENGLISH_TABLE, key=dotted, item=item, names=TYPE_NAMES[expected]
                )
            found[dotted] = item

    walk(table, "")
    return found


def _matches(pattern: str, dotted: str) -> bool:
    parts, keys = pattern.split("."), dotted.split(".")
    return len(parts) == len(keys) and all(p in ("*", k) for p, k in zip(parts, keys, strict=True))


def in_language(raw: dict, english: Mapping[str, Any], lang: str) -> dict:
    """``raw`` with its texts in ``lang``: for ``en``, every text of ``english`` (see :func:`translations`)
    put in place of the Indonesian one; for ``id`` (the language files are written in), ``raw`` itself.
    A text with no English version stays as written."""
    if lang != "en" or not english:
        return raw
    out = {key: dict(value) if isinstance(value, dict) else value for key, value in raw.items()}
    for dotted, text in english.items():
        *tables, key = dotted.split(".")
        where = out
        for name in tables:
            inner = where.get(name)
            where[name] = dict(inner) if isinstance(inner, dict) else {}
            where = where[name]
        where[key] = text
    return out


def amount_at(value: Any, src: str, key: str) -> int:
    """An amount of money at ``key`` (``"150 juta"``, ``150000000``…) as integer rupiah."""
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise InputError("tomlfile.error", src=src, key=key, exc=exc) from None


def strings_at(value: list, src: str, key: str) -> list[str]:
    """A list of text lines at ``key``, each with its whitespace collapsed."""
    if not all(isinstance(v, str) for v in value):
        raise InputError("tomlfile.must_list_text_lines", src=src, key=key)
    return [" ".join(v.split()) for v in value]
