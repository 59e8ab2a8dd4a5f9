"""Validation and reasoning on a synthetic graph, as ratios against building it in the same run.

- the SHACL shapes, on the in-memory copy ``trustkg.validate`` makes, and (for
  comparison, at the smallest size only: it grows much faster than linearly,
  278 s at 40 trusts) straight on the Oxigraph-backed graph, which is why it copies;
- the curation checks (SPARQL on Oxigraph);
- the OWL reasoner (HermiT, via owlready2; skipped without Java).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyshacl

from bench.synthetic import write_case_base
from trustkg import api
from trustkg.errors import ReasonerError

SIZES = (10, 40, 160)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trustkg-bench-") as work:
        for trusts in SIZES:
            run(Path(work) / f"t{trusts}", trusts)


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def run(work: Path, trusts: int) -> None:
    data = write_case_base(work / "data", trusts=trusts)
    start = time.perf_counter()
    built = api.build_graph_from(data)
    build = time.perf_counter() - start
    print(
        f"synthetic graph: {trusts} trusts, {built.summary.triples} triples; build {build:.2f} s; ratio = time / build time"
    )
    steps: dict[str, Callable[[], object]] = {"shapes (in-memory copy)": lambda: api.check_shapes(built.graph)}
    if trusts == SIZES[0]:
        steps["shapes (straight on Oxigraph)"] = lambda: pyshacl.validate(built.graph, shacl_graph=api.shapes_graph())
    steps["curation checks"] = lambda: api.run_checks(built.graph)
    steps["reason (HermiT)"] = lambda: api.reason_graph(built.graph)
    for what, step in steps.items():
        try:
            seconds = _timed(step)
        except ReasonerError as error:
            print(f"  {what:<30} skipped: {error}")
            continue
        print(f"  {what:<30} {seconds:8.2f} s   ratio {seconds / build:6.1f}")
