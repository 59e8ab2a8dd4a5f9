"""Writing and drawing the explorer on the 2,000-node synthetic graph, as ratios against baselines.

1. Filling pyvis's node and edge lists directly against pyvis's ``add_node``/``add_edge``
   (which check membership in lists: quadratic).
2. Drawing with positions computed beforehand (physics off) against vis-network's
   own physics stabilising for 200 iterations, in headless Chromium (skipped if absent).
"""

from __future__ import annotations

import copy
import tempfile
import time
from pathlib import Path
from typing import Any

from pyvis.network import Network

from bench import bench_pages, browser
from bench.synthetic import write_case_base
from trustkg import api

PHYSICS_ITERATIONS = 200


def _seconds(run: Any) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def fill_with_add_node(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Network:
    net = Network(directed=True)
    for node in nodes:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in edges:
        net.add_edge(edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to")})
    return net


def draw_seconds(page: Path) -> float:
    """Seconds from the start of loading the page to vis-network's first complete drawing."""
    with browser.chromium() as chromium:
        chromium.open(page, "window.explorer && window.explorer.drawn", timeout=600, poll=bench_pages.POLL)
        return float(chromium.run(bench_pages.DRAWN_AT)) / 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trustkg-bench-") as work:
        run(Path(work))


def run(work: Path) -> None:
    graph = api.build_graph_from(write_case_base(work / "data")).graph
    view = api.view(graph, "instances")
    print(f"explorer on a synthetic graph of {view.number_of_nodes()} nodes and {view.number_of_edges()} edges")

    positions = api.explorer_layout(view)
    nodes, edges = api.explorer_nodes(view, positions), api.explorer_edges(view)
    direct = _seconds(lambda: api.explorer_network(view, positions))
    quadratic = _seconds(lambda: fill_with_add_node(nodes, edges))
    print(
        f"  pyvis add_node/add_edge {quadratic:.2f} s, direct list filling {direct:.3f} s: {quadratic / direct:.0f}x faster"
    )

    if not browser.available():
        print("  drawing: skipped (chromium and chromedriver are not installed)")
        return
    data = api.explorer_page_data(view, "benchmark")
    precomputed = api.write_explorer_data(data, work / "precomputed.html")
    physics = copy.deepcopy(data)
    physics["options"]["physics"] = {"enabled": True, "stabilization": {"iterations": PHYSICS_ITERATIONS}}
    for node in physics["nodes"]:
        node.pop("x"), node.pop("y")
    simulated = api.write_explorer_data(physics, work / "physics.html")
    drawn, stabilised = draw_seconds(precomputed), draw_seconds(simulated)
    print(
        f"  draw with {PHYSICS_ITERATIONS} physics iterations {stabilised:.1f} s,"
        f" with precomputed positions {drawn:.1f} s: {stabilised / drawn:.1f}x faster"
    )


if __name__ == "__main__":
    main()
