"""The two embedded stores on a synthetic graph: loading the built N-Triples and running the query library.

Reported as ratios against rdflib's memory store measured in the same run,
so the figures compare across machines.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rdflib import Graph

from bench.synthetic import write_case_base
from trustkg import api

TRUSTS = 40
#: Values for the library's required parameters that exist in the synthetic case base.
PARAMETERS: dict[str, dict[str, str]] = {
    "evidence-for-link": {"action_type": "synthetic-action-1"},
    "trust-profile": {"trust": "SY001"},
    "compare-trusts": {"trust_a": "SY001", "trust_b": "SY002"},
    "search-evidence": {"text": "synthetic"},
}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trustkg-bench-") as work:
        run(Path(work))


def run(work: Path) -> None:
    built = api.build_graph_from(write_case_base(work / "data", trusts=TRUSTS), out_dir=work / "build")
    triples = work / "build" / "trustkg.nt"
    print(
        f"synthetic graph: {TRUSTS} trusts, {built.summary.triples} triples; ratio = memory store time / Oxigraph time"
    )
    graphs: dict[str, Graph] = {}
    seconds: dict[str, float] = {}
    for name in ("memory", "oxigraph"):
        start = time.perf_counter()
        graphs[name] = api.open_graph(triples, name)
        seconds[name] = time.perf_counter() - start
    _report("load N-Triples", seconds)
    for query in api.queries():
        parameters = PARAMETERS.get(query.name, {})
        for name, graph in graphs.items():
            start = time.perf_counter()
            api.query(graph, query.name, **parameters)
            seconds[name] = time.perf_counter() - start
        _report(query.name, seconds)


def _report(what: str, seconds: dict[str, float]) -> None:
    print(
        f"  {what:<30} memory {seconds['memory']:8.3f} s   Oxigraph {seconds['oxigraph']:7.3f} s   ratio {seconds['memory'] / seconds['oxigraph']:8.1f}"
    )
