"""Each page's first draw on the ~2,000-node synthetic graph, as a ratio against a bare vis-network page.

The baseline is the least a page of this graph can cost: vis-network alone,
drawing the explorer's nodes and links at their precomputed positions with no
labels, no styles and no page script. Each page is timed from the start of its
loading to its first complete drawing (the canvas pages) or the first frame
painted with its table built (the evidence map, the framework matrix), as the
page itself marks it (``performance.mark``), in the same browser and the same
run as the baseline. On a shared machine the load changes from one second to
the next, so each page is loaded in pairs with the baseline, in alternating
order (baseline first, then the page first), and the ratio reported is the
median of the pairs' ratios. The target is 1.5x at most.
The link view draws only the linked types, so it is also set against a bare
page of its own nodes and links.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyvis

from bench import browser
from bench.synthetic import write_case_base
from trustkg import api

#: Pairs of loads (the baseline and the page, in alternating order) per page.
PAIRS = 7
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
    """Seconds from the start of loading the page to its first drawing.

    Each page marks that moment itself (the performance mark ``trustkg:drawn``), so the time
    is the page's own, not when a check from outside next noticed it.
    """
    chromium.driver.get("about:blank")
    chromium.open(page, f"({ready}) && {MARKED}", timeout=600, poll=POLL)
    return float(chromium.run(DRAWN_AT)) / 1000


@dataclass(frozen=True)
class Paired:
    """A page timed against a baseline, load by load: medians of the times and of the pairs' ratios."""

    baseline: float
    page: float
    ratio: float
    ratios: tuple[float, ...]


def paired(chromium: browser.Browser, baseline: tuple[Path, str], page: tuple[Path, str]) -> Paired:
    """PAIRS loads of the baseline and of the page, the two in turn, each pair in the other order to the last."""
    # One load of each first, not counted: a page's first load in a browser also pays for filling its caches.
    load_seconds(chromium, *baseline), load_seconds(chromium, *page)
    bases, times = [], []
    for index in range(PAIRS):
        if index % 2:
            times.append(load_seconds(chromium, *page))
            bases.append(load_seconds(chromium, *baseline))
        else:
            bases.append(load_seconds(chromium, *baseline))
            times.append(load_seconds(chromium, *page))
    ratios = tuple(page_time / base for base, page_time in zip(bases, times, strict=True))
    return Paired(statistics.median(bases), statistics.median(times), statistics.median(ratios), ratios)


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
        f"pages on a synthetic graph of {len(points)} nodes and {len(links)} links"
        f" ({PAIRS} pairs of loads with the bare page, alternating which comes first; medians)",
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
            timed = paired(chromium, (bare, BARE_READY), (page, ready))
            verdict = "ok" if timed.ratio <= TARGET else f"over the {TARGET}x target"
            print(
                f"  {name}: drawn in {timed.page:.2f} s, bare page {timed.baseline:.2f} s:"
                f" {timed.ratio:.2f}x the bare page ({verdict}; pairs {_ratios(timed)})",
                flush=True,
            )
            if name == "link-view":
                own_timed = paired(chromium, (own, BARE_READY), (page, ready))
                verdict = "ok" if own_timed.ratio <= TARGET else f"over the {TARGET}x target"
                print(
                    f"    against a bare page of its own {len(link_data['nodes'])} nodes and"
                    f" {len(link_data['links'])} links: drawn in {own_timed.page:.2f} s, that bare page"
                    f" {own_timed.baseline:.2f} s: {own_timed.ratio:.2f}x ({verdict}; pairs {_ratios(own_timed)})",
                    flush=True,
                )


def _ratios(timed: Paired) -> str:
    return ", ".join(f"{ratio:.2f}" for ratio in sorted(timed.ratios))


if __name__ == "__main__":
    main()
