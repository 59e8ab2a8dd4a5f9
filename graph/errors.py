"""Typed errors. The library raises these; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

#: Characters that must never reach a terminal or a file raw: C0 and C1 controls (ANSI and OSC
#: escape sequences start with one), DEL, lone surrogates, and the bidirectional overrides that
#: make text read differently from how it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
#: How much of a value from the input a message repeats: enough to find it, not a file's worth.
SHOWN_LENGTH = 80
#: The longest message a problem shows (a did-you-mean list fits; a repeated file does not).
MESSAGE_LENGTH = 600
#: How many problems an error lists before it counts the rest.
LISTED_PROBLEMS = 200


def escaped(text: str) -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``), tab and newline kept."""
    return _UNSAFE.sub(lambda match: match.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def shown(text: str, limit: int = SHOWN_LENGTH) -> str:
    """A value from the input as a message repeats it: escaped, on one line, and cut to ``limit`` characters."""
    text = escaped(text).replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{escaped(self.file)}:{self.line}" if self.line is not None else escaped(self.file)
        return f"{where}: {shown(self.field)}: {shown(self.message, MESSAGE_LENGTH)}"

    @property
    def whole_input(self) -> bool:
        """A problem with a whole file or input (unreadable, malformed, missing): a root cause, listed first."""
        return self.field.startswith("(")


class TrustKGError(Exception):
    """Base of every error trustkg raises on purpose."""


class InputError(TrustKGError):
    """The input data has problems; all of them are listed, in file and line order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        # Root causes first: a missing codebook or an unreadable file explains the problems after it.
        self.problems = sorted(
            set(problems), key=lambda p: (not p.whole_input, p.file, p.line or 0, p.field, p.message)
        )
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the input:\n" + "\n".join(self.listing()))

    def listing(self, limit: int = LISTED_PROBLEMS) -> list[str]:
        """The problems, one a line, the first ``limit`` of them and then a count of the rest."""
        lines = [str(problem) for problem in self.problems[:limit]]
        rest = len(self.problems) - limit
        if rest > 0:
            lines.append(f"... and {rest} more problem{'s' if rest != 1 else ''}")
        return lines


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


class FileAccessError(TrustKGError):
    """A file or directory could not be read or written (missing, unreadable, read-only, in use, full disk)."""


class ReasonerError(TrustKGError):
    """The OWL reasoner could not run (no Java, or a Java too old for the chosen reasoner)."""


def did_you_mean(value: str, known: Collection[str]) -> str:
    """A hint naming the closest known values, or listing them when there are few (nothing when none are known)."""
    if not known:
        return ""
    value = shown(value)
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    if close:
        return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
    if len(known) <= 12:
        return " (known: " + ", ".join(sorted(known)) + ")"
    return ""


class ShapesError(TrustKGError):
    """The SHACL shapes use a feature the SPARQL checks are not generated for (a path, target or constraint)."""
