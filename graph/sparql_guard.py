"""Refusing SPARQL that would make the engine reach beyond the graph it is given.

Query text from users (``trustkg query --sparql``, the endpoint) runs on our engines, and three
things in it make an engine fetch from elsewhere: ``SERVICE`` (both stores send the query to the
address), ``FROM`` / ``FROM NAMED`` (rdflib's memory store downloads and parses the IRI) and the
updates ``LOAD`` and friends, which are not queries and are refused with everything else that
writes. The check parses the text with rdflib's parser and walks the whole algebra, expressions
included, so ``SERVICE`` is found in any case, silent or not, inside ``OPTIONAL``, ``FILTER EXISTS``
or a subquery.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from trustkg.errors import QueryError, RefusedQueryError

# Every way to fetch or write starts with one of these keywords, spelled out or hidden behind a codepoint
# escape (SPARQL expands \uXXXX before parsing). Text with none of them cannot fetch, and skips the parse,
# which costs rdflib 10-1000 ms where the queries themselves take 1-10 ms.
_MAY_FETCH_OR_WRITE = re.compile(
    r"\b(?:service|from|load|clear|drop|create|add|move|copy|insert|delete|with)\b|\\u", re.IGNORECASE
)


def _nodes(node: object) -> Iterator[CompValue]:
    """Every algebra node under ``node``: operators, graph patterns and expressions alike."""
    children: Iterable[object]
    if isinstance(node, CompValue):
        yield node
        children = node.values()
    elif isinstance(node, list | tuple):
        children = node
    else:
        return
    for child in children:
        yield from _nodes(child)


def refuse_fetching(sparql: str) -> None:
    """Raise :class:`RefusedQueryError` for SERVICE, FROM, FROM NAMED and updates; :class:`QueryError` if unparsable.

    Text that cannot fetch is passed without parsing; the engine reports its syntax errors.
    """
    if _MAY_FETCH_OR_WRITE.search(sparql) is None:
        return
    try:
        parsed = parseQuery(sparql)
    except ParseException as query_error:
        try:
            parseUpdate(sparql)
        except ParseException:
            raise QueryError(f"the query does not parse: {query_error}") from None
        raise RefusedQueryError(
            "updates (INSERT, DELETE, LOAD, CLEAR, ...) are refused: the graph is read-only"
        ) from None
    try:
        query = translateQuery(parsed)
    except Exception as error:  # rdflib raises assorted types for a query it parses but cannot plan
        raise QueryError(f"the query is not valid SPARQL: {error}") from error
    for node in _nodes(query.algebra):
        if node.name == "ServiceGraphPattern":
            raise RefusedQueryError(f"SERVICE {node.term.n3()} is refused: queries run on this graph only")
        if node.name == "DatasetClause":
            iri = node.default if node.default is not None else node.named
            raise RefusedQueryError(
                f"FROM {iri.n3()} is refused: queries run on this graph only (its triples are in the default graph)"
            )
