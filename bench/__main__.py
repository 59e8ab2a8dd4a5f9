"""Run the benchmarks in bench/ (the modules named bench_*.py): ``python -m bench [NAME ...]``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Sequence

import bench
from trustkg import allocator
from trustkg.errors import did_you_mean


def benchmarks() -> list[str]:
    """The benchmark names, as given on the command line: ``checks``, ``explorer``, ``stores``..."""
    return sorted(
        m.name.removeprefix("bench_") for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )


def main(argv: Sequence[str] | None = None) -> int:
    known = benchmarks()
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure trustkg on synthetic graphs; each result is a ratio against a baseline of the same run.",
        epilog="Running all of them takes many minutes (scale alone, at its four sizes, about 20). "
        "Options after one NAME go to that benchmark: python -m bench scale --sizes 40,400",
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all): {', '.join(known)}"
    )
    args, options = parser.parse_known_args(argv)
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}" + did_you_mean(unknown[0], known))
    if options and len(args.names) != 1:
        parser.error(f"options {' '.join(options)} need exactly one benchmark named (see python -m bench NAME --help)")
    for name in args.names or known:
        print(f"== bench_{name}", flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        # A benchmark with options of its own (``python -m bench scale --sizes 40,400``) takes them as argv.
        module.main(options) if options else module.main()
    return 0


if __name__ == "__main__":
    # Measured with the allocator the trustkg command runs with (trustkg.allocator), and said so.
    allocator.relaunch_with_jemalloc()
    print(f"C allocator: {allocator.in_use()}", flush=True)
    raise SystemExit(main())
