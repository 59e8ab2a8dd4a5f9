"""Each page's first draw on the ~2,000-node synthetic graph, as a ratio against a bare vis-network page.

The baseline is the least a page of this graph can cost: vis-network alone,
drawing the explorer's nodes and links at their precomputed positions with no
labels, no styles and no page script. Each page is timed from the start of its
loading to its first complete drawing (the canvas pages) or the first frame
painted with its table built (the evidence map, the framework matrix), as the
page itself marks it (``performance.mark``), in the same browser and the same
run as the baseline, the median of a few loads. The target is 1.5x at most.
The link view draws only the linked types, so it is also set against a bare
page of its own nodes and links.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pyvis

from bench import browser
from bench.synthetic import write_case_base
from trustkg import api

LOADS = 3
TARGET = 1.5
#: Seconds between checks whether a page is drawn (Selenium's default is half a second).
POLL = 0.05
#: What each page sets once drawn (the same conditions the browser tests wait for).
READY = {
    "explorer": "window.explorer && window.explorer.drawn",
    "link-view": "window.linkView && window.linkView.drawn && document.body.dataset.ready",
    "evidence-map": "document.body.dataset.ready",
    "framework-matrix": "document.body.dataset.ready",
}
BARE_READY = "window.bareDrawn"
#: Milliseconds from the start of the page's loading to its first drawing, as the page marked it.
MARKED = "performance.getEntriesByName('trustkg:drawn').length > 0"
DRAWN_AT = "return performance.getEntriesByName('trustkg:drawn')[0].startTime"
_VIS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


def bare_page(path: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Path:
    """vis-network drawing these nodes at their positions, without labels, physics or anything else."""
    # str.splitlines would also split at the line separators inside the script's string literals.
    script = re.sub(r"^//# sourceMappingURL=.*$", "", _VIS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    data = json.dumps({"nodes": nodes, "edges": edges}).replace("<", "\\u003c")
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>html,body,#n{margin:0;height:100%}</style></head>"
        f"<body><div id='n'></div><script>{script}</script><script>"
        f"const d = {data};"
        "const net = new vis.Network(document.getElementById('n'), {nodes: new vis.DataSet(d.nodes), edges: new vis.DataSet(d.edges)},"
        " {physics: {enabled: false}, edges: {smooth: false}});"
        "net.once('afterDrawing', () => { window.bareDrawn = true; performance.mark('trustkg:drawn'); });"
        "</script></body></html>",
        encoding="utf-8",
    )
    return path


def load_seconds(chromium: browser.Browser, page: Path, ready: str) -> float:
    """The median of LOADS loads: seconds from the start of loading the page to its first drawing.

    Each page marks that moment itself (the performance mark ``trustkg:drawn``), so the time
    is the page's own, not when a check from outside next noticed it.
    """
    times = []
    for _ in range(LOADS):
        chromium.driver.get("about:blank")
        chromium.open(page, f"({ready}) && {MARKED}", timeout=600, poll=POLL)
        times.append(float(chromium.run(DRAWN_AT)) / 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trustkg-bench-") as work:
        run(Path(work))


def run(work: Path) -> None:
    if not browser.available():
        print("  skipped: chromium and chromedriver are not installed")
        return
    graph = api.build_graph_from(write_case_base(work / "data")).graph
    view = api.view(graph, "instances")
    explorer = api.explorer_page_data(view, "bench")
    points = [{"id": n["id"], "x": n["x"], "y": n["y"]} for n in explorer["nodes"]]
    links = [{"from": e["from"], "to": e["to"]} for e in explorer["edges"]]
    print(
        f"pages on a synthetic graph of {len(points)} nodes and {len(links)} links (median of {LOADS} loads)",
        flush=True,
    )
    link_data = api.link_view_page_data(graph)
    own = bare_page(
        work / "bare-links.html",
        [{"id": n["id"], "x": n["x"], "y": n["y"]} for n in link_data["nodes"]],
        [{"from": link["from"], "to": link["to"]} for link in link_data["links"]],
    )
    bare = bare_page(work / "bare.html", points, links)
    with browser.chromium() as chromium:
        for name, ready in READY.items():
            started = time.perf_counter()
            page = api.write_page(graph, name, work / f"{name}.html")
            print(
                f"  {name}: written in {time.perf_counter() - started:.1f} s ({page.stat().st_size:,} bytes)",
                flush=True,
            )
            # The baseline again beside each page: on a shared machine the load changes within a run.
            baseline = load_seconds(chromium, bare, BARE_READY)
            seconds = load_seconds(chromium, page, ready)
            print(f"  bare vis-network, {len(points)} nodes, no labels: {baseline:.2f} s", flush=True)
            verdict = "ok" if seconds / baseline <= TARGET else f"over the {TARGET}x target"
            print(
                f"  {name}: drawn in {seconds:.2f} s, {seconds / baseline:.2f}x the bare page ({verdict})", flush=True
            )
            if name == "link-view":
                bare_links = load_seconds(chromium, own, BARE_READY)
                print(
                    f"    against a bare page of its own {len(link_data['nodes'])} nodes and"
                    f" {len(link_data['links'])} links ({bare_links:.2f} s): {seconds / bare_links:.2f}x"
                )


if __name__ == "__main__":
    main()
