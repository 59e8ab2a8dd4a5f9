"""Shared test fixtures: the hand-made fixture case base, built graphs, the CLI run in-process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from tests.services.virtuoso import DEBIAN_PACKAGE, Virtuoso, VirtuosoError, installed, running_virtuoso
from trustkg import store
from trustkg.build import build_graph
from trustkg.cli import main
from trustkg.loaders.casefiles import load_case_files
from trustkg.records import EvidenceBase

TESTS = Path(__file__).resolve().parent
FIXTURE_DIR = TESTS / "fixtures" / "casebase"
QUERY_FIXTURE_EXTRA = TESTS / "fixtures" / "queries-extra"
REPO = TESTS.parent


def require(available: bool, what: str) -> None:
    """Skip when a real part (browser, Java) is missing here; in CI (TRUSTKG_REQUIRE_ALL=1) fail instead."""
    if available:
        return
    if os.environ.get("TRUSTKG_REQUIRE_ALL"):
        pytest.fail(f"{what} is required in CI but missing")
    pytest.skip(f"{what} is not installed")


def require_program(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, name)
    assert path is not None
    return path


#: Every store that runs here: in memory by name, on disk as NAME:DIR (DIR is made per test session).
STORE_PARAMS = [
    *(pytest.param((name, False), id=name) for name in store.local_stores()),
    *(pytest.param((name, True), id=f"{name}:DIR") for name in store.disk_stores()),
]


def built_in(base: EvidenceBase, store_param: tuple[str, bool], tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """``base`` built in a store; a store on disk is written and opened again, as ``trustkg query`` would."""
    name, on_disk = store_param
    spec = f"{name}:{tmp_path_factory.mktemp('store') / 'store'}" if on_disk else name
    graph, _ = build_graph(base, store.new_graph(spec))
    if not on_disk:
        return graph
    out = tmp_path_factory.mktemp("build")
    store.write_graph(graph, out, spec)
    return store.open_graph(out / "trustkg.nt", spec)


@pytest.fixture(scope="session")
def fixture_base() -> EvidenceBase:
    return load_case_files(FIXTURE_DIR)


@pytest.fixture(scope="session", params=STORE_PARAMS)
def fixture_graph(
    request: pytest.FixtureRequest, fixture_base: EvidenceBase, tmp_path_factory: pytest.TempPathFactory
) -> Graph:
    """The fixture built in each store: every query test runs on every store and must agree."""
    return built_in(fixture_base, request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def query_fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture case base plus ZZ4 (tests/fixtures/queries-extra): the query library's tests run on it."""
    target = tmp_path_factory.mktemp("query-fixture") / "data"
    shutil.copytree(FIXTURE_DIR, target)
    shutil.copytree(QUERY_FIXTURE_EXTRA / "cases", target / "cases", dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session", params=STORE_PARAMS)
def query_graph(
    request: pytest.FixtureRequest, query_fixture_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Graph:
    """The query fixture built in each store."""
    return built_in(load_case_files(query_fixture_dir), request.param, tmp_path_factory)


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture case base, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, target)
    return target


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., CliRun]]:
    """Run ``trustkg`` in-process exactly as typed: ``cli("query", "rating-trajectories", cwd=...)``."""

    def run(*argv: str, cwd: Path | None = None) -> CliRun:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    yield run


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A throwaway Virtuoso on loopback for the whole run (started once: 4-15 s), stopped after."""
    require(installed(), f"Virtuoso (Debian package {DEBIAN_PACKAGE})")
    with ExitStack() as stack:
        try:
            instance = stack.enter_context(running_virtuoso(tmp_path_factory.mktemp("virtuoso")))
        except VirtuosoError as error:
            require(False, f"a running Virtuoso ({error})")  # fails under TRUSTKG_REQUIRE_ALL, else skips
            raise
        yield instance
