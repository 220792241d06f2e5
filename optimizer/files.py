"""Writing output files safely: atomically, never over an input, never outside their folder.

Where an output may go (never over an input, never inside the installed tool, only regular
files or new paths, plain names) is checked by :mod:`optimizer.targets` (its functions are
reachable from here too); this module writes.

Length (over 500 lines): writing one file, the commit journal and the folder exchange are
one promise (a set of files is replaced whole or not at all, whatever kills the run), built
on the same staging, locking and fsync steps and tested together
(``tests/test_reliability_files.py``); apart, each would reach into the others' private state.

What the tool promises (see ``docs/reliability.md``):

* **One file** is written to a temporary file in the target's folder, flushed to disk
  (``fsync``) and put in place with a single ``os.replace``: at every instant the target
  is either the earlier file or the new one, complete. The earlier file is never moved
  aside first.
* **Several files** (a report's formats, a sweep's table and chart) are written by
  :func:`write_files_atomic`. When they share one folder that holds only regular files
  and is not the working folder (a report folder), a copy of that folder is built next to
  it (earlier files hard-linked, new files written and flushed) and exchanged with it in
  one ``renameat2(RENAME_EXCHANGE)`` call, so at every instant the folder holds either the
  whole earlier set or the whole new set. Otherwise the set goes through a commit journal
  (``.wrse-<id>.commit`` in each of its folders, see the section "the commit journal"):
  a run killed between two renames leaves the journal, and the next write into the folder
  (:func:`recover`, also run by :func:`check_target` and :func:`check_folder`) finishes
  the set when it was committed or undoes it when it was not.
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
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from .errors import InputError
from .i18n import Msg, Term
from .targets import (  # re-exported: where an output may go is checked there
    check_folder,
    check_target,
    inside,
    nearest_existing,
    refuse_input_overwrite,
    refuse_special,
    safe_slug,
    sha256_of,
    special_kind,
)

__all__ = [
    "atomic_open",
    "check_folder",
    "check_target",
    "exchange",
    "inside",
    "os_cause",
    "recover",
    "refuse_input_overwrite",
    "refuse_special",
    "safe_slug",
    "sha256_of",
    "special_kind",
    "write_bytes_atomic",
    "write_error",
    "write_files_atomic",
    "write_text_atomic",
]


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
    errno.ENOENT: Term("error.files.cause.not_found"),
    errno.ENOTDIR: Term("error.files.cause.not_folder"),
    errno.EISDIR: Term("error.files.cause.is_folder"),
    errno.EBUSY: Term("error.files.cause.busy"),
    errno.ETXTBSY: Term("error.files.cause.busy"),
    errno.ELOOP: Term("error.files.cause.links"),
    errno.ENXIO: Term("error.files.cause.no_device"),
    errno.ENODEV: Term("error.files.cause.no_device"),
    errno.EPIPE: Term("error.files.cause.closed_pipe"),
}


def os_cause(exc: OSError) -> Term | Msg | str:
    """A short, plain cause for ``exc`` in the reader's language (``disk penuh``, ``folder
    hanya-baca``, ``tidak ada izin menulis di sana``…); another error is ``galat sistem
    EXDEV`` (its errno name), never the system's English wording."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    if exc.errno is None:  # raised by Python code with its own words, not by the system
        return exc.strerror or str(exc) or type(exc).__name__
    return Msg.of("error.files.cause.system", code=errno.errorcode.get(exc.errno, str(exc.errno)))


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


def _unlink(path: str | Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


# ------------------------------------------------------------------ locks


def _lock_one(fcntl, folder: str) -> int | None:
    """An open descriptor of ``folder`` holding its exclusive ``flock``, or None where the
    folder cannot be opened. A folder exchanged while we waited is locked again as it is now."""
    for _ in range(100):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held, now = os.fstat(fd), os.stat(folder)
        except OSError:
            os.close(fd)
            return None
        if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
            return fd
        os.close(fd)  # the folder was swapped while we waited: lock the one now at this path
    return None


@contextlib.contextmanager
def _folders_locked(folders: Iterable[Path]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on each of ``folders`` while the block runs.

    The locks are taken in one fixed order (sorted paths), so two runs never wait on each
    other in a circle. Every writer holds the lock of each folder it writes in from its
    first temporary file to its last rename, and recovery holds the locks of every folder of
    the set it repairs: so recovery never takes a running write for a killed one. No-op
    where ``flock`` is not available or a folder cannot be opened.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        yield
        return
    fds: list[int] = []
    try:
        for folder in sorted({str(folder) for folder in folders}):
            fd = _lock_one(fcntl, folder)
            if fd is not None:
                fds.append(fd)
        yield
    finally:
        for fd in reversed(fds):
            os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGTERM, SIGINT and SIGHUP while the block runs (they arrive right after it).

    So a ``kill`` or Ctrl-C never lands between two renames of one set of files. SIGKILL
    cannot be held back; the commit journal covers it.
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


# ------------------------------------------------------------------ one file and several: the commit journal
#
# A set of files that cannot be exchanged as one folder (files in the working folder or in
# several folders) is written in three steps, all under the locks of its folders:
#
#   stage   each new file as ``.NAME.XXXX.wrse-TX.part`` in its target's folder, flushed;
#           each earlier file kept as ``.NAME.wrse-TX.keep`` (a hard link, else a copy);
#   commit  the journal ``.wrse-TX.commit`` (JSON: every temp → target pair with the new
#           and earlier SHA-256) written and flushed in every folder of the set, the first
#           folder's (the home journal) last: its rename is the commit;
#   apply   the temps renamed onto their targets; then the keeps, the other folders'
#           journals and the home journal removed, in that order.
#
# Recovery (:func:`recover`, run under the same locks before every write into a folder and
# by check_target/check_folder) reads what a killed run left: a journal whose home journal
# exists is rolled forward (the renames finished); a journal without its home journal was
# never committed and is rolled back (temps and keeps removed); a temp or keep without a
# journal in its folder belongs to a run that never committed or already finished, and is
# removed. A home journal marked ``abort`` (a rename failed in a live run) puts the
# earlier files back from their keeps.

_TX_FILE = re.compile(r"^\..*wrse-(?P<tx>[0-9a-f]{16})\.(?P<kind>part|keep|commit\.part|commit)$")
_JOURNAL_FORMAT = "wrse-commit/1"


def _journal_path(folder: Path, tx: str) -> Path:
    return folder / f".wrse-{tx}.commit"


def _make_folder(target: Path) -> None:
    """Create ``target``'s folder when missing; an :class:`InputError` names ``target`` and the cause."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        ancestor = nearest_existing(target.parent)
        if not ancestor.is_dir():
            raise InputError("files.file_so_folder_cannot_2", target=target, ancestor=ancestor) from None
        raise write_error(target, exc) from None


def _stage(target: Path, data: bytes, tx: str, shown: Path) -> Path:
    """Write ``data`` to a flushed temporary file next to ``target`` (mode 0666 minus the
    umask); returns its absolute path. Errors name ``shown`` (the path as the user gave it)
    and the cause."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".wrse-{tx}.part", dir=target.parent)
    except OSError as exc:
        ancestor = nearest_existing(target.parent)
        if not ancestor.is_dir():
            raise InputError("files.file_so_folder_cannot_2", target=shown, ancestor=ancestor) from None
        raise write_error(shown, exc) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        _write_synced(fd, data)
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(shown, exc) from None
        raise
    return Path(tmp)


def _keep(target: Path, tx: str, shown: Path) -> Path:
    """Keep the earlier ``target`` as ``.NAME.wrse-TX.keep``: a hard link, else a flushed copy."""
    keep = target.with_name(f".{target.name}.wrse-{tx}.keep")
    try:
        os.link(target, keep, follow_symlinks=False)
    except OSError:
        try:
            with open(target, "rb") as source, open(keep, "xb") as copy:
                shutil.copyfileobj(source, copy)
                copy.flush()
                os.fsync(copy.fileno())
        except OSError as exc:
            _unlink(keep)
            raise write_error(shown, exc) from None
    return keep


def _write_journal(path: Path, record: dict) -> None:
    """Write ``record`` to ``path`` in one rename (a flushed ``.part`` first), then flush the folder."""
    part = path.with_name(path.name + ".part")
    data = json.dumps(record, indent=1, sort_keys=True).encode("utf-8")
    try:
        _write_synced(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), data)
        os.replace(part, path)
    except BaseException:
        _unlink(part)
        raise
    _fsync_folder(path.parent)


def _read_journal(path: Path) -> dict | None:
    """The journal at ``path``, or None when it is missing or not a journal of this tool."""
    try:
        record = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != _JOURNAL_FORMAT:
        return None
    return record


def _record_folders(record: dict) -> set[Path]:
    return {Path(name).parent for name in record["journals"]} | {Path(f["target"]).parent for f in record["files"]}


def _clean_up(record: dict) -> None:
    """Remove a set's temps and keeps, then its journals: the home journal last."""
    for entry in record["files"]:
        for name in (entry.get("temp"), entry.get("keep")):
            if name:
                _unlink(name)
    journals = [Path(name) for name in record["journals"]]
    home = Path(record["home"])
    for journal in [j for j in journals if j != home] + [home]:
        _unlink(journal.with_name(journal.name + ".part"))
        _unlink(journal)
        _fsync_folder(journal.parent)


def _roll_forward(record: dict) -> None:
    """Finish a committed set: every temp still there is renamed onto its target."""
    for entry in record["files"]:
        if os.path.lexists(entry["temp"]):
            os.replace(entry["temp"], entry["target"])
    for folder in _record_folders(record):
        _fsync_folder(folder)
    _clean_up(record)


def _roll_back(record: dict) -> None:
    """Undo a set: targets already replaced get their earlier file back from its keep (or
    are removed when they did not exist before); temps, keeps and journals are removed."""
    if record.get("state") == "abort":
        for entry in reversed(record["files"]):
            if os.path.lexists(entry["temp"]):
                continue  # never replaced
            if entry["keep"] and os.path.lexists(entry["keep"]):
                os.replace(entry["keep"], entry["target"])
            elif entry["previous_sha256"] is None:
                _unlink(entry["target"])
        for folder in _record_folders(record):
            _fsync_folder(folder)
    _clean_up(record)


def _recover_folder(folder: Path, held: set[Path]) -> set[Path]:
    """Repair what killed runs left in ``folder`` (see the section comment); only sets whose
    folders are all in ``held`` (locked) are touched. Returns the folders still to lock."""
    try:
        names = os.listdir(folder)
    except OSError:
        return set()
    by_tx: dict[str, list[str]] = {}
    for name in names:
        found = _TX_FILE.match(name)
        if found:
            by_tx.setdefault(found["tx"], []).append(name)
    missing: set[Path] = set()
    for tx, leftovers in sorted(by_tx.items()):
        try:
            missing |= _recover_set(folder, tx, leftovers, held)
        except (OSError, KeyError, TypeError):
            continue  # not ours to change (another user's, in a shared folder) or not a journal: leave it
    return missing


def _recover_set(folder: Path, tx: str, leftovers: list[str], held: set[Path]) -> set[Path]:
    """Finish or undo the set ``tx`` whose files ``leftovers`` are in ``folder``; returns the
    folders of the set not in ``held`` (then nothing is touched)."""
    journal = _journal_path(folder, tx)
    if journal.name not in leftovers:
        for name in leftovers:  # never committed, or finished: nothing of it is a target
            _unlink(folder / name)
        return set()
    record = _read_journal(journal)
    if record is None:
        return set()  # not a journal of this tool's: leave it
    needed = _record_folders(record)
    if not needed <= held:
        return needed - held
    home = _read_journal(Path(record["home"]))
    if home is None:
        _roll_back(record)  # the home journal was never written: nothing was replaced
    elif home.get("state") == "abort":
        _roll_back(home)
    else:
        _roll_forward(home)
    return set()


@contextlib.contextmanager
def _recovered(folders: Iterable[Path]) -> Iterator[None]:
    """Lock ``folders`` (and the folders of any interrupted set found in them), repair what
    killed runs left there, and keep the locks while the block runs."""
    need = set(folders)
    for attempt in range(20):
        with _folders_locked(need):
            missing: set[Path] = set()
            for folder in sorted(need, key=str):
                missing |= _recover_folder(folder, need)
            if not missing or attempt == 19:
                yield
                return
        need |= missing  # a set reaching into other folders: lock those too, in order, and look again


def recover(folder: str | Path) -> None:
    """Finish or undo, in ``folder``, a set of files a killed run of the tool left half replaced.

    A set whose commit journal was complete is finished (its new files put in place); one
    that never reached its commit is undone (its temporary files removed). Afterwards the
    folder holds the whole earlier set or the whole new one and no file of the tool's
    (``.*.wrse-*.part``, ``.keep``, ``.wrse-*.commit``). Best effort: a folder that cannot be
    read or changed is left for the writer to report.
    """
    path = Path(folder)
    if not path.is_dir():
        return
    with contextlib.suppress(OSError), _recovered([path.resolve()]):
        pass


@contextlib.contextmanager
def atomic_open(target: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """A buffer whose content is written to ``target`` atomically when the block ends.

    See :func:`write_files_atomic` (one file: a flushed temporary file in the target's folder
    put in place with one ``os.replace``). On an exception the target is left as it was.
    """
    buffer: io.BytesIO | io.StringIO = io.BytesIO() if "b" in mode else io.StringIO(newline="")
    refuse_special(target, "output")
    yield buffer
    data = buffer.getvalue()
    write_files_atomic({target: data if isinstance(data, bytes) else data.encode(encoding or "utf-8")})


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically (see :func:`write_files_atomic`)."""
    write_files_atomic({target: text.encode("utf-8")})


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`write_files_atomic`)."""
    write_files_atomic({target: data})


def write_files_atomic(files: Mapping[str | Path, bytes]) -> None:
    """Write ``{target: bytes}`` as one set: at every instant the earlier set or the new one.

    1. Every target is checked (a special file is refused) and every file is written in
       full and flushed before any target changes; an error here (or Ctrl-C) removes what
       was written and touches no target.
    2. One file is put in place with one ``os.replace``.
    3. Several files sharing one folder that can be exchanged (:func:`_exchangeable`: a
       folder of regular files, not the working folder, on Linux) are written into a copy
       of the folder (earlier files hard-linked) swapped with it in one
       ``renameat2(RENAME_EXCHANGE)``; a new folder is renamed into place in one step.
    4. Other sets (the working folder, several folders) go through the commit journal
       (section comment above): staged, committed by one rename of the home journal, then
       renamed one by one with SIGTERM/SIGINT/SIGHUP held back. A run killed between two
       renames leaves the journal; the next write into any folder of the set (or
       :func:`recover`) finishes the renames. A rename that fails in a running process puts
       the earlier files back.

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
        recover(folder)  # a set a killed run left there first: the copy must not carry its files
        if _write_by_exchange(folder, {target.name: data for target, data in targets.items()}):
            return
    _write_by_journal(targets)


def _write_by_journal(targets: dict[Path, bytes]) -> None:
    """Stage, commit and apply ``targets`` (see the section comment); one file needs no journal."""
    for target in targets:
        _make_folder(target)
    resolved = {target: target.parent.resolve() / target.name for target in targets}
    folders = sorted({path.parent for path in resolved.values()}, key=str)
    tx = secrets.token_hex(8)
    journals = [_journal_path(folder, tx) for folder in folders]
    record: dict = {
        "format": _JOURNAL_FORMAT,
        "state": "commit",
        "home": str(journals[0]),
        "journals": [str(journal) for journal in journals],
        "files": [],
    }
    several = len(targets) > 1
    with _recovered(folders):
        committed = False
        try:
            for target, data in targets.items():
                path = resolved[target]  # absolute: recovery may run from another working folder
                entry = {"target": str(path), "temp": "", "keep": None, "previous_sha256": None}
                entry["sha256"] = hashlib.sha256(data).hexdigest()
                record["files"].append(entry)
                entry["temp"] = str(_stage(path, data, tx, shown=target))
                refuse_special(target, "output")  # it may have appeared while we were writing
                if several and os.path.lexists(path):
                    entry["previous_sha256"] = sha256_of(path) if path.is_file() else None
                    entry["keep"] = str(_keep(path, tx, shown=target))
            for folder in folders:
                _fsync_folder(folder)
            with _signals_held():
                if several:
                    for journal in journals[1:] + journals[:1]:  # the home journal last: the commit
                        try:
                            _write_journal(journal, record)
                        except OSError as exc:
                            raise write_error(journal.parent, exc) from None
                committed = True
                _apply(record, targets)
        except BaseException:
            if not committed:
                _clean_up(record)
            raise


def _apply(record: dict, targets: dict[Path, bytes]) -> None:
    """Rename every temp onto its target; on a failed rename put the earlier files back."""
    for entry, target in zip(record["files"], targets, strict=True):
        try:
            os.replace(entry["temp"], entry["target"])
        except OSError as exc:
            record["state"] = "abort"
            if len(record["files"]) > 1:
                with contextlib.suppress(OSError):
                    _write_journal(Path(record["home"]), record)
            with contextlib.suppress(OSError):
                _roll_back(record)
            raise write_error(target, exc) from None
        except BaseException:
            with contextlib.suppress(OSError):
                _roll_forward(record)  # committed: finish the set rather than leave it mixed
            raise
    for folder in _record_folders(record):
        _fsync_folder(folder)
    if len(record["files"]) > 1:
        _clean_up(record)
    else:
        _unlink(record["files"][0]["temp"])  # gone already; nothing else was written


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
    with _folders_locked([parent.resolve(), folder.resolve()]):
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
        _write_synced(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), data)
    except OSError as exc:
        raise write_error(shown, exc) from None


def _write_synced(fd: int, data: bytes) -> None:
    """Write ``data`` to the new file open as ``fd``, flush it to disk (``fsync``) and close it."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _remove_stale_swaps(folder: Path) -> None:
    """Remove copies left next to ``folder`` by a run killed between its exchange and its
    clean-up (they hold an earlier set that was already replaced)."""
    prefix = f".{folder.name}{_SWAP_MARK}"
    with contextlib.suppress(OSError), os.scandir(folder.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
