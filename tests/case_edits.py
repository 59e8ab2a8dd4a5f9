"""Breaking a copy of case files in a test, and reading what the loader then reports, as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustkg.errors import InputError
from trustkg.loaders.casefiles import load_case_files


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` once in ``path``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` (how a person would find it)."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def problems_of(data: Path) -> list[str]:
    """Every problem the case-file loader reports for ``data``, as the command line prints it."""
    with pytest.raises(InputError) as raised:
        load_case_files(data)
    return [str(problem) for problem in raised.value.problems]
