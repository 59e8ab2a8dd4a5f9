"""SHACL shapes: the fixture conforms, and every shape catches a graph that breaks it.

Each violating case starts from the built fixture graph and removes or adds a
few triples, then expects the named shape to report the named focus node.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

# rdflib.XSD, not a module-level XSD: pytest probes module globals and XSD warns on unknown names.
import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SH, SKOS

from trustkg import iris
from trustkg.build import build_graph
from trustkg.ontology import BASE, DEF_BASE, OA, ROLE, THEME, TKG, TRUST_TYPE, VOCABULARIES, schema_graph
from trustkg.records import EvidenceBase
from trustkg.store import new_graph
from trustkg.validate import Violation, check_shapes, shapes_graph

SHAPE = BASE + "shapes/"

ZZ1, ZZ2, ZZ3 = iris.trust("ZZ1"), iris.trust("ZZ2"), iris.trust("ZZ3")
A_2015, A_2016 = iris.inspection("ZZ1", "a-2015"), iris.inspection("ZZ1", "a-2016")
A_2015_OVERALL = iris.rating("ZZ1", "a-2015", "overall")
ALPHA_GENERAL = iris.site("ZZ1", "alpha-general")
SM_2015 = iris.special_measures("ZZ1", "sm-2015")
CQC_ALPHA = iris.document("https://example.org/fixture/cqc/alpha-report")
INTERVIEW = iris.interview("ZZ3", "c-i1")
PARTICIPANT = iris.participant("ZZ3", "c-i1")
WALKABOUTS = iris.action("ZZ1", "a-walkabouts")
ENGAGEMENT = iris.outcome("ZZ1", "a-engagement")
WELL_LED_2016 = iris.rating_change("ZZ1", "well-led", "a-2016")
A_E1 = iris.evidence("ZZ1", "a-e1")
A_E1_CITATION = iris.citation(A_E1, 0)
A_E1_LINK = iris.link_claim(A_E1, 0)  # a-walkabouts -> well-led@a-2016, stated
A_2016_CITATION = iris.citation(A_2016, 0)  # cites the Alpha report at p. 2
VISIBLE_LEADERSHIP = iris.action_type("visible-leadership")
UNKNOWN = URIRef("https://example.org/fixture/not-in-the-graph")


def replace(subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.remove((subject, predicate, None))
        graph.add((subject, predicate, value))

    return mutate


def remove(subject: URIRef, predicate: URIRef) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        assert (subject, predicate, None) in graph, "the case must remove something that is there"
        graph.remove((subject, predicate, None))

    return mutate


def add(*triples: tuple[URIRef, URIRef, URIRef | Literal]) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        for triple in triples:
            graph.add(triple)

    return mutate


def two_ratings_on(key_question: str) -> Callable[[Graph], None]:
    """Give inspection a-2015 two ratings on one key question."""
    kq = iris.key_question(key_question)
    first, second = URIRef(f"{A_2015}/extra/{key_question}/1"), URIRef(f"{A_2015}/extra/{key_question}/2")
    triples = []
    for rating in (first, second):
        triples += [
            (A_2015, TKG.hasRating, rating),
            (rating, RDF.type, TKG.Rating),
            (rating, TKG.keyQuestion, kq),
            (rating, TKG.ratingLevel, iris.rating_level("good")),
        ]
    return add(*triples)


@dataclass(frozen=True)
class Case:
    shape: str  # local name in the shapes namespace
    focus: URIRef
    mutate: Callable[[Graph], None]


BAD_DOCUMENT = URIRef("urn:fixture:not-a-url")
SELECTOR = URIRef("urn:fixture:selector")  # a selector added to the fixture, which cites no interview
BAD_TRUST = URIRef(str(ZZ1) + "-annex")

CASES = [
    Case("Trust", BAD_TRUST, add((BAD_TRUST, RDF.type, TKG.Trust))),
    Case("Trust-odsCode", ZZ1, replace(ZZ1, TKG.odsCode, Literal("zz1"))),
    Case("Trust-odsCode", ZZ2, remove(ZZ2, TKG.odsCode)),
    Case("Trust-name", ZZ1, remove(ZZ1, RDFS.label)),
    Case("Trust-trustType", ZZ1, add((ZZ1, TKG.trustType, UNKNOWN))),
    Case("Trust-trustType", ZZ2, remove(ZZ2, TKG.trustType)),
    Case("Trust-site", ZZ1, add((ZZ1, ORG.hasSite, UNKNOWN))),
    Case("Trust-foundation", ZZ1, replace(ZZ1, TKG.isFoundationTrust, Literal("no"))),
    Case("Trust-source", ZZ1, remove(ZZ1, DCTERMS.source)),
    Case("Site-name", ALPHA_GENERAL, remove(ALPHA_GENERAL, RDFS.label)),
    Case("Site-trust", ALPHA_GENERAL, add((ZZ2, ORG.hasSite, ALPHA_GENERAL))),
    Case("Trust-succeededBy", ZZ1, add((ZZ1, TKG.succeededBy, ZZ2), (ZZ1, TKG.succeededBy, ZZ3))),
    Case("Trust-succeededBy", ZZ1, add((ZZ1, TKG.succeededBy, UNKNOWN))),
    Case("Trust-successionDate", ZZ1, add((ZZ1, TKG.successionDate, Literal("spring 2016")))),
    Case("Trust-dissolvedDate", ZZ1, add((ZZ1, TKG.dissolvedDate, Literal("2016-13")))),
    Case("Inspection", A_2015, remove(A_2015, TKG.startDate)),  # a-2015 has no published date either
    Case("Inspection-trust", A_2015, remove(A_2015, TKG.trust)),
    Case("Inspection-startDate", A_2015, replace(A_2015, TKG.startDate, Literal("March 2015"))),
    Case("Inspection-endDate", A_2016, add((A_2016, TKG.endDate, Literal("2016-09-15", datatype=rdflib.XSD.date)))),
    Case(
        "Inspection-publishedDate",
        A_2016,
        replace(A_2016, TKG.publishedDate, Literal("2016-12-01T00:00:00", datatype=rdflib.XSD.dateTime)),
    ),
    Case("Inspection-site", A_2015, add((A_2015, TKG.site, ZZ1))),
    Case("Inspection-rating", A_2015, add((A_2015, TKG.hasRating, UNKNOWN))),
    Case("Inspection-source", A_2015, remove(A_2015, DCTERMS.source)),
    *(
        Case(f"Inspection-one-{kq}", A_2015, two_ratings_on(kq))
        for kq in ("overall", "safe", "effective", "caring", "responsive", "well-led")
    ),
    Case("Rating-keyQuestion", A_2015_OVERALL, remove(A_2015_OVERALL, TKG.keyQuestion)),
    Case(
        "Rating-level",
        A_2015_OVERALL,
        replace(A_2015_OVERALL, TKG.ratingLevel, URIRef(VOCABULARIES["rating-levels"] + "excellent")),
    ),
    Case("Rating-inspection", A_2015_OVERALL, add((A_2016, TKG.hasRating, A_2015_OVERALL))),
    Case("SpecialMeasures-trust", SM_2015, remove(SM_2015, TKG.trust)),
    # The entry date is optional (a source may give only the exit), but there is at most one.
    Case("SpecialMeasures-entered", SM_2015, add((SM_2015, TKG.startDate, Literal("2014", datatype=rdflib.XSD.gYear)))),
    Case("RegulatoryEpisode-trust", SM_2015, add((SM_2015, TKG.trust, ZZ2))),
    Case("RegulatoryEpisode-start", SM_2015, replace(SM_2015, TKG.startDate, Literal("June 2015"))),
    Case("RegulatoryEpisode-end", SM_2015, add((SM_2015, TKG.endDate, Literal("2017", datatype=rdflib.XSD.gYear)))),
    Case("RegulatoryEpisode-source", SM_2015, remove(SM_2015, DCTERMS.source)),
    Case("SpecialMeasures-exited", SM_2015, replace(SM_2015, TKG.endDate, Literal(2016))),
    Case("SpecialMeasures-source", SM_2015, remove(SM_2015, DCTERMS.source)),
    Case(
        "Document",
        BAD_DOCUMENT,
        add(
            (BAD_DOCUMENT, RDF.type, TKG.Document),
            (BAD_DOCUMENT, DCTERMS.title, Literal("A document without a URL")),
            (BAD_DOCUMENT, TKG.sourceKind, iris.source_kind("cqc")),
        ),
    ),
    Case("Document-title", CQC_ALPHA, remove(CQC_ALPHA, DCTERMS.title)),
    Case("Document-kind", CQC_ALPHA, remove(CQC_ALPHA, TKG.sourceKind)),
    Case("Citation-source", A_E1_CITATION, remove(A_E1_CITATION, OA.hasSource)),
    Case("Citation-source", A_E1_CITATION, replace(A_E1_CITATION, OA.hasSource, ZZ1)),
    Case("Citation-locator", A_2016_CITATION, add((A_2016_CITATION, TKG.locator, Literal("p. 3")))),
    Case("Citation-locator", A_E1_CITATION, add((A_E1_CITATION, TKG.locator, Literal("")))),
    Case("Locator-on-citation", A_E1, add((A_E1, TKG.locator, Literal("p. 2")))),
    Case("Interview-trust", INTERVIEW, remove(INTERVIEW, TKG.trust)),
    Case("Interview-interviewee", INTERVIEW, remove(INTERVIEW, TKG.interviewee)),
    Case("Interview-reportedIn", INTERVIEW, add((INTERVIEW, TKG.reportedIn, ZZ3))),
    Case("Participant-role", PARTICIPANT, remove(PARTICIPANT, TKG.role)),
    Case("Action-type", WALKABOUTS, remove(WALKABOUTS, TKG.actionType)),
    Case("Action-type", WALKABOUTS, replace(WALKABOUTS, TKG.actionType, THEME["leadership"])),
    Case("Action-trust", WALKABOUTS, remove(WALKABOUTS, TKG.trust)),
    Case("Action-label", WALKABOUTS, remove(WALKABOUTS, RDFS.label)),
    Case("Action-role", WALKABOUTS, add((WALKABOUTS, TKG.ledBy, THEME["leadership"]))),
    Case("Action-theme", WALKABOUTS, add((WALKABOUTS, TKG.statedTheme, ROLE["chief-executive"]))),
    Case("Action-started", WALKABOUTS, replace(WALKABOUTS, TKG.startDate, Literal("soon"))),
    Case("Action-source", WALKABOUTS, remove(WALKABOUTS, DCTERMS.source)),
    Case("Outcome-type", ENGAGEMENT, remove(ENGAGEMENT, TKG.outcomeType)),
    Case("Outcome-type", WELL_LED_2016, add((WELL_LED_2016, TKG.outcomeType, iris.outcome_type("staff-engagement")))),
    Case("Outcome-trust", ENGAGEMENT, add((ENGAGEMENT, TKG.trust, ZZ2))),
    Case("Outcome-label", ENGAGEMENT, remove(ENGAGEMENT, RDFS.label)),
    Case("MeasureChange-measure", ENGAGEMENT, remove(ENGAGEMENT, TKG.measure)),
    Case("MeasureChange-values", ENGAGEMENT, replace(ENGAGEMENT, TKG.valueBefore, Literal("3.6"))),
    Case("MeasureChange-years", ENGAGEMENT, replace(ENGAGEMENT, TKG.yearAfter, Literal(2017))),
    Case("MeasureChange-yearBounds", ENGAGEMENT, add((ENGAGEMENT, TKG.earliestYearBefore, Literal("about 2014")))),
    Case("MeasureChange-approximate", ENGAGEMENT, add((ENGAGEMENT, TKG.approximateYearAfter, Literal("roughly")))),
    Case("MeasureChange-percentChange", ENGAGEMENT, add((ENGAGEMENT, TKG.percentChange, Literal(-37)))),
    Case("MeasureChange-percentChange", ENGAGEMENT, add((ENGAGEMENT, TKG.percentChange, Literal("37%")))),
    Case("MeasureChange-changeDirection", ENGAGEMENT, add((ENGAGEMENT, TKG.changeDirection, Literal("down")))),
    Case("RatingChange-keyQuestion", WELL_LED_2016, remove(WELL_LED_2016, TKG.keyQuestion)),
    Case("RatingChange-from", WELL_LED_2016, replace(WELL_LED_2016, TKG.fromInspection, A_2016)),
    Case("RatingChange-to", WELL_LED_2016, remove(WELL_LED_2016, TKG.toInspection)),
    Case("RatingChange-fromLevel", WELL_LED_2016, remove(WELL_LED_2016, TKG.fromLevel)),
    Case("RatingChange-toLevel", WELL_LED_2016, remove(WELL_LED_2016, TKG.toLevel)),
    Case("RatingChange-rankChange", WELL_LED_2016, replace(WELL_LED_2016, TKG.rankChange, Literal(0))),
    Case("RatingChange-rankChange", WELL_LED_2016, replace(WELL_LED_2016, TKG.rankChange, Literal(4))),
    Case("Evidence-statement", A_E1, remove(A_E1, TKG.statement)),
    Case("Evidence-trust", A_E1, remove(A_E1, TKG.trust)),
    Case("Evidence-source", A_E1, remove(A_E1, PROV.wasDerivedFrom)),
    Case("Evidence-source", A_E1, replace(A_E1, PROV.wasDerivedFrom, ZZ1)),
    Case("Evidence-theme", A_E1, remove(A_E1, TKG.codedTheme)),  # its only theme
    Case("Evidence-reportedBy", A_E1, add((A_E1, TKG.reportedBy, ROLE["frontline-staff"]))),
    Case("Evidence-codedBy", A_E1, add((A_E1, TKG.codedBy, Literal("")))),
    Case("TextPositionSelector-start", SELECTOR, add((SELECTOR, OA.start, Literal(9)), (SELECTOR, OA.end, Literal(3)))),
    Case("TextPositionSelector-end", SELECTOR, add((SELECTOR, OA.start, Literal(3)))),
    Case("TextQuoteSelector-exact", SELECTOR, add((SELECTOR, OA.exact, Literal("")))),
    Case("Evidence-action", A_E1, add((A_E1, TKG.mentionsAction, ENGAGEMENT))),
    Case("Evidence-outcome", A_E1, add((A_E1, TKG.mentionsOutcome, WALKABOUTS))),
    Case(
        "Concept-prefLabel",
        THEME["leadership"],
        add((THEME["leadership"], SKOS.prefLabel, Literal("Leading", lang="en"))),
    ),
    Case("LinkClaim-action", A_E1_LINK, remove(A_E1_LINK, TKG.claimedAction)),
    Case("LinkClaim-outcome", A_E1_LINK, add((A_E1_LINK, TKG.claimedOutcome, WALKABOUTS))),
    Case("LinkClaim-attribution", A_E1_LINK, replace(A_E1_LINK, TKG.attribution, THEME["leadership"])),
    Case("LinkClaim-claimant", A_E1_LINK, add((iris.evidence("ZZ1", "a-e2"), TKG.supportsLink, A_E1_LINK))),
    Case("CuratorLinkClaim", A_E1_LINK, replace(A_E1_LINK, TKG.attribution, iris.attribution("curator"))),
    Case("Evidence-restsOn", A_E1, remove(A_E1, TKG.restsOn)),
    Case("Document-copyOf", CQC_ALPHA, add((CQC_ALPHA, TKG.copyOf, UNKNOWN))),
    Case("Concept-definition", ROLE["chair"], remove(ROLE["chair"], SKOS.definition)),
    Case("Concept-scheme", ROLE["chair"], remove(ROLE["chair"], SKOS.inScheme)),
    Case("CodebookType-notation", VISIBLE_LEADERSHIP, remove(VISIBLE_LEADERSHIP, SKOS.notation)),
    Case("CodebookType-reserved", VISIBLE_LEADERSHIP, add((VISIBLE_LEADERSHIP, TKG.reserved, Literal("yes")))),
]

#: Shapes used only through sh:node from other shapes; their cases are those shapes' cases.
VALUE_SHAPES = {"PartialDate"}


@pytest.fixture
def fresh_graph(fixture_base: EvidenceBase) -> Graph:
    """A new copy of the built fixture (memory store) for one test to break."""
    graph, _ = build_graph(fixture_base, new_graph("memory"))
    return graph


def test_fixture_conforms(fixture_graph: Graph) -> None:
    assert check_shapes(fixture_graph) == ()


def test_fixture_gives_every_node_shape_something_to_check(fixture_graph: Graph) -> None:
    """The conforming case is not vacuous: each targeted class has members in the fixture."""
    shapes = shapes_graph()
    for shape, cls in shapes.subject_objects(SH.targetClass):
        members = set(fixture_graph.subjects(RDF.type, cls))
        for subclass in fixture_graph.transitive_subjects(RDFS.subClassOf, cls):
            members |= set(fixture_graph.subjects(RDF.type, subclass))
        assert members, f"{shape} targets {cls}, which has no member in the fixture"


def test_a_trust_may_have_several_types(fresh_graph: Graph) -> None:
    fresh_graph.add((ZZ1, TKG.trustType, TRUST_TYPE["community"]))
    assert check_shapes(fresh_graph) == ()


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.shape}@{iris.local_name(case.focus)}")
def test_shape_catches_its_violation(case: Case, fresh_graph: Graph) -> None:
    case.mutate(fresh_graph)
    violations = check_shapes(fresh_graph)
    caught = {(v.shape, v.focus) for v in violations}
    assert (f"shape:{case.shape}", case.focus) in caught, [str(v) for v in violations]


def test_every_shape_has_a_violating_case() -> None:
    shapes = shapes_graph()
    named = {
        str(shape)[len(SHAPE) :]
        for kind in (SH.NodeShape, SH.PropertyShape)
        for shape in shapes.subjects(RDF.type, kind)
        if isinstance(shape, URIRef)
    }
    node_shapes_with_own_constraints = {"Trust", "Inspection", "Document"}
    covered = {case.shape for case in CASES}
    # A node shape that only gathers property shapes is covered by their cases.
    gathering = {
        str(shape)[len(SHAPE) :]
        for shape in shapes.subjects(SH.property, None)
        if str(shape)[len(SHAPE) :] not in node_shapes_with_own_constraints
    }
    assert named - covered - gathering - VALUE_SHAPES == set()


def test_every_shape_explains_itself() -> None:
    """Every shape that checks something carries a message a curator can act on."""
    shapes = shapes_graph()
    for shape in set(shapes.subjects(RDF.type, SH.PropertyShape)):
        assert shapes.value(shape, SH.message) is not None, shape


def test_shapes_name_only_declared_terms() -> None:
    """Every term a shape uses is declared by the ontology or a vocabulary it reuses."""
    builtin = (str(SH), str(RDF), str(RDFS), str(rdflib.XSD), SHAPE)
    declared = {s for s in schema_graph().subjects() if isinstance(s, URIRef)}
    used = {
        term
        for triple in shapes_graph()
        for term in triple
        if isinstance(term, URIRef) and not str(term).startswith(builtin)
    }
    assert used, "the shapes use ontology terms"
    assert sorted(used - declared) == []
    assert any(str(term).startswith(DEF_BASE) for term in used)


def test_violation_names_label_path_and_message(fresh_graph: Graph) -> None:
    fresh_graph.remove((A_E1, TKG.codedTheme, None))
    fresh_graph.set((ZZ1, TKG.odsCode, Literal("zz1")))
    violations = check_shapes(fresh_graph)
    assert [v.shape for v in violations] == ["shape:Evidence-theme", "shape:Trust-odsCode"]
    theme, ods = violations
    assert theme == Violation(
        focus=A_E1,
        focus_label="Evidence a-e1",
        path="tkg:codedTheme|tkg:statedTheme",
        message="An evidence item needs at least one theme (coded or stated) from the theme vocabulary.",
        shape="shape:Evidence-theme",
    )
    assert str(ods) == (
        f"Fixture Alpha Hospitals NHS Trust <{ZZ1}> tkg:odsCode: A trust needs exactly one ODS code: "
        "three capital letters or digits, e.g. RGT. (value: zz1) [shape:Trust-odsCode]"
    )


def test_inverse_path_is_shown_as_such(fresh_graph: Graph) -> None:
    fresh_graph.add((A_2016, TKG.hasRating, A_2015_OVERALL))
    paths = {v.shape: v.path for v in check_shapes(fresh_graph)}
    assert paths == {"shape:Rating-inspection": "^tkg:hasRating", "shape:Inspection-one-overall": "tkg:hasRating"}


def test_rdfs_inference_mode_gives_the_same_answer(fixture_graph: Graph) -> None:
    assert check_shapes(fixture_graph, inference="rdfs") == ()


def test_owl_inference_is_refused(fixture_graph: Graph) -> None:
    with pytest.raises(ValueError, match="inference must be one of"):
        check_shapes(fixture_graph, inference="owlrl")
