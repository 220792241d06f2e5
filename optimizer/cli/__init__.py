"""The ``wrse`` command line: Click commands that parse options and call the library.

Commands live in modules of this package and are loaded when used (``COMMANDS`` maps a
name to ``module:function``), so ``wrse --help`` imports neither pandas nor PuLP.
Errors meant for the user (:class:`~optimizer.errors.WrseError`) are rendered in the
session's language (:mod:`optimizer.cli.language`) as one line ``Kesalahan: ...`` /
``Error: ...`` and exit status 1; usage errors exit 2 (Click's convention); no traceback
is shown unless ``WRSE_DEBUG=1``. ``--help`` and Click's own messages are in that
language too.

SIGTERM and SIGHUP (a ``kill``, a closed terminal or SSH session) are handled like Ctrl-C
while a command runs: they raise ``KeyboardInterrupt``, so temporary files are removed
(atomic writes, openpyxl's temporary sheets, which hold personal data) and the run ends
with ``Aborted!``. A signal the parent set to be ignored (``nohup``) stays ignored.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import threading
from collections.abc import Iterator

import click

from .. import __version__

COMMANDS: dict[str, str] = {
    "run": "optimizer.cli.allocation:run",
    "compare": "optimizer.cli.allocation:compare",
    "scenarios": "optimizer.cli.allocation:scenarios",
    "data": "optimizer.cli.allocation:data",
    "doctor": "optimizer.cli.doctor:doctor",
    "screen": "optimizer.cli.screening:screen",
    "select": "optimizer.cli.screening:select",
    "report": "optimizer.cli.report:report",
    "page": "optimizer.cli.page:page",
    "sweep": "optimizer.cli.analysis:sweep",
    "sensitivity": "optimizer.cli.analysis:sensitivity",
    "plan": "optimizer.cli.analysis:plan",
    "synth": "optimizer.cli.scale:synth",
}


INTERRUPTING_SIGNALS = ("SIGTERM", "SIGHUP")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def signals_as_interrupt() -> Iterator[None]:
    """While the block runs, make SIGTERM and SIGHUP raise ``KeyboardInterrupt`` (as Ctrl-C does).

    Only signals with the default handler are changed (an ignored or custom handler is
    kept), only in the main thread (the only one Python lets set handlers), and the
    previous handlers are restored afterwards.
    """
    previous: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        for name in INTERRUPTING_SIGNALS:
            number = getattr(signal, name, None)  # SIGHUP does not exist on Windows
            if number is not None and signal.getsignal(number) is signal.SIG_DFL:
                previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class BadValue(click.ClickException):
    """A value an option or argument cannot take (``--budget abc``): one line, ``Kesalahan: …``,
    exit status 2 as Click's usage errors, without the usage block and the ``--help`` hint
    that Click prints for a mistake in the command's shape (a missing argument, an unknown option)."""

    exit_code = 2


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (see ``COMMANDS``), in the session's language."""

    def main(self, args=None, *posargs, **kwargs):
        from .language import localise_command, start_session

        lang = start_session(args)
        localise_command(self, "wrse", lang)
        return super().main(args, *posargs, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        from .language import current_language, localise_command

        module, _, attribute = target.partition(":")
        return localise_command(getattr(importlib.import_module(module), attribute), name, current_language())

    def invoke(self, ctx: click.Context):
        from ..errors import WrseError
        from ..i18n import t
        from ..privacy import redact
        from .language import current_language, unknown_environment_language

        lang = current_language()
        wrong = unknown_environment_language()
        if wrong is not None:  # refused as --lang fr is, not silently read as id
            raise _fitted(BadValue(t("error.cli.environment_language", lang, value=wrong)))
        try:
            with signals_as_interrupt():
                return super().invoke(ctx)
        except WrseError as exc:
            raise _fitted(click.ClickException(redact(exc.text(lang)))) from None
        except click.ClickException as exc:
            exc.message = redact(exc.message)  # a NIK typed into an option is never echoed
            if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
                raise _fitted(BadValue(redact(exc.format_message()))) from None
            _fitted(exc)
            raise
        except (click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except MemoryError:
            raise click.ClickException(t("error.cli.out_of_memory", lang)) from None
        except OSError as exc:
            if os.environ.get("WRSE_DEBUG"):
                raise
            raise click.ClickException(redact(_os_error_text(exc, lang))) from None
        except Exception as exc:
            if os.environ.get("WRSE_DEBUG"):
                raise
            raise click.ClickException(t("error.cli.internal", lang, kind=type(exc).__name__)) from None


def _fitted(exc: click.ClickException) -> click.ClickException:
    """``exc`` with its sentence wrapped at the terminal's width (``COLUMNS``), the first line after
    Click's ``Kesalahan: `` / ``Error: ``, the others two spaces in, every word kept (a path or URL
    whole); unchanged without a width (a pipe or a file: one line per sentence)."""
    import click.exceptions

    from ..render.text import fill, terminal_width

    width = terminal_width()
    if width is None:
        return exc
    prefix = click.exceptions._("Error: {message}").split("{message}")[0]
    # wrapped as the tables' notes are (render.text.fill), the first line measured after Click's prefix
    fitted = "\n".join(fill((prefix + exc.format_message()).split("\n"), width, "  "))[len(prefix) :]
    exc.format_message = lambda: fitted  # type: ignore[method-assign]
    return exc


def _os_error_text(exc: OSError, lang: str) -> str:
    """One line for an :class:`OSError` that reached the CLI: the path (or standard output)
    and the cause (disk full, read-only folder, no permission).

    The tool's own file writers name their path (:func:`optimizer.files.write_error`), and
    opening or renaming a file names it too, so an error without a file name is a write to
    standard output (``> /dev/full``, a closed pipe).
    """
    import sys

    from ..files import os_cause
    from ..i18n import render

    if exc.filename is None:
        # Nothing more can reach standard output; point it at /dev/null so Python's own
        # flush at exit does not print a second, internal message.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        return render("error.cli.stdout_unwritable", lang, {"cause": os_cause(exc)})
    return render("error.cli.os_error", lang, {"path": exc.filename, "cause": os_cause(exc)})


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wrse")
@click.option("--lang", type=click.Choice(["id", "en"]), default=None, expose_value=False, is_eager=True)
def main() -> None:
    """``wrse``; its help (English and Indonesian) is ``help.wrse.*`` in optimizer/messages."""
