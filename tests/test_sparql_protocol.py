"""SPARQL Protocol answers without a server: negotiation, statuses for refused and broken queries, and the
library's queries by name. Data: the FICTIONAL tiny graph and the fixture case base."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from tests.test_sparql_formats import EXPECTED_CSV, EXPECTED_JSON, SELECT, TINY
from trustkg.sparql import library, run_query
from trustkg.sparql_formats import ASK_FORMATS, GRAPH_FORMATS, SELECT_FORMATS, write_select
from trustkg.sparql_protocol import answer_library_query, answer_query, negotiate
from trustkg.store import local_stores, new_graph

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module", params=local_stores())
def tiny(request: pytest.FixtureRequest) -> Graph:
    graph = new_graph(request.param)
    graph.parse(TINY, format="turtle")
    return graph


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "sparql-json"),
        ("", "sparql-json"),
        ("application/sparql-results+xml", "sparql-xml"),
        ("text/csv", "sparql-csv"),
        ("text/tab-separated-values; charset=utf-8", "tsv"),
        ("text/*;q=0.5, application/sparql-results+json;q=0.9", "sparql-json"),
        ("application/sparql-results+json;q=0.2, text/csv", "sparql-csv"),
        (BROWSER, "sparql-json"),
        ("image/png", None),
        ("application/sparql-results+json;q=0", None),
    ],
)
def test_negotiating_a_select_answer(accept: str | None, expected: str | None) -> None:
    chosen = negotiate(accept, SELECT_FORMATS)
    assert (chosen.name if chosen else None) == expected


def test_negotiating_ask_and_graph_answers() -> None:
    assert negotiate("text/csv", ASK_FORMATS) is None
    chosen = negotiate(None, GRAPH_FORMATS)
    assert chosen is not None and chosen.name == "turtle"
    chosen = negotiate("application/ld+json, text/turtle;q=0.5", GRAPH_FORMATS)
    assert chosen is not None and chosen.name == "json-ld"


def test_a_select_in_the_accepted_format(tiny: Graph) -> None:
    answer = answer_query(tiny, SELECT, "text/csv")
    assert (answer.status, answer.media_type) == (200, "text/csv; charset=utf-8")
    assert answer.body == EXPECTED_CSV.encode("utf-8")
    answer = answer_query(tiny, SELECT, None)
    assert answer.media_type == "application/sparql-results+json"
    assert json.loads(answer.body) == EXPECTED_JSON


def test_a_format_name_overrides_accept(tiny: Graph) -> None:
    answer = answer_query(tiny, SELECT, "application/sparql-results+json", format_name="excel-csv")
    assert answer.status == 200
    assert answer.body == b"\xef\xbb\xbf" + EXPECTED_CSV.encode("utf-8")
    assert answer_query(tiny, SELECT, None, format_name="turtle").status == 400


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "DROP ALL",
    ],
)
def test_fetching_and_writing_are_forbidden(tiny: Graph, sparql: str) -> None:
    before = len(tiny)
    answer = answer_query(tiny, sparql)
    assert answer.status == 403
    assert answer.media_type.startswith("text/plain")
    assert b"refused" in answer.body
    assert len(tiny) == before


@pytest.mark.parametrize("sparql", ["SELECT ?s WHERE { ?s ?p }", "SELECT * WHERE { ?s ?p ?o } GROUP BY", "{"])
def test_a_broken_query_is_a_bad_request_without_a_traceback(tiny: Graph, sparql: str) -> None:
    answer = answer_query(tiny, sparql)
    assert answer.status == 400
    assert answer.body.startswith(b"the query failed")
    assert b"Traceback" not in answer.body


def test_an_ask_answer_cannot_be_csv(tiny: Graph) -> None:
    answer = answer_query(tiny, "ASK { ?s ?p ?o }", "text/csv")
    assert answer.status == 406
    assert b"application/sparql-results+json" in answer.body
    answer = answer_query(tiny, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert json.loads(answer.body) == {"head": {}, "boolean": True}


def test_a_construct_answer_as_n_triples(tiny: Graph) -> None:
    sparql = "CONSTRUCT { ?t <http://example.org/label> ?n } WHERE { ?t <http://example.org/name> ?n }"
    answer = answer_query(tiny, sparql, "application/n-triples")
    assert (answer.status, answer.media_type) == (200, "application/n-triples")
    expected = tiny.query(sparql).graph
    assert expected is not None
    assert len(Graph().parse(data=answer.body.decode(), format="nt")) == len(expected) == 3


def test_a_library_query_by_name_answers_as_the_runner_does(query_graph: Graph) -> None:
    answer = answer_library_query(query_graph, "rating-trajectories", {}, "text/csv")
    assert answer.status == 200
    table = run_query(query_graph, library()["rating-trajectories"])
    assert len(table) > 0
    assert answer.body.decode("utf-8") == write_select(table.columns, table.rows, "sparql-csv")


@pytest.mark.parametrize("name", ["no-such-query", "../queries/trust-profile", "trust-profile.rq"])
def test_only_library_names_are_found(query_graph: Graph, name: str) -> None:
    answer = answer_library_query(query_graph, name, {})
    assert answer.status == 404
    assert b"rating-trajectories" in answer.body


def test_a_missing_or_bad_parameter_is_a_bad_request(query_graph: Graph) -> None:
    assert answer_library_query(query_graph, "trust-profile", {}).status == 400
    assert answer_library_query(query_graph, "trust-profile", {"trust": "ZZ1", "colour": "red"}).status == 400
