"""Which kinds of action are most central to the evidence, and which trusts acted most alike?

Centrality is read from the bipartite action-type/outcome-type network
(trustkg.views, measured by trustkg.metrics): an action type's strength is the number of evidence items
linking it to outcomes, its degree the number of outcome types it is linked to,
its betweenness how often it lies on shortest paths between others. Trust
similarity is the Jaccard similarity of the sets of action types two trusts took.

    python scripts/central_actions.py --data data --top 5
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from trustkg import api
from trustkg.cli import run_program


def report(data: Path, top: int, store: str | None = None) -> list[str]:
    workspace = api.Workspace(data=data) if store is None else api.Workspace(store=store)
    lines = ["Most central action types (evidence items, outcome types, betweenness):"]
    for measure in workspace.central_action_types(top):
        lines.append(
            f"  {measure.label}: {measure.strength:g} evidence, {measure.degree} outcome types,"
            f" betweenness {measure.betweenness:.3f}"
        )
    lines.append("Most similar pairs of trusts (Jaccard similarity of their action types):")
    for pair in workspace.similar_trusts(top):
        lines.append(f"  {pair.first} / {pair.second}: {pair.similarity:.2f} ({pair.shared} shared action types)")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)")
    parser.add_argument("--store", metavar="STORE", help=api.READ_STORE_HELP)
    parser.add_argument("--top", type=int, default=5, help="how many of each to name (default: %(default)s)")
    args = parser.parse_args(argv)
    print("\n".join(report(args.data, args.top, args.store)))
    return 0


if __name__ == "__main__":
    run_program(main)
