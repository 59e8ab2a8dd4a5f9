"""Query text that would make the engine fetch from elsewhere, or write, is refused before it runs."""

from __future__ import annotations

import pytest

from trustkg.errors import QueryError, RefusedQueryError
from trustkg.sparql import library
from trustkg.sparql_guard import refuse_fetching

REFUSED = {
    "service": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service silent in optional": """
        SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?q ?v } } }""",
    "service in a subquery": """
        SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }""",
    "lowercase service": "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
    "service at a variable": "SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }",
    "service inside filter exists": """
        SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }""",
    "service in a union inside minus": """
        SELECT * WHERE { ?s ?p ?o MINUS { { ?s ?p 1 } UNION { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }""",
    "service in construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service in ask": "ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service behind a codepoint escape": "SELECT * WHERE { SERVI\\u0043E <http://example.org/sparql> { ?s ?p ?o } }",
    "service on the line after a comment": "SELECT * WHERE { # no fetching here\nSERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "from": "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "from named": "SELECT * FROM NAMED <http://example.org/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "describe from": "DESCRIBE ?s FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
}

UPDATES = [
    "LOAD <http://example.org/data.ttl>",
    "load silent <http://example.org/data.ttl> into graph <http://example.org/g>",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
]

ORDINARY = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    # The word in a string, an IRI or a variable name is not the keyword.
    'SELECT ?service WHERE { ?service <http://example.org/name> "SERVICE <http://example.org/>" }',
    "ASK { <http://example.org/service> ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }",
    "DESCRIBE <http://example.org/a>",
]


@pytest.mark.parametrize("sparql", REFUSED.values(), ids=REFUSED.keys())
def test_fetching_is_refused(sparql: str) -> None:
    with pytest.raises(RefusedQueryError, match="refused: queries run on this graph only"):
        refuse_fetching(sparql)


@pytest.mark.parametrize("sparql", UPDATES)
def test_updates_are_refused(sparql: str) -> None:
    with pytest.raises(RefusedQueryError, match="read-only"):
        refuse_fetching(sparql)


@pytest.mark.parametrize("sparql", ORDINARY)
def test_ordinary_queries_pass(sparql: str) -> None:
    refuse_fetching(sparql)


def test_every_library_query_passes() -> None:
    for query in library().values():
        refuse_fetching(query.sparql)


def test_text_that_does_not_parse_is_a_query_error_not_a_refusal() -> None:
    with pytest.raises(QueryError, match="does not parse") as raised:
        refuse_fetching("SELEC * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }")
    assert not isinstance(raised.value, RefusedQueryError)
