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

import contextlib
import dataclasses
import functools
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Graph, URIRef

from trustkg import allocator, exports, loaders, metrics, page_registry, progress, scope, store, views
from trustkg import publish as _publish
from trustkg.build import BuildSummary, build_graph
from trustkg.errors import ChecksFailedError, QueryError, ReasonerError, TrustKGError, did_you_mean
from trustkg.explorer import MAX_NODES as EXPLORER_MAX_NODES
from trustkg.explorer import layout as explorer_layout
from trustkg.explorer import page_data as explorer_page_data
from trustkg.explorer import pyvis_network as explorer_network
from trustkg.explorer import vis_edges as explorer_edges
from trustkg.explorer import vis_nodes as explorer_nodes
from trustkg.explorer import write_page_data as write_explorer_data
from trustkg.files import write_atomically
from trustkg.link_view import page_data as link_view_page_data
from trustkg.loaders import Input
from trustkg.metrics import Centrality, SimilarPair
from trustkg.ontology import reasoning
from trustkg.ontology.reasoning import DEFAULT_REASONER, REASONERS, Inference
from trustkg.records import EvidenceBase
from trustkg.sparql import (
    ALL_ROWS,
    FORMATS,
    AskResult,
    GraphResult,
    LibraryQuery,
    QueryResult,
    ResultTable,
    bind_parameters,
    bound_text,
    find_query,
    label_lookup,
    library,
    pivot,
    query_names,
    render,
    row_count,
    run_any,
    run_bound_query,
    run_query,
)
from trustkg.sparql import run_sparql as _run_sparql
from trustkg.sparql_formats import GRAPH_FORMATS, SELECT_FORMATS
from trustkg.sparql_formats import write_result as _write_result
from trustkg.sparql_guard import refuse_fetching
from trustkg.sparql_workers import QueryWorkers
from trustkg.validate import ValidationReport, check_shapes, run_checks, shapes_graph, validate

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

__all__ = [
    "ALL_ROWS",
    "DEFAULT_DATA",
    "DEFAULT_EXPORT_FORMAT",
    "DEFAULT_GRAPH",
    "DEFAULT_OUT",
    "DEFAULT_REASONER",
    "DEFAULT_STORE",
    "DEFAULT_VIEW",
    "EXPLORER_MAX_NODES",
    "EXPORT_FORMATS",
    "FORMATS",
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "PAGES",
    "READ_STORE_HELP",
    "REASONERS",
    "REFERENCE_STORE",
    "STORES",
    "STORE_SPEC_HELP",
    "STORE_SPEC_METAVAR",
    "VIEWS",
    "AskResult",
    "Built",
    "Centrality",
    "Data",
    "Exported",
    "GraphResult",
    "Input",
    "Progress",
    "Published",
    "QueryResult",
    "ResultTable",
    "Serving",
    "SimilarPair",
    "Workspace",
    "analysis_graph",
    "build_graph_from",
    "check_shapes",
    "codebook_qdc",
    "disk_stores",
    "explorer_edges",
    "explorer_layout",
    "explorer_network",
    "explorer_nodes",
    "explorer_page_data",
    "export_bytes",
    "export_view",
    "format_result",
    "library_query",
    "link_view_page_data",
    "load_evidence",
    "local_stores",
    "open_graph",
    "page_bytes",
    "page_default_path",
    "page_description",
    "parse_input",
    "publish",
    "queries",
    "query",
    "query_text",
    "reason_graph",
    "reporting",
    "row_count",
    "run_checks",
    "run_library_query",
    "run_sparql",
    "save_text",
    "serve",
    "shapes_graph",
    "show_table",
    "sparql",
    "study_graph",
    "theme_matrix",
    "validate_graph",
    "view",
    "write_codebook",
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
#: ``with reporting(listener):`` sends the progress of long work inside the block to
#: ``listener(step, done, total)`` (see :mod:`trustkg.progress`); nothing is reported otherwise.
reporting = progress.reporting
Progress = progress.Listener
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
    quotes: bool = True,
) -> Built:
    """Load ``data_dir``, build the graph in the named store, and write it to ``out_dir`` if given.

    With ``quotes=False`` interviewees' verbatim words are left out (positions and paraphrases stay),
    for a graph to publish.

    With ``validate`` the graph is checked against the shapes and curation checks
    (``trustkg build`` does this unless told not to); with ``reason`` the OWL
    reasoner checks consistency and adds the inferred class memberships (the
    summary then counts the triples after inference).
    Nothing is written unless loading, building, validating and reasoning all
    succeed: a broken rule raises :class:`trustkg.errors.ChecksFailedError`.
    """
    evidence_base = load_evidence(data_dir)
    # The N-Triples are written as the graph is built, beside out_dir, and put in it with the other files once
    # every check has passed; otherwise they are removed.
    with store.n_triples_ahead(out_dir) if out_dir is not None else contextlib.nullcontext() as n_triples:
        graph, summary = build_graph(
            evidence_base,
            store.new_graph(store_name),
            store.load_n_triples,
            quotes=quotes,
            count=store.triple_count,
            n_triples=n_triples.write if n_triples is not None else None,
        )
        built = Built(graph, summary, evidence_base)
        if validate:
            built.validation = validate_graph(graph)
            if not built.validation.conforms:
                raise ChecksFailedError(built.validation.summary(), built.validation.lines()[1:])
        if reason:
            built.inference = reason_graph(graph, reasoner)
            built.summary = dataclasses.replace(summary, triples=len(graph))
            n_triples = None  # the graph has grown: its N-Triples are written anew
        if out_dir is not None:
            built.written = store.write_graph(graph, out_dir, store_name, n_triples)
    return built


#: For programs that take ``--store``: what it means when given.
READ_STORE_HELP = (
    "read the graph from this store (an http(s):// SPARQL endpoint, or oxigraph:DIR) instead of building --data"
)


def analysis_graph(data: Data = DEFAULT_DATA, store_spec: str | None = None) -> Graph:
    """The graph a program analyses: the one a store keeps when ``store_spec`` names it, else ``data`` built in memory."""
    if store_spec is not None:
        return open_graph(DEFAULT_GRAPH, store_spec)
    return build_graph_from(data).graph


def codebook_qdc(data: Data = DEFAULT_DATA) -> bytes:
    """The trustkg codebook of ``data`` (themes, action types, outcome types) as a REFI-QDA ``.qdc``.

    Codes carry stable GUIDs, so a project coded with them in a QDA tool loads back (``refi-qda``
    input with ``codebook:`` in its mapping) with no mapping for those codes.
    """
    codebook = load_evidence(data).codebook
    from trustkg import qda  # the QDA libraries load only for this
    from trustkg.loaders.qdamapping import codebook_entries

    entries = codebook_entries(list(codebook.action_types.values()), list(codebook.outcome_types.values()))
    return qda.write_codebook(entries)


def write_codebook(out: Path | str, data: Data = DEFAULT_DATA) -> Path:
    """Write :func:`codebook_qdc` to ``out``; returns the path written."""
    return write_atomically(Path(out), codebook_qdc(data))


def validate_graph(graph: Graph) -> ValidationReport:
    """Check a graph against the SHACL shapes and the curation checks; the report lists every broken rule."""
    return validate(graph)


def reason_graph(graph: Graph, reasoner: str = DEFAULT_REASONER) -> Inference:
    """Run the OWL reasoner; add the inferred class memberships to ``graph``.

    Raises :class:`trustkg.errors.ReasonerError` when it cannot run (no Java) and
    :class:`trustkg.errors.ChecksFailedError` when the graph is inconsistent.
    """
    try:
        return reasoning.reason(graph, reasoner, store.n_triples)
    except reasoning.InconsistentGraphError as error:
        raise ChecksFailedError(str(error), error.explanation) from error
    except reasoning.ReasoningError as error:
        raise ReasonerError(str(error)) from error


def open_graph(path: Path | str = DEFAULT_GRAPH, store_name: str = DEFAULT_STORE) -> Graph:
    """A graph written by ``trustkg build``."""
    return store.open_graph(path, store_name)


def c_allocator() -> str:
    """The C allocator this process runs with: ``jemalloc`` or ``system`` (see :mod:`trustkg.allocator`)."""
    return allocator.in_use()


def oxigraph_view(graph: Graph) -> tuple[ox.Store, ox.NamedNode | ox.DefaultGraph]:
    """The pyoxigraph store holding ``graph`` and the name of its graph there (a copy when another store holds
    it): to run SPARQL on Oxigraph directly, as the benchmarks' baseline does, with ``default_graph=`` that name."""
    return store.oxigraph_view(graph)


# --- queries ------------------------------------------------------------------------------------


def queries() -> list[LibraryQuery]:
    """The query library, in name order."""
    return list(library().values())


def library_query(name_or_path: str) -> LibraryQuery:
    """A library query by name (a mistyped name gets a did-you-mean), or a ``.rq`` file by path."""
    try:
        return find_query(name_or_path)
    except QueryError:
        # The library is listed only for a name it lacks (listing it took a third of a small query's overhead).
        known = query_names()
        if name_or_path.endswith(".rq") or name_or_path in known:
            raise  # a file unreadable or malformed: its own error
        names = ", ".join(sorted(known))
        # The library is longer than did_you_mean lists in full, so it is listed here, then the hint.
        hint = did_you_mean(name_or_path, known) if len(known) > 12 else ""
        raise QueryError(f"unknown query {name_or_path!r}; the library has: {names}{hint}") from None


def query(
    graph: Graph,
    name_or_path: str,
    /,
    *,
    limit: int | str | None = None,
    offset: int | str = 0,
    **params: str | int,
) -> ResultTable:
    """Run a library query by name (or a ``.rq`` file by path) with parameters as typed.

    The answer holds ``limit`` rows after the first ``offset`` (both numbers, or as typed like the
    parameters); without a limit, the rows of the query's page when its header declares one
    (``# page: N``), else every row; :data:`ALL_ROWS` (0): every row. The table's ``more`` and
    ``next_offset`` say whether, and where, more rows follow.
    """
    given = {name: str(value) for name, value in params.items()}
    rows = row_count(limit, "limit") if isinstance(limit, str) else limit
    skipped = row_count(offset, "offset") if isinstance(offset, str) else offset
    return run_query(graph, library_query(name_or_path), given, rows, skipped)


def study_graph(graph: Graph, study: str, store_name: str = DEFAULT_STORE) -> Graph:
    """A copy of ``graph`` in the named store without the trusts ``study`` does not name (see trustkg.scope)."""
    restricted = store.new_graph(store_name)
    store.bulk_add(restricted, scope.study_triples(graph, study))
    return restricted


def theme_matrix(graph: Graph, **params: str | int) -> ResultTable:
    """``theme-coverage`` as the framework matrix: a row per trust, its evidence, then a column per theme found."""
    return pivot(query(graph, "theme-coverage", limit=ALL_ROWS, **params), "trust", "theme", "evidence", "evidence")


def sparql(graph: Graph, text: str) -> ResultTable:
    """Run SPARQL SELECT text (refused if it would fetch from elsewhere or write: SERVICE, FROM, updates)."""
    refuse_fetching(text)
    return _run_sparql(graph, text)


T = TypeVar("T")


def _check_time_limit(timeout: float) -> None:
    if not timeout > 0:
        raise QueryError(f"a time limit is a number of seconds above 0, not {timeout}")


def _within(graph: Graph, task: Callable[[Graph], T], timeout: float | None) -> T:
    """``task(graph)``, here when there is no time limit, else in a worker process killed at the limit."""
    if timeout is None:
        return task(graph)
    _check_time_limit(timeout)
    with QueryWorkers(graph) as workers:
        return workers.run(task, timeout)


def run_sparql(graph: Graph, text: str, timeout: float | None = None) -> QueryResult:
    """Run SPARQL text of any form (SELECT, ASK, CONSTRUCT, DESCRIBE), stopped after ``timeout`` seconds if given.

    Raises :class:`trustkg.errors.RefusedQueryError` for SERVICE, FROM and updates, and
    :class:`trustkg.errors.QueryTimeoutError` past the time limit.
    """
    refuse_fetching(text)
    return _within(graph, functools.partial(run_any, sparql=text), timeout)


def run_library_query(
    graph: Graph,
    name_or_path: str,
    params: Mapping[str, str | int] | None = None,
    timeout: float | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> ResultTable:
    """Run a library query (or a ``.rq`` file) with parameters as typed, stopped after ``timeout`` seconds if given;
    ``limit`` and ``offset`` choose the page as in :func:`query`."""
    chosen = library_query(name_or_path)
    if name_or_path.endswith(".rq"):
        refuse_fetching(chosen.sparql)  # a file from anywhere: the library's own are trusted
    bindings = bind_parameters(chosen, {name: str(value) for name, value in (params or {}).items()}, graph)
    run = functools.partial(run_bound_query, query=chosen, bindings=bindings, limit=limit, offset=offset)
    return _within(graph, run, timeout)


def query_text(
    graph: Graph,
    name_or_path: str,
    params: Mapping[str, str | int] | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> str:
    """A library query's SPARQL exactly as it is run, for other clients: its parameters bound (a ``VALUES``
    block), and the ``LIMIT`` (one row past the page, which tells whether more follow) and ``OFFSET`` of the
    page ``limit`` and ``offset`` choose as in :func:`query`."""
    chosen = library_query(name_or_path)
    bindings = bind_parameters(chosen, {name: str(value) for name, value in (params or {}).items()}, graph)
    return bound_text(chosen, bindings, limit, offset)


#: Every ``--format`` of ``trustkg query``: the friendly ones (labels, for people), then the W3C ones (for tools).
OUTPUT_FORMATS = tuple(dict.fromkeys([*FORMATS, *SELECT_FORMATS, *GRAPH_FORMATS]))


def format_result(
    result: QueryResult, output_format: str = "table", graph: Graph | None = None, show_iris: bool = False
) -> str:
    """A result as text in one of :data:`OUTPUT_FORMATS`.

    The friendly formats show a table with labels (unless ``show_iris``), an ASK answer as
    ``true`` or ``false``, and a graph as Turtle; the W3C formats are exact, byte for byte.
    """
    if output_format not in FORMATS:
        return _write_result(result, output_format)
    if isinstance(result, ResultTable):
        return render(result, output_format, graph, show_iris)
    if isinstance(result, AskResult):
        return "true" if result.answer else "false"
    if output_format == "table":
        return _write_result(result, "turtle")
    raise QueryError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}, not {output_format!r}")


def show_table(table: ResultTable, graph: Graph, output_format: str = "table", show_iris: bool = False) -> str:
    """A result table as text, with labels in place of IRIs unless ``show_iris``."""
    return render(table, output_format, graph, show_iris)


def save_text(text: str, out: Path | str) -> Path:
    """Write text as UTF-8 to ``out``, replacing the old file only once the new one is complete."""
    return write_atomically(Path(out), text.encode("utf-8"))


# --- the shared store ----------------------------------------------------------------------------

Published = _publish.Published


def publish(
    graph: Graph, store_url: str, graph_iri: str | None = None, user: str | None = None, password: str | None = None
) -> Published:
    """Replace a named graph in a shared store with ``graph`` (SPARQL 1.1 Graph Store Protocol PUT).

    Read it back with the store spec ``--store <its SPARQL endpoint URL>``. See :mod:`trustkg.publish`.
    """
    return _publish.publish(graph, store_url, graph_iri, user, password)


# --- the SPARQL endpoint -----------------------------------------------------------------------


@dataclass(frozen=True)
class Serving:
    """Where ``trustkg serve`` listens, known before it starts answering."""

    url: str
    start: Callable[[], None]  # serves until SIGTERM or SIGINT


def serve(
    graph: Graph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    timeout: float = 30.0,
    workers: int = 2,
    cors: bool = False,
) -> Serving:
    """Listen on ``host:port`` (0: a free port) for SPARQL over ``graph``; call ``.start()`` to serve.

    Needs the ``serve`` extra (``pip install 'trustkg[serve]'``). See :mod:`trustkg.serve`.
    """
    _check_time_limit(timeout)
    if workers < 1:
        raise TrustKGError(f"serving needs at least one worker process, not {workers}")
    try:
        from trustkg import serve as server
    except ImportError as error:
        raise TrustKGError(f"serving needs the serve extra: pip install 'trustkg[serve]' ({error})") from None
    listener = server.listen(host, port)
    bound_host, bound_port = listener.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    return Serving(
        f"http://{shown}:{bound_port}/",
        functools.partial(server.run, graph, listener, timeout=timeout, workers=workers, cors=cors),
    )


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


def _written_bytes(write: Callable[[Path], Path], file_name: str) -> bytes:
    """What a writer puts in a file, for standard output (``--out -``): written in a scratch directory, read back."""
    with tempfile.TemporaryDirectory(prefix="trustkg-") as scratch:
        return write(Path(scratch) / file_name).read_bytes()


def export_bytes(graph: Graph, name: str = DEFAULT_VIEW, export_format: str = DEFAULT_EXPORT_FORMAT) -> bytes:
    """A view exported as :func:`export_view` writes it, as bytes."""
    return _written_bytes(lambda path: export_view(graph, name, export_format, path).path, f"{name}.{export_format}")


def page_bytes(graph: Graph, name: str, **options: Any) -> bytes:
    """A page as :func:`write_page` writes it, as bytes."""
    return _written_bytes(lambda path: write_page(graph, name, path, **options), f"{name}.html")


def page_default_path(name: str) -> Path:
    """Where a page (see :data:`PAGES`) is written unless told otherwise."""
    return page_registry.page(name).default_path


def page_description(name: str) -> str:
    """What a page (see :data:`PAGES`) shows, in a few words."""
    return page_registry.page(name).description


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
        quotes: bool = True,
    ) -> Built:
        """Build the graph from the data directory (see :func:`build_graph_from`); the workspace keeps it."""
        built = build_graph_from(
            self._data_dir(), self.store, out_dir, validate=validate, reason=reason, reasoner=reasoner, quotes=quotes
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

    def query(
        self,
        name_or_path: str,
        /,
        *,
        limit: int | str | None = None,
        offset: int | str = 0,
        **params: str | int,
    ) -> ResultTable:
        return query(self.graph, name_or_path, limit=limit, offset=offset, **params)

    def sparql(self, text: str) -> ResultTable:
        return sparql(self.graph, text)

    def run_sparql(self, text: str, timeout: float | None = None) -> QueryResult:
        return run_sparql(self.graph, text, timeout)

    def run_query(
        self,
        name_or_path: str,
        params: Mapping[str, str | int] | None = None,
        timeout: float | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> ResultTable:
        return run_library_query(self.graph, name_or_path, params, timeout, limit=limit, offset=offset)

    def publish(
        self, store_url: str, graph_iri: str | None = None, user: str | None = None, password: str | None = None
    ) -> Published:
        return publish(self.graph, store_url, graph_iri, user, password)

    def format(self, result: QueryResult, output_format: str = "table", show_iris: bool = False) -> str:
        return format_result(result, output_format, self.graph, show_iris)

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
