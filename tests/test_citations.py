"""Citation-level provenance: each (fact, source) citation is a node holding its own locator.

The fixture (tests/fixtures/two-citations, FICTIONAL) is read as a second input beside the
fixture case base. Its evidence item e-e1 cites the Epsilon report at p. 12 and the Epsilon
news story at section 3. Worked by hand: evidence-for-link for visible-leadership ->
rating-improved/well-led gives, for ZZ5, one row per document of e-e1 (well-led rose from
inadequate at e-2015 to good at e-2017), ordered by source IRI (news before report), each
with its own document's locator; a locator hanging on the item would have given four rows.
"""

from __future__ import annotations

import pytest
from query_rows import rows
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from tests.conftest import FIXTURE_DIR, TESTS
from trustkg import iris
from trustkg.build import build_graph
from trustkg.loaders import Input, load_inputs
from trustkg.ontology import OA, TKG
from trustkg.store import local_stores, new_graph
from trustkg.validate import check_shapes

TWO_CITATIONS = TESTS / "fixtures" / "two-citations"
REPORT = "https://example.org/fixture/epsilon/report"
NEWS = "https://example.org/fixture/epsilon/news"
STATEMENT = "The chief executive credits the walk-rounds for the better well-led rating."


@pytest.fixture(scope="module", params=local_stores())
def citations_graph(request: pytest.FixtureRequest) -> Graph:
    base = load_inputs([Input(FIXTURE_DIR, "case-files"), Input(TWO_CITATIONS, "case-files")])
    graph, _ = build_graph(base, new_graph(request.param))
    return graph


def test_each_row_carries_the_locator_of_its_own_document(citations_graph: Graph) -> None:
    found = rows(
        citations_graph, "evidence-for-link", action_type="visible-leadership", outcome_type="rating-improved/well-led"
    )
    assert [row[:8] for row in found if row[0] == "ZZ5"] == [
        ("ZZ5", "e-e1", "e-walks", "well-led@e-2017", "chief-executive", STATEMENT, NEWS, "section 3"),
        ("ZZ5", "e-e1", "e-walks", "well-led@e-2017", "chief-executive", STATEMENT, REPORT, "p. 12"),
    ]


def test_a_citation_pairs_one_document_with_its_locator(citations_graph: Graph) -> None:
    item = iris.evidence("ZZ5", "e-e1")
    citations = {
        # The locator as text: Oxigraph gives a plain literal its xsd:string datatype explicitly.
        (citations_graph.value(c, OA.hasSource), str(citations_graph.value(c, TKG.locator)))
        for c in citations_graph.objects(item, TKG.hasCitation)
    }
    assert citations == {
        (iris.document(REPORT), "p. 12"),
        (iris.document(NEWS), "section 3"),
    }
    assert all((c, RDF.type, TKG.Citation) in citations_graph for c in citations_graph.objects(item, TKG.hasCitation))
    # The direct links stay, for the queries that need no locator; nothing hangs a locator on the item.
    assert set(citations_graph.objects(item, PROV.wasDerivedFrom)) == {iris.document(REPORT), iris.document(NEWS)}
    assert (item, TKG.locator, None) not in citations_graph


def test_the_citations_conform_to_the_shapes(citations_graph: Graph) -> None:
    assert check_shapes(citations_graph) == ()
