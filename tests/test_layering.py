"""The package's import graph is layered with no cycles, and programs outside it use only its API.

Read from the source with ``ast`` (every ``import``, at any depth, including those under
``TYPE_CHECKING``), not by importing it. An own checker rather than import-linter: the
scripts in ``scripts/`` are programs, not a package, and import-linter only sees packages;
one checker covers the package, ``bench/``, ``scripts/`` and ``tests/`` alike.

Three rules:

1. a module of ``trustkg`` imports only modules of its own layer of :data:`LAYERS` or of a
   layer below, and the parts of one layer import each other without a cycle;
2. ``scripts/`` and ``bench/`` import only :data:`CLIENT_API` of ``trustkg``;
3. nothing imports the names the package was once installed under (:data:`OLD_NAMES`).
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO

#: Where each part of trustkg sits, bottom layer first: the one list of the layering. A part may import
#: parts of its own layer (without a cycle) and of the layers below it, never above. A part is a module
#: or a subpackage (with everything in it). A new module of trustkg fails rule 1 until it is placed here.
LAYERS: tuple[tuple[str, ...], ...] = (
    # What everything conforms to: the ontology and vocabularies, the typed errors, safe file writing, progress,
    # the text of N-Triples terms.
    (
        "trustkg.ontology",
        "trustkg.errors",
        "trustkg.files",
        "trustkg.progress",
        "trustkg.gcpause",
        "trustkg.ntriples",
        # The C allocator a command runs with.
        "trustkg.allocator",
    ),
    # The query library: .rq files and their headers, knowing nothing of how queries are run.
    ("trustkg.queries",),
    # What loaders produce (IDs, never IRIs) and the one place IRIs are minted.
    ("trustkg.records", "trustkg.iris"),
    # What qualitative-analysis tools export (REFI-QDA projects, coded-segment tables), read as they are.
    ("trustkg.qda",),
    # Inputs -> evidence base -> RDF.
    ("trustkg.loaders", "trustkg.build"),
    # Where the graph is kept.
    ("trustkg.store", "trustkg.remote_http", "trustkg.remote_results"),
    # Running SPARQL: parameters, result tables, the label rule.
    (
        "trustkg.sparql",
        "trustkg.sparql_guard",
        "trustkg.sparql_formats",
        "trustkg.sparql_protocol",
        "trustkg.sparql_workers",
    ),
    # Views of the stored graph: networks, pages, validation, reports.
    (
        "trustkg.reading",
        "trustkg.views",
        "trustkg.instances",
        "trustkg.scope",
        "trustkg.metrics",
        "trustkg.exports",
        "trustkg.explorer",
        "trustkg.evidence_map",
        "trustkg.map_filters",
        "trustkg.trajectories",
        "trustkg.link_view",
        "trustkg.framework_matrix",
        "trustkg.pages",
        "trustkg.page_registry",
        "trustkg.shape_queries",
        "trustkg.validate",
        "trustkg.evidence_profile",
        "trustkg.sources_report",
        "trustkg.links_report",
        # Putting the graph into a shared store (Graph Store Protocol).
        "trustkg.publish",
        # The SPARQL endpoint (an optional extra: the API imports it only when asked to serve).
        "trustkg.serve",
    ),
    # The one entry point for Python callers.
    ("trustkg.api",),
    # The command line.
    ("trustkg.cli", "trustkg.__main__"),
)

#: What programs outside the package (scripts and benchmarks) may import of it.
#: trustkg.cli gives scripts run_program: their errors become messages and exit codes as the command's do;
#: trustkg.allocator runs the benchmarks with the C allocator the command runs with.
CLIENT_API = ("trustkg.api", "trustkg.errors", "trustkg.cli", "trustkg.allocator")
CLIENT_DIRS = ("scripts", "bench", "examples")
#: The names trustkg's folders were installed under before they became ``trustkg`` (PyPI has others by them).
OLD_NAMES = ("graph", "queries", "ontology")


@dataclass(frozen=True)
class Import:
    file: Path
    line: int
    importer: str  # dotted name of the importing module
    imported: str  # dotted name of the module imported (a submodule where ``from X import sub`` names one)


def source_roots(repo: Path) -> dict[str, str]:
    """Folder -> the dotted name its files are imported as: the package's from pyproject, then the others."""
    setuptools = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    roots = {folder: package for package, folder in setuptools["package-dir"].items()}
    return roots | {folder: folder for folder in (*CLIENT_DIRS, "tests")}


def modules(repo: Path) -> dict[str, Path]:
    """Every Python file under the source roots, by module name."""
    found: dict[str, Path] = {}
    for folder, package in source_roots(repo).items():
        for path in sorted((repo / folder).rglob("*.py")):
            parts = path.relative_to(repo / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((package, *parts))
            # A subpackage with its own package-dir entry is listed under that entry's name.
            found.setdefault(name, path)
    return found


def imports(repo: Path) -> Iterator[Import]:
    """Every import in every module, resolved to the module it names."""
    known = modules(repo)
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(path, node.lineno, name, alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{anchor}.{base}" if base else anchor
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    yield Import(path, node.lineno, name, submodule if submodule in known else base)


def part_of(module: str) -> str | None:
    """The entry of :data:`LAYERS` a trustkg module belongs to."""
    for layer in LAYERS:
        for part in layer:
            if module == part or module.startswith(part + "."):
                return part
    return None


def layer_of(part: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if part in layer)


def is_trustkg(module: str) -> bool:
    return module == "trustkg" or module.startswith("trustkg.")


def layering_problems(repo: Path) -> list[str]:
    """Rule 1: every import of a trustkg module by a trustkg module, against :data:`LAYERS`."""
    problems: list[str] = []
    parts: nx.DiGraph = nx.DiGraph()
    for found in imports(repo):
        if not is_trustkg(found.importer) or found.importer == "trustkg":
            continue
        where = f"{found.file.relative_to(repo)}:{found.line}"
        importer = part_of(found.importer)
        if importer is None:
            problems.append(f"{where}: {found.importer} has no place in LAYERS (tests/test_layering.py)")
            continue
        if not is_trustkg(found.imported) or found.imported == "trustkg":
            continue
        imported = part_of(found.imported)
        if imported is None:
            problems.append(f"{where}: {found.imported} has no place in LAYERS (tests/test_layering.py)")
        elif layer_of(imported) > layer_of(importer):
            problems.append(f"{where}: {found.importer} imports {found.imported}, from a layer above its own")
        elif imported != importer:
            parts.add_edge(importer, imported)
    problems.extend(f"import cycle: {' -> '.join([*cycle, cycle[0]])}" for cycle in nx.simple_cycles(parts))
    return problems


def client_problems(repo: Path) -> dict[Path, list[str]]:
    """Rule 2: what each file of scripts/ and bench/ imports of trustkg beyond :data:`CLIENT_API`."""
    problems: dict[Path, list[str]] = {}
    for found in imports(repo):
        if found.importer.partition(".")[0] not in CLIENT_DIRS or not is_trustkg(found.imported):
            continue
        if not any(found.imported == api or found.imported.startswith(api + ".") for api in CLIENT_API):
            problems.setdefault(found.file.relative_to(repo), []).append(
                f"{found.file.relative_to(repo)}:{found.line}: imports {found.imported}; use {' or '.join(CLIENT_API)}"
            )
    return problems


def old_name_problems(repo: Path) -> list[str]:
    """Rule 3: no import of the old top-level names."""
    return [
        f"{found.file.relative_to(repo)}:{found.line}: imports {found.imported}; the package is trustkg now"
        for found in imports(repo)
        if found.imported.partition(".")[0] in OLD_NAMES
    ]


# --- the rules on this repository ---------------------------------------------------------


def test_the_package_is_layered_without_cycles() -> None:
    assert layering_problems(REPO) == []


def test_nothing_imports_the_old_top_level_names() -> None:
    assert old_name_problems(REPO) == []


def client_files() -> list[object]:
    files = sorted(
        path.relative_to(REPO).as_posix() for folder in CLIENT_DIRS for path in (REPO / folder).rglob("*.py")
    )
    return [pytest.param(name, id=name) for name in files]


@pytest.mark.parametrize("name", client_files())
def test_scripts_and_bench_use_only_the_api(name: str) -> None:
    assert client_problems(REPO).get(Path(name), []) == []


def test_every_part_is_placed_once() -> None:
    placed = [part for layer in LAYERS for part in layer]
    assert len(placed) == len(set(placed))


# --- the checker itself, on small trees made for it ----------------------------------------


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A repository with this repository's pyproject.toml and the given Python files."""
    (tmp_path / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    for folder in source_roots(tmp_path):
        (tmp_path / folder).mkdir(exist_ok=True)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checker_accepts_downward_imports(tmp_path: Path) -> None:
    repo = tree(
        tmp_path,
        {
            "graph/api.py": "from trustkg import sparql\n",
            "graph/sparql/__init__.py": "from trustkg.sparql.run import run\n",
            "graph/sparql/run.py": "from trustkg.queries.library import library\nfrom . import params\n",
            "graph/sparql/params.py": "from trustkg import iris\n",
            "graph/iris.py": "from trustkg.ontology import TKG\n",
            "scripts/report.py": "from trustkg import api\nfrom trustkg.errors import TrustKGError\n",
        },
    )
    assert layering_problems(repo) == []
    assert client_problems(repo) == {}
    assert old_name_problems(repo) == []


def test_the_checker_rejects_an_upward_import(tmp_path: Path) -> None:
    repo = tree(tmp_path, {"graph/store.py": "def open_store():\n    from trustkg import api\n", "graph/api.py": ""})
    assert layering_problems(repo) == [
        "graph/store.py:2: trustkg.store imports trustkg.api, from a layer above its own"
    ]


def test_the_checker_rejects_an_upward_relative_import(tmp_path: Path) -> None:
    repo = tree(tmp_path, {"queries/library.py": "from ..sparql import run\n"})
    assert layering_problems(repo) == [
        "queries/library.py:1: trustkg.queries.library imports trustkg.sparql, from a layer above its own"
    ]


def test_the_checker_rejects_a_cycle_within_a_layer(tmp_path: Path) -> None:
    repo = tree(tmp_path, {"graph/views.py": "import trustkg.pages\n", "graph/pages.py": "import trustkg.views\n"})
    [problem] = layering_problems(repo)
    assert problem in {
        "import cycle: trustkg.views -> trustkg.pages -> trustkg.views",
        "import cycle: trustkg.pages -> trustkg.views -> trustkg.pages",
    }


def test_the_checker_rejects_an_unplaced_module(tmp_path: Path) -> None:
    repo = tree(tmp_path, {"graph/newthing.py": "from trustkg import errors\n"})
    assert layering_problems(repo) == [
        "graph/newthing.py:1: trustkg.newthing has no place in LAYERS (tests/test_layering.py)"
    ]


def test_the_checker_rejects_old_names_anywhere(tmp_path: Path) -> None:
    repo = tree(
        tmp_path,
        {
            "tests/test_old.py": "import queries.library\n",
            "scripts/old.py": "from graph.cli import main\n",
            "graph/build.py": "from ontology import TKG\n",
        },
    )
    assert sorted(old_name_problems(repo)) == [
        "graph/build.py:1: imports ontology; the package is trustkg now",
        "scripts/old.py:1: imports graph.cli; the package is trustkg now",
        "tests/test_old.py:1: imports queries.library; the package is trustkg now",
    ]


def test_the_checker_rejects_a_script_going_around_the_api(tmp_path: Path) -> None:
    files = {"scripts/central.py": "from trustkg import api, network\n", "graph/api.py": "", "graph/network.py": ""}
    repo = tree(tmp_path, files)
    assert client_problems(repo) == {
        Path("scripts/central.py"): [
            "scripts/central.py:1: imports trustkg.network; use trustkg.api or trustkg.errors or trustkg.cli or trustkg.allocator"
        ]
    }
