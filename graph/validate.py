"""Checking a built graph: SHACL shapes (``ontology/shapes.ttl``) and curation checks.

Two kinds of rule, one report:

- the SHACL Core shapes, run as SPARQL queries generated from the shapes
  (``trustkg.shape_queries``) straight on Oxigraph; pyshacl, the reference, gives
  the same results and runs them when asked (``engine="pyshacl"``) or with RDFS
  inference (OWL-RL pre-inference is 10-15x slower and the shapes do not need it);
- the curation checks in ``queries/checks/*-violation.rq``: SPARQL that must
  return no rows, for rules that compare one node with another (SHACL Core
  cannot), run by the same runner as the query library.

A graph that breaks rules is not an error here: :func:`validate` returns a
:class:`ValidationReport` and the caller decides (``trustkg build`` writes
nothing, ``trustkg validate`` exits 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from trustkg.ontology import SHAPES_FILE, bind_prefixes
from trustkg.queries.library import CHECKS_DIR
from trustkg.shape_queries import ShapeQuery, path_text, shape_queries
from trustkg.sparql import ALL_ROWS, LibraryQuery, ResultTable, label_lookup, library, render, run_query
from trustkg.store import in_memory, oxigraph_view

#: pyshacl's inference modes that are fast enough to run on every build.
INFERENCE_MODES = ("none", "rdfs")
#: What runs the shapes: the SPARQL queries generated from them, on Oxigraph, or pyshacl (the reference).
ENGINES = ("oxigraph", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which shape, on which path, and why."""

    focus: Node
    focus_label: str
    path: str
    message: str
    shape: str
    value: str | None = None
    #: The SHACL constraint component broken (``sh:MinCountConstraintComponent``); the shape and message say it
    #: to a curator, so it is kept for comparing engines and left out of equality.
    constraint: str = field(default="", compare=False)

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


def check_shapes(graph: Graph, inference: str = "none", engine: str = "oxigraph") -> tuple[Violation, ...]:
    """Validate ``graph`` against the shapes; every result, most readable first (by shape, then focus).

    RDFS inference is pyshacl's: with ``inference="rdfs"`` pyshacl runs whatever the engine.
    """
    if inference not in INFERENCE_MODES:
        raise ValueError(f"inference must be one of {INFERENCE_MODES}, not {inference!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    shapes = shapes_graph()
    label: Callable[[URIRef], str] = label_lookup(graph)
    if engine == "pyshacl" or inference != "none":
        found = _pyshacl_results(graph, shapes, inference)
    else:
        found = _oxigraph_results(graph, _shape_queries())
    violations = [
        Violation(
            focus=focus,
            focus_label=label(focus) if isinstance(focus, URIRef) else str(focus),
            path=path,
            message=message or "violates the shape",
            shape=shapes.namespace_manager.normalizeUri(shape) if isinstance(shape, URIRef) else str(shape),
            value=str(value) if value is not None else None,
            constraint=shapes.namespace_manager.normalizeUri(component),
        )
        for focus, shape, component, path, message, value in found
    ]
    return tuple(sorted(violations, key=lambda v: (v.shape, str(v.focus), v.path, v.value or "")))


#: One result as both engines give it: focus, shape, constraint component, path, message, value.
_Result = tuple[Node, Node, URIRef, str, str | None, Node | None]


@cache
def _shape_queries() -> tuple[ShapeQuery, ...]:
    return shape_queries(shapes_graph())


def _oxigraph_results(graph: Graph, queries: tuple[ShapeQuery, ...]) -> list[_Result]:
    from oxrdflib._converter import from_ox  # pyoxigraph term -> rdflib term; oxrdflib's own mapping

    store, graph_name = oxigraph_view(graph)
    results: list[_Result] = []
    for check in queries:
        solutions = store.query(check.sparql, default_graph=graph_name)
        assert isinstance(solutions, ox.QuerySolutions), "every generated check is a SELECT"
        gives_value = ox.Variable("value") in solutions.variables
        for row in solutions:
            value = row["value"] if gives_value else None
            focus = from_ox(row["focus"])
            assert isinstance(focus, Node), "a focus node is a term"
            results.append(
                (
                    focus,
                    check.shape,
                    check.component,
                    check.path,
                    check.message,
                    from_ox(value) if value is not None else None,  # type: ignore[arg-type]
                )
            )
    return results


def _pyshacl_results(graph: Graph, shapes: Graph, inference: str) -> list[_Result]:
    import pyshacl  # imported here: it takes half a second, and only the reference path needs it

    _, report, _ = pyshacl.validate(
        in_memory(graph), shacl_graph=shapes, inference=inference, allow_warnings=True, abort_on_first=False
    )
    results: list[_Result] = []
    # The report's own results only: pyshacl also writes each nested shape's results (sh:detail, as
    # under sh:node) as results, which named a literal date as the focus of shape:PartialDate.
    for result in report.objects(None, SH.result):
        if (result, SH.resultSeverity, SH.Violation) not in report:
            continue
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        assert focus is not None and shape is not None, "pyshacl gives every result a focus node and a shape"
        assert isinstance(component, URIRef), "pyshacl names every result's constraint component"
        # The path is read from the shape itself, where a complex path keeps its structure.
        path = path_text(
            shapes, shapes.value(shape, SH.path) if isinstance(shape, URIRef) else report.value(result, SH.resultPath)
        )
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        results.append((focus, shape, component, path, str(message) if message is not None else None, value))
    return results


def curation_checks() -> dict[str, LibraryQuery]:
    """The curation checks (``queries/checks/*-violation.rq``), by name."""
    return library(CHECKS_DIR)


def run_checks(graph: Graph) -> tuple[CheckResult, ...]:
    """Run every curation check; each returns the rows that break its rule."""
    results = []
    for name, check in curation_checks().items():
        table = run_query(graph, check, limit=ALL_ROWS)
        results.append(CheckResult(name, check.title, table, render(table, "table", graph) if len(table) else ""))
    return tuple(results)


def validate(graph: Graph, inference: str = "none") -> ValidationReport:
    """Check ``graph`` against the shapes and the curation checks; never raises for a broken rule."""
    return ValidationReport(check_shapes(graph, inference), run_checks(graph))
