"""Writing output files safely: atomically, never over an input, never outside their folder.

An output is written to a temporary file in the same folder and renamed over the
target only when it is complete, so an error or Ctrl-C leaves either the earlier file
or nothing, never half a file. A command that writes several files checks every target
first (:func:`check_target`) and writes them together (:func:`write_files_atomic`),
so it writes all of them or none. A target that cannot be written (its folder is a file,
no permission) is an :class:`~optimizer.errors.InputError` naming the path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from .errors import InputError

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
            raise InputError(f"{target}: refusing to overwrite an input file; choose another output path")


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


def _check_place(path: Path, folder: Path, what: str, kind: str) -> None:
    """Refuse a ``path`` inside the installed tool, or whose ``folder`` cannot be created."""
    resolved = path.resolve()
    for protected in _protected_folders():
        if resolved.is_relative_to(protected):
            raise InputError(
                f"{what} {path}: is inside the installed tool ({protected}); expected a {kind} outside it "
                "(the shipped data and scenarios are never overwritten)"
            )
    existing = _nearest_existing(folder.resolve())
    if not existing.is_dir():
        raise InputError(f"{what} {path}: {existing} is a file, so the folder cannot be created; expected a folder")


def check_target(target: str | Path, inputs: Iterable[str | Path | None] = (), what: str = "--output") -> Path:
    """Check, before anything is written, that ``target`` can be written as a new file.

    Refuses (with :class:`InputError` naming ``what`` and the path): an input file, a file
    inside the installed tool (shipped data, scenarios, messages), a folder, and a path
    whose parent is a file. Returns ``target`` as a :class:`Path`.
    """
    path = Path(target)
    refuse_input_overwrite(path, inputs)
    _check_place(path, path.parent, what, "path")
    if path.is_dir():
        raise InputError(f"{what} {path}: is a folder; expected a file name")
    return path


def _nearest_existing(folder: Path) -> Path:
    """``folder`` or its nearest ancestor that exists (as a folder, a file or a link)."""
    while not folder.exists() and not folder.is_symlink() and folder.parent != folder:
        folder = folder.parent
    return folder


def check_folder(folder: str | Path, what: str = "--out") -> Path:
    """Check that ``folder`` can hold new output files: not inside the installed tool, not a
    file, and not below a file. Raises :class:`InputError` naming ``what`` and the path."""
    path = Path(folder)
    _check_place(path, path, what, "folder")
    return path


def inside(folder: str | Path, name: str) -> Path:
    """Return ``folder / name`` after checking it cannot escape ``folder``.

    ``name`` must be a plain file name (no ``/``, ``\\``, ``..``, absolute path, drive or
    reserved device name). Raises :class:`InputError` otherwise.
    """
    plain = name not in {"", ".", ".."} and not re.search(r"[/\\:\x00]", name)
    if not plain or Path(name).is_absolute() or name.split(".")[0].lower() in _RESERVED:
        raise InputError(f"output name {name!r} is not a plain file name inside {folder}")
    return Path(folder) / name


@contextlib.contextmanager
def atomic_open(target: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file next to ``target``; rename it over ``target`` on success.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``target`` is left as it was. The parent folder is created when missing.
    """
    target = Path(target)
    binary = "b" in mode
    fd, tmp_name = _temporary(target)
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _temporary(target: Path, suffix: str = ".part") -> tuple[int, str]:
    """Create ``target``'s folder if needed and a temporary file in it (mode 0600).

    An :class:`OSError` (a file where a folder should be, no permission, disk full)
    becomes an :class:`InputError` naming ``target``.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        ancestor = _nearest_existing(target.parent)
        if not ancestor.is_dir():
            raise InputError(
                f"{target}: {ancestor} is a file, so the folder cannot be created; expected a folder"
            ) from None
        raise InputError(f"{target}: cannot write the file ({exc.strerror or exc}); expected a writable path") from None


def write_files_atomic(files: Mapping[str | Path, bytes]) -> None:
    """Write ``{target: bytes}`` all-or-nothing.

    1. Each file is written to a temporary name next to its target and flushed to disk;
       an error here (or Ctrl-C) removes the temporary files and touches no target.
    2. The temporary files are renamed over their targets; an earlier file of the same
       name is moved aside first and put back if a later rename fails.

    The files get the usual mode of a new file (0666 minus the umask). Check the targets
    first with :func:`check_target`; raises :class:`InputError` when a target's folder
    cannot be created or written.
    """
    staged: list[tuple[Path, Path]] = []
    moved: list[tuple[Path, Path | None]] = []
    try:
        for target, data in files.items():
            target = Path(target)
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            backup = None
            if target.exists():
                fd, name = _temporary(target, ".bak")
                os.close(fd)
                backup = Path(name)
                os.replace(target, backup)
            moved.append((target, backup))
            os.replace(tmp, target)
    except BaseException:
        for target, backup in reversed(moved):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                elif target.exists():
                    os.unlink(target)
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for _, backup in moved:
        if backup is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(backup)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(target: Path, data: bytes) -> Path:
    fd, tmp = _temporary(target)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_open(target, "w") as handle:
        handle.write(text)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_open(target, "wb") as handle:
        handle.write(data)
