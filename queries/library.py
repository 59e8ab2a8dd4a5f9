"""The query library: ``queries/*.rq`` files and the comment header each one starts with.

Header format (every line a comment before the first line of SPARQL)::

    # title: Actions linked to outcomes
    # question: Which kinds of action are linked to which kinds of outcome, and how well?
    # param: theme (theme, optional): only actions with this theme, e.g. leadership
    # param: min_trusts (integer, default 1): only links seen at this many trusts or more
    # column: action_type: the kind of action

A line ``# insert: NAME`` in the SPARQL is replaced by ``fragments/NAME.rq``: a rule that several
queries apply (the support grade of a link) is written once, and every consumer of a query (the
CLI, the pages, a remote endpoint given the query's text) gets the same expanded text.

``param`` lines name a SPARQL variable, its type (one of :data:`PARAM_TYPE_NAMES`)
and whether it is required, optional (left unbound) or has a default. A comment
line that does not start a new field continues the one before it (a long
question, parameter or column description). ``column`` lines name the SELECT
variables in order; a test checks them against what the query returns. A column marked
``(list)`` (``# column: themes (list): its themes``) holds values joined by
:data:`LIST_SEPARATOR` by ``GROUP_CONCAT``, whose order SPARQL leaves to the engine (Oxigraph's
two storages and Virtuoso each give another): trustkg sorts such a list after the query runs.

An optional ``page`` line (``# page: 1000``) gives the rows one answer holds unless its caller asks for another
limit (a search that matches every statement is read a page at a time, not as tens of thousands of
rows). ``limit``, ``offset`` and ``format`` are the caller's options, not parameter names.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from trustkg.errors import QueryError

#: The parameter types a header may name. The library only parses headers, so it
#: keeps the names; ``trustkg.sparql.params.PARAM_TYPES`` converts a value of each
#: (a test checks the two agree).
PARAM_TYPE_NAMES = frozenset(
    {
        "theme",
        "study",
        "role",
        "key-question",
        "rating-level",
        "trust-type",
        "source-kind",
        "action-type",
        "outcome-type",
        "trust",
        "integer",
        "date",
        "string",
        "class",
        "boolean",
        "support-grade",
    }
)

QUERY_DIR = Path(__file__).resolve().parent
CHECKS_DIR = QUERY_DIR / "checks"
FRAGMENTS_DIR = QUERY_DIR / "fragments"
_INSERT = re.compile(r"^[ \t]*#[ \t]*insert:[ \t]*(?P<name>[\w-]+)[ \t]*$", re.MULTILINE)

_FIELD = re.compile(r"^#\s*(?P<key>title|question|param|column|page)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>[a-z-]+)(?:\s*,\s*(?:(?P<optional>optional)|default\s+(?P<default>[^)]*)))?\)\s*:\s*(?P<doc>.+)$"
)
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?P<list>\(list\))?\s*:\s*(?P<doc>.+)$")
#: Names a caller's options take (a row limit, an offset, a serve URL's answer format): no parameter may take them.
RESERVED_NAMES = frozenset({"limit", "offset", "format"})
#: How a ``(list)`` column's values are joined (the ``separator`` of its ``GROUP_CONCAT``).
LIST_SEPARATOR = ", "


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    doc: str
    required: bool
    default: str | None = None

    def describe(self) -> str:
        if self.required:
            need = "required"
        elif self.default is not None:
            need = f"default {self.default}"
        else:
            need = "optional"
        return f"{self.name} ({self.type}, {need}): {self.doc}"


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    is_list: bool = False


@dataclass(frozen=True)
class LibraryQuery:
    """One ``.rq`` file: its header, parsed, and its SPARQL text."""

    name: str
    path: Path
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    sparql: str
    #: The rows an answer holds unless its caller asks for another limit; None: every row.
    page: int | None = None

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; its parameters: {known}")


def parse_query_file(path: Path) -> LibraryQuery:
    """Read one ``.rq`` file and its header; a malformed header raises :class:`QueryError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{path}: cannot be read: {error}") from error
    # The fragments are inserted anew each time: a fragment edited since would otherwise be missed.
    return dataclasses.replace(_with_header(path, text), sparql=_INSERT.sub(lambda m: _fragment(path, m["name"]), text))


@functools.lru_cache(maxsize=128)
def _with_header(path: Path, text: str) -> LibraryQuery:
    """The query of ``text`` with its header read, kept for the same text: reading a header took longer than a
    small query at 1M triples (0.2 ms of the 3 ms of ``trust-profile``). Its SPARQL is the text as written."""
    # Each field as (key, value, line number); a comment line that is not a new field continues the last one.
    entries: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _FIELD.match(stripped)
        if match is not None:
            entries.append((match["key"], match["value"].strip(), number))
        elif entries:
            key, value, start = entries[-1]
            entries[-1] = (key, f"{value} {stripped.lstrip('#').strip()}", start)
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    columns: list[Column] = []
    for key, value, number in entries:
        if key == "param":
            parameters.append(_parameter(path, number, value))
        elif key == "column":
            column = _COLUMN.match(value)
            if column is None:
                raise QueryError(f"{path}:{number}: column: expected 'NAME: description', got {value!r}")
            columns.append(Column(column["name"], column["doc"].strip(), column["list"] is not None))
        elif key in fields:
            raise QueryError(f"{path}:{number}: {key}: given twice")
        else:
            fields[key] = value
    for needed in ("title", "question"):
        if not fields.get(needed):
            raise QueryError(f"{path}:1: {needed}: the header must give '# {needed}: ...'")
    if not columns:
        raise QueryError(f"{path}:1: column: the header must list the columns ('# column: NAME: description')")
    page = _page(path, entries)
    return LibraryQuery(
        path.stem, path, fields["title"], fields["question"], tuple(parameters), tuple(columns), text, page
    )


def _page(path: Path, entries: list[tuple[str, str, int]]) -> int | None:
    for key, value, number in entries:
        if key == "page":
            if not value.isascii() or not value.isdigit() or int(value) < 1:
                raise QueryError(f"{path}:{number}: page: expected a positive whole number of rows, got {value!r}")
            return int(value)
    return None


def _fragment(path: Path, name: str) -> str:
    fragment = FRAGMENTS_DIR / f"{name}.rq"
    try:
        return fragment.read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        known = ", ".join(sorted(p.stem for p in FRAGMENTS_DIR.glob("*.rq"))) or "none"
        raise QueryError(f"{path}: insert: no fragment {name!r} (known: {known})") from None


def _parameter(path: Path, number: int, value: str) -> Parameter:
    match = _PARAM.match(value)
    if match is None:
        raise QueryError(
            f"{path}:{number}: param: expected 'NAME (TYPE[, optional | , default VALUE]): description', got {value!r}"
        )
    if match["type"] not in PARAM_TYPE_NAMES:
        known = ", ".join(sorted(PARAM_TYPE_NAMES))
        raise QueryError(f"{path}:{number}: param: unknown type {match['type']!r}; known: {known}")
    if match["name"] in RESERVED_NAMES:
        reserved = ", ".join(sorted(RESERVED_NAMES))
        raise QueryError(
            f"{path}:{number}: param: {match['name']!r} is a caller's option ({reserved}), not a parameter name"
        )
    default = match["default"].strip() if match["default"] is not None else None
    return Parameter(
        name=match["name"],
        type=match["type"],
        doc=match["doc"].strip(),
        required=match["optional"] is None and default is None,
        default=default,
    )


def library(directory: Path = QUERY_DIR) -> dict[str, LibraryQuery]:
    """Every query in the library, by name (the file name without ``.rq``)."""
    return {path.stem: parse_query_file(path) for path in sorted(directory.glob("*.rq"))}


def query_names(directory: Path = QUERY_DIR) -> list[str]:
    """The library's query names, in order, without reading the queries (reading all of them took some 6 ms)."""
    return sorted(path.stem for path in directory.glob("*.rq"))


def find_query(name_or_path: str, directory: Path = QUERY_DIR) -> LibraryQuery:
    """A library query by name, or any ``.rq`` file by path."""
    if name_or_path.endswith(".rq"):
        path = Path(name_or_path)
        if not path.exists():
            raise QueryError(f"{path}: no such query file")
        return parse_query_file(path)
    path = directory / f"{name_or_path}.rq"
    # A name is a file of the library itself: "../x" or "checks/x" would reach other .rq files.
    if Path(name_or_path).name != name_or_path or name_or_path.startswith(".") or not path.is_file():
        known = ", ".join(query_names(directory))
        raise QueryError(f"unknown query {name_or_path!r}; the library has: {known}")
    return parse_query_file(path)
