"""The Python API: what the CLI does, as functions that scripts call.

from trustkg import api
graph = api.build_graph_from("data").graph
table = api.query(graph, "actions-to-outcomes", theme="leadership")
print(api.show_table(table, graph))
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from trustkg import loaders, store
from trustkg.build import BuildSummary, build_graph
from trustkg.errors import ChecksFailedError, ReasonerError, TrustKGError
from trustkg.ontology import reasoning
from trustkg.ontology.reasoning import DEFAULT_REASONER, Inference
from trustkg.queries import find_query, render, run_query
from trustkg.queries.results import ResultTable
from trustkg.records import EvidenceBase
from trustkg.validate import ValidationReport, validate

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("build")
DEFAULT_GRAPH = DEFAULT_OUT / "trustkg.nt"


@dataclass
class Built:
    """A built graph, what went into it, and the files written (none unless asked)."""

    graph: Graph
    summary: BuildSummary
    evidence_base: EvidenceBase
    written: list[Path] = field(default_factory=list)
    validation: ValidationReport | None = None  # None when not validated
    inference: Inference | None = None  # None when not reasoned


def load_evidence(data_dir: Path | str = DEFAULT_DATA, input_format: str | None = None) -> EvidenceBase:
    """Load and check the input data; raises :class:`trustkg.errors.InputError` with every problem.

    Without a format, the inputs are those the directory's manifest (``trustkg.yaml``) declares,
    or its case files when it has none; ``loaders.load_inputs`` merges any list of inputs.
    """
    return loaders.load(data_dir, input_format)


def build_graph_from(
    data_dir: Path | str = DEFAULT_DATA,
    store_name: str = store.DEFAULT_STORE,
    out_dir: Path | str | None = None,
    *,
    validate: bool = False,
    reason: bool = False,
    reasoner: str = DEFAULT_REASONER,
) -> Built:
    """Load ``data_dir``, build the graph in the named store, and write it to ``out_dir`` if given.

    With ``validate`` the graph is checked against the shapes and curation checks
    (``trustkg build`` does this unless told not to); with ``reason`` the OWL
    reasoner checks consistency and adds the inferred class memberships.
    Nothing is written unless loading, building, validating and reasoning all
    succeed: a broken rule raises :class:`trustkg.errors.ChecksFailedError`.
    """
    evidence_base = load_evidence(data_dir)
    graph, summary = build_graph(evidence_base, store.new_graph(store_name))
    built = Built(graph, summary, evidence_base)
    if validate:
        built.validation = validate_graph(graph)
        if not built.validation.conforms:
            raise ChecksFailedError(built.validation.summary(), built.validation.lines()[1:])
    if reason:
        built.inference = reason_graph(graph, reasoner)
    if out_dir is not None:
        built.written = store.write_graph(graph, out_dir)
    return built


def validate_graph(graph: Graph) -> ValidationReport:
    """Check a graph against the SHACL shapes and the curation checks; the report lists every broken rule."""
    return validate(graph)


def reason_graph(graph: Graph, reasoner: str = DEFAULT_REASONER) -> Inference:
    """Run the OWL reasoner; add the inferred class memberships to ``graph``.

    Raises :class:`trustkg.errors.ReasonerError` when it cannot run (no Java) and
    :class:`trustkg.errors.ChecksFailedError` when the graph is inconsistent.
    """
    try:
        return reasoning.reason(graph, reasoner)
    except reasoning.InconsistentGraphError as error:
        raise ChecksFailedError(str(error), error.explanation) from error
    except reasoning.ReasoningError as error:
        raise ReasonerError(str(error)) from error


def open_graph(path: Path | str = DEFAULT_GRAPH, store_name: str = store.DEFAULT_STORE) -> Graph:
    """A graph written by ``trustkg build``."""
    return store.load_graph(path, store_name)


def query(graph: Graph, name_or_path: str, **params: str | int) -> ResultTable:
    """Run a library query by name (or a ``.rq`` file by path) with parameters as typed."""
    return run_query(graph, find_query(name_or_path), {name: str(value) for name, value in params.items()})


def show_table(table: ResultTable, graph: Graph, output_format: str = "table", show_iris: bool = False) -> str:
    """A result table as text, with labels in place of IRIs unless ``show_iris``."""
    return render(table, output_format, graph, show_iris)


def run_program(main: Callable[[], int]) -> int:
    """Run a script's ``main``: a trustkg error becomes one message on standard error and exit code 2."""
    try:
        return main()
    except TrustKGError as error:
        print(f"{Path(sys.argv[0]).name}: {error}", file=sys.stderr)
        return 2
