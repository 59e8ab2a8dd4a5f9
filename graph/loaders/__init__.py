"""The registry of loaders: one input format each, every one reading one input into records.

To add a format (a coded-segments CSV, a REFI-QDA project), write a module with
a function ``Path -> Records`` that keeps each record's origin and lists what it
found wrong in ``Records.problems``, and register it here. The inputs are merged
and the cross-record checks (``trustkg.loaders.checks``) run once, for every format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from operator import add
from pathlib import Path

from trustkg.errors import TrustKGError
from trustkg.gcpause import collector_paused
from trustkg.loaders.checks import checked_evidence_base
from trustkg.loaders.manifest import Input, inputs_of
from trustkg.progress import report as progress
from trustkg.records import EvidenceBase, Records

__all__ = ["DEFAULT_FORMAT", "LOADERS", "Input", "load", "load_inputs"]

Loader = Callable[[Path], Records]

# Each reader is imported when its format is read: the QDA readers bring XML, zip and spreadsheet
# libraries that a command which only queries the built graph should not pay for at start-up.


def _case_files(path: Path) -> Records:
    from trustkg.loaders.casefiles import read_case_files

    return read_case_files(path)


def _refi_qda(path: Path) -> Records:
    from trustkg.loaders.interviews import read_refi_qda

    return read_refi_qda(path)


def _coded_segments(path: Path) -> Records:
    from trustkg.loaders.interviews import read_coded_segment_input

    return read_coded_segment_input(path)


LOADERS: dict[str, Loader] = {
    "case-files": _case_files,
    "refi-qda": _refi_qda,  # a mapping file naming its .qdpx/.qde (trustkg.loaders.qdamapping)
    "coded-segments": _coded_segments,  # a mapping file naming its QualCoder/Taguette table
}

DEFAULT_FORMAT = "case-files"
#: The progress step of the cross-record checks, once every input is read.
CHECKING = "check records"


def load_inputs(inputs: Iterable[Input]) -> EvidenceBase:
    """Read every input with its format's loader, merge the records, then check them once, all together."""
    with collector_paused():
        parts = [_loader(item.format)(Path(item.path)) for item in inputs]
        progress(CHECKING, 0, 1)
        checked = checked_evidence_base(reduce(add, parts, Records()))
        progress(CHECKING, 1, 1)
    return checked


def load(data_dir: Path | str, input_format: str | None = None) -> EvidenceBase:
    """Load a data directory: with a format, as that one input; without, as its manifest declares."""
    data_dir = Path(data_dir)
    if input_format is not None:
        return load_inputs([Input(data_dir, input_format)])
    return load_inputs(inputs_of(data_dir, DEFAULT_FORMAT, LOADERS))


def _loader(input_format: str) -> Loader:
    try:
        return LOADERS[input_format]
    except KeyError:
        raise TrustKGError(f"unknown input format {input_format!r}; known: {', '.join(sorted(LOADERS))}") from None
