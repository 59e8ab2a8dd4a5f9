"""How did each trust's well-led rating move, and what did the trust start before each rise?

For every trust: its well-led ratings at trust-level inspections in date order, then for each rise
the actions it started between the two inspections (an action with a partial start date that may
fall outside is marked "possibly"). --key-question overall does the same for the overall rating.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from trustkg import api
from trustkg.cli import run_program

#: The key questions whose ratings the rating-trajectories query returns, and its column for each.
COLUMNS = {"well-led": "well_led", "overall": "overall"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)")
    parser.add_argument("--store", metavar="STORE", help=api.READ_STORE_HELP)
    parser.add_argument("--key-question", choices=COLUMNS, default="well-led", help="(default: %(default)s)")
    args = parser.parse_args(argv)

    graph = api.analysis_graph(args.data, args.store)
    inspections = api.query(graph, "rating-trajectories").records(graph)
    actions = api.query(graph, "actions-before-rating-change", key_question=args.key_question).records(graph)

    trajectories: dict[str, list[str]] = {}
    for inspection in inspections:
        trajectory = trajectories.setdefault(str(inspection["trust"]), [])
        rating = inspection[COLUMNS[args.key_question]]
        if rating is not None and inspection["site"] is None:  # a site's rating is not the trust's
            trajectory.append(f"{rating} ({inspection['date']})")
    rises: dict[str, dict[str, list[str]]] = {}
    for action in actions:
        if action["site"] is not None:  # as in the trajectories, only the trust's own ratings
            continue
        before = rises.setdefault(str(action["trust"]), {}).setdefault(str(action["rating_change"]), [])
        hedge = "" if action["timing"] == "certain" else "possibly "
        before.append(f"{hedge}{action['started']}: {action['action']} ({action['action_type']})")

    for trust, trajectory in trajectories.items():
        print(trust)
        print(f"  {args.key_question}: {' -> '.join(trajectory) if trajectory else 'not rated'}")
        for change, started in rises.get(trust, {}).items():
            print(f"  started before {change}:")
            print("\n".join(f"    {line}" for line in started))
    return 0


if __name__ == "__main__":
    run_program(main)
