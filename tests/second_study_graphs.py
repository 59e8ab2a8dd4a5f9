"""The combined graph of the FICTIONAL second study (tests/fixtures/second-study) in every engine the
library must run on: each local store, and Virtuoso (published there as a named graph of its own)."""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph

from tests.conftest import REPO, TESTS
from tests.services.virtuoso import Virtuoso
from trustkg import api, store
from trustkg.errors import InputError
from trustkg.loaders import Input, load_inputs

SECOND_STUDY = TESTS / "fixtures" / "second-study"
MH = "fx-mh-study-2018"
#: Every engine: the local stores and Virtuoso (for a module fixture's ``params``).
ENGINES = [*store.local_stores(), "virtuoso"]
#: The named graph the combined graph is published as, in the test Virtuoso (apart from other tests' graphs).
ON_VIRTUOSO = "http://example.org/trustkg-second-study-test"


def combined_graph(request: pytest.FixtureRequest) -> Graph:
    """The combined graph on the engine ``request.param`` names."""
    if request.param != "virtuoso":
        return api.build_graph_from(SECOND_STUDY, request.param).graph
    virtuoso: Virtuoso = request.getfixturevalue("virtuoso")
    graph = api.build_graph_from(SECOND_STUDY, "oxigraph").graph
    api.publish(graph, virtuoso.graph_store_url, ON_VIRTUOSO, virtuoso.user, virtuoso.password)
    spec = f"{virtuoso.sparql_url}?{urllib.parse.urlencode({'default-graph-uri': ON_VIRTUOSO})}"
    return api.open_graph(store_name=spec)


def problems_after_edits(tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Load the shipped data with a copy of ``mh/`` whose case files are edited (file name -> each ``old`` text
    replaced by ``new``, in turn); the problems, sorted, each as ``FILE:LINE: FIELD: MESSAGE``."""
    mh = tmp_path / "mh"
    shutil.copytree(SECOND_STUDY / "mh", mh)
    for name, replacements in edits.items():
        path = mh / "cases" / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"test set-up: {old!r} not in {name}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_inputs([Input(REPO / "data", "case-files"), Input(mh, "case-files")])
    return sorted(f"{Path(p.file).name}:{p.line}: {p.field}: {p.message}" for p in raised.value.problems)
