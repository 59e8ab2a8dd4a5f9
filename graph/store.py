"""The one place that knows where triples live.

Every part of trustkg gets its graph from here, as an rdflib ``Graph``, so the
backing store can change without touching queries or views. A store is named
by a *store spec*, one string (``--store SPEC`` on the command line):

- ``oxigraph`` (default): rdflib over an in-memory Oxigraph (oxrdflib). Measured
  here it loads 6-14x and queries 15-50x faster than rdflib's memory store.
- ``memory``: rdflib's own in-memory store, kept selectable as the reference
  implementation; the tests require every store to give the same answers.
- ``oxigraph:DIR``: Oxigraph on disk in the directory ``DIR``.
  ``trustkg build --store oxigraph:DIR`` fills it (only once the build's checks
  have passed, and by swapping in a whole new directory, so a reader never sees
  a half-written store); ``trustkg query --store oxigraph:DIR`` opens it
  read-only, so a large graph is neither rebuilt nor re-parsed for each query.
- ``http://...`` or ``https://...``: a remote SPARQL endpoint (a shared store that
  ``trustkg publish`` filled), read-only, through rdflib's ``SPARQLStore``. Queries
  ask for the named graph ``trustkg publish`` writes by default (:data:`GRAPH_ID`), or
  the one the URL names with the protocol's own ``default-graph-uri=`` parameter.

Adding a store is a :class:`Backend` subclass (or factory) taking the spec's
location, plus one line in :data:`STORES`.

Loading into Oxigraph always goes through its bulk loader: files and the build's
N-Triples text through ``bulk_load`` (:func:`load_n_triples`), triples from code
through :func:`bulk_add`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox  # rdflib term -> pyoxigraph term; oxrdflib's own mapping, not public API
from rdflib import OWL, Graph, URIRef
from rdflib.plugins.stores.memory import Memory
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from rdflib.term import BNode, Node

from trustkg.build import parse_n_triples
from trustkg.errors import QueryError, StoreError, did_you_mean, shown
from trustkg.files import DIRECTORY, FileWrittenAhead, file_written_ahead, replace_outputs, usual_mode
from trustkg.ontology import BASE, PREFIXES, bind_prefixes
from trustkg.progress import report as progress
from trustkg.remote_http import Answer, connections
from trustkg.remote_results import GRAPH_ACCEPT, RESULT_SET_MEDIA_TYPE, RESULTS_JSON, RESULTS_XML, read_results

#: oxrdflib puts triples into a blank-node graph unless the graph has a name.
GRAPH_ID = URIRef(BASE + "graph")

#: File name suffix -> (rdflib format, Oxigraph's format for the same syntax).
_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".rdf": ("xml", ox.RdfFormat.RDF_XML),
    ".owl": ("xml", ox.RdfFormat.RDF_XML),
}
#: The prefixes Turtle is written with: the project's own, and OWL for the ontology.
_PREFIXES = {**PREFIXES, "owl": str(OWL)}
#: What ``trustkg build`` writes, in order.
_N_TRIPLES = "trustkg.nt"
OUTPUT_FILES = ("trustkg.ttl", _N_TRIPLES)
#: Specs that start with one of these name a remote SPARQL endpoint.
_ENDPOINT_SCHEMES = ("http://", "https://")
_ENDPOINT_STORE = "sparql"
_DEFAULT_GRAPH_PARAMETER = "default-graph-uri"
#: What a remote store asks for an ASK: results XML, which Virtuoso 7.2 writes up to 3x faster than JSON (see
#: trustkg.remote_results), else JSON from an endpoint that offers no XML.
_RESULTS_ACCEPT = f"{RESULTS_XML}, {RESULTS_JSON};q=0.9"
#: For a SELECT: first the table as a result set in N-Triples, which Virtuoso 7.2 writes up to 3x faster than XML.
_SELECT_ACCEPT = f"{RESULT_SET_MEDIA_TYPE}, {RESULTS_XML};q=0.9, {RESULTS_JSON};q=0.8"
#: What a remote store asks for each form of query: an ASK's answer is a results document too, a
#: CONSTRUCT's or DESCRIBE's a graph.
_ACCEPT = {"SELECT": _SELECT_ACCEPT, "ASK": _RESULTS_ACCEPT, "CONSTRUCT": GRAPH_ACCEPT, "DESCRIBE": GRAPH_ACCEPT}
_FORM = "application/x-www-form-urlencoded"
#: The longest query, URL-encoded with its fields, sent by GET: the classic safe URL length, a fifth of the
#: 9,995 bytes past which Virtuoso 7.2 cuts the URL short.
_GET_BYTES = 2000
#: A line holding only a comment, with its line break; and where a long string may start, which could hold one.
_COMMENT_LINES = re.compile(r"^[ \t]*#[^\n]*(?:\n|\Z)", re.MULTILINE)
_LONG_STRING = re.compile(r"\"\"\"|'''")
#: What may come before a query's form: white space, comments, BASE and PREFIX declarations.
_PROLOGUE = re.compile(r"(?:\s|#[^\n]*|(?i:BASE)\s*<[^>]*>|(?i:PREFIX)\s*[^\s:]*:\s*<[^>]*>)*")


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec: the store's name and its location (a directory or URL), if any."""

    name: str
    location: str | None = None

    def __str__(self) -> str:
        if self.name == _ENDPOINT_STORE and self.location is not None:
            return self.location
        return self.name if self.location is None else f"{self.name}:{self.location}"


def _formats(path: Path) -> tuple[str, ox.RdfFormat]:
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise StoreError(f"{path}: unknown RDF file type; expected one of {', '.join(sorted(_FORMATS))}") from None


def _existing(path: Path) -> Path:
    if not path.exists():
        raise StoreError(f"{path}: no such file (run 'trustkg build' first, or pass --graph)")
    return path


def _oxigraph_graph(inner: ox.Store | None = None) -> Graph:
    return Graph(store=OxigraphStore(store=inner if inner is not None else ox.Store()), identifier=GRAPH_ID)


def oxigraph_store(graph: Graph) -> ox.Store | None:
    """The pyoxigraph store behind ``graph`` (None when another store holds it): to load into or query directly."""
    if isinstance(graph.store, OxigraphStore):
        # The attribute oxrdflib's own parser uses to reach pyoxigraph's bulk loader.
        inner: ox.Store = graph.store._inner
        return inner
    return None


def bulk_add(graph: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    """Add ``triples`` to ``graph``: through Oxigraph's bulk loader when Oxigraph holds it.

    One call with many triples, rather than ``graph.add`` per triple, which in
    Oxigraph is one transaction each.
    """
    inner = oxigraph_store(graph)
    if inner is None:
        graph.addN((s, p, o, graph) for s, p, o in triples)
        return
    graph_name = ox.NamedNode(graph.identifier)
    inner.bulk_extend(ox.Quad(_ox_iri(s), _ox_iri(p), _ox_term(o), graph_name) for s, p, o in triples)


def load_n_triples(graph: Graph, chunks: Iterable[bytes]) -> None:
    """Load the build's N-Triples chunks into ``graph``: by Oxigraph's bulk loader, as one document, when it holds it.

    The loader the floor measures reads the text through a pipe from a thread of its own while the
    chunks are made, so no Python object is made per term, and on a machine with an idle core making
    the triples and loading them overlap (the loader leaves Python's lock while it works). Read from
    a Python stream instead, it would take the lock back for every 2 kB.
    """
    inner = oxigraph_store(graph)
    if inner is None:
        parse_n_triples(graph, chunks)
        return
    graph_name = ox.NamedNode(graph.identifier)
    read_end, write_end = os.pipe()
    failed: list[BaseException] = []

    def load() -> None:
        try:
            inner.bulk_load(path=f"/dev/fd/{read_end}", format=ox.RdfFormat.N_TRIPLES, to_graph=graph_name)
        except BaseException as error:  # raised in the caller's thread, below
            failed.append(error)
        finally:
            os.close(read_end)  # a writer still writing then fails at once rather than waiting

    loader = threading.Thread(target=load, name="trustkg bulk load")
    loader.start()
    try:
        with os.fdopen(write_end, "wb") as pipe:
            for chunk in chunks:
                pipe.write(chunk)
    except BrokenPipeError:
        pass  # the loader stopped: its error is raised below
    finally:
        loader.join()
    if failed:
        raise failed[0]


def triple_count(graph: Graph) -> int:
    """How many triples ``graph`` holds; in Oxigraph without oxrdflib's ``len``, which builds a set of every triple.

    Triples in one graph of a store are distinct already, so counting them needs no set (at 400 trusts
    oxrdflib's count took 6 s and 60 MB).
    """
    inner = oxigraph_store(graph)
    if inner is None:
        return len(graph)
    solutions = inner.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.identifier}> {{ ?s ?p ?o }} }}")
    count: ox.Literal = next(iter(solutions))["n"]  # type: ignore[arg-type]
    return int(count.value)


def _ox_iri(term: Node) -> ox.NamedNode:
    # Every subject and predicate trustkg builds is an IRI; to_ox's general dispatch cost
    # 6 s of a 28 s build at 200k triples.
    if type(term) is URIRef:
        return ox.NamedNode(term)
    converted: ox.NamedNode = to_ox(term)  # type: ignore[assignment]
    return converted


def _ox_term(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if type(term) is URIRef:
        return ox.NamedNode(term)
    converted: ox.NamedNode | ox.Literal | ox.BlankNode = to_ox(term)  # type: ignore[assignment]
    return converted


def in_memory(graph: Graph) -> Graph:
    """The graph itself if rdflib's memory store holds it, else an in-memory copy: for pattern-at-a-time readers.

    pyshacl asks the store for one triple pattern at a time; through oxrdflib each
    ask is a round trip into Oxigraph (measured on the shipped data: 13 s against
    0.3 s on a copy, the copy itself taking well under a second).
    """
    if isinstance(graph.store, Memory):
        return graph
    copy = Graph()
    copy += graph
    return copy


def oxigraph_view(graph: Graph) -> tuple[ox.Store, ox.NamedNode | ox.DefaultGraph]:
    """The Oxigraph store holding ``graph`` and its graph name, or an Oxigraph copy (in its default graph) of a
    graph another store holds: for whole-query readers and for writing files.

    SPARQL run straight on pyoxigraph is planned and answered in one go (the generated SHACL
    checks), where rdflib over oxrdflib would go back and forth per pattern. Every syntax is
    written by Oxigraph's serialisers: rdflib's Turtle writer is quadratic here (it scans every
    namespace bound for each IRI, and trustkg binds one per trust per kind: 1,010 s at 1M
    triples, Oxigraph's writer 1.3 s).
    """
    inner = oxigraph_store(graph)
    if inner is not None:
        return inner, ox.NamedNode(graph.identifier)
    copy = ox.Store()
    copy.bulk_extend(ox.Quad(_ox_term(s), _ox_iri(p), _ox_term(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return copy, ox.DefaultGraph()


def _parse_into(graph: Graph, path: Path) -> Graph:
    rdflib_format, oxigraph_format = _formats(_existing(path))
    inner = oxigraph_store(graph)
    try:
        if inner is None:
            graph.parse(path, format=rdflib_format)
        else:
            inner.bulk_load(path=path, format=oxigraph_format, to_graph=to_ox(graph.identifier))  # type: ignore[arg-type]
    except OSError as error:
        raise StoreError(f"{path}: cannot be read: {error.strerror or error}") from None
    except Exception as error:  # rdflib's and Oxigraph's parsers raise many types for a corrupt file
        reason = shown(str(error).splitlines()[0] if str(error) else type(error).__name__, 200)
        raise StoreError(f"{path}: not a readable graph file, corrupt or cut short? ({reason})") from None
    return graph


# --- the stores --------------------------------------------------------------------------


class Backend:
    """One kind of store. By default a store is in memory: built into, or read from the built file."""

    takes_location = False
    #: True when the store outlives the process, so a test or bench must reopen it to see what it kept.
    persistent = False

    def __init__(self, spec: StoreSpec) -> None:
        if spec.location is not None and not self.takes_location:
            raise StoreError(f"store {spec.name!r} takes no location (got {str(spec)!r}); {SPEC_SUMMARY}")
        self.spec = spec

    def empty_graph(self) -> Graph:
        """An empty graph to build into."""
        raise NotImplementedError

    def open_built(self, built_file: Path) -> Graph:
        """The graph a build left, given the file it wrote."""
        return _parse_into(self.empty_graph(), built_file)

    def keep(self, n_triples: Path) -> list[Path]:
        """Make a built graph (an N-Triples file) last beyond this process; return what was written."""
        return []


class _Memory(Backend):
    def empty_graph(self) -> Graph:
        return Graph(identifier=GRAPH_ID)


class _Oxigraph(Backend):
    def empty_graph(self) -> Graph:
        return _oxigraph_graph()


class _OxigraphOnDisk(_Oxigraph):
    """Oxigraph in a directory. Builds happen in memory; ``keep`` swaps in a new directory."""

    takes_location = True
    persistent = True

    def __init__(self, spec: StoreSpec) -> None:
        if not spec.location:
            raise StoreError(f"store {spec.name!r} needs a directory after the colon, e.g. {spec.name}:build/store")
        super().__init__(spec)
        self.directory = Path(spec.location)

    def open_built(self, built_file: Path) -> Graph:
        # The store itself is the built graph: the file is neither needed nor read.
        try:
            # Read-only: readers never take the write lock, and keep() never writes into an open directory.
            return _oxigraph_graph(ox.Store.read_only(str(self.directory)))
        except OSError:
            raise StoreError(
                f"{self.directory}: no Oxigraph store there (run 'trustkg build --store {self.spec}' first)"
            ) from None

    def keep(self, n_triples: Path) -> list[Path]:
        target = self.directory
        if target.exists() and any(target.iterdir()) and not (target / "CURRENT").exists():
            raise StoreError(f"{target}: exists and is not an Oxigraph store; not replacing it")
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
        staged.chmod(usual_mode(DIRECTORY))
        retired = staged.with_suffix(".old")
        try:
            fresh = ox.Store(str(staged))
            fresh.bulk_load(path=n_triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(GRAPH_ID)))
            fresh.flush()
            del fresh  # closes the database before its directory moves
            if target.exists():
                target.replace(retired)
            staged.replace(target)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
            shutil.rmtree(retired, ignore_errors=True)
        return [target]


def _oxigraph(spec: StoreSpec) -> Backend:
    return _Oxigraph(spec) if spec.location is None else _OxigraphOnDisk(spec)


def _query_form(query: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT or DESCRIBE): its first keyword after the prologue."""
    prologue = _PROLOGUE.match(query)
    start = prologue.end() if prologue is not None else 0
    keyword = query[start : start + len("CONSTRUCT")].upper()
    # Anything else is left for the endpoint to refuse in its own words, asked as a SELECT.
    return next((form for form in _ACCEPT if keyword.startswith(form)), "SELECT")


class _RemoteStore(SPARQLStore):
    """rdflib's SPARQLStore, asking for the results format a SELECT is answered fastest in, and reading it.

    rdflib's own request asks for one format for every query, opens a connection for each and, on an HTTP
    error, returns a tuple where a result belongs; this one asks by the query's form, sends every query
    on a kept-alive connection (:mod:`trustkg.remote_http`) and raises :class:`QueryError` instead.
    """

    def __init__(self, query_endpoint: str) -> None:
        super().__init__(query_endpoint=query_endpoint)
        self.connections = connections(self, query_endpoint)

    def close(self, commit_pending_transaction: bool = False) -> None:
        self.connections.close()

    def _inject_prefixes(self, query: str, extra_bindings: Mapping[str, Any]) -> str:
        # Only the prefixes the text may use (each ``name:`` in it), not all 42 the graph binds: measured on loopback,
        # those 42 lines cost 0.17 ms to encode and 0.2 ms for Virtuoso 7.2 to read, on every query.
        bindings = {**self.nsBindings, **extra_bindings}
        used = [f"PREFIX {name}: <{namespace}>" for name, namespace in bindings.items() if f"{name}:" in query]
        return "\n".join([*used, "", query]) if used else query

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        endpoint = self.connections.url
        fields = {"query": query}
        # rdflib names a graph without a name by a blank node: that is no graph to ask for.
        if default_graph is not None and not isinstance(default_graph, BNode):
            fields[_DEFAULT_GRAPH_PARAMETER] = default_graph
        form = _query_form(query)
        if not _LONG_STRING.search(query):
            # Only a long string can hold a line break, so with none every line that starts with # is a comment:
            # a library query's header and notes, half its text, are not sent (0.1-0.2 ms to encode, measured).
            fields["query"] = _COMMENT_LINES.sub("", query)
        encoded = urllib.parse.urlencode(fields)
        answer = self._ask(encoded, _ACCEPT[form])
        if form == "SELECT" and answer.content_type == RESULT_SET_MEDIA_TYPE:
            try:
                return read_results(answer.body, answer.content_type, endpoint, form)
            except StoreError:
                # Virtuoso 7.2's N-Triples writer now and then writes a datatype without its brackets (in the
                # shipped graph read whole, one literal of 38,000): not N-Triples, so asked again as results XML.
                answer = self._ask(encoded, _RESULTS_ACCEPT)
        return read_results(answer.body, answer.content_type, endpoint, form)

    def _ask(self, encoded: str, accept: str) -> Answer:
        endpoint = self.connections.url
        # A short query by GET, which Virtuoso 7.2 answers 0.2 ms sooner; a longer one POSTed as a form (the
        # protocol's "query via URL-encoded POST"). Virtuoso cuts a GET's URL short past 9,995 bytes, with no
        # error when what is left still parses, and never answers a query POSTed as application/sparql-query.
        try:
            if len(encoded) <= _GET_BYTES:
                answer = self.connections.get(encoded, {"Accept": accept})
            else:
                answer = self.connections.post(encoded.encode(), {"Accept": accept, "Content-Type": _FORM})
        except (OSError, http.client.HTTPException) as error:
            raise QueryError(f"the query failed: {endpoint} could not be reached: {shown(str(error), 300)}") from None
        if not answer.ok:
            # A plain-text answer is the engine's own message (Virtuoso's names the error and the line); a page
            # of HTML is not worth repeating, its status line is.
            text = answer.body.decode("utf-8", "replace") if answer.content_type == "text/plain" else ""
            reason = (text.strip().splitlines() or [answer.reason])[0]
            raise QueryError(f"the query failed: {endpoint} answered HTTP {answer.status}: {shown(reason, 300)}")
        return answer


class _Endpoint(Backend):
    """A remote SPARQL endpoint, read-only: every question about the graph is a SPARQL request."""

    takes_location = True

    def __init__(self, spec: StoreSpec) -> None:
        super().__init__(spec)
        url = urllib.parse.urlsplit(spec.location or "")
        if not url.hostname:
            raise StoreError(f"{spec}: an endpoint URL needs a host, e.g. http://127.0.0.1:8890/sparql")
        fields = urllib.parse.parse_qs(url.query)
        graph_names = fields.pop(_DEFAULT_GRAPH_PARAMETER, [str(GRAPH_ID)])
        if len(graph_names) != 1:
            raise StoreError(f"{spec}: name one {_DEFAULT_GRAPH_PARAMETER}, not {len(graph_names)}")
        self.graph_name = URIRef(graph_names[0])
        self.endpoint = urllib.parse.urlunsplit(url._replace(query=urllib.parse.urlencode(fields, doseq=True)))

    def empty_graph(self) -> Graph:
        raise StoreError(
            f"{self.spec}: a remote store is read here, not built into: build locally, then 'trustkg publish'"
        )

    def open_built(self, built_file: Path) -> Graph:
        return Graph(store=_RemoteStore(query_endpoint=self.endpoint), identifier=self.graph_name)

    def keep(self, n_triples: Path) -> list[Path]:
        raise StoreError(f"{self.spec}: a remote store is filled by 'trustkg publish', not by a build")


#: Store name -> factory taking the parsed spec. Adding a store is one line here.
STORES: dict[str, Callable[[StoreSpec], Backend]] = {
    "oxigraph": _oxigraph,
    "memory": _Memory,
    _ENDPOINT_STORE: _Endpoint,
}
DEFAULT_STORE = "oxigraph"
#: The store the others are checked and measured against: rdflib's own.
REFERENCE_STORE = "memory"
#: The spec forms, for messages and ``--store`` help.
SPEC_SUMMARY = "a store is oxigraph (default), memory, oxigraph:DIR (on disk) or an http(s):// SPARQL endpoint"
SPEC_METAVAR = "STORE"
SPEC_HELP = f"where the triples live: {SPEC_SUMMARY.removeprefix('a store is ')}"


def parse_store(spec: str | StoreSpec) -> StoreSpec:
    """Parse a store spec: ``NAME``, ``NAME:LOCATION`` or an endpoint URL."""
    if isinstance(spec, StoreSpec):
        return spec
    text = spec.strip()
    if text.lower().startswith(_ENDPOINT_SCHEMES):
        return StoreSpec(_ENDPOINT_STORE, text)
    name, colon, location = text.partition(":")
    name = name.strip().lower()
    if name not in STORES or name == _ENDPOINT_STORE:
        hint = did_you_mean(name, [n for n in STORES if n != _ENDPOINT_STORE])
        raise StoreError(f"unknown store {spec!r}{hint}; {SPEC_SUMMARY}")
    return StoreSpec(name, location.strip() if colon else None)


def backend(spec: str | StoreSpec = DEFAULT_STORE) -> Backend:
    """The store a spec names; raises :class:`StoreError` for a bad spec."""
    parsed = parse_store(spec)
    return STORES[parsed.name](parsed)


def new_graph(spec: str | StoreSpec = DEFAULT_STORE) -> Graph:
    """An empty graph to build into, in the named store, with the project's prefixes bound."""
    return bind_prefixes(backend(spec).empty_graph())


def load_graph(path: Path | str, spec: str | StoreSpec = DEFAULT_STORE) -> Graph:
    """Read an RDF file into a new graph in the named store (Oxigraph: through its bulk loader)."""
    return _parse_into(new_graph(spec), Path(path))


def open_graph(built_file: Path | str, spec: str | StoreSpec = DEFAULT_STORE) -> Graph:
    """The graph ``trustkg build`` left: an on-disk store as it is, otherwise ``built_file`` read in."""
    return bind_prefixes(backend(spec).open_built(Path(built_file)))


def serialize(graph: Graph, path: Path) -> bytes:
    """The graph in the syntax ``path``'s suffix names, written by Oxigraph's serialisers."""
    store, graph_name = oxigraph_view(graph)
    written = store.dump(format=_formats(path)[1], from_graph=graph_name, prefixes=_PREFIXES)
    assert written is not None  # given no output, dump returns the bytes
    return written


def n_triples(graph: Graph) -> bytes:
    """The graph as N-Triples, by Oxigraph's writer."""
    return serialize(graph, Path(_N_TRIPLES))


def n_triples_ahead(out_dir: Path | str) -> contextlib.AbstractContextManager[FileWrittenAhead]:
    """The N-Triples file of ``out_dir``, to write as the graph is built and pass to :func:`write_graph`."""
    return file_written_ahead(out_dir, _N_TRIPLES)


def write_graph(
    graph: Graph,
    out_dir: Path | str,
    spec: str | StoreSpec = DEFAULT_STORE,
    n_triples: FileWrittenAhead | None = None,
) -> list[Path]:
    """Write the graph as Turtle and N-Triples (replacing old files only when both are ready), then keep it in the store.

    The N-Triples are ``n_triples`` when the build wrote them already (see :func:`n_triples_ahead`), else
    written from the store. Oxigraph streams each file to disk: holding them in memory first was the build's
    peak (the N-Triples twice over, Oxigraph's buffer and Python's copy: 1,059 MB at 1.2M triples, against
    700 MB streamed).
    """
    keeper = backend(spec)  # a bad spec fails before anything is written
    inner, graph_name = oxigraph_view(graph)

    def writer(name: str) -> Callable[[Path], None]:
        def write(target: Path) -> None:
            progress(f"write {name}", 0, 1)
            if name == _N_TRIPLES and n_triples is not None:
                n_triples.move_to(target)
            else:
                inner.dump(target, _formats(target)[1], from_graph=graph_name, prefixes=_PREFIXES)
            progress(f"write {name}", 1, 1)

        return write

    written = replace_outputs(Path(out_dir), {name: writer(name) for name in OUTPUT_FILES})
    if not keeper.persistent:
        return written
    progress(f"write {spec}", 0, 1)
    # The N-Triples just written: read by Oxigraph's bulk loader, never into Python.
    kept = keeper.keep(Path(out_dir) / _N_TRIPLES)
    progress(f"write {spec}", 1, 1)
    return written + kept


def _runs_here(spec: StoreSpec) -> bool:
    try:
        backend(spec)
    except StoreError:
        return False
    return True


def local_stores() -> list[str]:
    """Names of the stores that run on this machine in memory: what tests and bench compare."""
    return [name for name in sorted(STORES) if _runs_here(StoreSpec(name))]


def disk_stores() -> list[str]:
    """Names of the stores that also run on disk, as ``NAME:DIR``."""
    return [name for name in sorted(STORES) if _runs_here(StoreSpec(name, "DIR"))]
