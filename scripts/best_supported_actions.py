"""For each kind of outcome, which kinds of action does the evidence best support?

Runs the actions-to-outcomes query and, for every outcome type, names the action type (or the tied
action types) with the strongest support: most trusts, then most evidence items, then most
reporting roles, then most kinds of source. --theme, --role and --min-trusts pass on to the query.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from trustkg import api
from trustkg.cli import run_program

#: Support, strongest first: the order in which the measures break ties.
MEASURES = ("trusts", "evidence", "roles", "source_kinds")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)")
    parser.add_argument("--store", metavar="STORE", help=api.READ_STORE_HELP)
    parser.add_argument("--theme", help="only actions with this theme, e.g. leadership")
    parser.add_argument("--role", help="only evidence reported by this role or role group, e.g. staff")
    parser.add_argument("--min-trusts", type=int, default=1, help="only links seen at this many trusts (default: 1)")
    args = parser.parse_args(argv)

    graph = api.analysis_graph(args.data, args.store)
    params: dict[str, str | int] = {"min_trusts": args.min_trusts}
    params.update({name: value for name, value in (("theme", args.theme), ("role", args.role)) if value})
    links = api.query(graph, "actions-to-outcomes", **params).records(graph)

    by_outcome: dict[str, list[dict[str, object]]] = {}
    for link in links:
        by_outcome.setdefault(str(link["outcome_type"]), []).append(link)
    if not by_outcome:
        print("No action is linked to an outcome by the evidence (with these restrictions).")
    for outcome in sorted(by_outcome):
        strongest = max(map(_support, by_outcome[outcome]))
        print(outcome)
        for link in sorted(by_outcome[outcome], key=lambda link: str(link["action_type"])):
            if _support(link) == strongest:
                trusts, evidence, roles, kinds = strongest
                print(
                    f"  {link['action_type']}: {_count(evidence, 'evidence item')}, {_count(trusts, 'trust')}, "
                    f"{_count(roles, 'role')}, {_count(kinds, 'kind')} of source"
                )
    return 0


def _support(link: dict[str, object]) -> tuple[int, ...]:
    return tuple(int(str(link[measure])) for measure in MEASURES)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    run_program(main)
