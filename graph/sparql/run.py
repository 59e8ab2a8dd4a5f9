"""Running a library query (or any SPARQL text) with parameters bound as RDF terms.

Parameters are bound with a SPARQL ``VALUES`` block placed at the start of the
query's outermost group, or after a line ``# parameters`` where the query puts
one (a query that grades its counts aggregates in a subquery, which must see them). Its terms are rdflib terms serialised by rdflib (so a
quote in a string parameter is escaped, never interpreted), and the same
mechanism works on rdflib's memory store, on Oxigraph (whose substitution API
only binds projected variables, which rules out aggregate queries) and on a
remote SPARQL endpoint. Parameters left unbound stay free variables, so a query
tests ``!BOUND(?theme)`` to mean "no restriction".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Graph
from rdflib.query import ResultRow
from rdflib.term import Node, Variable

from trustkg.errors import QueryError, shown
from trustkg.queries.library import LibraryQuery
from trustkg.sparql.params import convert
from trustkg.sparql.results import Cell, ResultTable

# Things in SPARQL text that may contain a '{' that does not open a group.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
)


def bind_parameters(query: LibraryQuery, given: Mapping[str, str], graph: Graph) -> dict[str, Node]:
    """Check and convert a query's parameters: unknown names, missing required values, bad values all raise."""
    for name in given:
        query.parameter(name)  # raises for a parameter the query does not have
    bindings: dict[str, Node] = {}
    missing = [p for p in query.parameters if p.required and p.name not in given]
    if missing:
        expected = "; ".join(p.describe() for p in missing)
        raise QueryError(f"query {query.name!r} needs {', '.join(p.name for p in missing)}: {expected}")
    for parameter in query.parameters:
        value = given.get(parameter.name, parameter.default)
        if value is None:
            continue
        try:
            bindings[parameter.name] = convert(parameter.type, value, graph)
        except QueryError as error:
            raise QueryError(f"parameter {parameter.name} of {query.name!r}: {error}") from None
    return bindings


_PARAMETERS_MARK = re.compile(r"^[ \t]*# parameters[ \t]*$", re.MULTILINE)


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with a one-row ``VALUES`` block of ``bindings`` at the start of its outermost group."""
    if not bindings:
        return sparql
    names = " ".join(Variable(name).n3() for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    marked = _PARAMETERS_MARK.search(sparql)
    if marked is not None:
        return sparql[: marked.end()] + block + sparql[marked.end() :]
    position = 0
    while True:
        brace = sparql.find("{", position)
        skip = _SKIP.search(sparql, position)
        if brace < 0:
            raise QueryError("the query has no { ... } group to bind parameters in")
        if skip is not None and skip.start() < brace:
            position = skip.end()
            continue
        break
    return sparql[: brace + 1] + block + sparql[brace + 1 :]


def run_sparql(graph: Graph, sparql: str, bindings: Mapping[str, Node] | None = None) -> ResultTable:
    """Run SELECT text on a graph; SPARQL errors become :class:`QueryError`."""
    text = with_values(sparql, bindings or {})
    try:
        result = graph.query(text)
        if result.type != "SELECT" or result.vars is None:
            raise QueryError("only SELECT queries return tables")
        columns = [str(variable) for variable in result.vars]
        # Rows are read here, inside the handling: an engine may fail only once it is asked for them.
        rows: list[tuple[Cell, ...]] = [tuple(row) for row in result if isinstance(row, ResultRow)]
    except QueryError:
        raise
    except Exception as error:  # rdflib and pyoxigraph raise many unrelated types for a bad query
        raise QueryError(f"the query failed: {shown(str(error), 500)}") from error
    return ResultTable(columns, rows)


def run_query(graph: Graph, query: LibraryQuery, given: Mapping[str, str] | None = None) -> ResultTable:
    """Run a library query with parameters as typed (``{"theme": "leadership"}``)."""
    bindings = bind_parameters(query, given or {}, graph)
    return run_sparql(graph, query.sparql, bindings)
