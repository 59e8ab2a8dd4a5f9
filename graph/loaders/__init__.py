"""The registry of loaders: one input format each, all producing an :class:`EvidenceBase`.

To add a format (a coded-segments CSV, a REFI-QDA project), write a module with
a function ``Path -> EvidenceBase`` that raises :class:`trustkg.errors.InputError`
listing every problem, and register it here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from trustkg.errors import TrustKGError
from trustkg.loaders.casefiles import load_case_files
from trustkg.records import EvidenceBase

Loader = Callable[[Path], EvidenceBase]

LOADERS: dict[str, Loader] = {
    "case-files": load_case_files,
}

DEFAULT_FORMAT = "case-files"


def load(data_dir: Path | str, input_format: str = DEFAULT_FORMAT) -> EvidenceBase:
    """Load a data directory with the named loader."""
    try:
        loader = LOADERS[input_format]
    except KeyError:
        raise TrustKGError(f"unknown input format {input_format!r}; known: {', '.join(sorted(LOADERS))}") from None
    return loader(Path(data_dir))
