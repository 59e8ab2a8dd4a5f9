"""Start-up: a one-shot ``trustkg query`` against importing rdflib (the floor), in CPU seconds.

    python -m bench startup [--runs 5]

The shipped data is built once (not timed) into a temporary directory, as N-Triples and as an
on-disk Oxigraph store. Each command then runs ``--runs`` times in a fresh process, and the least
CPU time (user + system, of the child) is kept: on a shared machine the least is the one least
disturbed. Every figure is a ratio to ``python -c 'import rdflib'`` measured in the same run,
the least any command that answers with rdflib terms must spend.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from trustkg import api

#: The query each one-shot run asks (small, label-heavy: the usual interactive question).
QUERY = "rating-trajectories"


def cpu_seconds(command: Sequence[str], cwd: Path) -> float:
    """CPU time (user + system) a command's process and its children spend."""
    before = os.times()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def least(command: Sequence[str], cwd: Path, runs: int) -> float:
    return min(cpu_seconds(command, cwd) for _ in range(runs))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command; the least is kept (%(default)s)")
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    trustkg = str(Path(sys.executable).with_name("trustkg"))
    with tempfile.TemporaryDirectory(prefix="trustkg-startup-") as work:
        out, store = Path(work) / "build", Path(work) / "store"
        built = api.build_graph_from(repo / "data", f"oxigraph:{store}", out_dir=out)
        print(f"shipped data: {built.summary.triples} triples; least CPU of {args.runs} runs, as a ratio to the floor")
        floor = least([sys.executable, "-c", "import rdflib"], Path(work), args.runs)
        print(f"  {'python -c import rdflib (the floor)':<56} {floor:6.2f} s")
        commands = {
            f"trustkg query {QUERY} --graph trustkg.nt": [trustkg, "query", QUERY, "--graph", str(out / "trustkg.nt")],
            f"trustkg query {QUERY} --store oxigraph:DIR": [trustkg, "query", QUERY, "--store", f"oxigraph:{store}"],
        }
        for name, command in commands.items():
            seconds = least(command, Path(work), args.runs)
            print(f"  {name:<56} {seconds:6.2f} s {seconds / floor:5.1f}x")


if __name__ == "__main__":
    main()
