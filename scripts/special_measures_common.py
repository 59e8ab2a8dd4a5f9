"""What did the trusts that left special measures have in common?

Lists the trusts that left special measures, then sorts the kinds of action they started while in
special measures into those every one of them took and those only some took. An action whose start
date is partial (2015 against an entry in 2015-04) counts when it may fall inside the episode;
--certain counts only actions that certainly do.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from trustkg import api
from trustkg.cli import run_program


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)")
    parser.add_argument("--store", metavar="STORE", help=api.READ_STORE_HELP)
    parser.add_argument("--certain", action="store_true", help="count only actions certainly started inside")
    args = parser.parse_args(argv)

    graph = api.analysis_graph(args.data, args.store)
    rows = api.query(graph, "special-measures-exits").records(graph)

    episodes: dict[str, list[str]] = {}
    takers: dict[str, set[str]] = {}
    for row in rows:
        trust = str(row["trust"])
        episode = f"{row['entered']} to {row['exited']}"
        if episode not in episodes.setdefault(trust, []):
            episodes[trust].append(episode)
        if row["action"] is not None and (row["timing"] == "certain" or not args.certain):
            takers.setdefault(str(row["action_type"]), set()).add(trust)

    if not episodes:
        print("No trust in the data has left special measures.")
        return 0
    print(f"{len(episodes)} trust(s) left special measures:")
    for trust, spans in episodes.items():
        print(f"  {trust}: {'; '.join(spans)}")
    common = sorted(kind for kind, trusts in takers.items() if len(trusts) == len(episodes))
    some = sorted(kind for kind in takers if kind not in common)
    print(f"\nKinds of action every one of them started while in special measures{' (certainly)' * args.certain}:")
    print("\n".join(f"  {kind}" for kind in common) or "  (none)")
    print("\nKinds of action only some of them started:")
    print("\n".join(f"  {kind}: {', '.join(sorted(takers[kind]))}" for kind in some) or "  (none)")
    return 0


if __name__ == "__main__":
    run_program(main)
