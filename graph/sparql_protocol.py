"""SPARQL 1.1 Protocol answers, apart from any web framework: a query text or a library query name in,
an HTTP status, media type and body out. ``trustkg serve`` puts this behind a server; tests call it directly.

Content negotiation follows the request's ``Accept`` header (quality values, ``type/*`` and ``*/*``),
among the W3C formats for the query's form; a ``format`` name (``?format=tsv``) overrides it, which is
also the only way to ask for the Excel CSV (it shares ``text/csv`` with the standard one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph

from trustkg.errors import QueryError, RefusedQueryError
from trustkg.sparql import (
    AskResult,
    GraphResult,
    LibraryQuery,
    QueryResult,
    ResultTable,
    bind_parameters,
    library,
    run_any,
    run_bound_query,
)
from trustkg.sparql_formats import Format, formats_for, write_result
from trustkg.sparql_guard import refuse_fetching


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    #: When the body is one page of a library query's answer and more rows follow: where the next page starts.
    next_offset: int | None = None


def _problem(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def _bare(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range:
            ranges.append((media_range.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The quality the most specific matching range gives ``media_type`` (RFC 9110, 12.5.1); 0 if none matches."""
    kind = media_type.split("/", 1)[0]
    for wanted in (media_type, f"{kind}/*", "*/*"):
        for media_range, quality in ranges:
            if media_range == wanted:
                return quality
    return 0.0


def negotiate(accept: str | None, formats: Mapping[str, Format]) -> Format | None:
    """The best of ``formats`` for an ``Accept`` header (the first format when there is none); None if none is acceptable."""
    by_type: dict[str, Format] = {}
    for candidate in formats.values():
        by_type.setdefault(_bare(candidate.media_type), candidate)  # text/csv is the standard CSV, not Excel's
    candidates = list(by_type.values())
    if not accept or not accept.strip():
        return candidates[0]
    ranges = _ranges(accept)
    # max() keeps the first of equals: on a tie the registry's order (JSON first) decides.
    best = max(candidates, key=lambda f: _quality(_bare(f.media_type), ranges))
    return best if _quality(_bare(best.media_type), ranges) > 0 else None


#: The short names clients send in ``format=`` (SPARQLWrapper sends ``format=json`` with every request).
_ALIASES = {"json": "sparql-json", "xml": "sparql-xml", "csv": "sparql-csv", "nt": "ntriples", "jsonld": "json-ld"}


def _form(result: QueryResult) -> str:
    if isinstance(result, ResultTable):
        return "SELECT"
    return "ASK" if isinstance(result, AskResult) else "graph (CONSTRUCT or DESCRIBE)"


def _respond(result: QueryResult, accept: str | None, format_name: str | None) -> Answer:
    formats = formats_for(result)
    if format_name is not None:
        format_name = _ALIASES.get(format_name, format_name)
        if isinstance(result, GraphResult) and format_name == "sparql-json":
            format_name = "json-ld"
        if format_name not in formats:
            return _problem(
                400, f"a {_form(result)} answer has no format {format_name!r}; formats: {', '.join(formats)}"
            )
        chosen: Format | None = formats[format_name]
    else:
        chosen = negotiate(accept, formats)
    if chosen is None:
        offered = ", ".join(sorted({_bare(f.media_type) for f in formats.values()}))
        return _problem(406, f"none of the accepted media types can carry a {_form(result)} answer; offered: {offered}")
    return Answer(200, chosen.media_type, write_result(result, chosen.name).encode("utf-8"))


def _run(graph: Graph, sparql: str, accept: str | None, format_name: str | None) -> Answer:
    try:
        result = run_any(graph, sparql)
    except QueryError as error:
        return _problem(400, str(error))
    return _respond(result, accept, format_name)


def answer_query(graph: Graph, sparql: str, accept: str | None = None, format_name: str | None = None) -> Answer:
    """Run query text on ``graph``: 403 if it would fetch or write, 400 if it fails, else the negotiated answer."""
    try:
        refuse_fetching(sparql)
    except RefusedQueryError as error:
        return _problem(403, str(error))
    except QueryError as error:
        return _problem(400, str(error))
    return _run(graph, sparql, accept, format_name)


def answer_library_query(
    graph: Graph,
    name: str,
    given: Mapping[str, str],
    accept: str | None = None,
    format_name: str | None = None,
    queries: Mapping[str, LibraryQuery] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Answer:
    """Run a library query by name with parameters as typed in a URL: 404 for an unknown name, 400 for bad values.

    ``queries`` is the library as a server read it once at start-up; without it the files are read again.
    ``limit`` and ``offset`` choose the page (see :func:`trustkg.sparql.run_bound_query`).
    """
    # Only the library's names: find_query would also open a .rq path, which a URL must never reach.
    known = library() if queries is None else queries
    query = known.get(name)
    if query is None:
        return _problem(404, f"no library query {name!r}; queries: {', '.join(known)}")
    try:
        bindings = bind_parameters(query, given, graph)
    except QueryError as error:
        return _problem(400, str(error))
    # The library's own text is trusted: not parsed again by the guard (rdflib's parser takes 0.1-1 s).
    try:
        table = run_bound_query(graph, query, bindings, limit, offset)
    except QueryError as error:
        return _problem(400, str(error))
    answer = _respond(table, accept, format_name)
    return dataclasses.replace(answer, next_offset=table.next_offset) if answer.status == 200 else answer
