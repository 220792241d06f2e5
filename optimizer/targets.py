"""Where an output may go, checked before anything is computed or written.

Never over an input file; never inside the installed tool (its code, shipped data,
messages and scenarios); only a regular file or a new path (a FIFO, a device node, a socket
or a folder is refused); a file name inside an output folder is a plain name that cannot
escape it; names made from free text are safe on any file system. Each refusal is an
:class:`~optimizer.errors.InputError` naming the option and the path. :func:`sha256_of` is
the hash of an input file in the audit trail. Writing itself is :mod:`optimizer.files`
(whose names these functions also keep: ``optimizer.files.check_target``).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError
from .i18n import Term

# Names Windows reserves, whatever the extension (CON.txt is still the console there).
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (for the audit trail of reports and outputs)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_slug(text: str, fallback: str = "scenario", max_length: int = 60) -> str:
    """Make a file or folder name from free text, safe on any file system.

    Keeps ASCII letters, digits, ``-`` and ``_``; turns everything else into ``-``;
    strips leading dots and dashes (no hidden files, no ``..``); avoids Windows reserved
    names (``CON``, ``NUL``, ``COM1``…); never returns an empty string.
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_text).strip("-_.").lower()[:max_length].strip("-_")
    if not slug:
        slug = fallback
    if slug.split(".")[0] in _RESERVED:
        slug = f"{slug}-file"
    return slug


def refuse_input_overwrite(target: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Raise :class:`InputError` if ``target`` is the same file as one of ``inputs``."""
    target_path = Path(target)
    for item in inputs:
        if item is None:
            continue
        source = Path(item)
        try:
            same = target_path.exists() and source.exists() and os.path.samefile(target_path, source)
        except OSError:
            same = False
        if same or target_path.resolve() == source.resolve():
            raise InputError("files.refusing_overwrite_input_file", target=target)


def _protected_folders() -> list[Path]:
    """Folders of the installed tool (its code, shipped data, messages, scenarios): never written."""
    package = Path(__file__).resolve().parent
    folders = [package]
    try:
        from .scenario import shipped_dir

        folders.append(shipped_dir().resolve())
    except Exception:  # pragma: no cover - the scenarios folder is optional for this check
        pass
    return folders


def _check_place(path: Path, folder: Path, what: str, kind: Term, new_folders: int) -> None:
    """Refuse a ``path`` inside the installed tool, whose ``folder`` cannot be created, or whose
    ``folder`` needs more than ``new_folders`` missing folders made (a mistyped folder is an
    error, not a new folder the planner will not find)."""
    resolved = path.resolve()
    for protected in _protected_folders():
        if resolved.is_relative_to(protected):
            raise InputError(
                "files.inside_installed_tool_outside", what=what, path=path, protected=protected, kind=kind
            )
    absolute = Path(os.path.abspath(folder))
    existing = nearest_existing(absolute)
    if not existing.is_dir():
        special = special_kind(existing)  # a FIFO, a device…: say what it is, not "a file"
        if special is not None and existing == absolute:
            raise InputError("files.folder", what=what, path=path, kind=special)
        if special is not None:
            raise InputError("files.special_so_folder_cannot", what=what, path=path, existing=existing, kind=special)
        raise InputError("files.file_so_folder_cannot", what=what, path=path, existing=existing)
    missing = len(absolute.relative_to(existing).parts) if absolute != existing else 0
    if missing > new_folders:
        first = existing / absolute.relative_to(existing).parts[0]
        raise InputError("files.folder_missing", what=what, path=path, missing=first)


def check_target(
    target: str | Path, inputs: Iterable[str | Path | None] = (), what: str = "--output", new_folders: int = 0
) -> Path:
    """Check, before anything is written, that ``target`` can be written as a new file.

    Refuses (with :class:`InputError` naming ``what`` and the path): an input file, a file
    inside the installed tool (shipped data, scenarios, messages), a folder, a path whose
    parent is a file, and a path whose folder does not exist (``new_folders`` missing
    folders may be made: 0 for ``-o``, so a mistyped folder is an error). Returns
    ``target`` as a :class:`Path`.
    """
    path = Path(target)
    refuse_input_overwrite(path, inputs)
    _check_place(path, path.parent, what, Term("error.files.place.path"), new_folders)
    if path.is_dir():
        raise InputError("files.folder_file_name", what=what, path=path)
    refuse_special(path, what)
    from .files import recover  # the journal's (it writes files; this module only checks)

    recover(path.parent)  # a set of files a killed run left half replaced there: finish or undo it first
    return path


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, Term("error.files.special.fifo")),
    (stat.S_ISCHR, Term("error.files.special.character_device")),
    (stat.S_ISBLK, Term("error.files.special.block_device")),
    (stat.S_ISSOCK, Term("error.files.special.socket")),
)


def special_kind(path: str | Path) -> Term | None:
    """What kind of special file ``path`` is (a translatable term: ``a FIFO (named pipe)``,
    ``a character device``…), following symbolic links; None for a regular file, a folder or a new path."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    for test, kind in _SPECIAL_KINDS:
        if test(mode):
            return kind
    return Term("error.files.special.other")


def refuse_special(path: str | Path, what: str = "--output") -> None:
    """Raise :class:`InputError` when ``path`` is a FIFO, a device node, a socket or another
    special file (also through a symbolic link): outputs replace only regular files."""
    kind = special_kind(path)
    if kind is not None:
        raise InputError("files.regular_file_regular_file", what=what, path=path, kind=kind)


def nearest_existing(folder: Path) -> Path:
    """``folder`` or its nearest ancestor that exists (as a folder, a file or a link)."""
    while not folder.exists() and not folder.is_symlink() and folder.parent != folder:
        folder = folder.parent
    return folder


def check_folder(folder: str | Path, what: str = "--out", new_folders: int = 1) -> Path:
    """Check that ``folder`` can hold new output files: not inside the installed tool, not a
    file, not below a file, and needing at most ``new_folders`` missing folders made (1: the
    folder itself may be new, its parent must exist). Raises :class:`InputError` naming
    ``what`` and the path."""
    path = Path(folder)
    _check_place(path, path, what, Term("error.files.place.folder"), new_folders)
    if path.exists() and not path.is_dir():
        kind = special_kind(path)
        if kind is not None:
            raise InputError("files.folder", what=what, path=path, kind=kind)
    check_writable(path)
    from .files import recover

    recover(path)
    return path


def check_writable(folder: str | Path) -> None:
    """Raise the :class:`OSError` that writing into ``folder`` would meet (no permission, a
    read-only file system…), named by ``folder``, before anything is computed: a new file is
    made and removed in ``folder`` or, when it does not exist yet, in its nearest existing
    ancestor (where it would be made). Nothing is left behind."""
    import tempfile

    place = nearest_existing(Path(os.path.abspath(folder)))
    try:
        handle, probe = tempfile.mkstemp(prefix=".wrse-probe-", dir=place)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(folder)) from exc
    os.close(handle)
    os.unlink(probe)


def inside(folder: str | Path, name: str) -> Path:
    """Return ``folder / name`` after checking it cannot escape ``folder``.

    ``name`` must be a plain file name (no ``/``, ``\\``, ``..``, absolute path, drive or
    reserved device name). Raises :class:`InputError` otherwise.
    """
    plain = name not in {"", ".", ".."} and not re.search(r"[/\\:\x00]", name)
    if not plain or Path(name).is_absolute() or name.split(".")[0].lower() in _RESERVED:
        raise InputError("files.output_name_plain_file", name=name, folder=folder)
    return Path(folder) / name
