"""The fuzz suite: generated and mutated case files and coded-segment tables (bench/fuzzing.py) must build or be
refused with file, line and field, never raise, and never change the output directory when refused.

A short, derandomised profile runs here; ``python -m bench fuzz`` runs the long one and times it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from conftest import FIXTURE_DIR
from hypothesis import given, settings

from bench.fuzzing import (
    Mutation,
    case_file,
    check_build,
    check_refusal,
    mutation,
    segment_table,
    write_case,
    write_segments,
)
from trustkg.errors import InputError
from trustkg.qda import read_coded_segments

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@given(case=case_file, change=mutation)
def test_a_generated_case_file_builds_or_is_refused_cleanly(case: dict[str, Any], change: Mutation) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir, out_dir = Path(scratch) / "data", Path(scratch) / "build"
        shutil.copytree(FIXTURE_DIR, data_dir)
        out_dir.mkdir()
        (out_dir / "trustkg.nt").write_bytes(b"# a graph built earlier\n")
        write_case(data_dir, case, change)
        check_build(data_dir, out_dir)


@given(table=segment_table, change=mutation)
def test_a_generated_segment_table_is_read_or_refused_cleanly(
    table: tuple[tuple[str, ...], list[list[str]]], change: Mutation
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "segments.csv"
        write_segments(path, table, change)
        try:
            read_coded_segments(path)
        except InputError as error:
            check_refusal("trustkg: refused\n" + "\n".join(f"  {line}" for line in error.listing()))
