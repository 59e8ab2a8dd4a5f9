"""Reading case files on several cores gives what one process gives: the same records, the same messages in the same order.

The case bases here are FICTIONAL (the synthetic generator's, with broken files written in by the tests).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from bench.synthetic import write_case_base
from trustkg.loaders import casefiles, pool
from trustkg.ontology import vocabulary_ids
from trustkg.records import Records

#: Broken on purpose, in three ways the loader reports at file, line and field.
BROKEN = {
    "cases/002.yaml": "trust: [unclosed\n",
    "cases/017.yaml": "trust:\n  ods: ZZ9\n  name: Fictional Broken Trust\n  colour: blue\n",
    "cases/030.yaml": "",
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_case_base(tmp_path_factory.mktemp("synthetic") / "data", trusts=40)
    for name, text in BROKEN.items():
        (root / name).write_text(f"# FICTIONAL, broken for a test\n{text}", encoding="utf-8")
    return root


def _read(base: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool) -> Records:
    with monkeypatch.context() as patched:
        patched.setattr(pool, "PARALLEL_FROM", 1 if parallel else 10**9)
        patched.setattr(pool, "idle_cores", lambda: 1)
        return casefiles.read_case_files(base)


def test_several_cores_read_what_one_reads(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, shared = _read(base, monkeypatch, parallel=False), _read(base, monkeypatch, parallel=True)
    assert shared == alone
    assert [problem.file for problem in alone.problems] == sorted(problem.file for problem in alone.problems)
    assert {Path(problem.file).name for problem in alone.problems} == {"002.yaml", "017.yaml", "030.yaml"}


def test_helpers_and_the_caller_share_the_chunks_and_the_results_keep_their_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    heard: list[int] = []

    def slowly(count: int) -> None:
        heard.append(count)
        time.sleep(0.25)  # a slow caller, so that the helper has chunks left to take once it has started

    items = list(range(64))
    assert pool.read_in_chunks(list, items, slowly, helpers=1) == items
    size = len(items) // (2 * pool.CHUNKS_PER_PROCESS)
    # More items read than the caller's own chunks: the helper read some.
    assert any(count > calls * size for calls, count in enumerate(heard, start=1))
    assert heard == sorted(heard) and heard[-1] == len(items)


def test_a_helper_process_reads_a_chunk_as_the_caller_does(base: Path) -> None:
    alone = _read_here(base)
    task = partial(casefiles._read_case_files, data_dir=base, vocab=_vocab())
    paths = sorted((base / "cases").glob("*.yaml"))
    helper = subprocess.run(
        [sys.executable, "-m", "trustkg.loaders.pool"],
        input=pickle.dumps((task, paths)),
        capture_output=True,
        check=True,
    )
    assert pickle.loads(helper.stdout) == alone == task(paths)


def test_a_helper_that_fails_leaves_its_chunk_to_the_caller(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _read(base, monkeypatch, parallel=False)
    with monkeypatch.context() as patched:
        patched.setattr(pool, "PARALLEL_FROM", 1)
        patched.setattr(pool, "idle_cores", lambda: 1)
        patched.setattr(sys, "executable", str(base / "no-such-python"))  # no helper can start
        assert casefiles.read_case_files(base) == alone


def _read_here(base: Path) -> list[casefiles._CaseFile]:
    return casefiles._read_case_files(sorted((base / "cases").glob("*.yaml")), base, _vocab())


def _vocab() -> casefiles._Vocab:
    return casefiles._Vocab.of(vocabulary_ids("themes"), ())
