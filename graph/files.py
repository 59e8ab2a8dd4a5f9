"""Writing output files so that a failure never leaves a half-written file in place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

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
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return list(contents)


def write_atomically(target: Path, data: bytes) -> Path:
    """Write one file through a temporary file and a rename; return ``target``."""
    write_all_atomically({target: data})
    return target
