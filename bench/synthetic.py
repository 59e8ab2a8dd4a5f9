"""FICTIONAL case bases for scale tests: N made-up trusts in the real case-file format.

Everything written here is invented (ODS codes SY001..., example.org sources)
and says so in every file. The same seed always gives the same files, and they
load with the real loader, so benchmarks measure the real pipeline.

    python -m bench.synthetic --trusts 40 --out build/synthetic
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

THEMES = (
    "reaction-to-report", "leadership", "cultural-change", "vision-and-values", "governance",
    "improving-safety", "patient-and-public-involvement", "looking-outwards", "cqc-engagement",
)  # fmt: skip
ROLES = (
    "chief-executive",
    "chair",
    "medical-director",
    "director-of-nursing",
    "frontline-staff",
    "patient-representative",
)
LEVELS = ("inadequate", "requires-improvement", "good", "outstanding")
KEY_QUESTIONS = ("overall", "safe", "well-led")
ACTION_TYPES = 18
MEASURE_TYPES = 8

HEADER = "# FICTIONAL synthetic case base for scale tests, written by bench/synthetic.py. Not real data.\n"


def codebook() -> dict[str, Any]:
    return {
        "action_types": [
            {
                "id": f"synthetic-action-{n}",
                "label": f"Synthetic action type {n}",
                "definition": f"A made-up kind of action, number {n}.",
                "themes": [THEMES[n % len(THEMES)]],
            }
            for n in range(1, ACTION_TYPES + 1)
        ],
        "outcome_types": [
            {"id": "rating-improved", "label": "Rating improved", "definition": "A CQC rating rose."},
            {"id": "rating-declined", "label": "Rating declined", "definition": "A CQC rating fell."},
            *(
                {
                    "id": f"synthetic-measure-{n}",
                    "label": f"Synthetic measure {n}",
                    "definition": f"Made-up measure {n}.",
                }
                for n in range(1, MEASURE_TYPES + 1)
            ),
        ],
    }


def case(rng: random.Random, number: int, actions: int, outcomes: int, evidence: int) -> dict[str, Any]:
    """One made-up trust: three inspections with ratings that rise, actions, measured outcomes, evidence."""
    ods, tag = f"SY{number:03d}", f"t{number}"
    start = rng.randrange(len(LEVELS) - 2)
    inspections: list[dict[str, Any]] = [
        {
            "id": f"{tag}-i{year}",
            "start": f"{year}-0{1 + rng.randrange(9)}",
            "ratings": {kq: LEVELS[min(start + step + rng.randrange(2), len(LEVELS) - 1)] for kq in KEY_QUESTIONS},
            "source": "synthetic-reports",
        }
        for step, year in enumerate((2014, 2016, 2018))
    ]
    action_list = [
        {
            "id": f"{tag}-a{n}",
            "type": f"synthetic-action-{1 + rng.randrange(ACTION_TYPES)}",
            "label": f"Synthetic action {n} at trust {number}",
            "roles": [rng.choice(ROLES)],
            "themes": sorted(set(rng.sample(THEMES, 1 + rng.randrange(2)))),
            "source": "synthetic-reports",
        }
        for n in range(1, actions + 1)
    ]
    outcome_list = [
        {
            "id": f"{tag}-o{n}",
            "type": f"synthetic-measure-{1 + rng.randrange(MEASURE_TYPES)}",
            "label": f"Synthetic measure {n} changed at trust {number}",
            "measure": f"synthetic measure {n}",
            "before": {"value": round(rng.uniform(1, 5), 1), "year": 2014},
            "after": {"value": round(rng.uniform(1, 5), 1), "year": 2018},
            "source": "synthetic-reports",
        }
        for n in range(1, outcomes + 1)
    ]
    changes = [
        f"{kq}@{later['id']}"
        for earlier, later in pairwise(inspections)
        for kq in KEY_QUESTIONS
        if LEVELS.index(later["ratings"][kq]) != LEVELS.index(earlier["ratings"][kq])
    ]
    items = []
    for n in range(1, evidence + 1):
        linked = [o["id"] for o in outcome_list] + changes
        items.append(
            {
                "id": f"{tag}-e{n}",
                "statement": f"A made-up statement {n} about trust {number}.",
                "source": "synthetic-reports",
                "reported_by": rng.choice(ROLES),
                "themes": [rng.choice(THEMES)],
                "links": [
                    {
                        "action": rng.choice(action_list)["id"],
                        "outcome": rng.choice(linked),
                        # Alternating, not drawn, so the random stream (and the other data) stays as it was.
                        "attribution": "stated" if n % 2 else "reported-together",
                    }
                ],
            }
        )
    return {
        "trust": {
            "ods": ods,
            "name": f"Synthetic Trust {number} NHS Trust",
            "type": "acute",
            "source": "synthetic-reports",
        },
        "inspections": inspections,
        "actions": action_list,
        "outcomes": outcome_list,
        "evidence": items,
    }


def write_case_base(
    out_dir: Path | str, trusts: int = 40, seed: int = 0, actions: int = 12, outcomes: int = 6, evidence: int = 28
) -> Path:
    """Write a synthetic case base (codebook, sources, one case file per trust); return its directory.

    The defaults give about 2,000 explorer nodes: per trust 1 + 12 actions + 6
    outcomes + up to 6 rating changes + 28 evidence items, plus the themes.
    """
    rng = random.Random(seed)
    out = Path(out_dir)
    (out / "cases").mkdir(parents=True, exist_ok=True)

    def dump(path: Path, data: object) -> None:
        path.write_text(HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    dump(out / "codebook.yaml", codebook())
    source = {
        "id": "synthetic-reports",
        "url": "https://example.org/synthetic/reports",
        "title": "Synthetic reports (fictional)",
        "kind": "cqc",
    }
    dump(out / "sources.yaml", {"sources": [source]})
    for number in range(1, trusts + 1):
        dump(out / "cases" / f"SY{number:03d}.yaml", case(rng, number, actions, outcomes, evidence))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--out", type=Path, default=Path("build") / "synthetic", help="directory (default: %(default)s)"
    )
    parser.add_argument("--trusts", type=int, default=40, help="how many trusts (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    print(f"wrote {write_case_base(args.out, args.trusts, args.seed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
