"""networkx views of the built RDF graph: the registry of views, and the three type-level ones.

Every view is read from the RDF graph with SPARQL (never from the input files),
so it shows exactly what the graph says, whichever loader filled it:

- ``action-outcome``: the bipartite graph of action types and outcome types,
  an edge where evidence links them, weighted by its support (evidence items,
  trusts), from the query library's ``actions-to-outcomes``;
- ``themes``: themes, an edge where two themes tag the same evidence item;
- ``trust-similarity``: trusts, an edge weighted by the Jaccard similarity of
  the sets of action types they took;
- ``instances``: the instance network the explorer draws (:mod:`trustkg.instances`).

Node and edge attributes are plain strings and numbers, so GraphML and GEXF
can carry them. To add a view: a function ``Graph -> networkx graph`` and one
line in :data:`VIEWS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from typing import TYPE_CHECKING

from rdflib import Graph

from trustkg.errors import TrustKGError, did_you_mean
from trustkg.instances import instance_graph
from trustkg.metrics import jaccard
from trustkg.reading import select, text
from trustkg.sparql import ALL_ROWS, find_query, labels, run_query

if TYPE_CHECKING:
    import networkx as nx

# --- the action-outcome view --------------------------------------------------------------

ACTION_TYPE, OUTCOME_TYPE, THEME, TRUST = "action-type", "outcome-type", "theme", "trust"


def action_outcome_graph(graph: Graph) -> nx.Graph:
    """Action types and outcome types, linked where evidence names an action and an outcome of one trust.

    Edge attributes ``evidence`` (items) and ``trusts`` (distinct trusts) are the
    support counted by the library query ``actions-to-outcomes``; ``weight`` is
    the evidence count.
    """
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    names = labels(graph)
    view = nx.Graph(name="action-outcome")
    table = run_query(graph, find_query("actions-to-outcomes"), limit=ALL_ROWS)
    for row in table.records():
        action, outcome = str(row["action_type"]), str(row["outcome_type"])
        view.add_node(action, kind=ACTION_TYPE, label=names.get(action, action), bipartite=0)
        view.add_node(outcome, kind=OUTCOME_TYPE, label=names.get(outcome, outcome), bipartite=1)
        evidence, trusts = int(str(row["evidence"])), int(str(row["trusts"]))
        view.add_edge(action, outcome, weight=evidence, evidence=evidence, trusts=trusts)
    return view


# --- the theme co-occurrence view ---------------------------------------------------------

_THEMES = """
SELECT ?theme ?notation WHERE { ?theme a tkg:Theme . OPTIONAL { ?theme skos:notation ?notation } }
"""
# Tags on evidence items only, as in the query library's theme co-occurrence: an item tagged with two
# themes is a source speaking of both at once.
_TAGGED = """
SELECT DISTINCT ?item ?theme ?trust WHERE { ?item a tkg:Evidence ; tkg:trust ?trust ; tkg:codedTheme|tkg:statedTheme ?theme }
"""


def theme_graph(graph: Graph) -> nx.Graph:
    """Every theme, with ``tagged`` = evidence items it tags; an edge where two themes tag one evidence item.

    Edge ``weight`` is the number of evidence items tagged with both, ``trusts`` the distinct trusts they are about.
    """
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    names = labels(graph)
    view = nx.Graph(name="themes")
    for theme, notation in select(graph, _THEMES):
        key = text(theme)
        view.add_node(key, kind=THEME, label=names.get(key, key), notation=text(notation), tagged=0)
    themes_of: dict[str, set[str]] = defaultdict(set)
    trust_of: dict[str, str] = {}
    for item, tag, trust in select(graph, _TAGGED):
        themes_of[text(item)].add(text(tag))
        trust_of[text(item)] = text(trust)
    trusts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item_key, themes in themes_of.items():
        for theme_key in themes:
            view.nodes[theme_key]["tagged"] += 1
        for pair in combinations(sorted(themes), 2):
            weight = view.edges[pair]["weight"] + 1 if view.has_edge(*pair) else 1
            trusts[pair].add(trust_of[item_key])
            view.add_edge(*pair, weight=weight, trusts=len(trusts[pair]))
    return view


# --- the trust similarity view ------------------------------------------------------------

_TRUSTS = "SELECT ?trust ?ods WHERE { ?trust a tkg:Trust ; tkg:odsCode ?ods }"
_TRUST_ACTION_TYPES = (
    "SELECT DISTINCT ?trust ?type WHERE { ?action a tkg:Action ; tkg:trust ?trust ; tkg:actionType ?type }"
)


def trust_similarity_graph(graph: Graph) -> nx.Graph:
    """Every trust; an edge where two trusts took actions of a shared type.

    Edge ``weight`` is the Jaccard similarity of their sets of action types,
    ``shared`` the number of types in common.
    """
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    names = labels(graph)
    view = nx.Graph(name="trust-similarity")
    types: dict[str, set[str]] = {}
    for trust, ods in select(graph, _TRUSTS):
        key = text(trust)
        view.add_node(key, kind=TRUST, label=names.get(key, key), ods=text(ods))
        types[key] = set()
    for trust, action_type in select(graph, _TRUST_ACTION_TYPES):
        types.setdefault(text(trust), set()).add(text(action_type))
    for first, second in combinations(sorted(types), 2):
        shared = types[first] & types[second]
        if shared:
            view.add_edge(first, second, weight=jaccard(types[first], types[second]), shared=len(shared))
    return view


VIEWS: dict[str, Callable[[Graph], nx.Graph]] = {
    "action-outcome": action_outcome_graph,
    "themes": theme_graph,
    "trust-similarity": trust_similarity_graph,
    "instances": instance_graph,
}
DEFAULT_VIEW = "action-outcome"


def view(graph: Graph, name: str) -> nx.Graph:
    """One of :data:`VIEWS` by name."""
    try:
        make = VIEWS[name]
    except KeyError:
        raise TrustKGError(f"unknown view {name!r}" + did_you_mean(name, VIEWS)) from None
    return make(graph)


def node_kinds(view_graph: nx.Graph) -> dict[str, int]:
    """How many nodes of each kind a view has."""
    counts: dict[str, int] = defaultdict(int)
    for _, kind in view_graph.nodes(data="kind"):
        counts[kind] += 1
    return dict(counts)
