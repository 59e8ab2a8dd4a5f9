"""Typed errors. The library raises these; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


class TrustKGError(Exception):
    """Base of every error trustkg raises on purpose."""


class InputError(TrustKGError):
    """The input data has problems; all of them are listed, in file and line order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field, p.message))
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the input:\n" + "\n".join(map(str, self.problems))
        )


class QueryError(TrustKGError):
    """A query could not be found, parsed, parameterised or run."""


class RefusedQueryError(QueryError):
    """The query is well formed but would fetch from elsewhere or write: it is not run."""


class QueryTimeoutError(QueryError):
    """The query ran past its time limit and was stopped."""


class StoreError(TrustKGError):
    """A graph could not be read from or written to a store."""


class ChecksFailedError(TrustKGError):
    """The graph broke its rules: SHACL shapes, curation checks, or consistency under the reasoner.

    ``details`` are the report's lines, one violation or failed check per line.
    """

    def __init__(self, summary: str, details: Iterable[str]) -> None:
        self.summary = summary
        self.details = list(details)
        super().__init__("\n".join([summary, *self.details]))


class ReasonerError(TrustKGError):
    """The OWL reasoner could not run (no Java, or a Java too old for the chosen reasoner)."""


def did_you_mean(value: str, known: Collection[str]) -> str:
    """A hint naming the closest known values, or listing them when there are few."""
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    if close:
        return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
    if len(known) <= 12:
        return " (known: " + ", ".join(sorted(known)) + ")"
    return ""
