"""Checking a built graph: SHACL shapes (``ontology/shapes.ttl``) and curation checks.

Two kinds of rule, one report:

- the SHACL Core shapes, run by pyshacl without OWL inference (OWL-RL
  pre-inference is 10-15x slower and the shapes do not need it);
- the curation checks in ``queries/checks/*-violation.rq``: SPARQL that must
  return no rows, for rules that compare one node with another (SHACL Core
  cannot), run by the same runner as the query library.

A graph that breaks rules is not an error here: :func:`validate` returns a
:class:`ValidationReport` and the caller decides (``trustkg build`` writes
nothing, ``trustkg validate`` exits 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node

from trustkg.ontology import SHAPES_FILE, bind_prefixes
from trustkg.queries.library import CHECKS_DIR
from trustkg.sparql import LibraryQuery, ResultTable, label_lookup, library, render, run_query
from trustkg.store import in_memory

#: pyshacl's inference modes that are fast enough to run on every build.
INFERENCE_MODES = ("none", "rdfs")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which shape, on which path, and why."""

    focus: Node
    focus_label: str
    path: str
    message: str
    shape: str
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.focus_label} <{self.focus}>" if self.focus_label != str(self.focus) else f"<{self.focus}>"
        path = f" {self.path}:" if self.path else ""
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{where}{path} {self.message}{value} [{self.shape}]"


@dataclass(frozen=True)
class CheckResult:
    """One curation check and the rows it returned (none means it passed)."""

    name: str
    title: str
    table: ResultTable
    rendered: str

    @property
    def passed(self) -> bool:
        return len(self.table) == 0


@dataclass(frozen=True)
class ValidationReport:
    violations: tuple[Violation, ...]
    checks: tuple[CheckResult, ...]

    @property
    def failed_checks(self) -> tuple[CheckResult, ...]:
        return tuple(check for check in self.checks if not check.passed)

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.failed_checks

    def summary(self) -> str:
        return (
            f"{len(self.violations)} shape violation(s); "
            f"{len(self.failed_checks)} of {len(self.checks)} curation check(s) failed"
        )

    def lines(self) -> list[str]:
        """The report as text: every violation, then every failed check with its rows."""
        lines = [self.summary()]
        for violation in self.violations:
            lines.append(f"  {violation}")
        for check in self.failed_checks:
            lines.append(f"  check {check.name}: {check.title} ({len(check.table)} row(s))")
            lines.extend(f"    {row}" for row in check.rendered.splitlines())
        return lines


def shapes_graph() -> Graph:
    """A fresh copy of the SHACL shapes (``ontology/shapes.ttl``).

    Fresh each time because pyshacl adds triples to the shapes graph it is given.
    """
    return bind_prefixes(Graph()).parse(SHAPES_FILE, format="turtle")


def _path_text(shapes: Graph, path: Node | None) -> str:
    """A SHACL path as SPARQL property-path text with prefixes, e.g. ``tkg:codedTheme|tkg:statedTheme``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return shapes.namespace_manager.normalizeUri(path)
    if isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(shapes, inverse)
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_path_text(shapes, step) for step in Collection(shapes, alternatives))
        if shapes.value(path, RDF.first) is not None:  # a sequence path is an RDF list
            return "/".join(_path_text(shapes, step) for step in Collection(shapes, path))
    return str(path)


def check_shapes(graph: Graph, inference: str = "none") -> tuple[Violation, ...]:
    """Validate ``graph`` against the shapes; every result, most readable first (by shape, then focus)."""
    if inference not in INFERENCE_MODES:
        raise ValueError(f"inference must be one of {INFERENCE_MODES}, not {inference!r}")
    import pyshacl  # imported here: it takes half a second, and only validation needs it

    shapes = shapes_graph()
    _, results, _ = pyshacl.validate(
        in_memory(graph), shacl_graph=shapes, inference=inference, allow_warnings=True, abort_on_first=False
    )
    label: Callable[[URIRef], str] = label_lookup(graph)
    violations = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        assert focus is not None and shape is not None, "pyshacl gives every result a focus node and a shape"
        # The path is read from the shape itself, where a complex path keeps its structure.
        path = shapes.value(shape, SH.path) if isinstance(shape, URIRef) else results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        violations.append(
            Violation(
                focus=focus,
                focus_label=label(focus) if isinstance(focus, URIRef) else str(focus),
                path=_path_text(shapes, path),
                message=str(message) if message is not None else "violates the shape",
                shape=shapes.namespace_manager.normalizeUri(shape) if isinstance(shape, URIRef) else str(shape),
                value=str(value) if value is not None else None,
            )
        )
    return tuple(sorted(violations, key=lambda v: (v.shape, str(v.focus), v.path, v.value or "")))


def curation_checks() -> dict[str, LibraryQuery]:
    """The curation checks (``queries/checks/*-violation.rq``), by name."""
    return library(CHECKS_DIR)


def run_checks(graph: Graph) -> tuple[CheckResult, ...]:
    """Run every curation check; each returns the rows that break its rule."""
    results = []
    for name, check in curation_checks().items():
        table = run_query(graph, check)
        results.append(CheckResult(name, check.title, table, render(table, "table", graph) if len(table) else ""))
    return tuple(results)


def validate(graph: Graph, inference: str = "none") -> ValidationReport:
    """Check ``graph`` against the shapes and the curation checks; never raises for a broken rule."""
    return ValidationReport(check_shapes(graph, inference), run_checks(graph))
