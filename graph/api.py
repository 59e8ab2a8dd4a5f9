"""The Python API: everything the ``trustkg`` command does, for scripts, notebooks and the command itself.

    from trustkg.api import Workspace

    workspace = Workspace(data="data")  # or Workspace(graph_file="build/trustkg.nt")
    table = workspace.query("actions-to-outcomes", theme="leadership")
    print(workspace.show(table))
    workspace.write_page("explorer", trust="RGT")

A :class:`Workspace` holds the store choice, the input (a data directory to
build from, or a graph file written by ``trustkg build``), the graph once read,
and a label cache. The module-level functions do the same on a graph passed in.
Nothing here prints or exits: errors are :mod:`trustkg.errors` types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from trustkg import exports, loaders, metrics, page_registry, scope, store, views
from trustkg.build import BuildSummary, build_graph
from trustkg.errors import ChecksFailedError, QueryError, ReasonerError, TrustKGError, did_you_mean
from trustkg.explorer import layout as explorer_layout
from trustkg.explorer import page_data as explorer_page_data
from trustkg.explorer import pyvis_network as explorer_network
from trustkg.explorer import vis_edges as explorer_edges
from trustkg.explorer import vis_nodes as explorer_nodes
from trustkg.explorer import write_page_data as write_explorer_data
from trustkg.loaders import Input
from trustkg.metrics import Centrality, SimilarPair
from trustkg.ontology import reasoning
from trustkg.ontology.reasoning import DEFAULT_REASONER, REASONERS, Inference
from trustkg.records import EvidenceBase
from trustkg.sparql import (
    FORMATS,
    LibraryQuery,
    ResultTable,
    find_query,
    label_lookup,
    library,
    pivot,
    render,
    run_query,
)
from trustkg.sparql import run_sparql as _run_sparql
from trustkg.validate import ValidationReport, check_shapes, run_checks, shapes_graph, validate

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_EXPORT_FORMAT",
    "DEFAULT_GRAPH",
    "DEFAULT_OUT",
    "DEFAULT_REASONER",
    "DEFAULT_STORE",
    "DEFAULT_VIEW",
    "EXPORT_FORMATS",
    "FORMATS",
    "INPUT_FORMATS",
    "PAGES",
    "REASONERS",
    "REFERENCE_STORE",
    "STORES",
    "STORE_SPEC_HELP",
    "STORE_SPEC_METAVAR",
    "VIEWS",
    "Built",
    "Centrality",
    "Data",
    "Exported",
    "Input",
    "SimilarPair",
    "Workspace",
    "build_graph_from",
    "check_shapes",
    "disk_stores",
    "explorer_edges",
    "explorer_layout",
    "explorer_network",
    "explorer_nodes",
    "explorer_page_data",
    "export_view",
    "library_query",
    "load_evidence",
    "local_stores",
    "open_graph",
    "page_default_path",
    "parse_input",
    "queries",
    "query",
    "reason_graph",
    "run_checks",
    "shapes_graph",
    "show_table",
    "sparql",
    "study_graph",
    "theme_matrix",
    "validate_graph",
    "view",
    "write_explorer_data",
    "write_graph",
    "write_page",
]

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("build")
DEFAULT_GRAPH = DEFAULT_OUT / "trustkg.nt"
DEFAULT_STORE = store.DEFAULT_STORE
DEFAULT_VIEW = views.DEFAULT_VIEW
DEFAULT_EXPORT_FORMAT = "graphml"

#: The names a caller may choose from: stores, network views, export formats and pages.
STORES = tuple(sorted(store.STORES))
#: How a store is named on the command line (``oxigraph``, ``memory``, ``oxigraph:DIR``), for the CLI's help.
STORE_SPEC_METAVAR = store.SPEC_METAVAR
STORE_SPEC_HELP = store.SPEC_HELP
#: The store whose answers the others are compared with (tests, bench).
REFERENCE_STORE = store.REFERENCE_STORE
local_stores = store.local_stores
disk_stores = store.disk_stores
write_graph = store.write_graph
VIEWS = tuple(sorted(views.VIEWS))
EXPORT_FORMATS = exports.EXPORT_FORMATS
PAGES = tuple(page_registry.PAGES)


@dataclass
class Built:
    """A built graph, what went into it, and the files written (none unless asked)."""

    graph: Graph
    summary: BuildSummary
    evidence_base: EvidenceBase
    written: list[Path] = field(default_factory=list)
    validation: ValidationReport | None = None  # None when not validated
    inference: Inference | None = None  # None when not reasoned


@dataclass(frozen=True)
class Exported:
    """A network view written to a file, with its size."""

    path: Path
    nodes: int
    edges: int


# --- loading, building, checking --------------------------------------------------------------


#: What a build reads: a data directory, or a list of inputs, each with its format.
Data = Path | str | Sequence[Input]
#: The input formats a loader is registered for.
INPUT_FORMATS = tuple(sorted(loaders.LOADERS))


def parse_input(text: str) -> Input:
    """An input named as ``FORMAT:PATH`` (``case-files:data``): the format first, since paths may hold colons."""
    input_format, colon, path = text.partition(":")
    if not colon or not path:
        raise TrustKGError(
            f"input {text!r}: write FORMAT:PATH, e.g. case-files:data (formats: {', '.join(INPUT_FORMATS)})"
        )
    if input_format not in loaders.LOADERS:
        raise TrustKGError(
            f"input {text!r}: unknown format {input_format!r}{did_you_mean(input_format, INPUT_FORMATS)}"
        )
    return Input(Path(path), input_format)


def load_evidence(data: Data = DEFAULT_DATA, input_format: str | None = None) -> EvidenceBase:
    """Load, merge and check the input data; raises :class:`trustkg.errors.InputError` with every problem.

    ``data`` is a list of inputs, merged before the checks run, or a data directory: read as
    ``input_format`` when given, else as its manifest (``trustkg.yaml``) declares, or as case
    files when it has none.
    """
    if isinstance(data, Path | str):
        return loaders.load(data, input_format)
    return loaders.load_inputs(data)


def build_graph_from(
    data_dir: Data = DEFAULT_DATA,
    store_name: str = DEFAULT_STORE,
    out_dir: Path | str | None = None,
    *,
    validate: bool = False,
    reason: bool = False,
    reasoner: str = DEFAULT_REASONER,
) -> Built:
    """Load ``data_dir``, build the graph in the named store, and write it to ``out_dir`` if given.

    With ``validate`` the graph is checked against the shapes and curation checks
    (``trustkg build`` does this unless told not to); with ``reason`` the OWL
    reasoner checks consistency and adds the inferred class memberships (the
    summary then counts the triples after inference).
    Nothing is written unless loading, building, validating and reasoning all
    succeed: a broken rule raises :class:`trustkg.errors.ChecksFailedError`.
    """
    evidence_base = load_evidence(data_dir)
    graph, summary = build_graph(evidence_base, store.new_graph(store_name), store.bulk_add)
    built = Built(graph, summary, evidence_base)
    if validate:
        built.validation = validate_graph(graph)
        if not built.validation.conforms:
            raise ChecksFailedError(built.validation.summary(), built.validation.lines()[1:])
    if reason:
        built.inference = reason_graph(graph, reasoner)
        built.summary = dataclasses.replace(summary, triples=len(graph))
    if out_dir is not None:
        built.written = store.write_graph(graph, out_dir, store_name)
    return built


def validate_graph(graph: Graph) -> ValidationReport:
    """Check a graph against the SHACL shapes and the curation checks; the report lists every broken rule."""
    return validate(graph)


def reason_graph(graph: Graph, reasoner: str = DEFAULT_REASONER) -> Inference:
    """Run the OWL reasoner; add the inferred class memberships to ``graph``.

    Raises :class:`trustkg.errors.ReasonerError` when it cannot run (no Java) and
    :class:`trustkg.errors.ChecksFailedError` when the graph is inconsistent.
    """
    try:
        return reasoning.reason(graph, reasoner)
    except reasoning.InconsistentGraphError as error:
        raise ChecksFailedError(str(error), error.explanation) from error
    except reasoning.ReasoningError as error:
        raise ReasonerError(str(error)) from error


def open_graph(path: Path | str = DEFAULT_GRAPH, store_name: str = DEFAULT_STORE) -> Graph:
    """A graph written by ``trustkg build``."""
    return store.open_graph(path, store_name)


# --- queries ------------------------------------------------------------------------------------


def queries() -> list[LibraryQuery]:
    """The query library, in name order."""
    return list(library().values())


def library_query(name_or_path: str) -> LibraryQuery:
    """A library query by name (a mistyped name gets a did-you-mean), or a ``.rq`` file by path."""
    known = library()
    if not name_or_path.endswith(".rq") and name_or_path not in known:
        names = ", ".join(sorted(known))
        # The library is longer than did_you_mean lists in full, so it is listed here, then the hint.
        hint = did_you_mean(name_or_path, known) if len(known) > 12 else ""
        raise QueryError(f"unknown query {name_or_path!r}; the library has: {names}{hint}")
    return find_query(name_or_path)


def query(graph: Graph, name_or_path: str, /, **params: str | int) -> ResultTable:
    """Run a library query by name (or a ``.rq`` file by path) with parameters as typed."""
    given = {name: str(value) for name, value in params.items()}
    return run_query(graph, library_query(name_or_path), given)


def study_graph(graph: Graph, study: str, store_name: str = DEFAULT_STORE) -> Graph:
    """A copy of ``graph`` in the named store without the trusts ``study`` does not name (see trustkg.scope)."""
    restricted = store.new_graph(store_name)
    store.bulk_add(restricted, scope.study_triples(graph, study))
    return restricted


def theme_matrix(graph: Graph, **params: str | int) -> ResultTable:
    """``theme-coverage`` as the framework matrix: a row per trust, its evidence, then a column per theme found."""
    return pivot(query(graph, "theme-coverage", **params), "trust", "theme", "evidence", "evidence")


def sparql(graph: Graph, text: str) -> ResultTable:
    """Run any SPARQL SELECT text."""
    return _run_sparql(graph, text)


def show_table(table: ResultTable, graph: Graph, output_format: str = "table", show_iris: bool = False) -> str:
    """A result table as text, with labels in place of IRIs unless ``show_iris``."""
    return render(table, output_format, graph, show_iris)


# --- network views, exports and pages -----------------------------------------------------------


def view(graph: Graph, name: str = DEFAULT_VIEW) -> nx.Graph:
    """A networkx view of the graph by name (see :data:`VIEWS`)."""
    return views.view(graph, name)


def export_view(
    graph: Graph, name: str = DEFAULT_VIEW, export_format: str = DEFAULT_EXPORT_FORMAT, out: Path | str | None = None
) -> Exported:
    """Write a view with its centrality measures as GraphML or GEXF (default ``build/VIEW.FORMAT``)."""
    network = view(graph, name)
    target = Path(out) if out is not None else DEFAULT_OUT / f"{name}.{export_format}"
    path = exports.export(network, export_format, target)
    return Exported(path, network.number_of_nodes(), network.number_of_edges())


def page_default_path(name: str) -> Path:
    """Where a page (see :data:`PAGES`) is written unless told otherwise."""
    return page_registry.page(name).default_path


def write_page(graph: Graph, name: str, out: Path | str | None = None, **options: Any) -> Path:
    """Write one of the :data:`PAGES` for the graph; options are the page's own (e.g. the explorer's ``trust``)."""
    page = page_registry.page(name)
    return page.write(graph, page.default_path if out is None else out, **options)


# --- the workspace ------------------------------------------------------------------------------


@dataclass
class Workspace:
    """One graph to work on: built in memory from ``data``, or read from ``graph_file``, in ``store``.

    The graph is read (or built) once, on first use, and kept; so are its labels.
    """

    data: Data | None = None
    graph_file: Path | str = DEFAULT_GRAPH
    store: str = DEFAULT_STORE
    #: Only the trusts this study names (its ID): what queries, pages and exports of the workspace see.
    study: str | None = None
    _graph: Graph | None = field(default=None, init=False, repr=False)
    _label: Callable[[URIRef], str] | None = field(default=None, init=False, repr=False)

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            if self.data is not None:
                graph = build_graph_from(self.data, self.store).graph
            else:
                graph = open_graph(self.graph_file, self.store)
            self._graph = graph if self.study is None else study_graph(graph, self.study, self.store)
        return self._graph

    def _data_dir(self) -> Data:
        if self.data is None:
            raise TrustKGError("this workspace reads a built graph; give it a data directory to load or build")
        return self.data

    def load(self) -> EvidenceBase:
        """Load and check the data (a directory or a list of inputs)."""
        return load_evidence(self._data_dir())

    def build(
        self,
        out_dir: Path | str | None = None,
        *,
        validate: bool = False,
        reason: bool = False,
        reasoner: str = DEFAULT_REASONER,
    ) -> Built:
        """Build the graph from the data directory (see :func:`build_graph_from`); the workspace keeps it."""
        built = build_graph_from(
            self._data_dir(), self.store, out_dir, validate=validate, reason=reason, reasoner=reasoner
        )
        self._graph, self._label = built.graph, None
        return built

    def validate(self) -> ValidationReport:
        return validate_graph(self.graph)

    def reason(self, reasoner: str = DEFAULT_REASONER) -> Inference:
        inference = reason_graph(self.graph, reasoner)
        self._label = None  # the graph has changed
        return inference

    def label(self, iri: URIRef) -> str:
        """An IRI's preferred label (the rule of :func:`trustkg.sparql.label_lookup`), cached."""
        if self._label is None:
            self._label = label_lookup(self.graph)
        return self._label(iri)

    def query(self, name_or_path: str, /, **params: str | int) -> ResultTable:
        return query(self.graph, name_or_path, **params)

    def sparql(self, text: str) -> ResultTable:
        return sparql(self.graph, text)

    def show(self, table: ResultTable, output_format: str = "table", show_iris: bool = False) -> str:
        return show_table(table, self.graph, output_format, show_iris)

    def view(self, name: str = DEFAULT_VIEW) -> nx.Graph:
        return view(self.graph, name)

    def export(
        self, name: str = DEFAULT_VIEW, export_format: str = DEFAULT_EXPORT_FORMAT, out: Path | str | None = None
    ) -> Exported:
        return export_view(self.graph, name, export_format, out)

    def write_page(self, name: str, out: Path | str | None = None, **options: Any) -> Path:
        return write_page(self.graph, name, out, **options)

    def central_action_types(self, count: int = 5) -> list[Centrality]:
        """The most central action types of the action-outcome view (strength, then degree, betweenness)."""
        return metrics.most_central(self.view("action-outcome"), views.ACTION_TYPE, count)

    def similar_trusts(self, count: int = 5) -> list[SimilarPair]:
        """The most similar pairs of trusts by the Jaccard similarity of the action types they took."""
        return metrics.most_similar_trusts(self.view("trust-similarity"), count)
