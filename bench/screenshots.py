"""Screenshots of the pages for the README, taken in headless Chromium.

    python -m bench.screenshots                     # from build/trustkg.nt (run 'trustkg build' first)
    python -m bench.screenshots --data tests/fixtures/casebase

Each page is shown as a researcher first sees it, with one thing selected so
that the side panel shows what a click gives: in the link view the link with
the most evidence, in the explorer the node with the most links, in the map
the best-supported cell, in the framework matrix the fullest cell.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import browser
from trustkg import api

DOCS = Path("docs")

_SELECT_BUSIEST_NODE = """
const explorer = window.explorer;
const ids = explorer.nodes.getIds().filter((id) => explorer.nodes.get(id).group === "action");
const busiest = ids.sort((a, b) => explorer.network.getConnectedEdges(b).length - explorer.network.getConnectedEdges(a).length)[0];
explorer.network.selectNodes([busiest]);
explorer.network.body.emitter.emit("click", {nodes: [busiest], edges: []});
"""
_SELECT_BEST_LINK = """
const view = window.linkView;
const best = view.network.body.data.edges.get()
  .sort((a, b) => b.width - a.width)[0];
view.network.body.emitter.emit("click", {nodes: [], edges: [best.id]});
"""
_SELECT_FULLEST_CELL = """
const cells = [...document.querySelectorAll("td.cell.filled")];
cells.sort((a, b) => Number(b.textContent) - Number(a.textContent))[0].click();
"""
_SELECT_BEST_CELL = """
const cells = [...document.querySelectorAll("td.cell.filled")];
cells.sort((a, b) => Number(b.textContent) - Number(a.textContent))[0].click();
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots", description=(__doc__ or "").splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=api.DEFAULT_GRAPH, help="a built graph (default: %(default)s)")
    source.add_argument("--data", type=Path, help="build from this data directory instead")
    parser.add_argument("--out", type=Path, default=DOCS, help="where the PNGs go (default: %(default)s)")
    args = parser.parse_args(argv)
    graph = api.build_graph_from(args.data).graph if args.data else api.open_graph(args.graph)
    shots = (
        ("link-view", "window.linkView && window.linkView.drawn", _SELECT_BEST_LINK),
        ("explorer", "window.explorer && window.explorer.ready", _SELECT_BUSIEST_NODE),
        ("evidence-map", "document.body.dataset.ready", _SELECT_BEST_CELL),
        ("framework-matrix", "document.body.dataset.ready", _SELECT_FULLEST_CELL),
    )
    with tempfile.TemporaryDirectory(prefix="trustkg-screenshots-") as work, browser.chromium(1400, 860) as chromium:
        for name, ready, select in shots:
            chromium.open(api.write_page(graph, name, Path(work) / f"{name}.html"), ready)
            chromium.run(select)
            print(f"wrote {chromium.screenshot(args.out / f'{name}.png')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
