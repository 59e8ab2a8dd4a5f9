"""``trustkg query`` for analysts: the W3C result formats byte for byte, every query form, ``-o`` and ``-``,
SERVICE refused, a time limit, and a pandas DataFrame from the API.

Expected outputs are the ones written by hand from the specifications in test_sparql_formats, on the
same FICTIONAL graph (tests/fixtures/formats/tiny.ttl), here through the command in each store."""

from __future__ import annotations

import io
import json
import socket
import threading
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conftest import FIXTURE_DIR
from tests.test_sparql_formats import (
    EXPECTED_CSV,
    EXPECTED_JSON,
    EXPECTED_TSV,
    EXPECTED_XML,
    SELECT,
    TINY,
    check_results_json_shape,
)
from trustkg import api
from trustkg.errors import QueryTimeoutError, RefusedQueryError

EXPECTED = {"sparql-xml": EXPECTED_XML, "sparql-csv": EXPECTED_CSV, "tsv": EXPECTED_TSV}
NAMES_QUERY = Path(__file__).resolve().parent / "fixtures" / "formats" / "names.rq"
# Six triples to the twelfth power: about 2 billion rows, hours on either engine.
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"


@pytest.fixture(params=api.local_stores())
def store_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def tiny_query(cli, store_name: str, *args: str):  # type: ignore[no-untyped-def]
    return cli("query", "--graph", str(TINY), "--store", store_name, *args)


@pytest.mark.parametrize("format_name", sorted(EXPECTED))
def test_w3c_formats_exactly(cli, store_name: str, format_name: str) -> None:
    run = tiny_query(cli, store_name, "--sparql", SELECT, "-f", format_name)
    assert run.code == 0, run.err
    assert run.out == EXPECTED[format_name]


def test_sparql_json_validates_as_w3c_results_json(cli, store_name: str) -> None:
    run = tiny_query(cli, store_name, "--sparql", SELECT, "-f", "sparql-json")
    assert run.code == 0, run.err
    document = json.loads(run.out)
    check_results_json_shape(document)
    assert document == EXPECTED_JSON


def test_a_library_query_in_w3c_json_has_the_rows_of_its_table(cli) -> None:
    table = api.Workspace(data=FIXTURE_DIR).query("rating-trajectories")
    run = cli("query", "rating-trajectories", "--data", str(FIXTURE_DIR), "-f", "sparql-json")
    assert run.code == 0, run.err
    document = json.loads(run.out)
    check_results_json_shape(document)
    assert document["head"]["vars"] == table.columns
    assert len(document["results"]["bindings"]) == len(table) > 0
    assert [binding["trust"]["value"] for binding in document["results"]["bindings"]] == [
        str(cell) for cell in table.column("trust")
    ]


def test_out_file_and_dash_for_standard_output(cli, tmp_path: Path) -> None:
    target = tmp_path / "answer.csv"
    written = tiny_query(cli, "oxigraph", "--sparql", SELECT, "-f", "sparql-csv", "-o", str(target))
    assert written.code == 0, written.err
    assert written.out == ""
    assert target.read_bytes() == EXPECTED_CSV.encode("utf-8")
    dashed = tiny_query(cli, "oxigraph", "--sparql", SELECT, "-f", "sparql-csv", "-o", "-")
    assert dashed.out == EXPECTED_CSV


def test_excel_csv_is_utf8_with_a_byte_order_mark(cli, tmp_path: Path) -> None:
    target = tmp_path / "answer.csv"
    assert tiny_query(cli, "oxigraph", "--sparql", SELECT, "-f", "excel-csv", "-o", str(target)).code == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + EXPECTED_CSV.encode("utf-8")


def test_ask(cli, store_name: str) -> None:
    yes = tiny_query(cli, store_name, "--sparql", "ASK { ?t <http://example.org/beds> 120 }", "-f", "sparql-json")
    assert json.loads(yes.out) == {"head": {}, "boolean": True}
    no = tiny_query(cli, store_name, "--sparql", "ASK { ?t <http://example.org/beds> 121 }")
    assert (no.code, no.out) == (0, "false\n")
    refused = tiny_query(cli, store_name, "--sparql", "ASK {}", "-f", "tsv")
    assert refused.code == 2
    assert "CSV and TSV are defined for SELECT only" in refused.err


def test_construct_and_describe(cli, store_name: str) -> None:
    construct = "CONSTRUCT { ?t <http://example.org/label> ?n } WHERE { ?t <http://example.org/name> ?n }"
    expected = Graph().parse(
        data="""@prefix ex: <http://example.org/> .
        ex:zz1 ex:label "Fictional One"@en . ex:zz2 ex:label "Fictional Two" . ex:zz3 ex:label "Trois"@fr .""",
        format="turtle",
    )
    for format_name, rdflib_format in (("table", "turtle"), ("ntriples", "nt"), ("json-ld", "json-ld")):
        run = tiny_query(cli, store_name, "--sparql", construct, "-f", format_name)
        assert run.code == 0, run.err
        assert isomorphic(Graph().parse(data=run.out, format=rdflib_format), expected), format_name
    describe = tiny_query(cli, store_name, "--sparql", "DESCRIBE <http://example.org/zz2>", "-f", "ntriples")
    assert isomorphic(
        Graph().parse(data=describe.out, format="nt"),
        Graph().parse(data='<http://example.org/zz2> <http://example.org/name> "Fictional Two" .', format="nt"),
    )
    as_table = tiny_query(cli, store_name, "--sparql", construct, "-f", "csv")
    assert as_table.code == 2
    assert "turtle" in as_table.err


class Listener:
    """A local port that records whether anything connected to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.connected = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connected.set()
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> object:
    watching = Listener()
    yield watching
    watching.close()


def test_service_is_refused_and_nothing_is_sent(cli, store_name: str, listener: Listener, tmp_path: Path) -> None:
    text = f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }} }}"
    run = tiny_query(cli, store_name, "--sparql", text)
    assert run.code == 2
    assert "SERVICE" in run.err and "refused" in run.err
    query_file = tmp_path / "fetch.rq"
    query_file.write_text("# title: t\n# question: q?\n# column: s: s\n" + text, encoding="utf-8")
    from_file = tiny_query(cli, store_name, str(query_file))
    assert from_file.code == 2
    assert "refused" in from_file.err
    with pytest.raises(RefusedQueryError):
        api.run_sparql(api.open_graph(TINY, store_name), text)
    assert not listener.connected.wait(0.5)


def test_a_runaway_query_is_stopped_at_the_time_limit(cli, store_name: str) -> None:
    run = tiny_query(cli, store_name, "--sparql", CROSS_PRODUCT, "--timeout", "1")
    assert run.code == 2
    assert "time limit (1 s)" in run.err
    graph = api.open_graph(TINY, store_name)
    with pytest.raises(QueryTimeoutError):
        api.run_sparql(graph, CROSS_PRODUCT, timeout=0.5)
    # The same graph still answers, under a limit and without.
    limited = tiny_query(cli, store_name, "--sparql", SELECT, "-f", "sparql-csv", "--timeout", "30")
    assert (limited.code, limited.out) == (0, EXPECTED_CSV)
    table = api.run_library_query(api.open_graph(TINY, store_name), str(NAMES_QUERY), timeout=30)
    assert isinstance(table, api.ResultTable)
    assert [str(cell) for cell in table.column("name")] == ["Fictional One", "Fictional Two", "Trois"]


def test_a_time_limit_must_be_positive(cli) -> None:
    run = tiny_query(cli, "oxigraph", "--sparql", SELECT, "--timeout", "0")
    assert run.code == 2
    assert "above 0" in run.err


def test_a_table_as_a_pandas_dataframe() -> None:
    graph = api.open_graph(TINY)
    table = api.sparql(graph, SELECT)
    frame = table.to_dataframe()
    assert list(frame.columns) == ["trust", "name", "beds", "note"]
    assert list(frame["name"]) == ["Fictional One", "Fictional Two", "Trois"]
    assert frame["beds"].tolist()[0] == 120
    assert frame["note"].isna().tolist() == [False, True, True]


def test_pages_and_exports_to_standard_output(cli, tmp_path: Path) -> None:
    data = str(FIXTURE_DIR)
    exported = cli("export", "--data", data, "--view", "action-outcome", "-o", "-")
    assert exported.code == 0, exported.err
    from_stdout = nx.read_graphml(io.BytesIO(exported.out.encode("utf-8")))
    to_file = tmp_path / "view.graphml"
    assert cli("export", "--data", data, "--view", "action-outcome", "-o", str(to_file)).code == 0
    from_file = nx.read_graphml(to_file)
    assert sorted(from_stdout.nodes) == sorted(from_file.nodes) != []
    assert from_stdout.number_of_edges() == from_file.number_of_edges()
    for command in ("show", "map"):
        page = cli(command, "--data", data, "-o", "-")
        assert page.code == 0, page.err
        assert page.out.startswith("<!DOCTYPE html>") and page.out.rstrip().endswith("</html>"), command
