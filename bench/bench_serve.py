"""The library through ``trustkg serve`` and through Virtuoso, as ratios to embedded Oxigraph in the same run.

On the shipped data (data/, the graph the issue's target is set on), each library query is timed six
ways, in turns (one run of each way, then the next run), and the best of fifteen runs after one warm-up is
reported: on a machine shared with other work, load only ever adds time, so the best run is the one
nearest the cost of the query itself.

- embedded: ``api.query`` on the in-memory Oxigraph store (the baseline);
- serve: ``GET /queries/NAME?...&format=sparql-json`` to ``trustkg serve`` on loopback (one kept-alive
  connection), so parsing, the worker process, the JSON and HTTP are all in;
- Virtuoso JSON: the same bound SPARQL text sent to a throwaway Virtuoso (Debian's, tests.services.virtuoso)
  that ``api.publish`` filled, same client, asking for SPARQL results JSON;
- Virtuoso XML: the same, asking for SPARQL results XML, which the remote store asks for;
- Virtuoso CSV: the same, asking for CSV. Virtuoso 7.2 writes JSON and XML results slowly, tens of
  microseconds a literal (JSON also an IRI): CSV, which drops datatypes, shows how fast it answers the query
  itself;
- Virtuoso NT: the same, asking for the table as a result set in N-Triples, which the remote store
  asks for (what --store URL takes beyond this is trustkg's own);
- --store URL: ``api.query`` on the remote store spec (rdflib's SPARQLStore over Virtuoso, a SELECT's answer
  asked as a result set in N-Triples and read by trustkg.remote_results), which is what ``trustkg query
  --store URL`` does (parameters are checked against the remote graph too, in a request of their own).

x = this time / embedded time (above 1: slower than embedded). Virtuoso is skipped when not installed.
"""

from __future__ import annotations

import functools
import http.client
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from tests.services import virtuoso
from trustkg import api

#: Fifteen, not seven: with Virtuoso and serve in other processes on a shared 2-core machine, seven turns
#: still left single queries 2x off from run to run.
RUNS = 15
#: The results formats Virtuoso is asked for directly: column name -> media type.
VIRTUOSO_FORMATS = {
    "JSON": "application/sparql-results+json",
    "XML": "application/sparql-results+xml",
    "CSV": "text/csv",
    "NT": "application/n-triples",
}
#: Values for the library's required parameters that exist in the shipped data.
PARAMETERS: dict[str, dict[str, str]] = {
    "evidence-for-link": {"action_type": "visible-leadership"},
    "trust-profile": {"trust": "RA7"},
    "compare-trusts": {"trust_a": "RA7", "trust_b": "RD7"},
    "search-evidence": {"text": "leadership"},
}


def _best(runs: list[Callable[[], object]]) -> list[float]:
    """Each way's best time over RUNS turns, after one warm-up of each."""
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(RUNS):
        for run, taken in zip(runs, times, strict=True):
            start = time.perf_counter()
            run()
            taken.append(time.perf_counter() - start)
    return [min(taken) for taken in times]


def _acknowledge_at_once(connection: http.client.HTTPConnection) -> None:
    # As trustkg.remote_http does: on a kept-alive connection Linux delays its acknowledgements and Virtuoso
    # writes an answer in parts with Nagle's algorithm on, so an answer could wait 40 ms for the client.
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None and connection.sock is not None:
        connection.sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _getter(base: str, accept: str) -> Callable[[str], bytes]:
    """GET on one kept-alive connection; raises on any status but 200."""
    address = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=300)

    def get(path_and_query: str) -> bytes:
        try:
            connection.request("GET", path_and_query, headers={"Accept": accept})
            _acknowledge_at_once(connection)
            response = connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the idle connection (uvicorn after 5 s): open another (in the warm-up run).
            connection.close()
            connection.request("GET", path_and_query, headers={"Accept": accept})
            _acknowledge_at_once(connection)
            response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{base}{path_and_query[:80]}: HTTP {response.status}: {body[:300]!r}")
        return body

    return get


def _serve(stack: ExitStack, graph_file: Path) -> str:
    server = subprocess.Popen(
        [sys.executable, "-m", "trustkg", "serve", "--graph", str(graph_file), "--port", "0", "--timeout", "300"],
        stdout=subprocess.PIPE,
        text=True,
    )
    stack.callback(server.wait, 60)
    stack.callback(server.terminate)
    assert server.stdout is not None
    line = server.stdout.readline()
    return line.split("serving SPARQL at ", 1)[1].split("sparql,", 1)[0]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trustkg-bench-") as work, ExitStack() as stack:
        built = api.build_graph_from(api.DEFAULT_DATA, out_dir=Path(work) / "build")
        graph = built.graph
        serve_get = _getter(_serve(stack, Path(work) / "build" / "trustkg.nt"), "application/sparql-results+json")
        remote = None
        virtuoso_gets: list[Callable[[str], bytes]] = []
        sparql_path = ""
        if virtuoso.installed():
            instance = stack.enter_context(virtuoso.running_virtuoso(Path(work) / "virtuoso"))
            api.publish(graph, instance.graph_store_url, None, instance.user, instance.password)
            remote = api.open_graph(store_name=instance.sparql_url)
            virtuoso_gets = [_getter(instance.sparql_url, accept) for accept in VIRTUOSO_FORMATS.values()]
            sparql_path = urllib.parse.urlsplit(instance.sparql_url).path
        else:
            print(f"  (Virtuoso not installed: Debian package {virtuoso.DEBIAN_PACKAGE}; its columns are left out)")
        print(f"shipped data: {built.summary.triples} triples; ms, and x = this / embedded")
        header = ["serve", *(f"Virtuoso {name}" for name in VIRTUOSO_FORMATS), "--store URL"]
        print(f"  {'query':<30} {'embedded':>9} " + " ".join(f"{name:>16}" for name in header))
        totals = [0.0] * (1 + len(header))
        for query in api.queries():
            params = PARAMETERS.get(query.name, {})
            runs: list[Callable[[], object]] = [
                functools.partial(api.query, graph, query.name, **params),
                functools.partial(serve_get, _path("/queries/" + query.name, {**params, "format": "sparql-json"})),
            ]
            if remote is not None:
                text = api.query_text(graph, query.name, params)
                graph_name = "https://w3id.org/trustkg/graph"
                sent = _path(sparql_path, {"query": text, "default-graph-uri": graph_name})
                runs.extend(functools.partial(get, sent) for get in virtuoso_gets)
                runs.append(functools.partial(api.query, remote, query.name, **params))
            times = _best(runs)
            for index, taken in enumerate(times):
                totals[index] += taken
            print(f"  {query.name:<30} {_cells(times)}")
        print(f"  {'total':<30} {_cells(totals[: len(times)])}")


def _path(path: str, fields: dict[str, str]) -> str:
    return f"{path}?{urllib.parse.urlencode(fields)}"


def _cells(times: list[float]) -> str:
    embedded = times[0]
    cells = [f"{embedded * 1000:9.1f}"]
    cells.extend(f"{taken * 1000:9.1f} x{taken / max(embedded, 1e-9):5.2f}" for taken in times[1:])
    return " ".join(cells)
