"""Message catalogues: every user-facing text in Indonesian (``id``, the default) and English.

The catalogues are ``messages/id.toml`` and ``messages/en.toml``; both have the same keys
(a test checks it). Templates use ``str.format`` fields: ``t("run.budget", "id",
amount="Rp 3.000.000")``. Notices raised by the engine are :class:`Notice` objects (a key
and parameters) so they can be shown in either language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of ``lang`` as ``{dotted.key: template}``. KeyError for an unknown language."""
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    text = resources.files("optimizer.messages").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``. KeyError if missing."""
    template = catalogue(lang)[key]
    return template.format(**params) if params else template


@dataclass(frozen=True)
class Term:
    """A notice parameter that is itself a message (e.g. an indicator's name), translated with the notice."""

    key: str


@dataclass(frozen=True)
class Count:
    """A whole number in a notice, grouped the reader's way (``12.345`` in id, ``12,345`` in en)."""

    value: int

    def text(self, lang: str) -> str:
        from .render.format import count

        return count(self.value, lang)


INDICATOR_TERMS = {"IDG": "indicator.idg", "P0": "indicator.poverty_rate", "eligible": "indicator.eligible"}


def indicator_term(label: str) -> Term:
    """The translatable name of an indicator given as ``IDG``, ``P0``, ``eligible`` or a weight key."""
    return Term(INDICATOR_TERMS.get(label, f"weight.{label}"))


@dataclass(frozen=True)
class Notice:
    """Something the user should know about a result, renderable in any language.

    ``key``: a message key under ``notice.`` in the catalogues. ``params``: the fields of
    the template as (name, value) pairs (a tuple, so notices are hashable and comparable).
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: object) -> Notice:
        """Build a notice from keyword parameters."""
        return cls(key, tuple(sorted(params.items())))

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The notice as a sentence in ``lang`` (parameters that are :class:`Term` translated too)."""
        params = {
            k: t(v.key, lang) if isinstance(v, Term) else v.text(lang) if isinstance(v, Count) else v
            for k, v in self.params
        }
        return t(f"notice.{self.key}", lang, **params)

    def __str__(self) -> str:
        return self.text("en")
