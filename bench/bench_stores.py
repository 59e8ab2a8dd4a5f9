"""Every store that runs here, on a synthetic graph: opening the built graph and running the query library.

Opening is what ``trustkg query`` does first: an in-memory store reads the
built N-Triples, an on-disk store opens its directory. Reported as ratios
against the reference store (rdflib's memory store) measured in the same run,
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
    "trust-profile": {"trust": "001"},
    "compare-trusts": {"trust_a": "001", "trust_b": "002"},
    "search-evidence": {"text": "made-up"},
}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trustkg-bench-") as work:
        run(Path(work))


def run(work: Path) -> None:
    built = api.build_graph_from(write_case_base(work / "data", trusts=TRUSTS), out_dir=work / "build")
    triples = work / "build" / "trustkg.nt"
    print(
        f"synthetic graph: {TRUSTS} trusts, {built.summary.triples} triples; "
        f"x = {api.REFERENCE_STORE} store time / this store's time"
    )
    specs = {name: name for name in api.local_stores()}
    for name in api.disk_stores():
        specs[f"{name}:DIR"] = f"{name}:{work / name}"
        start = time.perf_counter()
        api.write_graph(built.graph, work / "build", specs[f"{name}:DIR"])
        print(f"  wrote the files and {name}:DIR in {time.perf_counter() - start:.3f} s")
    graphs: dict[str, Graph] = {}
    seconds: dict[str, float] = {}
    for label, spec in specs.items():
        start = time.perf_counter()
        graphs[label] = api.open_graph(triples, spec)
        seconds[label] = time.perf_counter() - start
    _report("open the built graph", seconds)
    for query in api.queries():
        parameters = PARAMETERS.get(query.name, {})
        for name, graph in graphs.items():
            start = time.perf_counter()
            api.query(graph, query.name, **parameters)
            seconds[name] = time.perf_counter() - start
        _report(query.name, seconds)


def _report(what: str, seconds: dict[str, float]) -> None:
    reference = seconds[api.REFERENCE_STORE]
    cells = "   ".join(
        f"{label} {taken:7.3f} s x{reference / max(taken, 1e-6):7.1f}" for label, taken in seconds.items()
    )
    print(f"  {what:<30} {cells}")
