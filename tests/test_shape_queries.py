"""The SHACL shapes as SPARQL on Oxigraph report exactly what pyshacl reports.

Compared as sets of (focus, path, shape, constraint component, value): on every violating case of
tests/test_shapes.py, on the shipped data and the second study, and on a FICTIONAL synthetic base
with violations injected for every property shape. Features the translation does not cover are
refused, never skipped.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD
from rdflib.term import Node
from test_shapes import A_2016, CASES, ENGAGEMENT, WELL_LED_2016, Case

from bench.synthetic import write_case_base
from trustkg import api, iris
from trustkg.build import build_graph
from trustkg.errors import ShapesError
from trustkg.ontology import TKG
from trustkg.records import EvidenceBase
from trustkg.shape_queries import shape_queries
from trustkg.store import new_graph
from trustkg.validate import Violation, check_shapes, shapes_graph

Result = tuple[Node, str, str, str, str | None]


def results(violations: tuple[Violation, ...]) -> set[Result]:
    return {(v.focus, v.path, v.shape, v.constraint, v.value) for v in violations}


def both(graph: Graph) -> tuple[set[Result], set[Result]]:
    return results(check_shapes(graph, engine="oxigraph")), results(check_shapes(graph, engine="pyshacl"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.shape}@{case.focus.rsplit('/', 1)[-1]}")
def test_both_engines_report_the_same_for_each_violating_case(case: Case, fixture_base: EvidenceBase) -> None:
    graph, _ = build_graph(fixture_base, new_graph("memory"))
    case.mutate(graph)
    on_oxigraph, on_pyshacl = both(graph)
    assert on_oxigraph == on_pyshacl
    assert any(shape == f"shape:{case.shape}" and focus == case.focus for focus, _, shape, _, _ in on_oxigraph)


def test_both_engines_pass_the_shipped_data() -> None:
    assert both(api.build_graph_from(REPO / "data", "oxigraph").graph) == (set(), set())


def test_both_engines_report_the_same_on_the_second_study() -> None:
    # Seven of its themes have no definition (the study gives none) and name the study as their source instead.
    graph = api.build_graph_from(REPO / "tests/fixtures/second-study", "oxigraph").graph
    assert both(graph) == (set(), set())
    # Without that source, a theme is a concept with neither: both engines report it.
    safe_wards = iris.theme("mh-safe-wards")
    graph.remove((safe_wards, DCTERMS.source, None))
    on_oxigraph, on_pyshacl = both(graph)
    assert on_oxigraph == on_pyshacl
    assert {(focus, shape) for focus, _, shape, _, _ in on_oxigraph} == {(safe_wards, "shape:Concept-definition")}


#: Values that break one rule or another: wrong datatypes, ill-typed literals, empty and duplicated-language
#: text, out-of-range numbers, an IRI of nothing, a blank node. Ill-typed years and months are left out:
#: pyshacl checks them only once owlrl has registered rdflib converters, a process-wide setting (see below).
#: So is "yes" as a boolean: rdflib writes it "false" while marking it ill-typed, so no store holds what pyshacl checks.
BAD_VALUES: list[Node] = [
    Literal("x"),
    Literal(""),
    Literal("abc", datatype=XSD.integer),
    Literal("2016-02-30", datatype=XSD.date),
    Literal("2015", datatype=XSD.gYear),
    Literal("2015-02", datatype=XSD.gYearMonth),
    Literal("", lang="en"),
    Literal("A", lang="en"),
    Literal("B", lang="EN"),
    Literal("rise", lang="en"),
    Literal(0),
    Literal(-7),
    Literal(3),
    Literal("3", datatype=XSD.decimal),
    Literal(2.5),
    URIRef("https://example.org/fictional/not-in-the-graph"),
    BNode("fictional"),
]


#: Range constraints get numbers only. pyshacl compares a value of another type with a number as rdflib
#: does (true <= 3 holds, "2015x"^^xsd:gYear > 3 does not fail), where SHACL uses SPARQL's comparison, which
#: fails, so a violation (see below). Every range-constrained shape also has sh:datatype, which both report.
_RANGES = (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive)
_NUMBERS = [value for value in BAD_VALUES if isinstance(value, Literal) and type(value.value) in (int, float)]


def _members(graph: Graph, cls: Node) -> list[Node]:
    classes = {cls, *graph.transitive_subjects(RDFS.subClassOf, cls)}
    return sorted({member for c in classes for member in graph.subjects(RDF.type, c)})


def _predicates(shapes: Graph, path: Node) -> tuple[list[Node], Node | None]:
    """The predicates a path walks forwards (a plain or alternative path), and its inverse predicate if any."""
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return list(Collection(shapes, alternatives)), None
    return ([path], None) if isinstance(path, URIRef) else ([], shapes.value(path, SH.inversePath))


def inject_violations(graph: Graph, seed: int) -> int:
    """For every property shape: drop one focus node's values and add bad values to others; how many edits."""
    shapes, rng = shapes_graph(), random.Random(seed)
    iris = sorted({o for o in graph.objects() if isinstance(o, URIRef)})
    edits = 0
    for node_shape in sorted(set(shapes.subjects(SH.property, None))):
        targets = [m for cls in shapes.objects(node_shape, SH.targetClass) for m in _members(graph, cls)]
        if not targets:
            continue
        for shape in sorted(shapes.objects(node_shape, SH.property), key=str):
            forwards, inverse = _predicates(shapes, shapes.value(shape, SH.path))
            ranged = any((shape, bound, None) in shapes for bound in _RANGES)
            values = rng.sample(_NUMBERS, 3) if ranged else rng.sample(BAD_VALUES, 6) + rng.sample(iris, 3)
            for predicate in forwards:
                graph.remove((rng.choice(targets), predicate, None))
                for value in values:
                    graph.add((rng.choice(targets), predicate, value))
                edits += 1 + len(values)
            if inverse is not None:
                graph.add((rng.choice(iris), inverse, rng.choice(targets)))
                graph.remove((None, inverse, rng.choice(targets)))
                edits += 2
    return edits


@pytest.mark.parametrize("store_name", ["oxigraph", "memory"])
def test_both_engines_report_the_same_on_a_synthetic_base_with_injected_violations(
    store_name: str, tmp_path: Path
) -> None:
    graph = api.build_graph_from(write_case_base(tmp_path, trusts=4), store_name, validate=False).graph
    assert inject_violations(graph, seed=16) > 500
    on_oxigraph, on_pyshacl = both(graph)
    assert on_oxigraph == on_pyshacl
    # Not vacuous: most constraints of the shapes are broken somewhere.
    constraints = {(shape, constraint) for _, _, shape, constraint, _ in on_oxigraph}
    assert len(constraints) > 100


def test_a_boolean_is_not_a_number_to_the_range_constraints(fixture_base: EvidenceBase) -> None:
    """SHACL compares with SPARQL's operators, for which true <= 3 is an error, so a violation of both bounds;
    pyshacl, comparing as rdflib does (true <= 3 holds), reports only one, so the cross-engine cases leave it out."""
    graph, _ = build_graph(fixture_base, new_graph("oxigraph"))
    graph.set((WELL_LED_2016, TKG.rankChange, Literal(True)))
    broken = {v.constraint for v in check_shapes(graph) if v.shape == "shape:RatingChange-rankChange"}
    assert broken == {
        "sh:DatatypeConstraintComponent",
        "sh:MinInclusiveConstraintComponent",
        "sh:MaxInclusiveConstraintComponent",
    }


def test_an_ill_typed_year_or_month_is_not_of_its_datatype(fixture_base: EvidenceBase) -> None:
    graph, _ = build_graph(fixture_base, new_graph("oxigraph"))
    graph.set((ENGAGEMENT, TKG.yearAfter, Literal("2017x", datatype=XSD.gYear)))
    graph.set((A_2016, TKG.endDate, Literal("2016-13", datatype=XSD.gYearMonth)))
    broken = {(v.shape, v.focus, v.constraint, v.value) for v in check_shapes(graph)}
    assert broken == {
        ("shape:MeasureChange-years", ENGAGEMENT, "sh:DatatypeConstraintComponent", "2017x"),
        ("shape:Inspection-endDate", A_2016, "sh:NodeConstraintComponent", "2016-13"),
    }


SHAPES_HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/fictional/> .
"""


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .", "equals"),
        ("ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:nodeKind sh:IRI .", "targetNode"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ; sh:nodeKind sh:IRI .", "severity"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( [ sh:nodeKind sh:IRI ] ) .", "xone"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:path ex:p ; sh:maxCount 2 ] ) .",
            "is not translated inside another shape",
        ),
    ],
)
def test_a_feature_without_a_translation_is_refused(shape: str, named: str) -> None:
    with pytest.raises(ShapesError, match=named):
        shape_queries(Graph().parse(data=SHAPES_HEAD + shape, format="turtle"))


def test_every_shipped_shape_is_translated() -> None:
    """Every targeted shape with a constraint of its own, and every property shape of one, gets queries."""
    shapes = shapes_graph()
    targeted = {s for p in (SH.targetClass, SH.targetSubjectsOf) for s in shapes.subjects(p, None)}
    reached = targeted | {member for shape in targeted for member in shapes.objects(shape, SH.property)}
    structure = {RDF.type, SH.property, SH.path, SH.message, SH.targetClass, SH.targetSubjectsOf}
    constrained = {shape for shape in reached if set(shapes.predicates(shape)) - structure}
    assert len(constrained) > 90
    assert {query.shape for query in shape_queries(shapes)} == constrained
