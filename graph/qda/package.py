"""The files of a REFI-QDA project, read without trusting them.

A project comes as a ``.qdpx`` zip (the project XML at the top, source texts under ``Sources/``, or
``sources/`` as NVivo for Mac writes it) or as a bare ``.qde`` beside its sources folder. Nothing
is ever extracted to disk: entries are inflated into memory, one at a time, within ``Limits``.
Before anything is inflated every entry's name, declared size and compression ratio is checked
(zip bombs, ``../`` and absolute names); while inflating, the bytes actually produced are counted
too, since a zip's declared sizes are only claims.
"""

from __future__ import annotations

import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath, PureWindowsPath

from trustkg.errors import FileAccessError, Problem
from trustkg.files import read_input

MIB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a project may hold; anything larger is refused before it is read."""

    file_bytes: int = 256 * MIB  # a .qdpx, .qde, source text or table on disk
    entry_bytes: int = 64 * MIB  # one inflated zip entry
    total_bytes: int = 512 * MIB  # all entries of one zip, inflated
    ratio: int = 100  # inflated size over compressed size ...
    ratio_floor: int = 1 * MIB  # ... checked for entries above this size (small files may compress well)
    entries: int = 10_000


DEFAULT_LIMITS = Limits()


def read_file(path: Path, limits: Limits, inside: Path | None = None) -> bytes | Problem:
    """A file's bytes, or a problem if it is missing, not a regular file (a device, a FIFO), over the size
    limit, or (with ``inside``) a link to somewhere outside that folder.

    Without ``inside`` the file was named by the user, and a link anywhere is their choice.
    """
    try:
        return read_input(path, inside, limits.file_bytes)
    except FileAccessError as error:
        return Problem(str(path), None, "file", str(error))


def unsafe_name(name: str) -> str | None:
    """Why a path written inside a project may not be followed, or None if it stays inside."""
    if not name:
        return "is empty"
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or name.startswith(("/", "\\")):
        return "is an absolute path"
    if ".." in posix.parts or ".." in windows.parts:
        return "climbs out of its folder with '..'"
    return None


def check_zip(archive: zipfile.ZipFile, label: str, limits: Limits) -> list[Problem]:
    """Every reason not to inflate this zip, found from its directory alone."""
    infos = archive.infolist()
    problems: list[Problem] = []
    if len(infos) > limits.entries:
        problems.append(Problem(label, None, "zip", f"has {len(infos)} entries, over the limit of {limits.entries}"))
    total = 0
    for info in infos:
        entry = f"{label}!/{info.filename}"
        reason = unsafe_name(info.filename)
        if reason:
            problems.append(Problem(entry, None, "zip entry", f"name {reason}; refused"))
        if info.flag_bits & 0x1:
            problems.append(Problem(entry, None, "zip entry", "is encrypted"))
        if info.file_size > limits.entry_bytes:
            problems.append(
                Problem(
                    entry, None, "zip entry", f"declares {info.file_size} bytes, over the limit of {limits.entry_bytes}"
                )
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            problems.append(
                Problem(
                    entry,
                    None,
                    "zip entry",
                    f"inflates {info.compress_size} bytes to {info.file_size}, a ratio over {limits.ratio}: "
                    "refused as a possible zip bomb",
                )
            )
        total += info.file_size
    if total > limits.total_bytes:
        problems.append(
            Problem(label, None, "zip", f"declares {total} bytes inflated, over the limit of {limits.total_bytes}")
        )
    return problems


def inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, limits: Limits) -> bytes | Problem:
    """One entry's bytes, counting what is really produced against its declared size and the limit."""
    entry = f"{label}!/{info.filename}"
    ceiling = min(info.file_size, limits.entry_bytes)
    data = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                data += chunk
                if len(data) > ceiling:
                    return Problem(
                        entry, None, "zip entry", f"inflates past {ceiling} bytes (its declared size or the limit)"
                    )
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        return Problem(entry, None, "zip entry", f"cannot be inflated: {error}")
    return bytes(data)


def open_zip(data: bytes, label: str) -> zipfile.ZipFile | Problem:
    try:
        return zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as error:
        return Problem(label, None, "file", f"is not a zip archive ({error})")


class Package(ABC):
    """Where a project's XML and its internal sources are read from."""

    @property
    @abstractmethod
    def xml_label(self) -> str:
        """The project XML's name as problems should show it."""

    @abstractmethod
    def read_xml(self) -> bytes | Problem: ...

    @abstractmethod
    def read_internal(self, name: str) -> tuple[str, bytes] | Problem:
        """A file of the sources folder, named as after ``internal://``: its label and bytes."""


class ZipPackage(Package):
    """A ``.qdpx``: a zip whose top holds one ``.qde`` (``project.qde``, or named after the project)."""

    def __init__(self, archive: zipfile.ZipFile, label: str, xml_entry: str, limits: Limits) -> None:
        self._archive = archive
        self._label = label
        self._xml_entry = xml_entry
        self._limits = limits
        # The standard says Sources/; NVivo for Mac writes sources/. Only the folder's case varies.
        self._sources = {
            info.filename.split("/", 1)[1]: info
            for info in archive.infolist()
            if "/" in info.filename and info.filename.split("/", 1)[0].casefold() == "sources" and not info.is_dir()
        }

    @classmethod
    def open(cls, path: Path, limits: Limits) -> ZipPackage | list[Problem]:
        label = str(path)
        data = read_file(path, limits)
        if isinstance(data, Problem):
            return [data]
        archive = open_zip(data, label)
        if isinstance(archive, Problem):
            return [archive]
        problems = check_zip(archive, label, limits)
        top = [info.filename for info in archive.infolist() if "/" not in info.filename]
        projects = [name for name in top if name.casefold().endswith(".qde")]
        if "project.qde" in projects:
            projects = ["project.qde"]
        if len(projects) != 1:
            found = ", ".join(projects) if projects else "none"
            problems.append(Problem(label, None, "zip", f"needs exactly one .qde file at its top (found: {found})"))
        if problems:
            return problems
        return cls(archive, label, projects[0], limits)

    @property
    def xml_label(self) -> str:
        return f"{self._label}!/{self._xml_entry}"

    def read_xml(self) -> bytes | Problem:
        return inflate(self._archive, self._archive.getinfo(self._xml_entry), self._label, self._limits)

    def read_internal(self, name: str) -> tuple[str, bytes] | Problem:
        info = self._sources.get(name)
        if info is None:
            return Problem(self._label, None, "zip", f"has no entry sources/{name} (nor Sources/{name})")
        data = inflate(self._archive, info, self._label, self._limits)
        return data if isinstance(data, Problem) else (f"{self._label}!/{info.filename}", data)


class FolderPackage(Package):
    """A bare ``.qde`` with its sources in a ``Sources`` (or ``sources``) folder beside it."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self._path = path
        self._limits = limits
        folders = [path.parent / name for name in ("Sources", "sources") if (path.parent / name).is_dir()]
        self._sources = folders[0] if folders else path.parent / "Sources"

    @property
    def xml_label(self) -> str:
        return str(self._path)

    def read_xml(self) -> bytes | Problem:
        return read_file(self._path, self._limits)

    def read_internal(self, name: str) -> tuple[str, bytes] | Problem:
        reason = unsafe_name(name)
        if reason:
            return Problem(str(self._path), None, "source", f"internal path {name!r} {reason}; refused")
        path = self._sources / name
        data = read_file(path, self._limits, self._sources)
        return data if isinstance(data, Problem) else (str(path), data)


def read_relative(base: Path, name: str, limits: Limits, label: str) -> tuple[str, bytes] | Problem:
    """A ``relative://`` source: a file under ``base`` that may not climb out of it."""
    reason = unsafe_name(name)
    if reason:
        return Problem(label, None, "source", f"relative path {name!r} {reason}; refused")
    path = base / name
    data = read_file(path, limits, base)
    return data if isinstance(data, Problem) else (str(path), data)
