"""The build: records become triples that conform to the ontology, with provenance on every fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from owlready2 import World
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from tests.conftest import FIXTURE_DIR, REPO
from trustkg import iris
from trustkg.build import build_graph, date_literal
from trustkg.loaders.casefiles import load_case_files
from trustkg.ontology import DEF_BASE, KEY_QUESTION, RATING, TKG, schema_graph
from trustkg.records import EvidenceBase, PartialDate
from trustkg.store import load_graph, local_stores, new_graph, write_graph

#: Reused vocabularies whose terms rdflib knows as closed sets.
REUSED: tuple[type[DefinedNamespace], ...] = (DCTERMS, ORG, PROV, RDF, RDFS, SKOS, OWL)


@pytest.fixture(scope="module")
def built(fixture_base: EvidenceBase) -> Graph:
    graph, _ = build_graph(fixture_base)
    return graph


def declared_in_reused(term: URIRef) -> bool:
    for namespace in REUSED:
        base = str(namespace._NS)
        if str(term).startswith(base):
            name = str(term)[len(base) :]
            return name in dir(namespace) or hasattr(namespace, name)
    return False


@pytest.mark.parametrize("data_dir", [FIXTURE_DIR, REPO / "data"], ids=["fixture", "shipped-data"])
def test_every_emitted_class_and_predicate_is_declared(data_dir: Path) -> None:
    built, _ = build_graph(load_case_files(data_dir))
    schema = schema_graph()
    declared = set(schema.subjects(RDF.type, OWL.Class)) | {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in schema.subjects(RDF.type, kind)
    }
    predicates = set(built.predicates())
    classes = set(built.objects(None, RDF.type))
    undeclared = sorted(
        t for t in predicates | classes if isinstance(t, URIRef) and t not in declared and not declared_in_reused(t)
    )
    assert undeclared == []
    # Our own namespace in particular: every tkg: term used is declared in trustkg.ttl, not just "in a namespace".
    ours = {t for t in predicates | classes if str(t).startswith(DEF_BASE)}
    assert ours and ours <= declared


def test_summary_counts(fixture_base: EvidenceBase) -> None:
    _, summary = build_graph(fixture_base)
    # By hand: 3 trusts; 3 + 2 + 2 inspections; 1 interview; 4 + 5 + 1 evidence; 3 + 3 + 1 actions;
    # 2 entered outcomes + 6 derived rating changes (see test_loader).
    assert (summary.trusts, summary.inspections, summary.interviews, summary.evidence, summary.actions) == (
        3,
        7,
        1,
        10,
        7,
    )
    assert (summary.outcomes, summary.rating_changes) == (8, 6)


def test_trust_iri_from_ods_code_and_ratings(built: Graph) -> None:
    zz1 = iris.trust("ZZ1")
    assert zz1 == URIRef("https://w3id.org/trustkg/id/trust/ZZ1")
    assert built.value(zz1, TKG.odsCode) == Literal("ZZ1")
    inspection = iris.inspection("ZZ1", "a-2016")
    assert built.value(inspection, TKG.trust) == zz1
    assert built.value(inspection, TKG.startDate) == Literal("2016-09-12", datatype=XSD.date)
    assert built.value(inspection, TKG.publishedDate) == Literal("2016-12", datatype=XSD.gYearMonth)
    levels = {
        built.value(r, TKG.keyQuestion): built.value(r, TKG.ratingLevel)
        for r in built.objects(inspection, TKG.hasRating)
    }
    assert levels == {
        KEY_QUESTION.overall: RATING["requires-improvement"],
        KEY_QUESTION.safe: RATING.inadequate,
        KEY_QUESTION["well-led"]: RATING.good,
    }


def test_rating_change_outcome(built: Graph) -> None:
    change = iris.rating_change("ZZ1", "well-led", "a-2016")
    assert built.value(change, RDF.type) == TKG.RatingChange
    assert built.value(change, TKG.fromInspection) == iris.inspection("ZZ1", "a-2015")
    assert built.value(change, TKG.toInspection) == iris.inspection("ZZ1", "a-2016")
    assert built.value(change, TKG.rankChange) == Literal(2)
    outcome_type = built.value(change, TKG.outcomeType)
    assert outcome_type == iris.rating_change_type("rating-improved", "well-led")
    assert built.value(outcome_type, SKOS.broader) == iris.outcome_type("rating-improved")
    assert str(built.value(outcome_type, SKOS.prefLabel)) == "Well-led rating improved"


def test_evidence_provenance(built: Graph) -> None:
    item = iris.evidence("ZZ1", "a-e1")
    document = URIRef("https://example.org/fixture/cqc/alpha-report")
    assert built.value(item, PROV.wasDerivedFrom) == document
    assert built.value(document, TKG.sourceKind) == URIRef("https://w3id.org/trustkg/vocab/source-kind/cqc")
    assert set(built.objects(item, TKG.mentionsOutcome)) == {iris.rating_change("ZZ1", "well-led", "a-2016")}
    # Interview evidence derives from the interview, whose participant is known by role only.
    interview_item = iris.evidence("ZZ3", "c-e1")
    interview = built.value(interview_item, PROV.wasDerivedFrom)
    assert interview == iris.interview("ZZ3", "c-i1")
    participant = built.value(interview, TKG.interviewee)
    assert built.value(participant, TKG.role) == URIRef("https://w3id.org/trustkg/vocab/role/frontline-staff")
    assert set(built.predicate_objects(participant)) == {
        (RDF.type, TKG.Participant),
        (TKG.role, built.value(participant, TKG.role)),
    }


def test_every_fact_has_a_source(built: Graph) -> None:
    for cls in (
        TKG.Trust,
        TKG.Inspection,
        TKG.SpecialMeasuresEpisode,
        TKG.Action,
        TKG.MeasureChange,
        TKG.ReportedChange,
    ):
        for node in built.subjects(RDF.type, cls):
            assert built.value(node, DCTERMS.source) is not None, node
    for node in built.subjects(RDF.type, TKG.Evidence):
        assert built.value(node, PROV.wasDerivedFrom) is not None, node


def test_curator_and_source_themes_are_distinguished(built: Graph) -> None:
    stated = iris.evidence("ZZ2", "b-e3")
    assert set(built.objects(stated, TKG.statedTheme)) == {URIRef("https://w3id.org/trustkg/vocab/theme/leadership")}
    assert set(built.objects(stated, TKG.codedTheme)) == set()


def test_silent_source_means_no_triple(built: Graph) -> None:
    # ZZ2's actions give no description and b-fts no start date: nothing is said, not an empty string.
    action = iris.action("ZZ2", "b-fts")
    assert built.value(action, TKG.startDate) is None
    assert built.value(action, DCTERMS.description) is None


@pytest.mark.parametrize(
    ("date", "datatype"),
    [(PartialDate(2015), XSD.gYear), (PartialDate(2015, 9), XSD.gYearMonth), (PartialDate(2015, 9, 22), XSD.date)],
)
def test_dates_keep_their_precision(date: PartialDate, datatype: URIRef) -> None:
    assert date_literal(date).datatype == datatype


def rdf11(graph: Graph) -> Graph:
    """The graph with xsd:string literals written as simple literals: the same term in RDF 1.1.

    Oxigraph writes every simple literal with its implicit xsd:string type; rdflib does not.
    """
    canonical = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        canonical.add((s, p, o))
    return canonical


def test_written_files_are_the_same_graph_in_every_store(fixture_base: EvidenceBase, tmp_path: Path) -> None:
    reference = rdf11(build_graph(fixture_base)[0])
    for store in local_stores():
        graph, _ = build_graph(fixture_base, new_graph(store))
        ttl, nt = write_graph(graph, tmp_path / store)
        for path in (ttl, nt):
            assert isomorphic(to_isomorphic(rdf11(load_graph(path, "memory"))), to_isomorphic(reference)), path


def test_ontology_loads_in_owlready2(tmp_path: Path) -> None:
    # owlready2 does not read Turtle: give it N-Triples, as the reasoner bridge does.
    path = tmp_path / "schema.nt"
    schema_graph().serialize(path, format="nt", encoding="utf-8")
    world = World()
    onto = world.get_ontology(path.as_uri()).load()
    names = {cls.name for cls in onto.classes()}
    assert {"Trust", "Inspection", "Rating", "Evidence", "Action", "RatingChange", "MeasureChange"} <= names
