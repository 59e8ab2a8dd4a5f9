"""Writing output files so that a failure never leaves a half-written file in place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_all_atomically(contents: Mapping[Path, bytes]) -> list[Path]:
    """Write each file to a temporary file beside it, then rename them all into place.

    Nothing is renamed until every temporary file is complete, so a failure
    leaves whatever was there before untouched.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(temporary_name), target))
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
