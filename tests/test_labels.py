"""The one label rule (trustkg.sparql.labels), and that tables, pages and exports all show what it picks.

The small graphs here are made up for the test (FICTIONAL: no real thing is named).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from trustkg import evidence_map, views
from trustkg.sparql import Labels, label_lookup, labels, run_sparql
from trustkg.store import local_stores, new_graph

THING = URIRef("https://example.org/fictional/thing")

#: Each case: the labels a thing has, and the one the rule shows (None: the IRI itself).
CASES = [
    ([(SKOS.prefLabel, Literal("Pref en", lang="en")), (SKOS.prefLabel, Literal("Pref plain"))], "Pref en"),
    ([(SKOS.prefLabel, Literal("Pref plain")), (RDFS.label, Literal("Label en", lang="en"))], "Pref plain"),
    ([(RDFS.label, Literal("Label en", lang="en")), (RDFS.label, Literal("Label plain"))], "Label en"),
    ([(RDFS.label, Literal("Label plain")), (RDFS.label, Literal("Etiquette", lang="fr"))], "Label plain"),
    ([(SKOS.prefLabel, Literal("Colour", lang="en-GB")), (SKOS.prefLabel, Literal("Plain"))], "Colour"),
    ([(SKOS.prefLabel, Literal("Beta", lang="en")), (SKOS.prefLabel, Literal("Alpha", lang="en"))], "Alpha"),
    ([(SKOS.prefLabel, Literal("Enw", lang="cy")), (RDFS.label, Literal("Nom", lang="fr"))], None),
    ([(SKOS.altLabel, Literal("Other name", lang="en"))], None),
    ([], None),
]


@pytest.fixture(params=local_stores())
def empty(request: pytest.FixtureRequest) -> Graph:
    return new_graph(request.param)


@pytest.mark.parametrize(("given", "shown"), CASES)
def test_the_rule_looked_up_one_by_one_and_all_at_once(
    empty: Graph, given: list[tuple[URIRef, Literal]], shown: str | None
) -> None:
    for property_, label in given:
        empty.add((THING, property_, label))
    expected = shown if shown is not None else str(THING)
    assert label_lookup(empty)(THING) == expected
    assert labels(empty)(THING) == expected
    assert label_lookup(empty).get(THING) == shown
    assert labels(empty).get(str(THING), "fallback") == (shown if shown is not None else "fallback")


def test_every_thing_labelled_alike_whether_read_lazily_or_in_one_query(query_graph: Graph) -> None:
    lazily, at_once = Labels(query_graph), labels(query_graph)
    subjects = {row[0] for row in run_sparql(query_graph, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }").rows}
    assert len(subjects) > 100
    assert {str(s): lazily(str(s)) for s in subjects} == {str(s): at_once(str(s)) for s in subjects}


def test_tables_views_and_pages_show_the_rules_label(query_graph: Graph) -> None:
    rule = label_lookup(query_graph)
    table = run_sparql(
        query_graph,
        "PREFIX tkg: <https://w3id.org/trustkg/def/> SELECT ?type WHERE { ?type a tkg:ActionType } ORDER BY ?type",
    )
    types = [str(cell) for cell in table.column("type")]
    assert [row[0] for row in table.values(query_graph)] == [rule(iri) for iri in types]
    for make in views.VIEWS.values():
        view = make(query_graph)
        assert {node: data["label"] for node, data in view.nodes(data=True)} == {node: rule(node) for node in view}
    page = evidence_map.evidence_map(query_graph)
    assert {row.type: row.label for row in page.rows} == {row.type: rule(row.type) for row in page.rows}
    assert {row.type for row in page.rows} == set(types)
    assert {column.type: column.label for column in page.columns} == {c.type: rule(c.type) for c in page.columns}
