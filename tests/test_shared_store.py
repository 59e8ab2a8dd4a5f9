"""A shared store: ``trustkg publish`` puts the graph into a real Virtuoso (Debian's, on loopback, started by
the session fixture) through the Graph Store Protocol, replacing and never appending, with credentials
from the environment; ``--store URL`` then runs the library there, and every query agrees with Oxigraph,
on the fixture and on the shipped data (where rdflib's memory store must agree too).

Data: the FICTIONAL fixture case base (with ZZ4), tests/fixtures/formats/tiny.ttl, and data/ as shipped
(read only)."""

from __future__ import annotations

import base64
import collections
import concurrent.futures
import http.client
import http.server
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import RDF, SKOS, Graph
from rdflib.compare import isomorphic

from tests.conftest import REPO, built_in
from tests.loopback_http import send, serving
from tests.services.virtuoso import KEEP_ALIVE_SECONDS, Virtuoso
from tests.test_query_library import EXAMPLES
from tests.test_scripts import load
from tests.test_sparql_formats import TINY
from tests.test_store import NOTHING_BOUND
from trustkg import api
from trustkg.errors import QueryError, QueryTimeoutError, StoreError
from trustkg.loaders.casefiles import load_case_files
from trustkg.ontology import TKG
from trustkg.remote_results import RESULT_SET_MEDIA_TYPE, RESULTS_XML, read_results
from trustkg.sparql import LibraryQuery, simple_strings
from trustkg.sparql.params import convert
from trustkg.store import GRAPH_ID

TEST_GRAPH = "http://example.org/trustkg-publish-test"
SHIPPED_GRAPH = "http://example.org/trustkg-shipped-test"
#: Values for the required parameters that exist in the shipped data. RA7 and RD7: one trust with month-only
#: inspection dates and several ratings per key question, one with a single inspection.
SHIPPED_EXAMPLES: dict[str, dict[str, str]] = {
    "evidence-for-link": {"action_type": "visible-leadership"},
    "trust-profile": {"trust": "RA7"},
    "compare-trusts": {"trust_a": "RA7", "trust_b": "RD7"},
    "search-evidence": {"text": "leadership"},
}


@pytest.fixture(scope="module")
def local(query_fixture_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return built_in(load_case_files(query_fixture_dir), ("oxigraph", False), tmp_path_factory)


@pytest.fixture(scope="module")
def remote(local: Graph, virtuoso: Virtuoso) -> Graph:
    published = api.publish(local, virtuoso.graph_store_url, None, virtuoso.user, virtuoso.password)
    assert published.status in (200, 201, 204)
    assert published.triples == len(local)
    return api.open_graph(store_name=virtuoso.sparql_url)


@pytest.fixture(scope="module")
def shipped() -> dict[str, Graph]:
    """The shipped data built in each store that runs here."""
    return {name: api.build_graph_from(REPO / "data", name).graph for name in api.local_stores()}


@pytest.fixture(scope="module")
def shipped_remote(shipped: dict[str, Graph], virtuoso: Virtuoso) -> Graph:
    """The shipped data in Virtuoso beside the fixture (another named graph, as on a store shared by teams)."""
    published = api.publish(
        shipped["oxigraph"], virtuoso.graph_store_url, SHIPPED_GRAPH, virtuoso.user, virtuoso.password
    )
    assert published.triples == len(shipped["oxigraph"])
    return api.open_graph(
        store_name=f"{virtuoso.sparql_url}?{urllib.parse.urlencode({'default-graph-uri': SHIPPED_GRAPH})}"
    )


def remote_graph(virtuoso: Virtuoso, graph_iri: str) -> Graph:
    """The named graph's triples as Virtuoso holds them, read through the remote store spec."""
    spec = f"{virtuoso.sparql_url}?{urllib.parse.urlencode({'default-graph-uri': graph_iri})}"
    copy = Graph()
    for subject, predicate, object_ in api.open_graph(store_name=spec):
        copy.add((subject, predicate, simple_strings(object_)))
    return copy


def rows(table: api.ResultTable) -> collections.Counter[str]:
    return collections.Counter(repr(row) for row in table.values())


def test_the_published_graph_is_the_local_graph(local: Graph, remote: Graph, virtuoso: Virtuoso) -> None:
    expected = Graph()
    for subject, predicate, object_ in local:
        expected.add((subject, predicate, simple_strings(object_)))
    assert isomorphic(remote_graph(virtuoso, str(GRAPH_ID)), expected)


@pytest.mark.parametrize("query", api.queries(), ids=lambda query: query.name)
def test_every_library_query_agrees_with_oxigraph(local: Graph, remote: Graph, query: LibraryQuery) -> None:
    params = EXAMPLES.get(query.name, {})
    expected = api.run_library_query(local, query.name, params)
    found = api.run_library_query(remote, query.name, params, timeout=120)
    assert found.columns == expected.columns
    assert rows(found) == rows(expected)


@pytest.mark.parametrize("query", api.queries(), ids=lambda query: query.name)
def test_every_library_query_agrees_on_the_shipped_data(
    shipped: dict[str, Graph], shipped_remote: Graph, query: LibraryQuery
) -> None:
    params = SHIPPED_EXAMPLES.get(query.name, {})
    expected = api.run_library_query(shipped["oxigraph"], query.name, params)
    for name, graph in {**shipped, "Virtuoso": shipped_remote}.items():
        found = api.run_library_query(graph, query.name, params, timeout=120)
        assert found.columns == expected.columns, name
        assert rows(found) == rows(expected), name


def test_search_evidence_reads_the_same_pages_on_every_engine(shipped: dict[str, Graph], shipped_remote: Graph) -> None:
    # Three pages, the last one short: in the same order on every engine, and the same rows as the whole answer.
    params = SHIPPED_EXAMPLES["search-evidence"]
    everything = api.run_library_query(shipped["oxigraph"], "search-evidence", params, limit=api.ALL_ROWS)
    size = len(everything) // 3 + 1
    assert len(everything) > 2 * size
    for name, graph in {**shipped, "Virtuoso": shipped_remote}.items():
        pages = [
            api.run_library_query(graph, "search-evidence", params, timeout=120, limit=size, offset=offset)
            for offset in (0, size, 2 * size)
        ]
        assert [page.next_offset for page in pages] == [size, 2 * size, None], name
        assert [row for page in pages for row in page.values()] == everything.values(), name


#: Queries of the other forms, over the fixture; each answer is compared with Oxigraph's.
OTHER_FORMS = {
    "ask-yes": "PREFIX tkg: <https://w3id.org/trustkg/def/> ASK { ?trust a tkg:Trust }",
    "ask-no": "ASK { <http://example.org/fictional/nothing> ?p ?o }",
    "construct": "PREFIX tkg: <https://w3id.org/trustkg/def/> "
    "CONSTRUCT { ?trust tkg:odsCode ?code ; a tkg:Trust } WHERE { ?trust a tkg:Trust ; tkg:odsCode ?code }",
}


@pytest.mark.parametrize("name", OTHER_FORMS)
def test_ask_and_construct_give_what_oxigraph_gives(local: Graph, remote: Graph, name: str) -> None:
    expected = api.run_sparql(local, OTHER_FORMS[name])
    found = api.run_sparql(remote, OTHER_FORMS[name], timeout=60)
    if isinstance(expected, api.GraphResult):
        assert isinstance(found, api.GraphResult)
        assert len(expected) > 0
        assert isomorphic(found.graph(), expected.graph())
    else:
        assert found == expected


def test_a_line_that_starts_with_a_hash_inside_a_long_string_is_kept(remote: Graph) -> None:
    # The remote store leaves comment lines out of what it sends, but not a long string's lines.
    text = 'SELECT ?text WHERE {\n  # a comment\n  BIND("""first\n# not a comment\nlast""" AS ?text)\n}'
    assert [str(cell) for row in api.sparql(remote, text).rows for cell in row] == ["first\n# not a comment\nlast"]


def test_a_row_with_nothing_bound_is_a_row_there_too(remote: Graph) -> None:
    table = api.sparql(remote, NOTHING_BOUND)
    assert (table.columns, table.rows) == (["x", "y"], [(None, None)])


def test_describe_through_the_command_gives_the_resources_triples(
    cli, local: Graph, remote: Graph, virtuoso: Virtuoso
) -> None:
    trust = next(iter(local.subjects(RDF.type, TKG.Trust)))
    run = cli("query", "--store", virtuoso.sparql_url, "--sparql", f"DESCRIBE <{trust}>", "-f", "ntriples")
    assert run.code == 0, run.err
    described = Graph().parse(data=run.out, format="nt")
    about = {(trust, predicate, simple_strings(object_)) for predicate, object_ in local.predicate_objects(trust)}
    assert len(about) > 3
    assert about <= set(described)


#: The library queries that take a trust, each asked about RA7 (and the study, where it takes one).
SCOPED = [query for query in api.queries() if any(p.name == "trust" and not p.required for p in query.parameters)]


@pytest.mark.parametrize("query", SCOPED, ids=lambda query: query.name)
def test_every_query_scoped_to_a_trust_agrees_on_the_shipped_data(
    shipped: dict[str, Graph], shipped_remote: Graph, query: LibraryQuery
) -> None:
    params = {**SHIPPED_EXAMPLES.get(query.name, {}), "trust": "RA7"}
    expected = api.run_library_query(shipped["oxigraph"], query.name, params)
    for name, graph in {**shipped, "Virtuoso": shipped_remote}.items():
        found = api.run_library_query(graph, query.name, params, timeout=120)
        assert rows(found) == rows(expected), name


def _answer(virtuoso: Virtuoso, text: str, accept: str) -> bytes:
    """Virtuoso's answer to ``text`` over the shipped graph, in the format ``accept`` names."""
    fields = {"query": text, "default-graph-uri": SHIPPED_GRAPH}
    request = urllib.request.Request(virtuoso.sparql_url, urllib.parse.urlencode(fields).encode(), {"Accept": accept})
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.headers.get_content_type() == accept
        return bytes(response.read())


def _table(body: bytes, media_type: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """An answer's columns and rows, in its order."""
    answer = read_results(body, media_type, "Virtuoso")
    rows = [tuple(simple_strings(row[v]) if v in row else None for v in answer.vars) for row in answer.bindings]
    return [str(variable) for variable in answer.vars], rows


@pytest.mark.parametrize("query", api.queries(), ids=lambda query: query.name)
def test_every_answer_in_n_triples_is_the_answer_in_xml_row_for_row(
    shipped: dict[str, Graph], shipped_remote: Graph, virtuoso: Virtuoso, query: LibraryQuery
) -> None:
    # The remote store asks for a SELECT's answer as a result set in N-Triples: the same terms in the same order
    # as results XML, Virtuoso's standard format (each row compared in place, not as a set), whether read by the
    # path for Virtuoso's layout or, its first line written as N-Triples, the general way.
    text = api.query_text(shipped["oxigraph"], query.name, SHIPPED_EXAMPLES.get(query.name, {}))
    in_xml = _table(_answer(virtuoso, text, RESULTS_XML), RESULTS_XML)
    body = _answer(virtuoso, text, RESULT_SET_MEDIA_TYPE)
    first, rest = body.split(b"\n", 1)
    assert first.endswith(b" rdf:type <http://www.w3.org/1999/02/22-rdf-syntax-ns#res:ResultSet> .")
    typed = (
        first.split(b" ", 1)[0]
        + b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2005/sparql-results#ResultSet> .\n"
    )
    assert _table(body, RESULT_SET_MEDIA_TYPE) == _table(typed + rest, RESULT_SET_MEDIA_TYPE) == in_xml


#: The queries that take a minimum support grade.
GRADED = [query for query in api.queries() if any(p.type == "support-grade" for p in query.parameters)]


@pytest.mark.parametrize("others", [{}, {"only_stated": "true"}], ids=["alone", "only-stated"])
@pytest.mark.parametrize("query", GRADED, ids=lambda query: query.name)
def test_min_grade_keeps_the_same_rows_on_every_engine(
    shipped: dict[str, Graph], shipped_remote: Graph, query: LibraryQuery, others: dict[str, str]
) -> None:
    # Which rows each min_grade keeps is worked out here from the unfiltered answer and the vocabulary's
    # ranks, not by the query: a link stays when its grade ranks at least as high as the minimum.
    oxigraph = shipped["oxigraph"]
    params = {**SHIPPED_EXAMPLES.get(query.name, {}), **others}
    ranks = {grade: int(rank) for grade, rank in oxigraph.subject_objects(TKG.gradeRank)}  # type: ignore[arg-type]
    everything = api.run_library_query(oxigraph, query.name, params)
    grade = everything.columns.index("grade")
    assert len({row[grade] for row in everything.rows}) >= 2  # so that some minimum leaves rows out
    engines = {**shipped, "Virtuoso": shipped_remote}
    for name, graph in engines.items():
        assert rows(api.run_library_query(graph, query.name, params, timeout=120)) == rows(everything), name
    for minimum, rank in ranks.items():
        kept = [row for row in everything.rows if ranks[row[grade]] >= rank]  # type: ignore[index]
        expected = rows(api.ResultTable(everything.columns, kept))
        given = {**params, "min_grade": str(oxigraph.value(minimum, SKOS.notation))}
        for name, graph in engines.items():
            found = api.run_library_query(graph, query.name, given, timeout=120)
            assert rows(found) == expected, (name, minimum)


def test_the_command_runs_against_the_store(cli, remote: Graph, virtuoso: Virtuoso, query_fixture_dir: Path) -> None:
    here = cli("query", "special-measures-exits", "--data", str(query_fixture_dir), "-f", "csv")
    there = cli("query", "special-measures-exits", "--store", virtuoso.sparql_url, "-f", "csv")
    assert there.code == 0, there.err
    assert sorted(there.out.splitlines()) == sorted(here.out.splitlines())
    assert len(there.out.splitlines()) > 1


def test_publish_replaces_never_appends(
    cli, monkeypatch: pytest.MonkeyPatch, virtuoso: Virtuoso, case_dir: Path
) -> None:
    for name, value in virtuoso.environment().items():
        monkeypatch.setenv(name, value)
    first = cli("publish", "--data", str(case_dir), "--endpoint", virtuoso.graph_store_url, "--graph-iri", TEST_GRAPH)
    assert first.code == 0, first.err
    assert f"as <{TEST_GRAPH}>" in first.out
    assert len(remote_graph(virtuoso, TEST_GRAPH)) == len(api.Workspace(data=case_dir).graph)
    second = cli("publish", "--graph", str(TINY), "--endpoint", virtuoso.graph_store_url, "--graph-iri", TEST_GRAPH)
    assert second.code == 0, second.err
    assert isomorphic(remote_graph(virtuoso, TEST_GRAPH), Graph().parse(TINY))


def test_publishing_needs_credentials_from_the_environment(
    cli, monkeypatch: pytest.MonkeyPatch, virtuoso: Virtuoso
) -> None:
    monkeypatch.delenv("TRUSTKG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("TRUSTKG_ENDPOINT_PASSWORD", raising=False)
    before = remote_graph(virtuoso, TEST_GRAPH)
    refused = cli("publish", "--graph", str(TINY), "--endpoint", virtuoso.graph_store_url, "--graph-iri", TEST_GRAPH)
    assert refused.code == 2
    assert "HTTP 401" in refused.err and "TRUSTKG_ENDPOINT_PASSWORD" in refused.err
    assert isomorphic(remote_graph(virtuoso, TEST_GRAPH), before)
    monkeypatch.setenv("TRUSTKG_ENDPOINT_USER", virtuoso.user)
    half = cli("publish", "--graph", str(TINY), "--endpoint", virtuoso.graph_store_url)
    assert half.code == 2
    assert "set both" in half.err
    # There is no option for a password: the command line is never where a credential goes.
    assert "password" not in cli("publish", "--help").out.lower().replace("trustkg_endpoint_password", "")


def test_a_remote_store_is_read_not_built(cli, virtuoso: Virtuoso, case_dir: Path) -> None:
    run = cli("build", "--data", str(case_dir), "--store", virtuoso.sparql_url, "--out", str(case_dir / "out"))
    assert run.code == 2
    assert "trustkg publish" in run.err
    with pytest.raises(StoreError):
        api.publish(Graph(), "ftp://example.org/store")


@pytest.mark.parametrize(
    ("script", "argv"),
    [
        ("special_measures_common", []),
        ("themes_by_role", []),
        ("best_supported_actions", []),
        ("rating_moves", []),
        ("central_actions", ["--top", "3"]),
    ],
)
def test_the_scripts_run_against_the_store(
    capsys: pytest.CaptureFixture[str],
    remote: Graph,
    virtuoso: Virtuoso,
    query_fixture_dir: Path,
    script: str,
    argv: list[str],
) -> None:
    main = load(script).main
    assert main(["--data", str(query_fixture_dir), *argv]) == 0
    here = capsys.readouterr().out
    assert main(["--store", virtuoso.sparql_url, *argv]) == 0
    assert capsys.readouterr().out == here


def sent_queries(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every query the remote store sends from now on, recorded on its way to the real endpoint."""
    sent: list[str] = []
    store = graph.store
    send = store._query  # type: ignore[attr-defined]

    def recording(query: str, *args: object, **kwargs: object) -> object:
        sent.append(query)
        return send(query, *args, **kwargs)

    monkeypatch.setattr(store, "_query", recording)
    return sent


#: Three parameters each that only the graph can check, with values the shipped data has.
THREE_CHECKED = {
    "evidence-for-link": {
        "action_type": "visible-leadership",
        "outcome_type": "rating-improved",
        "study": "driving-improvement-2017",
    },
    "compare-trusts": {"trust_a": "RA7", "trust_b": "RD7", "study": "driving-improvement-2017"},
}


@pytest.mark.parametrize("name", THREE_CHECKED)
def test_parameters_are_checked_in_one_request(
    shipped: dict[str, Graph], shipped_remote: Graph, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = sent_queries(shipped_remote, monkeypatch)
    found = api.run_library_query(shipped_remote, name, THREE_CHECKED[name])
    assert len(sent) == 2  # the check of all three, then the query
    assert rows(found) == rows(api.run_library_query(shipped["oxigraph"], name, THREE_CHECKED[name]))
    assert len(found.rows) > 0


#: A bad value for each parameter type the graph decides (the last one would end an IRI if it were spliced).
BAD_VALUES = [
    ("evidence-for-link", "action_type", "action-type", "visible-leadrship", {}),
    ("evidence-for-link", "outcome_type", "outcome-type", "rating-improvd", {"action_type": "visible-leadership"}),
    ("evidence-for-link", "study", "study", "driving-improvment-2017", {"action_type": "visible-leadership"}),
    ("actions-to-outcomes", "theme", "theme", "leadrship", {}),
    ("actions-to-outcomes", "role", "role", "chief-executve", {}),
    ("trust-profile", "trust", "trust", "RA8", {}),
    ("trust-profile", "trust", "trust", "RA7> . } #", {}),
]


@pytest.mark.parametrize(("name", "parameter", "type_name", "value", "others"), BAD_VALUES)
def test_a_bad_value_gets_the_same_did_you_mean_on_every_store(
    shipped: dict[str, Graph],
    shipped_remote: Graph,
    name: str,
    parameter: str,
    type_name: str,
    value: str,
    others: dict[str, str],
) -> None:
    # The message of the type's own rule, which lists the known values: what one-by-one checking raised.
    with pytest.raises(QueryError) as rule:
        convert(type_name, value, shipped["oxigraph"])
    expected = f"parameter {parameter} of {name!r}: {rule.value}"
    for store, graph in {**shipped, "Virtuoso": shipped_remote}.items():
        with pytest.raises(QueryError) as raised:
            api.run_library_query(graph, name, {**others, parameter: value})
        assert str(raised.value) == expected, store
    assert "unknown" in expected


# --- the connection: kept alive, one per process and thread, reopened when the server closed it -----------

#: Queries that need no parameter.
UNPARAMETERISED = [query.name for query in api.queries() if not any(p.required for p in query.parameters)][:5]
#: Every pair of the shipped graph's triples, counted: seconds of work for Virtuoso, far past a tenth of one.
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def fresh(remote: Graph) -> Graph:
    """Another remote graph on the same endpoint and named graph, with connections of its own to count."""
    endpoint: str = remote.store.connections.url  # type: ignore[attr-defined]
    return api.open_graph(store_name=f"{endpoint}?{urllib.parse.urlencode({'default-graph-uri': remote.identifier})}")


def test_queries_reuse_one_connection(shipped: dict[str, Graph], shipped_remote: Graph) -> None:
    graph = fresh(shipped_remote)
    for name in UNPARAMETERISED:
        assert rows(api.query(graph, name)) == rows(api.query(shipped["oxigraph"], name)), name
    found = api.query(graph, "compare-trusts", **SHIPPED_EXAMPLES["compare-trusts"])  # the check, then the query
    assert rows(found) == rows(api.query(shipped["oxigraph"], "compare-trusts", **SHIPPED_EXAMPLES["compare-trusts"]))
    assert len(UNPARAMETERISED) == 5
    assert graph.store.connections.opened == 1  # type: ignore[attr-defined]


def test_a_connection_the_server_closed_is_opened_again(shipped: dict[str, Graph], shipped_remote: Graph) -> None:
    graph = fresh(shipped_remote)
    name = UNPARAMETERISED[0]
    expected = rows(api.query(shipped["oxigraph"], name))
    assert rows(api.query(graph, name)) == expected
    time.sleep(KEEP_ALIVE_SECONDS + 3)  # Virtuoso closes the idle connection (it looks every second or two)
    assert rows(api.query(graph, name)) == expected
    assert graph.store.connections.opened == 2  # type: ignore[attr-defined]
    assert rows(api.query(graph, name)) == expected
    assert graph.store.connections.opened == 2  # type: ignore[attr-defined]


def test_a_query_stopped_at_its_time_limit_leaves_the_store_usable(
    shipped: dict[str, Graph], shipped_remote: Graph
) -> None:
    graph = fresh(shipped_remote)
    name = UNPARAMETERISED[0]
    expected = rows(api.query(shipped["oxigraph"], name))
    assert rows(api.query(graph, name)) == expected
    # The limited query runs in a forked worker, killed at the limit: it must not have used this process's connection.
    with pytest.raises(QueryTimeoutError):
        api.run_sparql(graph, CROSS_PRODUCT, timeout=0.1)
    assert rows(api.query(graph, name)) == expected
    assert graph.store.connections.opened == 1  # type: ignore[attr-defined]
    # A worker that finishes answers through a connection of its own, and this one stays as it was.
    assert rows(api.run_library_query(graph, name, timeout=60)) == expected
    assert rows(api.query(graph, name)) == expected
    assert graph.store.connections.opened == 1  # type: ignore[attr-defined]


def test_each_thread_has_a_connection_of_its_own(shipped: dict[str, Graph], shipped_remote: Graph) -> None:
    graph = fresh(shipped_remote)
    expected = {name: rows(api.query(shipped["oxigraph"], name)) for name in UNPARAMETERISED}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda name: (name, rows(api.query(graph, name))), UNPARAMETERISED * 4))
    assert found == [(name, expected[name]) for name in UNPARAMETERISED * 4]
    assert 1 <= graph.store.connections.opened <= 2  # type: ignore[attr-defined]


class _ForwardingProxy(http.server.BaseHTTPRequestHandler):
    """A plain HTTP proxy: forwards each request it is sent (the whole URL on its request line) and notes it."""

    protocol_version = "HTTP/1.1"  # keeps the client's connection open, as a proxy does
    forwarded: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self._forward("GET", None)

    def do_POST(self) -> None:
        self._forward("POST", self.rfile.read(int(self.headers.get("Content-Length", "0"))))

    def _forward(self, method: str, body: bytes | None) -> None:
        target = urllib.parse.urlsplit(self.path)
        self.forwarded.append((self.path, self.headers.get("Proxy-Authorization")))
        upstream = http.client.HTTPConnection(target.hostname or "", target.port)
        headers = {name: self.headers[name] for name in ("Accept", "Content-Type") if name in self.headers}
        upstream.request(method, urllib.parse.urlunsplit(("", "", target.path, target.query, "")), body, headers)
        answer = upstream.getresponse()
        content = answer.read()
        upstream.close()
        send(self, answer.status, answer.headers.get("Content-Type", "text/plain"), content)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def proxy_port(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A forwarding proxy on loopback, its notes cleared, with nothing exempted from proxies in the environment."""
    _ForwardingProxy.forwarded.clear()
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with serving(_ForwardingProxy) as port:
        yield port


def test_a_proxy_the_environment_names_is_used(
    shipped: dict[str, Graph], shipped_remote: Graph, monkeypatch: pytest.MonkeyPatch, proxy_port: int
) -> None:
    monkeypatch.setenv("http_proxy", f"http://someone:p%40ss@127.0.0.1:{proxy_port}")
    graph = fresh(shipped_remote)
    name = UNPARAMETERISED[0]
    expected = rows(api.query(shipped["oxigraph"], name))
    assert rows(api.query(graph, name)) == expected
    assert rows(api.query(graph, name)) == expected
    endpoint = graph.store.connections.url  # type: ignore[attr-defined]
    credentials = "Basic " + base64.b64encode(b"someone:p@ss").decode()
    assert _ForwardingProxy.forwarded == [(endpoint, credentials)] * 2
    assert graph.store.connections.opened == 1  # type: ignore[attr-defined]


def test_a_short_query_goes_by_get_through_the_proxy_too(
    shipped: dict[str, Graph], shipped_remote: Graph, monkeypatch: pytest.MonkeyPatch, proxy_port: int
) -> None:
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy_port}")
    text = "SELECT ?trust WHERE { ?trust a <https://w3id.org/trustkg/def/Trust> } ORDER BY ?trust"
    assert api.sparql(fresh(shipped_remote), text).rows == api.sparql(shipped["oxigraph"], text).rows
    ((path, _credentials),) = _ForwardingProxy.forwarded
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["query"] == [text]
