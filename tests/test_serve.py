"""``trustkg serve`` as a client sees it: a real server process on loopback over the FICTIONAL fixture
case base, driven through real sockets. The SPARQL 1.1 Protocol (GET, both POSTs, content negotiation,
updates refused), the library as URLs and its index, malformed requests answered 4xx, concurrent
clients with zero errors and bounded memory, a runaway query stopped while others get answers, CORS
only when asked, and a clean stop on SIGTERM.

Answers are compared with the same query run in-process on the same data (the formats themselves are
checked against hand-written outputs in test_sparql_formats)."""

from __future__ import annotations

import asyncio
import contextlib
import html.parser
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from selenium.webdriver.support.ui import WebDriverWait

from bench import browser
from tests.conftest import FIXTURE_DIR, REPO, require
from tests.test_query_command import CROSS_PRODUCT, Listener
from trustkg import api, serve
from trustkg.iris import local_name
from trustkg.queries.library import RESERVED_NAMES
from trustkg.serve import YASGUI_DIR, YASGUI_FILES, listen

TIME_LIMIT = 3
#: The endpoint the README's snippets name (the default of `trustkg serve`).
README_ENDPOINT = "http://127.0.0.1:8000/sparql"
SELECT_TRUSTS = (
    "PREFIX tkg: <https://w3id.org/trustkg/def/> SELECT ?trust ?code WHERE { ?trust tkg:odsCode ?code } ORDER BY ?code"
)
CONSTRUCT_NAMES = "PREFIX tkg: <https://w3id.org/trustkg/def/> CONSTRUCT { ?trust tkg:odsCode ?code } WHERE { ?trust tkg:odsCode ?code }"


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str  # ends with /

    @property
    def sparql(self) -> str:
        return self.base + "sparql"


def start_server(*options: str) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "trustkg", "serve", "--data", str(FIXTURE_DIR), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("serving"):
        process.kill()
        raise AssertionError(f"the server did not start: {line}{process.communicate()[1]}")
    base = line.split("serving SPARQL at ", 1)[1].split("sparql,", 1)[0]
    return Server(process, base)


def stop_server(server: Server) -> tuple[int, str]:
    server.process.send_signal(signal.SIGTERM)
    _, err = server.process.communicate(timeout=60)
    return server.process.returncode, err


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = start_server("--timeout", str(TIME_LIMIT), "--workers", "2")
    yield running
    if running.process.poll() is None:
        stop_server(running)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return api.Workspace(data=FIXTURE_DIR).graph


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> Reply:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def get_query(server: Server, query: str, accept: str | None = None, **params: str) -> Reply:
    url = server.sparql + "?" + urllib.parse.urlencode({"query": query, **params})
    return fetch(url, headers={"Accept": accept} if accept else {})


def local_answer(graph: Graph, query: str, format_name: str) -> bytes:
    return api.format_result(api.run_sparql(graph, query), format_name).encode("utf-8")


# --- the protocol ---


def test_listens_on_loopback_by_default(server: Server) -> None:
    assert urllib.parse.urlsplit(server.base).hostname == "127.0.0.1"


def test_answers_leave_without_waiting_for_the_clients_acknowledgement() -> None:
    # uvicorn writes an answer's headers and body apart; with Nagle's algorithm on, the body waited for the
    # client's delayed ACK on a kept-alive connection. asyncio turns it off on the connections the listener
    # accepts only when the listener says it is TCP: check it does, on a connection served as uvicorn serves.
    async def nodelay_of_served_connection() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=listen("127.0.0.1", 0))
        async with server:
            port = server.sockets[0].getsockname()[1]
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(accepted, 10)
            writer.close()
            return value

    assert asyncio.run(nodelay_of_served_connection()) == 1


@pytest.mark.parametrize(
    ("accept", "format_name", "media_type"),
    [
        ("application/sparql-results+json", "sparql-json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "sparql-xml", "application/sparql-results+xml"),
        ("text/csv", "sparql-csv", "text/csv"),
        ("text/tab-separated-values", "tsv", "text/tab-separated-values"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "sparql-json", "application/sparql-results+json"),
    ],
)
def test_get_with_content_negotiation(
    server: Server, graph: Graph, accept: str, format_name: str, media_type: str
) -> None:
    reply = get_query(server, SELECT_TRUSTS, accept)
    assert reply.status == 200
    assert reply.headers["content-type"].startswith(media_type)
    assert reply.body == local_answer(graph, SELECT_TRUSTS, format_name)


def test_the_fixture_trusts_come_back(server: Server) -> None:
    reply = get_query(server, SELECT_TRUSTS, "application/sparql-results+json")
    codes = [row["code"]["value"] for row in reply.json()["results"]["bindings"]]  # type: ignore[index]
    # The fixture case base has these three fictional trusts (tests/fixtures/casebase/cases).
    assert codes == sorted(path.stem.upper() for path in (FIXTURE_DIR / "cases").glob("*.yaml"))


def test_both_posts_answer_as_get_does(server: Server, graph: Graph) -> None:
    expected = local_answer(graph, SELECT_TRUSTS, "sparql-xml")
    accept = {"Accept": "application/sparql-results+xml"}
    form = fetch(
        server.sparql,
        urllib.parse.urlencode({"query": SELECT_TRUSTS}).encode(),
        {**accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = fetch(server.sparql, SELECT_TRUSTS.encode(), {**accept, "Content-Type": "application/sparql-query"})
    assert (form.status, form.body) == (200, expected)
    assert (direct.status, direct.body) == (200, expected)


def test_format_parameter_and_excel_csv(server: Server, graph: Graph) -> None:
    reply = get_query(server, SELECT_TRUSTS, format="excel-csv")
    assert reply.status == 200
    assert reply.body.startswith(b"\xef\xbb\xbf")
    assert reply.body == local_answer(graph, SELECT_TRUSTS, "excel-csv")


def test_the_short_format_names_clients_send(server: Server, graph: Graph) -> None:
    assert get_query(server, SELECT_TRUSTS, format="json").body == local_answer(graph, SELECT_TRUSTS, "sparql-json")
    assert get_query(server, SELECT_TRUSTS, format="xml").body == local_answer(graph, SELECT_TRUSTS, "sparql-xml")
    graph_answer = get_query(server, CONSTRUCT_NAMES, format="json")
    assert graph_answer.headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_construct_in_rdf_formats(server: Server, graph: Graph, accept: str, rdflib_format: str) -> None:
    reply = get_query(server, CONSTRUCT_NAMES, accept)
    assert reply.status == 200
    result = api.run_sparql(graph, CONSTRUCT_NAMES)
    assert isinstance(result, api.GraphResult)
    assert len(result) > 0
    assert isomorphic(Graph().parse(data=reply.body.decode(), format=rdflib_format), result.graph())


def test_ask(server: Server) -> None:
    reply = get_query(server, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert reply.json() == {"head": {}, "boolean": True}


def test_updates_are_refused(server: Server) -> None:
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    as_update_body = fetch(server.sparql, update.encode(), {"Content-Type": "application/sparql-update"})
    as_form = fetch(
        server.sparql,
        urllib.parse.urlencode({"update": update}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    as_query = get_query(server, update)
    assert [as_update_body.status, as_form.status, as_query.status] == [403, 403, 403]
    assert get_query(server, "ASK { <http://example.org/a> ?p ?o }", "application/sparql-results+json").json() == {
        "head": {},
        "boolean": False,
    }


def test_service_is_refused_and_nothing_is_sent(server: Server) -> None:
    listener = Listener()
    try:
        reply = get_query(server, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert reply.status == 403
        assert b"SERVICE" in reply.body
        assert not listener.connected.wait(0.5)
    finally:
        listener.close()


# --- the library as URLs ---


def test_library_queries_as_urls(server: Server, graph: Graph) -> None:
    for query in api.queries():
        if any(parameter.required for parameter in query.parameters):
            continue
        reply = fetch(server.base + f"queries/{query.name}?format=tsv")
        assert reply.status == 200, (query.name, reply.body)
        expected = api.format_result(api.query(graph, query.name), "tsv")
        assert reply.body.decode() == expected, query.name


def test_a_library_query_with_parameters(server: Server, graph: Graph) -> None:
    reply = fetch(
        server.base + "queries/actions-to-outcomes?theme=leadership",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status == 200
    expected = api.query(graph, "actions-to-outcomes", theme="leadership")
    assert len(reply.json()["results"]["bindings"]) == len(expected) > 0  # type: ignore[index]


def test_library_errors(server: Server) -> None:
    assert fetch(server.base + "queries/no-such-query").status == 404
    assert fetch(server.base + "queries/actions-to-outcomes?theme=no-such-theme").status == 400
    assert fetch(server.base + "queries/actions-to-outcomes?nonsense=1").status == 400
    assert fetch(server.base + "queries/rating-trajectories?format=turtle").status == 400
    assert fetch(server.base + "queries/..%2F..%2Fetc%2Fpasswd").status == 404


def _next_link(reply: Reply) -> str | None:
    link = reply.headers.get("link")
    if link is None:
        return None
    found = re.fullmatch(r'<([^>]*)>; rel="next"', link)
    assert found is not None, link
    return found[1]


def test_a_page_of_a_library_query_links_the_next(server: Server, graph: Graph) -> None:
    # On the fixture case base "says the" is in three statements: b-e1, b-e3 (Beta), then c-e1 (Gamma).
    first = fetch(server.base + "queries/search-evidence?text=says+the&limit=2&format=tsv")
    assert first.status == 200, first.body
    expected = api.query(graph, "search-evidence", text="says the", limit=2)
    assert first.body.decode() == api.format_result(expected, "tsv")
    assert [local_name(str(cell)) for cell in expected.column("evidence")] == ["b-e1", "b-e3"]
    following = _next_link(first)
    assert following is not None
    # The same URL, its other fields kept (the space encoded), with the next page's offset.
    assert following.startswith(server.base + "queries/search-evidence?")
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(following).query, strict_parsing=True)
    assert fields == {"text": ["says the"], "limit": ["2"], "format": ["tsv"], "offset": ["2"]}
    second = fetch(following)
    assert second.status == 200
    assert second.body.decode() == api.format_result(
        api.query(graph, "search-evidence", text="says the", limit=2, offset=2), "tsv"
    )
    assert second.body.decode().count("\n") == 2  # the header and c-e1
    assert _next_link(second) is None
    # The default page (1,000 items) holds all three; limit=0 gives every row.
    for url in ("queries/search-evidence?text=says+the", "queries/search-evidence?text=says+the&limit=0"):
        reply = fetch(server.base + url, headers={"Accept": "application/sparql-results+json"})
        assert reply.status == 200
        assert len(reply.json()["results"]["bindings"]) == 3  # type: ignore[index]
        assert "link" not in reply.headers


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("limit=-1", "limit is a whole number of rows, 0 or more, not '-1'"),
        ("limit=ten", "limit is a whole number of rows, 0 or more, not 'ten'"),
        ("offset=-5", "offset is a whole number of rows, 0 or more, not '-5'"),
        ("offset=1.5", "offset is a whole number of rows, 0 or more, not '1.5'"),
        ("limit=1&limit=2", "give 'limit' once, not 2 times"),
    ],
)
def test_a_bad_limit_or_offset_gets_400(server: Server, field: str, message: str) -> None:
    reply = fetch(server.base + f"queries/search-evidence?text=says&{field}")
    assert (reply.status, reply.body.decode()) == (400, message + "\n")


def test_the_fields_serve_takes_as_options_are_the_names_no_parameter_may_take() -> None:
    assert {serve.FORMAT_PARAMETER, serve.LIMIT_PARAMETER, serve.OFFSET_PARAMETER} == RESERVED_NAMES


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.extend(value for name, value in attrs if tag == "a" and name == "href" and value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_index_lists_every_query_and_its_parameters(server: Server) -> None:
    reply = fetch(server.base + "queries")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(reply.body.decode())
    text = " ".join(page.text)
    for query in api.queries():
        assert f"/queries/{query.name}" in page.links
        assert query.question.split()[0] in text
        for parameter in query.parameters:
            assert parameter.describe() in text, parameter.name
    # Text from the headers is escaped: no quote or angle bracket comes through as markup.
    assert "&quot;" in reply.body.decode() or '"' not in "".join(q.question for q in api.queries())


def test_the_query_page_works_without_a_network(server: Server) -> None:
    reply = fetch(server.base)
    assert reply.status == 200
    body = reply.body.decode()
    # Nothing the page loads comes from elsewhere: every src and href is on this server.
    assert "http://" not in body.replace(server.base, "") and "https://" not in body


# --- malformed requests ---


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda s: fetch(s.sparql), 400),  # no query
        (lambda s: get_query(s, "SELEC * WHERE {}"), 400),
        (lambda s: get_query(s, "SELECT * WHERE { ?s ?p ?o }", "image/png"), 406),
        (lambda s: get_query(s, "SELECT * WHERE { ?s ?p ?o }", format="nonsense"), 400),
        (lambda s: get_query(s, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": "http://example.org/g"}), 400),
        (lambda s: fetch(s.sparql + "?query=SELECT&query=ASK"), 400),
        (lambda s: fetch(s.sparql + "?query=%FF%FE"), 400),
        (lambda s: fetch(s.sparql, b"query=x", {"Content-Type": "text/plain"}), 415),
        (lambda s: fetch(s.sparql, b"x" * 2_000_000, {"Content-Type": "application/sparql-query"}), 413),
        (lambda s: fetch(s.sparql, method="DELETE"), 405),
        (lambda s: fetch(s.base + "nowhere"), 404),
    ],
)
def test_malformed_requests_get_4xx(server: Server, make, status: int) -> None:  # type: ignore[no-untyped-def]
    reply = make(server)
    assert reply.status == status, reply.body
    assert b"Traceback" not in reply.body


def test_malformed_http_gets_400(server: Server) -> None:
    address = urllib.parse.urlsplit(server.base)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\x00\x01\r\n\r\n")
        answer = connection.recv(1024)
    assert answer.startswith(b"HTTP/1.1 400")
    assert get_query(server, "ASK {}").status == 200


# --- load and faults ---


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (from /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        pending.extend(int(child) for child in children)
    return total


LOAD_QUERIES = ("rating-trajectories", "theme-coverage", "actions-to-outcomes", "special-measures-exits")


def _client(server: Server, rounds: int, deadline: float) -> list[int]:
    statuses = []
    for index in range(rounds):
        if time.monotonic() > deadline:
            break
        name = LOAD_QUERIES[index % len(LOAD_QUERIES)]
        statuses.append(fetch(server.base + f"queries/{name}?format=sparql-json").status)
    return statuses


def test_concurrent_clients_get_answers_with_bounded_memory(server: Server) -> None:
    _client(server, 8, time.monotonic() + 60)  # warm: every worker has run every query once
    before = _rss_kib(server.process.pid)
    deadline = time.monotonic() + 120
    with ThreadPoolExecutor(max_workers=8) as clients:
        results = list(clients.map(lambda _: _client(server, 25, deadline), range(8)))
    statuses = [status for result in results for status in result]
    assert len(statuses) >= 8  # the load ran
    assert set(statuses) == {200}
    growth = _rss_kib(server.process.pid) - before
    assert growth < 100 * 1024, f"the server grew by {growth} KiB under load"


def test_a_runaway_query_is_stopped_while_others_get_answers(server: Server) -> None:
    runaway: list[Reply] = []
    started = threading.Thread(target=lambda: runaway.append(get_query(server, CROSS_PRODUCT)))
    started.start()
    answered = []
    while started.is_alive():
        answered.append(fetch(server.base + "queries/rating-trajectories?format=tsv").status)
    started.join()
    assert runaway[0].status == 503
    assert b"time limit" in runaway[0].body
    assert answered and set(answered) == {200}
    # The stopped worker was replaced: the server answers as before.
    assert get_query(server, "ASK {}").status == 200


def test_cors_only_when_asked(server: Server) -> None:
    origin = {"Origin": "http://example.org"}
    plain = fetch(server.sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"}), headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    with_cors = start_server("--cors", "--workers", "1")
    try:
        reply = fetch(with_cors.sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"}), headers=origin)
        assert reply.headers.get("access-control-allow-origin") == "*"
    finally:
        stop_server(with_cors)


def test_a_clean_stop_on_sigterm() -> None:
    running = start_server("--workers", "2")
    assert get_query(running, "ASK {}").status == 200
    pid = running.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    code, err = stop_server(running)
    assert code == 0
    assert "Traceback" not in err
    for child in children:  # the spawner and, under it, the workers are gone too
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


def test_serving_needs_a_positive_time_limit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "trustkg", "serve", "--data", str(FIXTURE_DIR), "--port", "0", "--timeout", "-1"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert done.returncode == 2
    assert "above 0" in done.stderr


# --- the README's client snippet ---


def readme_snippet(after: str) -> str:
    """The first ```python block of the README after the line containing ``after``."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("```python\n", text.index(after)) + len("```python\n")
    return text[start : text.index("```", start)]


def test_the_readmes_sparqlwrapper_snippet_queries_serve(server: Server, graph: Graph) -> None:
    snippet = readme_snippet("From Python with SPARQLWrapper")
    assert README_ENDPOINT in snippet
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(snippet.replace(README_ENDPOINT, server.sparql), {})
    table = api.sparql(graph, SELECT_TRUSTS)
    assert printed.getvalue().splitlines() == [f"{code} {trust}" for trust, code in table.rows]
    assert len(table) > 0


# --- YASGUI in a real browser ---


def test_yasgui_in_headless_chromium_queries_serve(server: Server) -> None:
    require(browser.available(), "chromium and chromedriver")
    require(all((YASGUI_DIR / name).is_file() for name in YASGUI_FILES), "YASGUI (make yasgui fetches it from npm)")
    with browser.chromium(loopback=True) as chromium:
        chromium.open_url(server.base, "window.yasgui && window.yasgui.getTab() && window.yasgui.getTab().getYasqe()")
        chromium.run("const tab = window.yasgui.getTab(); tab.setQuery(arguments[0]); tab.query();", SELECT_TRUSTS)
        WebDriverWait(chromium.driver, 60).until(
            lambda driver: "ZZ3" in driver.execute_script("return document.querySelector('.yasr').innerText")
        )
        shown = chromium.run("return document.querySelector('.yasr').innerText")
        assert all(code in shown for code in ("ZZ1", "ZZ2", "ZZ3"))
        attempted = chromium.web_requests()
        assert any(url.startswith(server.sparql) for url in attempted)
        assert all(url.startswith(server.base) for url in attempted), attempted
        assert chromium.console_errors() == []
