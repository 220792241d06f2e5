"""Options and helpers shared by the ``wrse`` commands (parsing and writing only)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..money import AmountError, parse_amount, unit_of
from ..render import SHEET_FORMATS as SHEET_FORMATS  # re-exported; written from optimizer.render.table.Table objects

FORMATS = ("table", "csv", "csv-excel", "json", "xlsx")  # optimizer.render.FORMATS (not imported: fast --help)


def say(key: str, /, **params: object) -> str:
    """The message ``error.cli.<key>`` in the session's language (for Click's usage errors)."""
    from ..i18n import render
    from .language import current_language

    return render(f"error.cli.{key}", current_language(), params)


class AmountType(click.ParamType):
    """A rupiah amount such as ``150 juta``, ``Rp 150.000.000`` or ``1,5 miliar`` (int rupiah)."""

    name = "AMOUNT"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        from .language import current_language

        try:
            rupiah = parse_amount(value)
        except AmountError as exc:
            raise click.BadParameter(exc.text(current_language()), ctx=ctx, param=param) from exc
        if current_language() == "en" and unit_of(value) == "m":
            # 'M' is miliar (10^9), as Indonesian forms write it; an English reader may mean million
            from ..i18n import Rupiah, t

            warn(t("cli.amount_m_is_miliar", "en", typed=str(value).strip(), rupiah=Rupiah(rupiah).text("en")), "en")
        return rupiah


AMOUNT = AmountType()


class DateType(click.ParamType):
    """A calendar date as planners write it: ``31-12-2026``, ``31/12/2026``, ``2026-12-31`` or
    ``31 Desember 2026`` (:func:`optimizer.screening.columns.parse_date`); a :class:`datetime.date`."""

    name = "date"

    def convert(self, value, param, ctx):
        import datetime as dt

        if isinstance(value, dt.date):
            return value
        from ..screening.columns import DATE_EXPECTED, parse_date

        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise click.BadParameter(say("not_date", value=value, expected=DATE_EXPECTED), ctx=ctx, param=param)
        return day


DATE = DateType()


class LocalPath(click.Path):
    """``click.Path`` whose name in messages and metavars (``file``, ``directory``) is in the session's
    language when it is shown, not when the option was declared."""

    @property
    def kind(self) -> str:
        """``file``, ``directory`` or ``path``: the untranslated name, the key of its metavar."""
        return "file" if self.file_okay and not self.dir_okay else "directory" if not self.file_okay else "path"

    @property
    def name(self) -> str:
        from .language import click_gettext, current_language

        return click_gettext(current_language())(self.kind)

    @name.setter
    def name(self, value: str) -> None:  # click.Path.__init__ sets it; the property decides
        pass


existing_file = LocalPath(exists=True, dir_okay=False, path_type=Path)


class OutputFile(LocalPath):
    """A file to write (``-o``): shown as ``FILE``, but not checked by Click. A folder, a
    missing folder, a special file… are refused by :func:`optimizer.files.check_target`, one
    line in the session's language and exit 1 like every other bad target (not Click's usage
    error, exit 2)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        return value if isinstance(value, Path) else Path(value)


class DecimalRange(click.FloatRange):
    """A number option that also takes the Indonesian decimal comma: ``--weight-spread 12,5``
    is 12.5 (Click's float refused it, naming no form). Bounds as :class:`click.FloatRange`."""

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            if re.fullmatch(r"\s*[-+]?\d+,\d+\s*", value):
                value = value.replace(",", ".")
            try:
                float(value)
            except ValueError:
                from ..i18n import t
                from .language import current_language

                self.fail(t("error.cli.decimal_option", current_language(), value=value), param, ctx)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:  # "0.01 di luar rentang x>=0.1": the value and range the reader's way
            exc.message = _reader_decimals(exc.message)
            raise

    def _describe_range(self) -> str:
        return _reader_decimals(super()._describe_range())


def _reader_decimals(text: str) -> str:
    """``text`` with its decimal points as the session's language writes them (``0.1`` -> ``0,1`` in id)."""
    from .language import current_language

    return re.sub(r"(?<=\d)\.(?=\d)", ",", text) if current_language() == "id" else text


def lang_option(function):
    """``--lang id|en``: the session's language (``wrse --lang``, else WRSE_LANG, else ``id``)."""
    from .language import current_language

    return click.option(
        "--lang",
        type=click.Choice(["id", "en"]),
        default=current_language,
        show_default=False,
    )(function)


def format_option(function):
    """``--format table|csv|json``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        callback=_format_callback,
    )(function)


def wide_option(function):
    """``--wide``: every column of the table, whatever the terminal's width."""
    return click.option(
        "--wide",
        is_flag=True,
    )(function)


_SUFFIX_FORMATS = {".csv": ("csv", "csv-excel"), ".json": ("json",), ".xlsx": ("xlsx",)}
_NOT_TABLES = {".xlsm", ".xls", ".docx", ".doc", ".pdf", ".html", ".htm", ".png", ".svg", ".ods", ".odt"}


def _reconcile(ctx: click.Context, param: click.Parameter) -> None:
    """``-o x.json`` without ``--format`` writes JSON; a contradicting ``--format`` is a usage error.

    Called by the callbacks of both options: Click processes options in the order they are
    typed (defaults last), so the second of the two to be processed decides.
    """
    if "fmt" not in ctx.params or "output" not in ctx.params or ctx.params["output"] is None:
        return
    output = ctx.params["output"]
    if output.suffix.lower() in _NOT_TABLES:
        raise click.BadParameter(
            say("not_text_output", output=output, suffix=output.suffix),
            ctx=ctx,
            param_hint="'--output' / '-o'",
        )
    implied = _SUFFIX_FORMATS.get(output.suffix.lower())
    if implied is None:
        if ctx.params["fmt"] == "xlsx":
            raise click.BadParameter(
                say("xlsx_name", output=output),
                ctx=ctx,
                param_hint="'--output' / '-o'",
            )
        return
    if ctx.get_parameter_source("fmt") is click.core.ParameterSource.DEFAULT:
        ctx.params["fmt"] = implied[0]
    elif ctx.params["fmt"] not in implied:
        raise click.BadParameter(
            say("suffix_format", output=output, suffix=output.suffix, fmt=ctx.params["fmt"]),
            ctx=ctx,
            param_hint="'--output' / '-o'",
        )


def _format_callback(ctx: click.Context, param: click.Parameter, value):
    ctx.params["fmt"] = value
    _reconcile(ctx, param)
    return ctx.params["fmt"]


def _output_callback(ctx: click.Context, param: click.Parameter, value):
    if value is not None and str(value) == "-":
        value = None  # -o - is standard output
    ctx.params["output"] = value
    _reconcile(ctx, param)
    return value


def output_option(function):
    """``--output FILE`` (written atomically; never over an input file; ``.csv``/``.json`` set the format)."""
    return click.option(
        "--output",
        "-o",
        type=OutputFile(),
        default=None,
        callback=_output_callback,
    )(function)


def table_options(function):
    """The options of every command that prints a table: ``--format``, ``--wide``, ``--output``
    and ``--lang``, in this order. Every such table may leave columns out to fit the terminal and
    then names ``--wide``, so every one of them takes it."""
    return format_option(wide_option(output_option(lang_option(function))))


METHOD_CHOICES = click.Choice(["sainte-lague", "largest-remainder", "webster", "hamilton"], case_sensitive=False)


def method_option(function):
    """``--method``: the rounding method replacing the scenario's."""
    return click.option(
        "--method",
        type=METHOD_CHOICES,
        default=None,
    )(function)


def hierarchical_option(function):
    """``--hierarchical``: allocate level by level over the regions of the data (province,
    kabupaten/kota, desa), the same engine per sibling group; each command's help says what it
    then shows (``help.<command>.hierarchical``)."""
    return click.option("--hierarchical", is_flag=True)(function)


def eligible_option(function):
    """``--eligible FILE``: eligible counts per region replacing the scenario's source."""
    return click.option(
        "--eligible",
        "eligible_file",
        type=existing_file,
        default=None,
    )(function)


def inputs_options(function):
    """``--data FILE`` and ``--eligible FILE``: the inputs replacing the shipped indicator data and
    the scenario's source of eligible counts."""
    return data_option(eligible_option(function))


def data_option(function):
    """``--data FILE``: replace the shipped indicator data."""
    return click.option(
        "--data",
        "data_file",
        type=existing_file,
        default=None,
    )(function)


def emit(text: str | bytes, output: Path | None, inputs: list[Path | None], lang: str | None = None) -> None:
    """Print ``text`` or write it atomically to ``output`` (see :func:`optimizer.files.check_target`);
    the ``written:`` line in ``lang`` (default: the session's language).

    ``bytes`` (a workbook) go to ``output``, or to standard output when it is not a
    terminal (``wrse run x --format xlsx > x.xlsx``); to a terminal they are a usage error.
    """
    if output is None:
        if isinstance(text, bytes):
            if stdout_is_terminal():
                raise click.UsageError(say("xlsx_to_terminal"))
            stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout
            stream.write(text)
            stream.flush()
            return
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..files import check_target, write_bytes_atomic, write_text_atomic

    check_target(output, inputs)
    if isinstance(text, bytes):
        write_bytes_atomic(output, text)
    else:
        write_text_atomic(output, text)
    written(output, lang)


def sheets_output(tables, fmt: str, lang: str, title: str = "") -> str | bytes:
    """Workbook (bytes) or CSV for Excel (text) of ``tables`` (:func:`optimizer.render.sheets_output`)."""
    from ..render import sheets_output as write

    return write(tables, fmt, lang, title)


def screen_width(output: Path | None, wide: bool = False) -> int | None:
    """Width a text table is fitted to: the terminal's for standard output, none for a file
    or with ``--wide``."""
    if output is not None or wide:
        return None
    from ..render.text import terminal_width

    return terminal_width()


def written(path: Path, lang: str | None = None) -> None:
    """Tell on standard error that ``path`` was written (``ditulis:`` / ``written:``), in ``lang``
    (default: the session's language)."""
    from ..i18n import t
    from ..privacy import redact_path
    from .language import current_language

    lang = lang or current_language()

    click.echo(f"{t('cli.written', lang)}: {redact_path(path)}", err=True)  # a NIK in a path is never echoed


def warn(message: str, lang: str | None = None) -> None:
    """Write a warning line to standard error; ``lang`` (``id``/``en``) translates the
    ``Warning:`` prefix (message catalogue key ``cli.warning``), else it is English."""
    if lang is None:
        prefix = "Warning"
    else:
        from ..i18n import t

        prefix = t("cli.warning", lang)
    from ..render.text import fill, terminal_width

    # wrapped at the terminal's width (COLUMNS), continued under the message, as the tables' notes
    click.echo("\n".join(fill([f"{prefix}: {message}"], terminal_width(), "  ")), err=True)


def stdout_is_terminal() -> bool:
    """True when standard output is an interactive terminal."""
    return sys.stdout.isatty()
