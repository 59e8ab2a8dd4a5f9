"""The long fuzz run: the fuzz suite's case files (bench/fuzzing.py) under the "long" Hypothesis profile, timed.

Reports how many inputs built and how many were refused, and the slowest single build against the
median: a hostile input that costs far more than an ordinary one is a resource bound to look at.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from hypothesis import given, settings

from bench.fuzzing import Mutation, case_base, case_file, check_build, mutation


def main() -> None:
    seconds: list[float] = []
    built: list[bool] = []

    @settings(settings.get_profile("long"))
    @given(case=case_file, change=mutation)
    def one(case: dict[str, Any], change: Mutation) -> None:
        with case_base(case, change) as (data_dir, out_dir):
            started = time.perf_counter()
            built.append(check_build(data_dir, out_dir))
            seconds.append(time.perf_counter() - started)

    one()
    median = statistics.median(seconds)
    print(f"fuzz: {len(built)} inputs, {built.count(True)} built, {built.count(False)} refused, no traceback")
    print(
        f"  build time: median {median * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms ({max(seconds) / median:.1f}x)"
    )
