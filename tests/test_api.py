"""The Python API: a Workspace does what the command does; the command, scripts and bench use nothing else.

Answers on the fixture (tests/fixtures/casebase) are those worked out by hand in test_network.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conftest import FIXTURE_DIR, REPO
from trustkg import api
from trustkg.errors import TrustKGError
from trustkg.ontology import ACTION_TYPE


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built and written by the API; returns the N-Triples file."""
    out = tmp_path_factory.mktemp("api") / "build"
    built = api.Workspace(data=FIXTURE_DIR).build(out, validate=True)
    assert built.validation is not None and built.validation.conforms
    assert sorted(path.name for path in built.written) == ["trustkg.nt", "trustkg.ttl"]
    return out / "trustkg.nt"


def _in_memory(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def test_a_workspace_reads_back_what_it_built(built: Path) -> None:
    from_data = api.Workspace(data=FIXTURE_DIR)
    from_file = api.Workspace(graph_file=built)
    assert isomorphic(_in_memory(from_file.graph), _in_memory(from_data.graph))
    assert from_file.graph is from_file.graph  # read once, then kept
    with pytest.raises(TrustKGError, match="give it a data directory"):
        from_file.load()
    assert sorted(case.trust.ods for case in from_data.load().cases) == ["ZZ1", "ZZ2", "ZZ3"]


def test_queries_and_tables_match_the_command(cli, built: Path) -> None:
    workspace = api.Workspace(graph_file=built)
    table = workspace.query("actions-to-outcomes", min_trusts=2)
    command = cli("query", "actions-to-outcomes", "--graph", str(built), "-p", "min_trusts=2")
    assert command.code == 0, command.err
    assert workspace.show(table) + "\n" == command.out
    sparql = workspace.sparql("SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://w3id.org/trustkg/def/Trust> }")
    assert workspace.show(sparql, "csv").splitlines() == ["n", "3"]
    assert workspace.label(ACTION_TYPE["visible-leadership"]) == "Visible leadership"
    assert "actions-to-outcomes" in [query.name for query in api.queries()]


def test_every_registered_page_is_what_the_command_writes(cli, built: Path, tmp_path: Path) -> None:
    workspace = api.Workspace(graph_file=built)
    commands = {"explorer": "show", "evidence-map": "map", "link-view": "links", "framework-matrix": "matrix"}
    assert set(api.PAGES) == set(commands)
    for name, command in commands.items():
        page = workspace.write_page(name, tmp_path / f"api-{name}.html")
        run = cli(command, "--graph", str(built), "--out", str(tmp_path / f"cli-{name}.html"))
        assert run.code == 0, run.err
        assert page.read_bytes() == (tmp_path / f"cli-{name}.html").read_bytes()
    focused = workspace.write_page("explorer", tmp_path / "zz2.html", trust="ZZ2")
    assert "trustkg explorer: trust ZZ2" in focused.read_text(encoding="utf-8")
    with pytest.raises(TrustKGError, match=r"unknown page 'explorr' \(did you mean 'explorer'\?\)"):
        workspace.write_page("explorr")


@pytest.mark.parametrize("name", api.VIEWS)
def test_every_view_exports(built: Path, tmp_path: Path, name: str) -> None:
    workspace = api.Workspace(graph_file=built)
    exported = workspace.export(name, "graphml", tmp_path / f"{name}.graphml")
    view = workspace.view(name)
    assert (exported.nodes, exported.edges) == (view.number_of_nodes(), view.number_of_edges())
    assert nx.read_graphml(exported.path).number_of_nodes() == exported.nodes


def test_network_measures(built: Path) -> None:
    workspace = api.Workspace(graph_file=built)
    assert [m.label for m in workspace.central_action_types(2)] == ["Visible leadership", "Staff listening"]
    assert [(p.first, p.second, p.shared) for p in workspace.similar_trusts(1)] == [
        ("Fixture Alpha Hospitals NHS Trust", "Fixture Beta NHS Foundation Trust", 2)
    ]
    with pytest.raises(TrustKGError, match=r"unknown view 'theme' \(did you mean 'themes'"):
        workspace.view("theme")


def _trustkg_imports(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            names = [f"{node.module}.{alias.name}" if node.module == "trustkg" else node.module for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        modules.update(name for name in names if name.split(".")[0] == "trustkg")
    return modules


def test_the_command_scripts_and_bench_use_only_the_api() -> None:
    # The CLI also raises and reports the typed errors; scripts and bench run through the CLI's program runner.
    allowed = {
        "graph/cli.py": {"trustkg.api", "trustkg.errors"},
        **{f"scripts/{p.name}": {"trustkg.api", "trustkg.cli"} for p in (REPO / "scripts").glob("*.py")},
        # bench/ also starts itself as the command does, with its C allocator.
        **{
            f"bench/{p.name}": {"trustkg.api", "trustkg.errors", "trustkg.allocator"}
            for p in (REPO / "bench").glob("*.py")
        },
    }
    beyond = {name: sorted(_trustkg_imports(REPO / name) - ok) for name, ok in allowed.items()}
    assert {name: extra for name, extra in beyond.items() if extra} == {}
    assert _trustkg_imports(REPO / "scripts" / "central_actions.py") == {"trustkg.api", "trustkg.cli"}
