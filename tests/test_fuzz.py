"""The fuzz suite: generated and mutated case files and coded-segment tables (bench/fuzzing.py) must build or be
refused with file, line and field, never raise, and never change the output directory when refused.

A short, derandomised profile runs here; ``python -m bench fuzz`` runs the long one and times it.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from bench.fuzzing import (
    Mutation,
    case_base,
    case_file,
    check_problems,
    check_refusal,
    mutation,
    segment_table,
    snapshot,
    write_segments,
)
from trustkg.cli import main
from trustkg.errors import InputError
from trustkg.qda import read_coded_segments

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@given(case=case_file, change=mutation)
def test_a_generated_case_file_builds_or_is_refused_cleanly(case: dict[str, Any], change: Mutation) -> None:
    with case_base(case, change) as (data_dir, out_dir):
        before, err = snapshot(out_dir), io.StringIO()
        # In-process, as typed: an exception escaping main() would be the traceback a user sees.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["build", "--data", str(data_dir), "--out", str(out_dir), "--no-validate"])
        assert code in (0, 2), err.getvalue()
        if code == 2:
            check_refusal(err.getvalue())
            assert snapshot(out_dir) == before, "a failed build changed the output directory"


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
            # Segment tables name a whole-file problem by its field ("file", "header"), without a line.
            check_problems(error, lines=False)
