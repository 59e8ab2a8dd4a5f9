"""Curation checks (queries/checks/*-violation.rq): none fires on the fixture, each fires on its violation.

Expected rows are worked out by hand from the fixture (tests/fixtures/casebase)
and the triples each case adds or removes.
"""

from __future__ import annotations

import pytest

# rdflib.XSD, not a module-level XSD: pytest probes module globals and XSD warns on unknown names.
import rdflib
from conftest import REPO
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from trustkg import iris
from trustkg.api import build_graph_from, validate_graph
from trustkg.build import build_graph
from trustkg.ontology import TKG
from trustkg.records import EvidenceBase
from trustkg.sparql import run_query
from trustkg.store import local_stores, new_graph
from trustkg.validate import curation_checks, run_checks

ZZ1, ZZ2 = iris.trust("ZZ1"), iris.trust("ZZ2")
A_2015, A_2016 = iris.inspection("ZZ1", "a-2015"), iris.inspection("ZZ1", "a-2016")
OVERALL_2016 = iris.rating_change("ZZ1", "overall", "a-2016")
A_E1 = iris.evidence("ZZ1", "a-e1")


@pytest.fixture(params=local_stores())
def fresh_graph(request: pytest.FixtureRequest, fixture_base: EvidenceBase) -> Graph:
    """A new copy of the built fixture, in each store, for one test to break."""
    graph, _ = build_graph(fixture_base, new_graph(request.param))
    return graph


def rows(graph: Graph, check: str) -> list[tuple[str, ...]]:
    table = run_query(graph, curation_checks()[check])
    return [tuple(str(cell) for cell in row) for row in table.rows]


def test_every_check_is_a_violation_check_with_a_header() -> None:
    checks = curation_checks()
    assert len(checks) == 6
    for name, check in checks.items():
        assert name.endswith("-violation"), name
        assert check.columns and check.title and check.question


def test_checks_pass_on_the_fixture(fixture_graph: Graph) -> None:
    results = run_checks(fixture_graph)
    assert [(r.name, len(r.table)) for r in results if not r.passed] == []
    # The columns a check returns are the ones its header documents.
    for result in results:
        assert result.table.columns == [c.name for c in curation_checks()[result.name].columns]


def test_evidence_trust_mismatch(fresh_graph: Graph) -> None:
    b_ceo_visits = iris.action("ZZ2", "b-ceo-visits")
    b_incidents = iris.outcome("ZZ2", "b-incidents")
    c_i1 = iris.interview("ZZ3", "c-i1")
    fresh_graph.add((A_E1, TKG.mentionsAction, b_ceo_visits))
    fresh_graph.add((A_E1, TKG.mentionsOutcome, b_incidents))
    fresh_graph.add((A_E1, PROV.wasDerivedFrom, c_i1))
    assert rows(fresh_graph, "evidence-trust-mismatch-violation") == [
        (str(A_E1), str(ZZ1), str(b_ceo_visits), str(ZZ2)),
        (str(A_E1), str(ZZ1), str(b_incidents), str(ZZ2)),
        (str(A_E1), str(ZZ1), str(c_i1), str(iris.trust("ZZ3"))),
    ]


def test_unused_codebook_type(fresh_graph: Graph) -> None:
    peer_support = iris.action_type("peer-support")  # reserved and unused in the fixture
    fresh_graph.remove((peer_support, TKG.reserved, None))
    # An outcome type used only through a narrower type counts as used.
    incident = iris.outcome_type("incident-reporting")
    narrower = iris.outcome_type("near-miss-reporting")
    fresh_graph.add((narrower, RDF.type, TKG.OutcomeType))
    fresh_graph.add((narrower, SKOS.broader, incident))
    fresh_graph.set((iris.outcome("ZZ2", "b-incidents"), TKG.outcomeType, narrower))
    assert rows(fresh_graph, "unused-codebook-type-violation") == [("peer-support", str(TKG.ActionType))]


def test_a_study_may_use_a_subset_of_a_shared_codebook(fresh_graph: Graph) -> None:
    """peer-support, unreserved and unused, is no violation once every study names a subset without it."""
    fresh_graph.remove((iris.action_type("peer-support"), TKG.reserved, None))
    first, second = (URIRef(f"https://example.org/fixture/study-{n}") for n in (1, 2))
    fresh_graph.add((first, RDF.type, TKG.Study))
    fresh_graph.add((first, TKG.usesCodebookType, iris.action_type("visible-leadership")))
    assert rows(fresh_graph, "unused-codebook-type-violation") == []
    # A study that names no subset uses the whole codebook: peer-support is expected again.
    fresh_graph.add((second, RDF.type, TKG.Study))
    assert rows(fresh_graph, "unused-codebook-type-violation") == [("peer-support", str(TKG.ActionType))]
    # Once it too names a subset, a type that a subset names must still be used.
    fresh_graph.add((second, TKG.usesCodebookType, iris.action_type("peer-support")))
    assert rows(fresh_graph, "unused-codebook-type-violation") == [("peer-support", str(TKG.ActionType))]
    fresh_graph.remove((second, TKG.usesCodebookType, None))
    fresh_graph.add((second, TKG.usesCodebookType, iris.action_type("staff-listening")))
    assert rows(fresh_graph, "unused-codebook-type-violation") == []


def test_rating_change_between_wrong_inspections(fresh_graph: Graph) -> None:
    fresh_graph.set((OVERALL_2016, TKG.fromInspection, A_2016))
    fresh_graph.set((OVERALL_2016, TKG.toInspection, A_2015))
    well_led = iris.rating_change("ZZ1", "well-led", "a-2016")
    fresh_graph.set((well_led, TKG.fromInspection, iris.inspection("ZZ2", "b-2014")))
    found = {(row[0], row[-1]) for row in rows(fresh_graph, "rating-change-inspections-violation")}
    assert found == {
        (str(OVERALL_2016), "the earlier inspection is not dated before the later one"),
        (str(well_led), "an inspection of another trust"),
    }


def test_rating_change_levels(fresh_graph: Graph) -> None:
    # overall@a-2016 is inadequate -> requires improvement, +1, rating-improved/overall.
    fresh_graph.set((OVERALL_2016, TKG.rankChange, Literal(2)))
    safe_2018 = iris.rating_change("ZZ1", "safe", "a-2018")  # inadequate -> good, +2
    fresh_graph.set((safe_2018, TKG.fromLevel, iris.rating_level("requires-improvement")))
    fresh_graph.set((safe_2018, TKG.rankChange, Literal(1)))  # consistent with the wrong level
    overall_2018 = iris.rating_change("ZZ1", "overall", "a-2018")
    fresh_graph.set((overall_2018, TKG.outcomeType, iris.rating_change_type("rating-declined", "overall")))
    well_led_2016 = iris.rating_change("ZZ1", "well-led", "a-2016")  # inadequate -> good, +2
    fresh_graph.set((well_led_2016, TKG.toLevel, iris.rating_level("outstanding")))
    fresh_graph.set((well_led_2016, TKG.rankChange, Literal(3)))  # consistent with the wrong level
    assert rows(fresh_graph, "rating-change-levels-violation") == [
        (str(OVERALL_2016), "the rank change is not the difference of the levels' ranks"),
        (str(overall_2018), "the outcome type goes the other way from the rank change"),
        (str(safe_2018), "the from level is not the earlier inspection's rating on this key question"),
        (str(well_led_2016), "the to level is not the later inspection's rating on this key question"),
    ]


def test_dates_out_of_order(fresh_graph: Graph) -> None:
    # a-2016 started 2016-09-12; an end in August is out of order, an end "2016" contains the start.
    fresh_graph.set((A_2016, TKG.endDate, Literal("2016-08-30", datatype=rdflib.XSD.date)))
    fresh_graph.set((A_2015, TKG.endDate, Literal("2015", datatype=rdflib.XSD.gYear)))
    sm = iris.special_measures("ZZ1", "sm-2015")  # entered 2015-04
    fresh_graph.set((sm, TKG.endDate, Literal("2014-12", datatype=rdflib.XSD.gYearMonth)))
    engagement = iris.outcome("ZZ1", "a-engagement")  # 2014 -> 2017
    fresh_graph.set((engagement, TKG.yearAfter, Literal("2013", datatype=rdflib.XSD.gYear)))
    assert rows(fresh_graph, "dates-out-of-order-violation") == [
        (str(A_2016), "2016-09-12", "2016-08-30", "it ends before it starts"),
        (str(engagement), "2014", "2013", "its year after is before its year before"),
        (str(sm), "2015-04", "2014-12", "it ends before it starts"),
    ]


def test_inspection_of_another_trusts_site(fresh_graph: Graph) -> None:
    c_2015 = iris.inspection("ZZ3", "c-2015")
    alpha_general = iris.site("ZZ1", "alpha-general")
    fresh_graph.set((c_2015, TKG.site, alpha_general))
    assert rows(fresh_graph, "inspection-site-violation") == [(str(c_2015), str(iris.trust("ZZ3")), str(alpha_general))]


def test_every_check_has_a_violating_case() -> None:
    tested = {
        "evidence-trust-mismatch-violation",
        "unused-codebook-type-violation",
        "rating-change-inspections-violation",
        "rating-change-levels-violation",
        "dates-out-of-order-violation",
        "inspection-site-violation",
    }
    assert set(curation_checks()) == tested


def test_shipped_data_passes_the_shapes_and_checks() -> None:
    data = REPO / "data"
    report = validate_graph(build_graph_from(data).graph)
    assert report.conforms, "\n".join(report.lines())
