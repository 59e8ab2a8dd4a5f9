"""Progress: the library reports the steps of long work to a listener the caller supplies, and says nothing otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURE_DIR, CliRun

from trustkg import api


def test_a_build_reports_each_step_from_start_to_end_in_order(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int | None]] = []
    with api.reporting(lambda step, done, total: heard.append((step, done, total))):
        api.build_graph_from(FIXTURE_DIR, out_dir=tmp_path)
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert steps == [
        "read case files", "check records", "build triples", "load the store", "write trustkg.ttl", "write trustkg.nt",
    ]  # fmt: skip
    for step in steps:
        reports = [(done, total) for said, done, total in heard if said == step]
        assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1]  # starts at 0, ends at its total
        assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    # The fixture's three case files (ZZ1, ZZ2, ZZ3), read one at a time.
    assert [(done, total) for step, done, total in heard if step == "read case files"] == [
        (0, 3),
        (1, 3),
        (2, 3),
        (3, 3),
    ]


def test_nothing_listens_outside_the_block_and_the_cli_is_quiet_off_a_terminal(
    cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    heard: list[str] = []
    with api.reporting(lambda step, done, total: heard.append(step)):
        pass
    api.build_graph_from(FIXTURE_DIR)
    assert heard == []
    run = cli("build", "--data", str(FIXTURE_DIR), "--out", str(tmp_path), "--no-validate")
    assert run.code == 0 and run.err == ""
