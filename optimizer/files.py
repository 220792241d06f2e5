"""Writing output files safely: atomically, never over an input, never outside their folder.

What the tool promises (see ``docs/reliability.md``):

* **One file** is written to a temporary file in the target's folder, flushed to disk
  (``fsync``) and put in place with a single ``os.replace``: at every instant the target
  is either the earlier file or the new one, complete. The earlier file is never moved
  aside first.
* **Several files** (a report's formats, a sweep's table and chart) are written by
  :func:`write_files_atomic`. When they share one folder that holds only regular files
  (a report folder), a copy of that folder is built next to it (earlier files hard-linked,
  new files written and flushed) and exchanged with it in one ``renameat2(RENAME_EXCHANGE)``
  call, so at every instant the folder holds either the whole earlier set or the whole new
  set. Otherwise each file is put in place with its own ``os.replace`` while SIGTERM,
  SIGINT and SIGHUP are held back (a ``kill`` lands after the last rename, not between
  two); a later rename that fails puts the earlier files back from hard links.
* **Only regular files or new paths** are written: a FIFO, a device node (``/dev/null``),
  a socket or a folder given as a target is refused before anything is computed;
  standard output is ``-o -``.
* **Failures name the path and the cause** (disk full, read-only folder, no permission)
  as an :class:`~optimizer.errors.InputError`; earlier files stay as they were and no
  temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

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


def _check_place(path: Path, folder: Path, what: str, kind: Term) -> None:
    """Refuse a ``path`` inside the installed tool, or whose ``folder`` cannot be created."""
    resolved = path.resolve()
    for protected in _protected_folders():
        if resolved.is_relative_to(protected):
            raise InputError(
                "files.inside_installed_tool_outside", what=what, path=path, protected=protected, kind=kind
            )
    existing = _nearest_existing(folder.resolve())
    if not existing.is_dir():
        raise InputError("files.file_so_folder_cannot", what=what, path=path, existing=existing)


def check_target(target: str | Path, inputs: Iterable[str | Path | None] = (), what: str = "--output") -> Path:
    """Check, before anything is written, that ``target`` can be written as a new file.

    Refuses (with :class:`InputError` naming ``what`` and the path): an input file, a file
    inside the installed tool (shipped data, scenarios, messages), a folder, and a path
    whose parent is a file. Returns ``target`` as a :class:`Path`.
    """
    path = Path(target)
    refuse_input_overwrite(path, inputs)
    _check_place(path, path.parent, what, Term("error.files.place.path"))
    if path.is_dir():
        raise InputError("files.folder_file_name", what=what, path=path)
    refuse_special(path, what)
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


def _nearest_existing(folder: Path) -> Path:
    """``folder`` or its nearest ancestor that exists (as a folder, a file or a link)."""
    while not folder.exists() and not folder.is_symlink() and folder.parent != folder:
        folder = folder.parent
    return folder


def check_folder(folder: str | Path, what: str = "--out") -> Path:
    """Check that ``folder`` can hold new output files: not inside the installed tool, not a
    file, and not below a file. Raises :class:`InputError` naming ``what`` and the path."""
    path = Path(folder)
    _check_place(path, path, what, Term("error.files.place.folder"))
    if path.exists() and not path.is_dir():
        kind = special_kind(path)
        if kind is not None:
            raise InputError("files.folder", what=what, path=path, kind=kind)
    return path


def inside(folder: str | Path, name: str) -> Path:
    """Return ``folder / name`` after checking it cannot escape ``folder``.

    ``name`` must be a plain file name (no ``/``, ``\\``, ``..``, absolute path, drive or
    reserved device name). Raises :class:`InputError` otherwise.
    """
    plain = name not in {"", ".", ".."} and not re.search(r"[/\\:\x00]", name)
    if not plain or Path(name).is_absolute() or name.split(".")[0].lower() in _RESERVED:
        raise InputError("files.output_name_plain_file", name=name, folder=folder)
    return Path(folder) / name


# ------------------------------------------------------------------ why a write failed

_CAUSES = {
    errno.ENOSPC: Term("error.files.cause.disk_full"),
    errno.EDQUOT: Term("error.files.cause.quota"),
    errno.EROFS: Term("error.files.cause.read_only"),
    errno.EACCES: Term("error.files.cause.permission"),
    errno.EPERM: Term("error.files.cause.permission"),
    errno.EFBIG: Term("error.files.cause.too_large"),
    errno.EIO: Term("error.files.cause.io"),
    errno.ENAMETOOLONG: Term("error.files.cause.name_too_long"),
}


def os_cause(exc: OSError) -> Term | str:
    """A short, plain cause for ``exc`` as a translatable term (``the disk is full``, ``the
    folder is read-only``, ``no permission to write there``…), else the system's wording."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or str(exc) or type(exc).__name__


def write_error(target: str | Path, exc: OSError) -> InputError:
    """The one-line :class:`InputError` for an :class:`OSError` while writing ``target``."""
    from .privacy import redact_path

    return InputError("files.cannot_write", target=redact_path(target), cause=os_cause(exc))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames in it) to disk, where the system allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` so two runs of the tool do not swap or
    replace files in it at the same time (no-op where flock is not available)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGTERM, SIGINT and SIGHUP while the block runs (they arrive right after it).

    So a ``kill`` or Ctrl-C never lands between two renames of one set of files. SIGKILL
    cannot be held back; the single-folder exchange covers it.
    """
    wanted = {getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# ------------------------------------------------------------------ one file


def _temporary(target: Path, suffix: str = ".part") -> tuple[int, str]:
    """Create ``target``'s folder if needed and a temporary file in it (mode 0600).

    An :class:`OSError` (a file where a folder should be, no permission, disk full)
    becomes an :class:`InputError` naming ``target`` and the cause.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        ancestor = _nearest_existing(target.parent)
        if not ancestor.is_dir():
            raise InputError("files.file_so_folder_cannot_2", target=target, ancestor=ancestor) from None
        raise write_error(target, exc) from None


@contextlib.contextmanager
def atomic_open(target: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file next to ``target``; put it in place with one ``os.replace`` on success.

    The data is flushed to disk (``fsync``) before the rename and the folder after it. On
    any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``target`` is left as it was. The parent folder is created when missing. A special
    file as ``target`` (FIFO, device) is refused; an :class:`OSError` while writing (disk
    full, read-only folder) becomes an :class:`InputError` naming the path and the cause.
    """
    target = Path(target)
    refuse_special(target, "output")
    binary = "b" in mode
    fd, tmp_name = _temporary(target)
    try:
        try:
            with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
            refuse_special(target, "output")  # it may have appeared while we were writing
            os.replace(tmp_name, target)
        except OSError as exc:
            raise write_error(target, exc) from None
        _fsync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically (see :func:`atomic_open`)."""
    with atomic_open(target, "w") as handle:
        handle.write(text)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_open`)."""
    with atomic_open(target, "wb") as handle:
        handle.write(data)


# ------------------------------------------------------------------ several files


def _stage(target: Path, data: bytes) -> Path:
    """Write ``data`` to a flushed temporary file next to ``target``; returns its path."""
    fd, tmp = _temporary(target)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(target, exc) from None
        raise
    return Path(tmp)


def write_files_atomic(files: Mapping[str | Path, bytes]) -> None:
    """Write ``{target: bytes}`` as one set: at every instant the earlier set or the new one.

    1. Every target is checked (a special file is refused) and every file is written in
       full and flushed before any target changes; an error here (or Ctrl-C) removes what
       was written and touches no target.
    2. When all targets share one folder that can be exchanged (:func:`_exchangeable`: a
       folder of regular files, not the working folder, on Linux), a copy of the folder is
       built next to it (earlier files hard-linked, new ones written) and swapped with it in
       one ``renameat2(RENAME_EXCHANGE)``; a new folder is renamed into place in one step.
    3. Otherwise each file is put in place with ``os.replace`` while SIGTERM/SIGINT/SIGHUP
       are held back; the earlier file stays in place until its replacement lands (it is
       kept through a hard link, not moved aside) and is put back if a later rename fails.

    The files get the usual mode of a new file (0666 minus the umask). Check the targets
    first with :func:`check_target`; raises :class:`InputError` naming the path and the
    cause when a target's folder cannot be created or written (disk full, read-only).
    """
    targets = {Path(target): data for target, data in files.items()}
    if not targets:
        return
    for target in targets:
        refuse_special(target, "output")
    folders = {target.parent for target in targets}
    if len(folders) == 1 and len(targets) > 1:
        folder = next(iter(folders))
        if _write_by_exchange(folder, {target.name: data for target, data in targets.items()}):
            return
    _write_by_replace(targets)


def _write_by_replace(targets: dict[Path, bytes]) -> None:
    staged: list[tuple[Path, Path]] = []
    kept: list[tuple[Path, Path | None]] = []  # (target, hard link to its earlier file)
    try:
        for target, data in targets.items():
            staged.append((_stage(target, data), target))
        with _signals_held():
            for tmp, target in staged:
                keep = None
                if target.exists():
                    keep = tmp.with_name(tmp.name[: -len(".part")] + ".keep")
                    try:
                        os.link(target, keep)
                    except OSError:  # no hard links here: no way back, but the rename is still atomic
                        keep = None
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    if keep is not None:
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(keep)
                    raise write_error(target, exc) from None
                kept.append((target, keep))
            for folder in {target.parent for target in targets}:
                _fsync_folder(folder)
    except BaseException:
        for target, keep in reversed(kept):
            with contextlib.suppress(OSError):
                if keep is not None:
                    os.replace(keep, target)  # the earlier file back, in one rename
                else:
                    os.unlink(target)
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for _, keep in kept:
        if keep is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(keep)


# Folders of more entries than this are not copied aside (a user's working folder, not a report's).
MAX_EXCHANGE_ENTRIES = 500
_SWAP_MARK = ".wrse-swap-"
RENAME_EXCHANGE = 2  # linux/fs.h


def _renameat2():
    """glibc's ``renameat2`` through ctypes, or None where it does not exist."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError, ImportError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: str | Path, b: str | Path) -> None:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Raises :class:`OSError` (``ENOSYS`` where the call does not exist, ``EINVAL`` where the
    file system does not support it).
    """
    import ctypes

    function = _renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    at_fdcwd = -100
    if function(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), RENAME_EXCHANGE) != 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number), str(a))


def _exchangeable(folder: Path) -> bool:
    """True when ``folder`` can be rebuilt aside and exchanged: it is missing, or a real
    folder (not a mount point, not a link) of at most :data:`MAX_EXCHANGE_ENTRIES` regular
    files owned by this user, not holding the working folder, and ``renameat2`` exists."""
    if _renameat2() is None:
        return False
    if not folder.exists() and not folder.is_symlink():
        return folder.parent.is_dir()
    try:
        if folder.is_symlink() or not folder.is_dir() or os.path.ismount(folder):
            return False
        info = folder.stat()
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            return False
        if Path.cwd().resolve().is_relative_to(folder.resolve()):
            return False
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries, 1):
                if count > MAX_EXCHANGE_ENTRIES or not entry.is_file(follow_symlinks=False):
                    return False
    except OSError:
        return False
    return True


def _write_by_exchange(folder: Path, files: dict[str, bytes]) -> bool:
    """Write ``{name: bytes}`` into ``folder`` by building a copy aside and exchanging it.

    Returns False (nothing changed, nothing left behind) when the folder cannot be
    exchanged here; the caller then replaces file by file. Raises :class:`InputError` for
    a write that fails for want of space or permission.
    """
    if not _exchangeable(folder):
        return False
    parent = folder.parent
    with _folder_lock(parent):
        _remove_stale_swaps(folder)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}{_SWAP_MARK}", dir=parent))
        except OSError:
            return False  # the parent is not writable: replace file by file inside the folder
        swapped = False
        try:
            existed = folder.exists()
            mode = stat.S_IMODE(folder.stat().st_mode) if existed else 0o777 & ~_umask()
            os.chmod(staging, mode)
            if existed:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.name not in files:
                            try:
                                os.link(entry.path, staging / entry.name)
                            except OSError:
                                return False  # no hard links on this file system
            for name, data in files.items():
                _write_plain(staging / name, data, folder / name)
            _fsync_folder(staging)
            try:
                if existed:
                    exchange(staging, folder)
                else:
                    os.rename(staging, folder)
            except OSError as exc:
                if exc.errno in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EEXIST, errno.ENOTEMPTY):
                    return False
                raise write_error(folder, exc) from None
            swapped = True
            _fsync_folder(parent)
        finally:
            if not swapped or existed:
                shutil.rmtree(staging, ignore_errors=True)  # the new set not used, or the earlier set
    return True


def _write_plain(path: Path, data: bytes, shown: Path) -> None:
    """Write and flush a new file in a staging folder; errors name ``shown`` (the real target)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise write_error(shown, exc) from None


def _remove_stale_swaps(folder: Path) -> None:
    """Remove copies left next to ``folder`` by a run killed between its exchange and its
    clean-up (they hold an earlier set that was already replaced)."""
    prefix = f".{folder.name}{_SWAP_MARK}"
    with contextlib.suppress(OSError), os.scandir(folder.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
