"""The ontology's own checks: every term explained; validation from the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_DIR, CliRun
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from trustkg import api, iris
from trustkg.errors import ChecksFailedError
from trustkg.ontology import DEF_BASE, ONTOLOGY_FILE, TKG

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def unexplained(graph: Graph, terms: set[URIRef]) -> list[str]:
    return [
        str(t) for t in sorted(terms) if graph.value(t, RDFS.label) is None or graph.value(t, SKOS.definition) is None
    ]


def test_every_term_of_ours_has_a_label_and_a_definition() -> None:
    graph = ontology()
    ours = {t for kind in KINDS for t in graph.subjects(RDF.type, kind) if str(t).startswith(DEF_BASE)}
    assert len(ours) > 60
    assert unexplained(graph, ours) == []


def test_every_reused_class_and_property_is_explained_too() -> None:
    """Reused terms declared as classes or properties (not annotation properties) carry our gloss."""
    graph = ontology()
    declared = {t for kind in KINDS[:3] for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef)}
    assert unexplained(graph, declared) == []


def test_defined_classes_are_defined() -> None:
    graph = ontology()
    for name in ("LeadershipAction", "ImprovingTrust", "TriangulatedAction", "RatingImprovement"):
        assert graph.value(TKG[name], OWL.equivalentClass) is not None, name


def test_definitions_use_no_nominals_or_datatype_facets() -> None:
    """owl:hasValue, owl:oneOf and facet restrictions made HermiT 5-10x slower: the anchors replace them."""
    graph = ontology()
    for slow in (OWL.hasValue, OWL.oneOf, OWL.withRestrictions):
        assert not list(graph.subject_objects(slow)), slow


# --- trustkg validate and build ------------------------------------------------------------


def break_ods_code(case_dir: Path) -> None:
    """ZZ33 passes the loader (letters and digits) but not the shape (three characters)."""
    path = case_dir / "cases" / "ZZ3.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ods: ZZ3", "ods: ZZ33"), encoding="utf-8")


def test_validate_the_fixture(cli: Callable[..., CliRun]) -> None:
    run = cli("validate", "--data", str(FIXTURE_DIR))
    assert run.code == 0, run.out + run.err
    assert run.out == "0 shape violation(s); 0 of 6 curation check(s) failed\n"


def test_validate_reports_violations_readably(cli: Callable[..., CliRun], case_dir: Path) -> None:
    break_ods_code(case_dir)
    run = cli("validate", "--data", str(case_dir))
    assert run.code == 1
    trust = iris.trust("ZZ33")
    assert run.out.splitlines() == [
        "2 shape violation(s); 0 of 6 curation check(s) failed",
        f"  Fixture Gamma Community NHS Trust <{trust}> A trust's IRI must be https://w3id.org/trustkg/id/trust/ "
        f"followed by its three-character ODS code. (value: {trust}) [shape:Trust]",
        f"  Fixture Gamma Community NHS Trust <{trust}> tkg:odsCode: A trust needs exactly one ODS code: "
        "three capital letters or digits, e.g. RGT. (value: ZZ33) [shape:Trust-odsCode]",
    ]


def test_validate_reports_failed_checks_with_their_rows(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    built = api.build_graph_from(FIXTURE_DIR, "memory")
    built.graph.remove((iris.action_type("peer-support"), TKG.reserved, None))
    path = tmp_path / "graph.nt"
    built.graph.serialize(path, format="nt", encoding="utf-8")
    run = cli("validate", "--graph", str(path))
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0] == "0 shape violation(s); 1 of 6 curation check(s) failed"
    assert lines[1] == "  check unused-codebook-type-violation: Codebook types that nothing uses (1 row(s))"
    # The row names the type by its ID, as the codebook gives it, not by its label.
    assert "peer-support" in lines[-2] and "Peer support from another trust" not in lines[-2]


def test_build_writes_nothing_when_validation_fails(cli: Callable[..., CliRun], case_dir: Path, tmp_path: Path) -> None:
    break_ods_code(case_dir)
    out = tmp_path / "out"
    run = cli("build", "--data", str(case_dir), "--out", str(out))
    assert run.code == 1
    assert "the graph failed its checks; nothing was written" in run.err
    assert "[shape:Trust-odsCode]" in run.err
    assert not out.exists()
    assert list(tmp_path.glob(".out.*")) == []  # nor the N-Triples written as the graph was built


def test_build_no_validate_writes_anyway(cli: Callable[..., CliRun], case_dir: Path, tmp_path: Path) -> None:
    break_ods_code(case_dir)
    out = tmp_path / "out"
    run = cli("build", "--data", str(case_dir), "--out", str(out), "--no-validate")
    assert run.code == 0
    assert "Validated" not in run.out
    assert (out / "trustkg.nt").exists()


def test_build_validates_by_default(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    run = cli("build", "--data", str(FIXTURE_DIR), "--out", str(tmp_path / "out"))
    assert run.code == 0
    assert "Validated: 0 shape violation(s); 0 of 6 curation check(s) failed" in run.out


def test_api_raises_failed_checks_with_the_report(case_dir: Path) -> None:
    break_ods_code(case_dir)
    with pytest.raises(ChecksFailedError) as caught:
        api.build_graph_from(case_dir, validate=True)
    assert caught.value.summary == "2 shape violation(s); 0 of 6 curation check(s) failed"
    assert len(caught.value.details) == 2


def test_validate_a_graph_with_a_bad_literal() -> None:
    built = api.build_graph_from(FIXTURE_DIR, "memory")
    built.graph.set((iris.trust("ZZ1"), TKG.isFoundationTrust, Literal("perhaps")))
    report = api.validate_graph(built.graph)
    assert [v.shape for v in report.violations] == ["shape:Trust-foundation"]
    assert report.violations[0].value == "perhaps"
