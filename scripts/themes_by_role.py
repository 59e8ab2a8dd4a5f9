"""Which themes do staff raise that executives do not?

Compares two kinds of role (the five groups of the role vocabulary) by the themes of the evidence
they reported: the themes only the first raises, those both raise (with how many evidence items
each), and those only the second raises. By default staff (frontline staff and managers below the
board) against executives; --raised-by and --not-by choose others.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from trustkg import api
from trustkg.cli import run_program

#: The role groups (columns of the role-perspectives query), as named in a sentence.
GROUPS = {
    "executive": "executives",
    "non-executive": "non-executives",
    "staff": "staff",
    "patient-and-public": "patients and the public",
    "external": "external stakeholders",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)")
    parser.add_argument("--store", metavar="STORE", help=api.READ_STORE_HELP)
    parser.add_argument("--raised-by", choices=GROUPS, default="staff", help="kind of role (default: %(default)s)")
    parser.add_argument("--not-by", choices=GROUPS, default="executive", help="against (default: %(default)s)")
    parser.add_argument("--trust", help="only evidence about this trust (its ODS code)")
    args = parser.parse_args(argv)

    graph = api.analysis_graph(args.data, args.store)
    params = {"trust": args.trust} if args.trust else {}
    rows = api.query(graph, "role-perspectives", **params).records(graph)
    first, second = args.raised_by.replace("-", "_"), args.not_by.replace("-", "_")
    counts = [(str(row["theme"]), int(str(row[first])), int(str(row[second]))) for row in rows]
    one, other = GROUPS[args.raised_by], GROUPS[args.not_by]

    print(f"Themes {one} raise that {other} do not (evidence items):")
    print("\n".join(f"  {theme}: {a}" for theme, a, b in counts if a and not b) or "  (none)")
    print(f"\nThemes both raise ({one} / {other}):")
    print("\n".join(f"  {theme}: {a} / {b}" for theme, a, b in counts if a and b) or "  (none)")
    print(f"\nThemes {other} raise that {one} do not:")
    print("\n".join(f"  {theme}: {b}" for theme, a, b in counts if b and not a) or "  (none)")
    return 0


if __name__ == "__main__":
    run_program(main)
