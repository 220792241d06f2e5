"""The language of a ``wrse`` session, and Click's own texts and ``--help`` in that language.

The language is ``--lang`` (before or after the command: ``wrse --lang en run`` or
``wrse run --lang en``), else the ``WRSE_LANG`` environment variable, else ``id``. It is
read from the command line before Click parses it, so that ``--help`` and usage errors
(which Click produces while parsing) are already in that language.

Everything a person reads comes from the message catalogues (``optimizer/messages``):
- Click's own words ("Usage:", "Invalid value for ...", "Show this message and exit.")
  are looked up under ``[click]`` by their English text: Click asks for them through
  :mod:`gettext`, which is replaced in Click's modules by :func:`click_gettext`;
- the help of a command is ``help.<command>.about`` (its first line ``help.<command>.short``
  in ``wrse --help``), and of an option or argument ``help.<command>.<name>``, else
  ``help.option.<name>`` for options shared by several commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import ClassVar

import click

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue

_CLICK_MODULES = ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui", "utils")

_session_language: str | None = None
_session_args: list[str] = []


def language_from_args(args: Sequence[str]) -> str:
    """The language asked for by ``args`` (the last ``--lang X`` / ``--lang=X``), else ``WRSE_LANG``, else ``id``.

    An unknown value falls back to the next source (Click then reports it as a usage error).
    """
    asked = _asked(args)
    if asked in LANGUAGES:
        return asked
    env = os.environ.get("WRSE_LANG", "").strip().lower()
    return env if env in LANGUAGES else DEFAULT_LANGUAGE


def _asked(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang X`` / ``--lang=X`` of ``args`` (before a ``--``), or None."""
    asked: str | None = None
    args = [str(a) for a in args]
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            asked = args[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return asked


def unknown_environment_language(args: Sequence[str] | None = None) -> str | None:
    """``WRSE_LANG`` as set, when it is not a language of the tool and ``args`` (default: the
    session's, :func:`start_session`) choose none with ``--lang`` (the session then runs in
    ``id``, which the user did not ask for); else None."""
    env = os.environ.get("WRSE_LANG", "").strip()
    if not env or env.lower() in LANGUAGES:
        return None
    return None if _asked(_session_args if args is None else args) in LANGUAGES else env


def current_language() -> str:
    """The language of the running session (set by :func:`start_session`), else ``WRSE_LANG``, else ``id``."""
    if _session_language is not None:
        return _session_language
    return language_from_args([])


def start_session(args: Sequence[str] | None) -> str:
    """Choose the session's language from ``args`` (default ``sys.argv[1:]``) and put Click's texts in it."""
    global _session_language, _session_args
    _session_args = list(sys.argv[1:] if args is None else args)
    _session_language = language_from_args(_session_args)
    install_click_texts(_session_language)
    return _session_language


class _ClickTemplate(str):
    """A Click message in the reader's language whose ``format`` also translates the words Click
    puts into it untranslated: the name of a number type (``float``, ``integer``: ``[click.type]``)."""

    table: ClassVar[dict[str, str]] = {}

    def format(self, *args, **params):
        for name in ("number_type",):
            if isinstance(params.get(name), str):
                params[name] = self.table.get(f"click.type.{params[name]}", params[name])
        return str.format(self, *args, **params)


def click_gettext(lang: str):
    """A ``gettext`` for Click's messages in ``lang`` (English text unchanged when not catalogued)."""
    table = catalogue(lang)
    template = type("ClickTemplate", (_ClickTemplate,), {"table": table})

    def gettext(message: str) -> str:
        return template(table.get(f"click.{message}", message))

    return gettext


def click_ngettext(lang: str):
    """An ``ngettext`` for Click's plural messages in ``lang`` (``[click]`` key ``<singular>`` / ``<plural>``)."""
    gettext = click_gettext(lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return ngettext


def install_click_texts(lang: str) -> None:
    """Make Click's modules ask the catalogue of ``lang`` for their texts."""
    gettext, ngettext = click_gettext(lang), click_ngettext(lang)
    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


class HelpFormatter(click.HelpFormatter):
    """Click's help layout, wrapped as the tool's other texts are (:func:`~optimizer.render.text.fill`):
    a line never ends inside a hyphenated word (``csv-excel``, ``--time-limit``, ``berkas-berkas``)
    or inside an amount or a quoted value (``'Rp 150.000.000'``), so each reads and copies as typed.
    The texts reach Click's wrapper through :func:`~optimizer.render.text.keep_together`, and
    :meth:`getvalue` gives the spaces and hyphens back."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        from ..render.text import keep_together  # imported here: only --help writes help

        super().write_usage(keep_together(prog), keep_together(args), prefix)

    def write_text(self, text: str) -> None:
        from ..render.text import keep_together

        super().write_text(keep_together(text))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        from ..render.text import keep_together

        super().write_dl([(keep_together(a), keep_together(b)) for a, b in rows], col_max, col_spacing)

    def getvalue(self) -> str:
        from ..render.text import released

        return released(super().getvalue())


class Context(click.Context):
    """Click's context with :class:`HelpFormatter` for ``--help``."""

    formatter_class = HelpFormatter


def localise_command(command: click.Command, name: str, lang: str) -> click.Command:
    """Set the help of ``command`` (called ``name``), of its options and the names in its usage
    line from the catalogue of ``lang`` (see the module docstring)."""
    table = catalogue(lang)
    command.context_class = Context
    about = table.get(f"help.{name}.about")
    if about is not None:
        command.help = about
        command.short_help = table.get(f"help.{name}.short")
    command.options_metavar = table.get("help.metavar.options", "[OPTIONS]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = table.get("help.metavar.subcommand", "COMMAND [ARGS]...")
    if hasattr(command, "_help_option"):  # Click builds the --help option once, in the language of then
        command._help_option = None
    for param in command.params:
        if isinstance(param, click.Argument):
            param.metavar = table.get(f"help.metavar.{param.name}", param.metavar)
            continue
        if not isinstance(param, click.Option):
            continue
        text = table.get(f"help.{name}.{param.name}", table.get(f"help.option.{param.name}"))
        if text is not None:
            param.help = text
        if not param.is_flag and not isinstance(param.type, click.Choice):
            # the declared metavar, kept from the first call, so a session in another language before this
            # one (tests run many in one process) leaves no metavar of its own behind
            declared = param.__dict__.setdefault("_declared_metavar", param.metavar)
            kind = getattr(param.type, "kind", None) or param.type.name.lower().replace(" ", "_")
            param.metavar = table.get(f"help.metavar.{kind}", declared)
    return command
