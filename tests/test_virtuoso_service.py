"""The throwaway Virtuoso the shared-store tests run against: it starts on loopback, a named graph
is replaced (never appended) through the Graph Store Protocol with digest credentials, and writes
without credentials are refused. The triples are FICTIONAL (example.org)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.services.virtuoso import Virtuoso

GRAPH = "http://example.org/trustkg-test-graph"
FIRST = """
@prefix ex: <http://example.org/> .
ex:zz1 ex:name "Fictional Trust One"@en ; ex:beds 120 .
"""
SECOND = """
@prefix ex: <http://example.org/> .
ex:zz2 ex:name "Fictional Trust Two" .
"""


def put_graph(instance: Virtuoso, turtle: str, user: str, password: str) -> int:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, instance.graph_store_url, user, password)
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    request = urllib.request.Request(
        f"{instance.graph_store_url}?{urllib.parse.urlencode({'graph': GRAPH})}",
        data=turtle.encode(),
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    try:
        with opener.open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def named_graph(instance: Virtuoso) -> Graph:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    url = f"{instance.sparql_url}?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return Graph().parse(data=response.read().decode(), format="turtle")


def test_listens_on_loopback_only(virtuoso: Virtuoso) -> None:
    assert urllib.parse.urlsplit(virtuoso.sparql_url).hostname == "127.0.0.1"
    assert urllib.parse.urlsplit(virtuoso.graph_store_url).hostname == "127.0.0.1"


def test_put_replaces_the_named_graph(virtuoso: Virtuoso) -> None:
    assert put_graph(virtuoso, FIRST, virtuoso.user, virtuoso.password) in (200, 201)
    assert isomorphic(named_graph(virtuoso), Graph().parse(data=FIRST, format="turtle"))
    assert put_graph(virtuoso, SECOND, virtuoso.user, virtuoso.password) in (200, 201, 204)
    assert isomorphic(named_graph(virtuoso), Graph().parse(data=SECOND, format="turtle"))


def test_write_with_a_wrong_password_is_refused(virtuoso: Virtuoso) -> None:
    before = named_graph(virtuoso)
    assert put_graph(virtuoso, FIRST, virtuoso.user, virtuoso.password + "x") == 401
    assert isomorphic(named_graph(virtuoso), before)


def test_the_open_graph_store_refuses_writes(virtuoso: Virtuoso) -> None:
    open_store = virtuoso.graph_store_url.removesuffix("-auth")
    request = urllib.request.Request(
        f"{open_store}?{urllib.parse.urlencode({'graph': GRAPH})}",
        data=FIRST.encode(),
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code in (401, 403)


def test_select_answers_in_w3c_json(virtuoso: Virtuoso) -> None:
    assert put_graph(virtuoso, FIRST, virtuoso.user, virtuoso.password) in (200, 201)
    query = f"SELECT ?name WHERE {{ GRAPH <{GRAPH}> {{ ?trust <http://example.org/name> ?name }} }}"
    request = urllib.request.Request(
        f"{virtuoso.sparql_url}?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    assert answer["head"]["vars"] == ["name"]
    assert answer["results"]["bindings"] == [
        {"name": {"type": "literal", "xml:lang": "en", "value": "Fictional Trust One"}}
    ]
