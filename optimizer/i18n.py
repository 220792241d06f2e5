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


@cache
def words(table: str) -> dict[str, str]:
    """The catalogue table ``table`` read backwards, for input typed in either language:
    ``{text in lower case: entry name}`` of both languages (``words("data.status")["estimasi"]``
    is ``"estimate"``). The readers use it to take back what the tool wrote in words."""
    prefix = table + "."
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            name = key[len(prefix) :]
            if key.startswith(prefix) and "." not in name:
                out[text.lower()] = name
    return out


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``. KeyError if missing."""
    template = catalogue(lang)[key]
    return template.format(**params) if params else template


def localise(value: object, lang: str) -> object:
    """A message parameter as the reader of ``lang`` sees it.

    Objects with a ``text(lang)`` method (:class:`Term`, :class:`Count`, :class:`Msg`,
    :class:`~optimizer.errors.Location`, an error) are rendered in ``lang``; lists and
    tuples of them are joined with ``, ``; anything else (a file name, a code, a year) is
    passed to the template unchanged, so format specs in a template still apply.
    """
    if isinstance(value, Term):
        return t(value.key, lang)
    if hasattr(value, "text") and callable(value.text):
        return value.text(lang)
    if isinstance(value, list | tuple) and any(hasattr(v, "text") or isinstance(v, Term) for v in value):
        return ", ".join(str(localise(v, lang)) for v in value)
    return value


def render(key: str, lang: str, params: dict[str, object]) -> str:
    """``t(key, lang, **params)`` with every parameter :func:`localise`-d first."""
    return t(key, lang, **{name: localise(value, lang) for name, value in params.items()})


@dataclass(frozen=True)
class Msg:
    """A piece of text that is itself a message (key and parameters), rendered in the reader's language.

    Used where a message is built from parts: the ``expected`` of an input error, a
    reason inside an error. ``key`` is a full catalogue key (``error.expected.amount``).
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: object) -> Msg:
        """Build a message from keyword parameters."""
        return cls(key, tuple(params.items()))

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in ``lang``."""
        return render(self.key, lang, dict(self.params))

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class ByLanguage:
    """A text that exists in each language already (a data label written in both): ``text(lang)``."""

    id: str
    en: str

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.id if lang == "id" else self.en


@dataclass(frozen=True)
class Either:
    """Alternatives joined the reader's way: ``a, b atau c`` / ``a, b or c`` (items localised)."""

    items: tuple[object, ...]

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        words = [str(localise(item, lang)) for item in self.items]
        if len(words) <= 1:
            return "".join(words)
        return f"{', '.join(words[:-1])} {t('error.or', lang)} {words[-1]}"


def plural(key: str, count: int, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The plural form of message ``key`` for ``count`` in ``lang`` (``{count}`` grouped the reader's way).

    A plural message is a table of CLDR plural categories (``one``, ``other``; Indonesian
    has only ``other``): ``key.one`` / ``key.other``. The category comes from the CLDR
    rules of the language (Babel when installed, else the English rule one = 1).
    """
    category = _plural_category(count, lang)
    table = catalogue(lang)
    name = f"{key}.{category}" if f"{key}.{category}" in table else f"{key}.other"
    return render(name, lang, {"count": Count(count), **params})


def _plural_category(count: int, lang: str) -> str:
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - Babel is a dependency; kept for a bare checkout
        return "one" if lang == "en" and abs(count) == 1 else "other"
    return Locale.parse(lang).plural_form(abs(count))


@dataclass(frozen=True)
class Term:
    """A notice parameter that is itself a message (e.g. an indicator's name), translated with the notice."""

    key: str

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The term in ``lang``."""
        return t(self.key, lang)


@dataclass(frozen=True)
class Count:
    """A whole number in a notice, grouped the reader's way (``12.345`` in id, ``12,345`` in en)."""

    value: int

    def text(self, lang: str) -> str:
        from .render.format import count

        return count(self.value, lang)


@dataclass(frozen=True)
class Number:
    """A measured value in a message with ``places`` decimals, the reader's way (``0,1234`` / ``0.1234``)."""

    value: float
    places: int = 2

    def text(self, lang: str) -> str:
        from .render.format import decimal

        return decimal(self.value, self.places, lang)

    @classmethod
    def as_given(cls, value: float) -> Number:
        """``value`` with as many decimals as it was written with (up to 6): ``0.0863`` -> ``0,0863``."""
        from .render.format import places_of

        return cls(value, places_of(value))


@dataclass(frozen=True)
class Percent:
    """A fraction shown as a percentage in a message, the reader's way (``9.443%`` / ``9,443%``)."""

    fraction: float
    places: int = 0

    def text(self, lang: str) -> str:
        from .render.format import percent

        return percent(self.fraction, self.places, lang)


@dataclass(frozen=True)
class Rupiah:
    """An amount of integer rupiah in a message, the reader's way (``Rp 3.000.000`` / ``Rp 3,000,000``)."""

    value: int

    def text(self, lang: str) -> str:
        from .render.format import rupiah

        return rupiah(int(self.value), lang)


class Label(str):
    """A name that is a plain ``str`` where a machine reads it (JSON, equality) and a catalogue message
    where a person does: ``text(lang)`` renders the message ``key`` (e.g. the shipped data set, named in
    errors as *kaltim-indicators.csv (bawaan)* in Indonesian and *(shipped)* in English)."""

    key: str

    def __new__(cls, value: str, key: str) -> Label:
        self = super().__new__(cls, value)
        self.key = key
        return self

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The name in ``lang``."""
        return t(self.key, lang)


OPTIMAL = "Optimal"  # str(Status.of("optimal")), the catalogue's en status.optimal: the word every JSON output writes


class Status(str):
    """A solver status: a ``str`` holding its English text (what ``--format json`` writes and what
    code compares, ``status == "Optimal"``), and ``text(lang)`` in the reader's language.

    ``key``: a message under ``[status]`` (``optimal``, ``feasible``, ``feasible_gap``, ``several``);
    ``params``: its fields (e.g. ``gap``, a :class:`Number` of percent). Built with :meth:`of`.
    """

    key: str
    params: tuple[tuple[str, object], ...]

    def __new__(cls, key: str, params: tuple[tuple[str, object], ...] = ()) -> Status:
        # (the usual status, optimal: its English text without reading en.toml, ~0.02 CPU-s measured in Indonesian)
        english = OPTIMAL if key == "optimal" and not params else render(f"status.{key}", "en", dict(params))
        self = super().__new__(cls, english)
        self.key, self.params = key, params
        return self

    @classmethod
    def of(cls, key: str, /, **params: object) -> Status:
        """A status from its key and fields."""
        return cls(key, tuple(params.items()))

    @classmethod
    def combined(cls, statuses: list[Status]) -> Status:
        """One status for several solves: ``optimal`` when all are, else the distinct ones joined."""
        distinct = tuple(dict.fromkeys(s if isinstance(s, Status) else cls.of("optimal") for s in statuses))
        if all(s.key == "optimal" for s in distinct):
            return cls.of("optimal")
        return cls.of("several", items=tuple(s for s in distinct if s.key != "optimal"))

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The status in ``lang``."""
        return render(f"status.{self.key}", lang, dict(self.params))

    def __reduce__(self):
        return (Status, (self.key, self.params))


INDICATOR_TERMS = {"IDG": "indicator.idg", "P0": "indicator.poverty_rate", "eligible": "indicator.eligible"}


def proxy_term(method: str) -> Term | str:
    """The translatable name of an eligible-pool proxy (``poor_population``, …; see ``scenario.PROXIES``).

    A method with no catalogued name (a counted source such as ``file``) is returned as it is."""
    key = f"proxy_name.{method}"
    return Term(key) if key in catalogue(DEFAULT_LANGUAGE) else method


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
        return render(f"notice.{self.key}", lang, dict(self.params))

    def __str__(self) -> str:
        return self.text("en")
