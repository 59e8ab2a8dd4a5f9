"""Running a library query (or any SPARQL text) with parameters bound as RDF terms.

Parameters are bound with a SPARQL ``VALUES`` block placed at the start of the
query's outermost group, or after each line ``# parameters`` where the query puts
them (a query that grades its counts aggregates in a subquery, which must see them;
a query made of a UNION binds them in each branch, so that an engine meets the bound
trust first in each, rather than evaluating every branch for every trust). Its terms are rdflib terms serialised by rdflib (so a
quote in a string parameter is escaped, never interpreted), and the same
mechanism works on rdflib's memory store, on Oxigraph (whose substitution API
only binds projected variables, which rules out aggregate queries) and on a
remote SPARQL endpoint. Parameters left unbound stay free variables, so a query
tests ``!BOUND(?theme)`` to mean "no restriction".

A library query is read a page at a time when its caller gives a limit, or when its header declares a
page (``# page: 1000``) and its caller gives none: the text run ends with ``LIMIT`` one row past the
page, and ``OFFSET``, built from integers alone. The extra row, dropped, tells whether more rows follow.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node, Variable

from trustkg.errors import QueryError, shown
from trustkg.queries.library import LIST_SEPARATOR, LibraryQuery
from trustkg.sparql.params import convert_all
from trustkg.sparql.results import AskResult, Cell, GraphResult, QueryResult, ResultTable, query_result, simple_strings
from trustkg.sparql.terms import answer_rows, rdflib_term
from trustkg.store import oxigraph_store

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
    valued = [(p, value) for p in query.parameters if (value := given.get(p.name, p.default)) is not None]
    terms = convert_all([(parameter.type, value) for parameter, value in valued], graph)
    for parameter, _value in valued:
        try:
            bindings[parameter.name] = next(terms)
        except QueryError as error:
            raise QueryError(f"parameter {parameter.name} of {query.name!r}: {error}") from None
    return bindings


_PARAMETERS_MARK = re.compile(r"^[ \t]*# parameters[ \t]*$", re.MULTILINE)


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with a one-row ``VALUES`` block of ``bindings`` after each ``# parameters`` line, or else at the
    start of its outermost group."""
    if not bindings:
        return sparql
    names = " ".join(Variable(name).n3() for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    if _PARAMETERS_MARK.search(sparql) is not None:
        return _PARAMETERS_MARK.sub(lambda marked: marked.group(0) + block.rstrip("\n"), sparql)
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


#: ``limit=ALL_ROWS``: every row, whatever page the query declares.
ALL_ROWS = 0
_WHOLE_NUMBER = re.compile(r"[0-9]+")
# The form keywords and solution modifiers of SPARQL text whose strings, IRIs and comments are blanked out;
# not a variable (?limit), nor part of a prefixed name (ex:offset).
_KEYWORD = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE|LIMIT|OFFSET)(?![\w:-])", re.IGNORECASE)


def row_count(text: str, name: str) -> int:
    """A limit or offset as a person types it (``--limit 50``, ``?offset=100``): a whole number, 0 or more."""
    if _WHOLE_NUMBER.fullmatch(text.strip()) is None:
        raise QueryError(f"{name} is a whole number of rows, 0 or more, not '{shown(text, 40)}'")
    return int(text)


def _page_rows(query: LibraryQuery, limit: int | None, offset: int) -> int:
    """The rows one answer holds: ``limit``, else the query's page; :data:`ALL_ROWS` for every row."""
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise QueryError(f"{name} is a whole number of rows, 0 or more, not {value!r}")
    rows = query.page if limit is None else limit
    return ALL_ROWS if rows is None else rows


def _check_pageable(query: LibraryQuery) -> None:
    keywords = [word.upper() for word in _KEYWORD.findall(_SKIP.sub(" ", query.sparql))]
    form = next((word for word in keywords if word not in ("LIMIT", "OFFSET")), "query of no known form")
    if form != "SELECT":
        raise QueryError(f"{query.path}: only SELECT queries are read in pages; this one is {form}")
    if "LIMIT" in keywords or "OFFSET" in keywords:
        raise QueryError(f"{query.path}: this query has a LIMIT or OFFSET of its own, so it cannot be read in pages")


def _paged(query: LibraryQuery, bindings: Mapping[str, Node], limit: int | None, offset: int) -> tuple[str, int]:
    """The text run for a library query and the rows of its page (:data:`ALL_ROWS`: no page)."""
    text = with_values(query.sparql, bindings)
    rows = _page_rows(query, limit, offset)
    if rows == ALL_ROWS and offset == 0:
        return text, rows
    _check_pageable(query)
    # One row past the page: whether it comes back says whether more rows follow.
    modifiers = ([f"LIMIT {rows + 1}"] if rows else []) + ([f"OFFSET {offset}"] if offset else [])
    # On a line of its own: the query may end with a comment.
    return f"{text.rstrip()}\n{' '.join(modifiers)}\n", rows


def bound_text(query: LibraryQuery, bindings: Mapping[str, Node], limit: int | None = None, offset: int = 0) -> str:
    """A library query's text exactly as it is run: parameters bound, and LIMIT and OFFSET for its page."""
    return _paged(query, bindings, limit, offset)[0]


def _run_on_oxigraph(graph: Graph, store: ox.Store, text: str) -> QueryResult:
    """A query run by Oxigraph itself, each distinct term of its answer made an rdflib term once.

    The same query, prefixes and default graph as through oxrdflib, whose one conversion per cell was
    most of the time of a query returning thousands of rows (measure-changes at 2,000 trusts: 0.28 s
    natively, 1.55 s through oxrdflib).
    """
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    answer = store.query(text, default_graph=ox.NamedNode(graph.identifier), prefixes=prefixes)
    terms: dict[object, Node] = {}
    known = terms.get

    def term(value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        made = known(value)
        if made is None:
            made = terms[value] = rdflib_term(value)
        return made

    if isinstance(answer, ox.QueryBoolean):
        return AskResult(bool(answer))
    if isinstance(answer, ox.QueryTriples):
        # A graph is a set: a triple that several solutions construct is in it once.
        triples = dict.fromkeys((term(t.subject), term(t.predicate), simple_strings(term(t.object))) for t in answer)
        return GraphResult(tuple(triples))
    return ResultTable([variable.value for variable in answer.variables], answer_rows(answer))


def run_any(graph: Graph, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run a query of any form on a graph, read in full; SPARQL errors (also those met reading rows) become
    :class:`QueryError`."""
    text = with_values(sparql, bindings or {})
    store = oxigraph_store(graph)
    try:
        if store is not None and not graph.default_union and isinstance(graph.identifier, URIRef):
            return _run_on_oxigraph(graph, store, text)
        return query_result(graph.query(text))
    except QueryError:
        raise
    except Exception as error:  # rdflib and pyoxigraph raise many unrelated types for a bad query
        raise QueryError(f"the query failed: {shown(str(error), 500)}") from error


def run_sparql(graph: Graph, sparql: str, bindings: Mapping[str, Node] | None = None) -> ResultTable:
    """Run SELECT text on a graph; SPARQL errors become :class:`QueryError`."""
    result = run_any(graph, sparql, bindings)
    if not isinstance(result, ResultTable):
        raise QueryError("only SELECT queries return tables")
    return result


def _sorted_list(cell: Literal) -> Literal:
    items = sorted(str(cell).split(LIST_SEPARATOR))
    return Literal(LIST_SEPARATOR.join(items), lang=cell.language, datatype=cell.datatype)


def run_bound_query(
    graph: Graph, query: LibraryQuery, bindings: Mapping[str, Node], limit: int | None = None, offset: int = 0
) -> ResultTable:
    """Run a library query with its parameters already bound; its ``(list)`` columns come back sorted.

    The answer holds ``limit`` rows after the first ``offset`` (``limit`` None: the query's page, if it
    declares one; :data:`ALL_ROWS`: every row); its ``next_offset`` says where the next page starts.
    SPARQL leaves the order inside ``GROUP_CONCAT`` to the engine, so the library's answers would
    otherwise differ from store to store.
    """
    text, rows = _paged(query, bindings, limit, offset)
    table = run_sparql(graph, text)
    if rows != ALL_ROWS and len(table.rows) > rows:
        table = ResultTable(table.columns, table.rows[:rows], next_offset=offset + rows)
    lists = {column.name for column in query.columns if column.is_list}
    if not lists:
        return table
    places = [place for place, name in enumerate(table.columns) if name in lists]
    # Lists repeat from row to row (the same themes, the same roles): each distinct one is sorted once.
    sorted_lists: dict[Cell, Cell] = {}
    sorted_rows = []
    for row in table.rows:
        cells = list(row)
        for place in places:
            cell = cells[place]
            if isinstance(cell, Literal) and LIST_SEPARATOR in cell:
                if cell not in sorted_lists:
                    sorted_lists[cell] = _sorted_list(cell)
                cells[place] = sorted_lists[cell]
        sorted_rows.append(tuple(cells))
    return dataclasses.replace(table, rows=sorted_rows)


def run_query(
    graph: Graph,
    query: LibraryQuery,
    given: Mapping[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> ResultTable:
    """Run a library query with parameters as typed (``{"theme": "leadership"}``), a page of it (see
    :func:`run_bound_query`)."""
    return run_bound_query(graph, query, bind_parameters(query, given or {}, graph), limit, offset)
