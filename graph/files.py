"""Every file trustkg reads as input or writes as output goes through here.

Reading: only regular files that resolve inside the directory they were found
in, under a size cap (a symlink to ``/etc/shadow``, ``/dev/zero`` or a FIFO is
refused, never read). Writing: a failure never leaves a half-written file or a
mixed set of files in place, and every OS error becomes a
:class:`~trustkg.errors.FileAccessError` naming the path.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from trustkg.errors import FileAccessError

FILE, DIRECTORY = 0o666, 0o777


def usual_mode(kind: int = FILE) -> int:
    """The mode ``open()`` or ``mkdir()`` would give: ``kind`` less the umask.

    Temporary files and directories get 0600/0700 (right for secrets), which
    would stop a colleague opening what the build wrote.
    """
    umask = os.umask(0)  # the only way to read the umask is to set it
    os.umask(umask)
    return kind & ~umask


def write_all_atomically(contents: Mapping[Path, bytes]) -> list[Path]:
    """Write each file to a temporary file beside it, then rename them all into place.

    Nothing is renamed until every temporary file is complete, so a failure
    leaves whatever was there before untouched.
    """
    staged: list[tuple[Path, Path]] = []
    mode = usual_mode(FILE)
    target = Path()
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(temporary_name), target))
            os.fchmod(descriptor, mode)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
        for temporary, target in staged:
            temporary.replace(target)
    except IsADirectoryError:
        raise FileAccessError(f"{target}: is a directory; name a file to write") from None
    except OSError as error:
        raise FileAccessError(f"{error.filename or target}: cannot write: {_reason(error)}") from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return list(contents)


def write_atomically(target: Path, data: bytes) -> Path:
    """Write one file through a temporary file and a rename; return ``target``."""
    write_all_atomically({target: data})
    return target


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


# --- reading inputs ---------------------------------------------------------------------


def read_input(path: Path, inside: Path | None, limit: int) -> bytes:
    """The bytes of an input file; raise :class:`FileAccessError` unless it is safe to read.

    Safe: a regular file (not a device, FIFO or directory) that, with every symlink
    followed, is inside ``inside`` (unless None), and no larger than ``limit`` bytes.
    """
    try:
        resolved = path.resolve(strict=True)
        if inside is not None and not resolved.is_relative_to(inside.resolve(strict=True)):
            raise FileAccessError("is a link to a file outside the data directory; not read")
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
        descriptor = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK)
    except FileAccessError:
        raise
    except OSError as error:
        raise FileAccessError(f"cannot be read: {_reason(error)}") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise FileAccessError("is not a regular file; not read")
        if status.st_size > limit:
            raise FileAccessError(f"is {status.st_size} bytes, over the limit of {limit}")
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise FileAccessError(f"cannot be read: {_reason(error)}") from None
    if len(data) > limit:  # grew while being read
        raise FileAccessError(f"grew while read, over the limit of {limit} bytes")
    return data


def list_directory(directory: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The entries of ``directory`` with one of ``suffixes``, sorted; raise :class:`FileAccessError` if unreadable."""
    try:
        entries = list(directory.iterdir())
    except OSError as error:
        raise FileAccessError(f"cannot be read: {_reason(error)}") from None
    return sorted(entry for entry in entries if entry.name.endswith(suffixes))


# --- writing a set of outputs in one step ----------------------------------------------------

#: Staging directories older than this, left by a build that was killed, are removed by the next.
_STALE_SECONDS = 3600
_STAGING_SUFFIX = ".staging"
_AHEAD_SUFFIX = ".ahead"


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold a lock on the output directory itself; another build writing it meanwhile is an error, not a wait.

    The directory is the lock (no lock file is left behind). Since a build swaps
    the directory, a lock taken on one that was swapped out meanwhile is taken again.
    """
    while True:
        out_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise FileAccessError(f"{out_dir}: another trustkg build is writing it; try again when it ends") from None
        locked, current = os.fstat(descriptor), out_dir.stat()
        if (locked.st_dev, locked.st_ino) == (current.st_dev, current.st_ino):
            break
        os.close(descriptor)
    try:
        yield
    finally:
        os.close(descriptor)


def _remove_stale(out_dir: Path) -> None:
    """Remove what killed builds left: staging directories (under the lock, none is in use) and old temporaries."""
    now = time.time()
    for staging in out_dir.parent.glob(f".{out_dir.name}.*{_STAGING_SUFFIX}"):
        shutil.rmtree(staging, ignore_errors=True)
    # A file written ahead may belong to a build still running (it takes no lock): only old ones go.
    old = [*out_dir.parent.glob(f".{out_dir.name}.*{_AHEAD_SUFFIX}")]
    if out_dir.is_dir():
        old += out_dir.glob(".*.tmp")
    for temporary in old:
        with contextlib.suppress(OSError):
            if now - temporary.stat().st_mtime > _STALE_SECONDS:
                temporary.unlink()


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one atomic step (Linux ``renameat2``); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def replace_outputs(out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> list[Path]:
    """Write the files of ``writers`` (file name -> a function writing that file at the path given) into
    ``out_dir``, replacing the whole set in one step.

    Under a lock, a staging directory gets what ``out_dir`` holds (other pages and
    exports, hard-linked) with the new files, and is swapped into place: a reader, a
    crash or a second build never sees the new Turtle beside the old N-Triples.
    Each file is written straight to the staging directory, never held whole in
    memory (at 1.2M triples the N-Triples alone are 190 MB).
    """
    shown_dir = Path(out_dir)
    if shown_dir.exists() and not shown_dir.is_dir():
        raise FileAccessError(f"{shown_dir}: exists and is not a directory; not replacing it")
    try:
        out_dir = shown_dir.resolve()  # a link to a directory: the directory is what gets replaced
        with _locked(out_dir):
            _remove_stale(out_dir)
            staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=_STAGING_SUFFIX, dir=out_dir.parent))
            try:
                _stage(staging, out_dir, writers)
                if not _exchange(staging, out_dir):
                    retired = staging.with_suffix(".old" + _STAGING_SUFFIX)
                    out_dir.replace(retired)
                    staging.replace(out_dir)
                    shutil.rmtree(retired, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # after a swap, this is the old directory
    except OSError as error:
        raise FileAccessError(f"{error.filename or shown_dir}: cannot write: {_reason(error)}") from None
    return [shown_dir / name for name in writers]


def _stage(staging: Path, out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> None:
    staging.chmod(usual_mode(DIRECTORY))
    if out_dir.is_dir():
        for entry in out_dir.iterdir():
            if entry.name in writers:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, staging / entry.name, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(entry), str(staging / entry.name))
    mode = usual_mode(FILE)
    for name, write in writers.items():
        target = staging / name
        write(target)
        target.chmod(mode)


class FileWrittenAhead:
    """One of the files :func:`replace_outputs` puts in place, written before it runs (as the build makes the
    N-Triples): a temporary file beside the output directory, on its file system, so that writing it into
    the set being replaced is a rename. See :func:`file_written_ahead`.
    """

    def __init__(self, out_dir: Path, name: str) -> None:
        self._shown = Path(out_dir) / name
        resolved = Path(out_dir).resolve()  # replace_outputs stages the new set beside the directory itself
        try:
            resolved.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(
                prefix=f".{resolved.name}.", suffix=_AHEAD_SUFFIX, dir=resolved.parent
            )
        except OSError as error:
            raise FileAccessError(f"{self._shown}: cannot write: {_reason(error)}") from None
        self.path = Path(temporary)
        self._handle = os.fdopen(descriptor, "wb")

    def write(self, data: bytes) -> None:
        try:
            self._handle.write(data)
        except OSError as error:
            raise FileAccessError(f"{self._shown}: cannot write: {_reason(error)}") from None

    def close(self) -> None:
        """Finish writing (a full disk may show only now)."""
        try:
            self._handle.close()
        except OSError as error:
            raise FileAccessError(f"{self._shown}: cannot write: {_reason(error)}") from None

    def move_to(self, target: Path) -> None:
        """Put the finished file at ``target``: a writer for :func:`replace_outputs`."""
        self.close()
        self.path.replace(target)


@contextlib.contextmanager
def file_written_ahead(out_dir: Path | str, name: str) -> Iterator[FileWrittenAhead]:
    """A file to write now and put into ``out_dir`` later with :func:`replace_outputs`; removed if it never was."""
    ahead = FileWrittenAhead(Path(out_dir), name)
    try:
        yield ahead
    finally:
        with contextlib.suppress(FileAccessError):  # what went wrong before is the error to see
            ahead.close()
        ahead.path.unlink(missing_ok=True)
