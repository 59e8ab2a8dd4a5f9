"""Scale: trustkg's build, checks and queries against Oxigraph's own bulk load of the same graph (the floor).

    python -m bench scale [--sizes 40,400,1500,2000] [--validate-up-to N] [--queries-at N]

At each size a fictional synthetic case base is written (not timed) and built by
``trustkg build --no-validate`` through the API; then pyoxigraph bulk-loads the
N-Triples the build wrote into an empty in-memory store: the floor, the least
any tool needs to put that graph into that engine. Every phase of the build is
reported as a ratio to the floor's time, and the build's peak memory as a ratio
to the floor's. Each measurement runs in a fresh Python process, so peak
memory (the process's maximum resident set) is honest and nothing is warm.

The goal (issue 16) is a build (load, check, triples into the store, N-Triples
written) within 3x the floor's time and 2x its memory at about 1M triples.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.bench_queries import Timed, report, time_queries
from bench.synthetic import write_case_base
from trustkg import api

#: Trusts at each size: about 500 triples per trust, so the last is about 1M triples.
SIZES = (40, 400, 1500, 2000)
#: The phases that make up the goal's build, in order (the names trustkg reports progress under).
GOAL_PHASES = ("read case files", "check records", "build triples", "load the store", "write trustkg.nt")
#: A child measurement that takes longer than this is stopped and reported as such.
CHILD_TIMEOUT = 20 * 60


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=list(SIZES),
        help="trusts at each size, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--validate-up-to",
        type=int,
        default=400,
        metavar="N",
        help="also time validation (SHACL, curation checks) at sizes up to N trusts (default: %(default)s)",
    )
    parser.add_argument(
        "--queries-at",
        type=int,
        default=0,
        metavar="N",
        help="also time every library query at the size of N trusts, against native pyoxigraph (default: none)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_CHILDREN[args.child[0]](*args.child[1:])))
        return
    with tempfile.TemporaryDirectory(prefix="trustkg-scale-") as work:
        results = []
        for trusts in args.sizes:
            results.append(_measure(Path(work), trusts, trusts <= args.validate_up_to, trusts == args.queries_at))
        _growth(results)


# --- the parent: one size at a time, each measurement in a child process ------------------------


def _measure(work: Path, trusts: int, validate: bool, queries: bool) -> dict[str, object]:
    data = write_case_base(work / f"data-{trusts}", trusts=trusts)
    out = work / f"build-{trusts}"
    # The build reads with helper processes only on idle cores: the load says whether it could.
    load = os.getloadavg()[0]
    built = _child("build", str(data), str(out))
    n_triples = out / "trustkg.nt"
    floor = _child("floor", str(n_triples))
    floor_seconds, floor_mb = float(floor["seconds"]), float(floor["peak_mb"])
    floor_cpu = float(floor["cpu"])
    phases: dict[str, float] = built["phases"]
    cpu: dict[str, float] = built["cpu"]
    print(
        f"\n{trusts} trusts, {built['triples']} triples, N-Triples {n_triples.stat().st_size / 1e6:.0f} MB. "
        f"Floor (pyoxigraph bulk_load of the N-Triples): {floor_seconds:.2f} s ({floor_cpu:.2f} s CPU), "
        f"peak {floor_mb:.0f} MB. Load average before the build {load:.1f} on {len(os.sched_getaffinity(0))} cores"
    )
    # CPU time (the build's and its helpers') says what the work costs whatever else runs on the machine.
    print(f"  {'phase':<32} {'seconds':>9} {'x floor':>8} {'CPU s':>9} {'x floor':>8}")
    for phase, seconds in phases.items():
        print(
            f"  {phase:<32} {seconds:9.2f} {seconds / floor_seconds:8.1f} {cpu[phase]:9.2f} {cpu[phase] / floor_cpu:8.1f}"
        )
    goal = sum(phases.get(phase, 0.0) for phase in GOAL_PHASES)
    goal_cpu = sum(cpu.get(phase, 0.0) for phase in GOAL_PHASES)
    print(
        f"  {'build (goal: <= 3x)':<32} {goal:9.2f} {goal / floor_seconds:8.1f} {goal_cpu:9.2f} {goal_cpu / floor_cpu:8.1f}"
    )
    print(f"  {'whole trustkg build, as run':<32} {built['seconds']:9.2f} {built['seconds'] / floor_seconds:8.1f}")
    print(f"  {'peak memory MB (goal: <= 2x)':<32} {built['peak_mb']:9.0f} {built['peak_mb'] / floor_mb:8.1f}")
    result: dict[str, object] = {"trusts": trusts, "triples": built["triples"], "floor": floor_seconds, **phases}
    result["build"] = goal
    if validate:
        checked = _child("validate", str(n_triples))
        for part, seconds in checked.items():
            print(f"  {part:<32} {seconds:9.2f} {seconds / floor_seconds:8.1f}   ({seconds / goal:.1f}x the build)")
    if queries:
        report({name: Timed(**timed) for name, timed in _child("queries", str(n_triples)).items()})
    sys.stdout.flush()
    return result


def _child(kind: str, *arguments: str) -> dict[str, Any]:
    # Through python -m bench, which starts itself with the allocator the trustkg command runs with before it
    # imports trustkg: started as bench.bench_scale, a child would import trustkg, then start again.
    command = [sys.executable, "-m", "bench", "scale", "--child", kind, *arguments]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} measurement failed:\n{done.stderr[-3000:]}")
    measured: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return measured


def _growth(results: list[dict[str, object]]) -> None:
    """How each phase grows: the exponent k in time ~ triples^k between consecutive sizes (1 is linear)."""
    if len(results) < 2:
        return
    phases = [key for key in results[-1] if key not in ("trusts", "triples")]
    print("\ngrowth exponent k (time ~ triples^k) between consecutive sizes; 1.0 is linear")
    header = "  ".join(f"{r0['trusts']}->{r1['trusts']}" for r0, r1 in pairwise(results))
    print(f"  {'phase':<32} {header}")
    for phase in phases:
        cells = []
        for before, after in pairwise(results):
            t0, t1 = float(before.get(phase, 0) or 0), float(after.get(phase, 0) or 0)  # type: ignore[arg-type]
            n0, n1 = float(before["triples"]), float(after["triples"])  # type: ignore[arg-type]
            cells.append(f"{math.log(t1 / t0) / math.log(n1 / n0):9.2f}" if t0 > 0 and t1 > 0 else f"{'-':>9}")
        print(f"  {phase:<32} {'  '.join(cells)}")


# --- the children: each runs in its own process and prints one line of JSON --------------------


def _peak_mb() -> float:
    """The process's peak resident memory, plus the largest peak of the processes it started and waited for.

    The build reads a large base with helper processes (trustkg.loaders.pool) beside it: their memory
    counts too. Adding the largest helper's peak to the build's own is an upper bound (they need not
    peak at the same moment); with several helpers it would be an underestimate, and this machine has one.
    """
    own, helpers = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return (own + helpers) / 1024  # kilobytes on Linux


def _floor(n_triples: str) -> dict[str, object]:
    store = ox.Store()
    start, start_cpu = time.perf_counter(), _cpu()
    store.bulk_load(path=n_triples, format=ox.RdfFormat.N_TRIPLES)
    seconds, cpu = time.perf_counter() - start, _cpu() - start_cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "triples": len(store)}


def _cpu() -> float:
    """CPU seconds of this process and of the processes it started and waited for (the build's helpers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _build(data: str, out: str) -> dict[str, object]:
    # The time from one report to the next goes to the step last reported: steps may alternate
    # (the build hands each trust's triples to the store as it goes).
    phases: dict[str, float] = {}
    cpu: dict[str, float] = {}
    current: list[tuple[str, float, float]] = []

    def listen(step: str, done: int, total: int | None) -> None:
        now, now_cpu = time.perf_counter(), _cpu()
        if current:
            previous, since, since_cpu = current.pop()
            phases[previous] = phases.get(previous, 0.0) + now - since
            cpu[previous] = cpu.get(previous, 0.0) + now_cpu - since_cpu
        phases.setdefault(step, 0.0)
        cpu.setdefault(step, 0.0)
        if total is None or done < total:
            current.append((step, now, now_cpu))

    start = time.perf_counter()
    with api.reporting(listen):
        built = api.build_graph_from(data, out_dir=out)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "phases": phases, "cpu": cpu, "peak_mb": _peak_mb(), "triples": built.summary.triples}


def _validate(n_triples: str) -> dict[str, Any]:
    graph = api.open_graph(n_triples)
    start = time.perf_counter()
    api.check_shapes(graph)
    shapes = time.perf_counter() - start
    start = time.perf_counter()
    api.run_checks(graph)
    return {"SHACL shapes": shapes, "curation checks": time.perf_counter() - start}


def _time_queries(n_triples: str) -> dict[str, Any]:
    return {name: asdict(timed) for name, timed in time_queries(Path(n_triples)).items()}


_CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "floor": _floor,
    "build": _build,
    "validate": _validate,
    "queries": _time_queries,
}

if __name__ == "__main__":
    main()
