"""The combined graph of the FICTIONAL second study (tests/fixtures/second-study) in every engine the
library must run on: each local store, and Virtuoso (published there as a named graph of its own)."""

from __future__ import annotations

import urllib.parse

import pytest
from rdflib import Graph

from tests.conftest import TESTS
from tests.services.virtuoso import Virtuoso
from trustkg import api, store

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
