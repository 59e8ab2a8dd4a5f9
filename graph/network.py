"""networkx views of the built RDF graph, their centrality measures, and export for Gephi.

Every view is read from the RDF graph with SPARQL (never from the input files),
so it shows exactly what the graph says, whichever loader filled it:

- ``action-outcome``: the bipartite graph of action types and outcome types,
  an edge where evidence links them, weighted by its support (evidence items,
  trusts), from the query library's ``actions-to-outcomes``;
- ``themes``: themes, an edge where two themes tag the same evidence item;
- ``trust-similarity``: trusts, an edge weighted by the Jaccard similarity of
  the sets of action types they took;
- ``instances``: the instance network the explorer draws (trusts, actions,
  outcomes, themes, evidence, with the relation on each edge).

Node and edge attributes are plain strings and numbers, so GraphML and GEXF
can carry them.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
from rdflib import Graph
from rdflib.term import Node

from trustkg.errors import TrustKGError
from trustkg.files import write_atomically
from trustkg.ontology import PREFIXES
from trustkg.sparql import find_query, labels, run_query, run_sparql

#: The project's prefixes (tkg:, skos:, prov:, ...) declared for the SPARQL below.
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())

# --- reading the RDF graph ---------------------------------------------------------------


def select(graph: Graph, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[tuple[Node | None, ...]]:
    """The rows of a SELECT written with the project's prefixes."""
    return run_sparql(graph, SPARQL_PREFIXES + sparql, bindings).rows


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


# --- the action-outcome view --------------------------------------------------------------

ACTION_TYPE, OUTCOME_TYPE, THEME, TRUST = "action-type", "outcome-type", "theme", "trust"


def action_outcome_graph(graph: Graph) -> nx.Graph:
    """Action types and outcome types, linked where evidence names an action and an outcome of one trust.

    Edge attributes ``evidence`` (items) and ``trusts`` (distinct trusts) are the
    support counted by the library query ``actions-to-outcomes``; ``weight`` is
    the evidence count.
    """
    names = labels(graph)
    view = nx.Graph(name="action-outcome")
    table = run_query(graph, find_query("actions-to-outcomes"))
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
    names = labels(graph)
    view = nx.Graph(name="themes")
    for theme, notation in select(graph, _THEMES):
        key = _text(theme)
        view.add_node(key, kind=THEME, label=names.get(key, key), notation=_text(notation), tagged=0)
    themes_of: dict[str, set[str]] = defaultdict(set)
    trust_of: dict[str, str] = {}
    for item, tag, trust in select(graph, _TAGGED):
        themes_of[_text(item)].add(_text(tag))
        trust_of[_text(item)] = _text(trust)
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


def jaccard(first: set[str], second: set[str]) -> float:
    """Shared over all: len(A & B) / len(A | B); two empty sets share nothing, so 0."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def trust_similarity_graph(graph: Graph) -> nx.Graph:
    """Every trust; an edge where two trusts took actions of a shared type.

    Edge ``weight`` is the Jaccard similarity of their sets of action types,
    ``shared`` the number of types in common.
    """
    names = labels(graph)
    view = nx.Graph(name="trust-similarity")
    types: dict[str, set[str]] = {}
    for trust, ods in select(graph, _TRUSTS):
        key = _text(trust)
        view.add_node(key, kind=TRUST, label=names.get(key, key), ods=_text(ods))
        types[key] = set()
    for trust, action_type in select(graph, _TRUST_ACTION_TYPES):
        types.setdefault(_text(trust), set()).add(_text(action_type))
    for first, second in combinations(sorted(types), 2):
        shared = types[first] & types[second]
        if shared:
            view.add_edge(first, second, weight=jaccard(types[first], types[second]), shared=len(shared))
    return view


@dataclass(frozen=True)
class SimilarPair:
    first: str
    second: str
    similarity: float
    shared: int


def most_similar_trusts(view: nx.Graph, count: int = 5) -> list[SimilarPair]:
    """The ``count`` most similar pairs of trusts, by Jaccard similarity, then labels."""
    pairs = []
    for first, second, data in view.edges(data=True):
        one, two = sorted((view.nodes[first]["label"], view.nodes[second]["label"]))
        pairs.append(SimilarPair(one, two, data["weight"], data["shared"]))
    return sorted(pairs, key=lambda pair: (-pair.similarity, pair.first, pair.second))[:count]


# --- centrality ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Centrality:
    node: str
    label: str
    strength: float  # the sum of the weights of its edges: for action types, evidence items
    degree: int  # how many neighbours
    betweenness: float  # normalised shortest-path betweenness, ignoring weights


def centrality(view: nx.Graph) -> dict[str, Centrality]:
    """Strength (weighted degree), degree and betweenness of every node of a view."""
    betweenness = nx.betweenness_centrality(view, normalized=True)
    return {
        node: Centrality(
            node=node,
            label=data.get("label", node),
            strength=float(view.degree(node, weight="weight")),
            degree=int(view.degree(node)),
            betweenness=float(betweenness[node]),
        )
        for node, data in view.nodes(data=True)
    }


def most_central(view: nx.Graph, kind: str, count: int = 5) -> list[Centrality]:
    """The ``count`` nodes of one kind with the greatest strength (then degree, betweenness, label)."""
    measures = [m for node, m in centrality(view).items() if view.nodes[node].get("kind") == kind]
    return sorted(measures, key=lambda m: (-m.strength, -m.degree, -m.betweenness, m.label))[:count]


def with_centrality(view: nx.Graph) -> nx.Graph:
    """A copy of ``view`` with ``strength``, ``degree`` and ``betweenness`` on every node (for export)."""
    copy = view.copy()
    for node, measure in centrality(view).items():
        copy.nodes[node].update(strength=measure.strength, degree=measure.degree, betweenness=measure.betweenness)
    return copy


# --- the instance network (what the explorer draws) ---------------------------------------

TRUST_NODE, ACTION, OUTCOME, THEME_NODE, EVIDENCE = "trust", "action", "outcome", "theme", "evidence"

_INSTANCE_TRUSTS = """
SELECT ?node ?ods ?type ?source WHERE {
  ?node a tkg:Trust ; tkg:odsCode ?ods .
  OPTIONAL { ?node tkg:trustType ?type }
  OPTIONAL { ?node dcterms:source ?source }
}
"""
_INSTANCE_ACTIONS = """
SELECT ?node ?trust ?type ?description ?role ?source WHERE {
  ?node a tkg:Action ; tkg:trust ?trust ; tkg:actionType ?type .
  OPTIONAL { ?node dcterms:description ?description }
  OPTIONAL { ?node tkg:ledBy ?role }
  OPTIONAL { ?node dcterms:source ?source }
}
"""
_INSTANCE_OUTCOMES = """
SELECT ?node ?trust ?type ?description ?source WHERE {
  ?node tkg:outcomeType ?type ; tkg:trust ?trust .
  OPTIONAL { ?node dcterms:description ?description }
  OPTIONAL { ?node dcterms:source ?source }
}
"""
_INSTANCE_EVIDENCE = """
SELECT ?node ?trust ?statement ?role ?source WHERE {
  ?node a tkg:Evidence ; tkg:trust ?trust ; tkg:statement ?statement .
  OPTIONAL { ?node tkg:reportedBy ?role }
  OPTIONAL { ?node prov:wasDerivedFrom ?source . ?source a tkg:Document }
}
"""
_INSTANCE_LINKS = """
SELECT ?from ?relation ?to WHERE {
  VALUES ?relation { tkg:codedTheme tkg:statedTheme tkg:mentionsAction tkg:mentionsOutcome }
  ?from ?relation ?to .
}
"""
_DEFINITIONS = "SELECT ?thing ?definition WHERE { ?thing skos:definition ?definition }"

#: How each relation reads on an edge.
RELATION_LABELS = {
    "trust": "at trust",
    "codedTheme": "theme",
    "statedTheme": "stated theme",
    "mentionsAction": "mentions action",
    "mentionsOutcome": "mentions outcome",
}


def _local(iri: Node | None) -> str:
    text = _text(iri)
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Instances:
    """Collects nodes with multi-valued attributes before flattening them to strings."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.names = labels(graph)
        self.definitions = {_text(thing): _text(text) for thing, text in select(graph, _DEFINITIONS)}
        self.view = nx.MultiDiGraph(name="instances")
        self.roles: dict[str, set[str]] = defaultdict(set)
        self.sources: dict[str, set[str]] = defaultdict(set)

    def node(self, iri: Node | None, kind: str, trust: str, detail: str, **extra: str) -> str:
        key = _text(iri)
        if key not in self.view:
            self.view.add_node(key, kind=kind, label=self.names.get(key, _local(iri)), trust=trust, detail=detail)
            self.view.nodes[key].update(extra)
        return key

    def link(self, source: str, target: str, relation: str) -> None:
        if not self.view.has_edge(source, target, key=relation):
            self.view.add_edge(source, target, key=relation, relation=relation, label=RELATION_LABELS[relation])

    def read(self) -> nx.MultiDiGraph:
        ods_of: dict[str, str] = {}
        for node, ods, trust_type, source in select(self.graph, _INSTANCE_TRUSTS):
            key = self.node(node, TRUST_NODE, _text(ods), "", type=self.names.get(_text(trust_type), ""))
            ods_of[key] = _text(ods)
            self._remember(key, None, source)
        for node, trust, kind, description, role, source in select(self.graph, _INSTANCE_ACTIONS):
            key = self.action_or_outcome(node, ACTION, trust, kind, description, ods_of)
            self._remember(key, role, source)
        for node, trust, kind, description, source in select(self.graph, _INSTANCE_OUTCOMES):
            key = self.action_or_outcome(node, OUTCOME, trust, kind, description, ods_of)
            self._remember(key, None, source)
        for node, trust, statement, role, source in select(self.graph, _INSTANCE_EVIDENCE):
            key = self.node(node, EVIDENCE, ods_of.get(_text(trust), ""), _text(statement))
            self.link(key, _text(trust), "trust")
            self._remember(key, role, source)
        for source, relation, target in select(self.graph, _INSTANCE_LINKS):
            start, end = _text(source), _text(target)
            if start not in self.view:
                continue  # a tag on something the explorer does not draw
            if relation is not None and _local(relation).endswith("Theme"):
                self.node(target, THEME_NODE, "", self.definitions.get(end, ""))
            if end in self.view:
                self.link(start, end, _local(relation))
        self._flatten()
        return self.view

    def action_or_outcome(
        self,
        node: Node | None,
        kind: str,
        trust: Node | None,
        node_type: Node | None,
        description: Node | None,
        ods_of: dict[str, str],
    ) -> str:
        type_key = _text(node_type)
        detail = _text(description) or self.definitions.get(type_key, "")
        key = self.node(node, kind, ods_of.get(_text(trust), ""), detail, type=self.names.get(type_key, type_key))
        self.link(key, _text(trust), "trust")
        return key

    def _remember(self, key: str, role: Node | None, source: Node | None) -> None:
        if role is not None:
            self.roles[key].add(self.names.get(_text(role), _local(role)))
        if source is not None:
            self.sources[key].add(_text(source))

    def _flatten(self) -> None:
        """Multi-valued attributes as text, and the trusts and themes each node belongs to (for filtering)."""
        for key, data in self.view.nodes(data=True):
            data["role"] = "; ".join(sorted(self.roles.get(key, ())))
            data["source"] = " ".join(sorted(self.sources.get(key, ())))
        themes: dict[str, set[str]] = defaultdict(set)
        trusts: dict[str, set[str]] = defaultdict(set)
        kinds = nx.get_node_attributes(self.view, "kind")
        for key, data in self.view.nodes(data=True):
            if data["trust"]:
                trusts[key].add(data["trust"])
            if kinds[key] == THEME_NODE:
                themes[key].add(_local(key))
        for start, end in self.view.edges():
            if kinds[end] == THEME_NODE:  # an action or evidence item tagged with a theme
                themes[start].add(_local(end))
        # Outcomes take the themes of the evidence naming them; trusts gather all their things' themes;
        # themes gather the trusts of the things they tag.
        for start, end, relation in self.view.edges(keys=True):
            if relation == "mentionsOutcome":
                themes[end] |= themes[start]
        for start, end, relation in list(self.view.edges(keys=True)):
            if relation == "trust":
                themes[end] |= themes[start]
            elif kinds[end] == THEME_NODE:
                trusts[end] |= trusts[start]
        for key, data in self.view.nodes(data=True):
            data["themes"] = " ".join(sorted(themes.get(key, ())))
            data["trusts"] = " ".join(sorted(trusts.get(key, ())))


def instance_graph(graph: Graph) -> nx.MultiDiGraph:
    """Trusts, actions, outcomes, themes and evidence items, with an edge per relation between them.

    Node attributes: ``kind``, ``label``, ``detail`` (statement, description or
    definition), ``trust`` (ODS code), ``role``, ``source`` (space-separated
    URLs), ``type`` (action or outcome type), and for filtering ``trusts`` and
    ``themes`` (space-separated ODS codes and theme IDs the node belongs to).
    Edge attributes: ``relation`` (the property's local name) and ``label``.
    """
    return _Instances(graph).read()


def focus(view: nx.MultiDiGraph, trust: str | None = None, theme: str | None = None) -> nx.MultiDiGraph:
    """The part of an instance graph belonging to one trust (ODS code) and/or one theme (ID)."""

    def keep(data: dict[str, str]) -> bool:
        return (trust is None or trust.upper() in data["trusts"].split()) and (
            theme is None or theme in data["themes"].split()
        )

    return view.subgraph([node for node, data in view.nodes(data=True) if keep(data)]).copy()


def find_node(view: nx.Graph, name: str) -> str:
    """A node by IRI, or by the end of its IRI (``ZZ1``, ``action/a-walkabouts``, ``leadership``)."""
    if name in view:
        return name
    matches: list[str] = sorted(node for node in view if node.endswith("/" + name.strip("/")))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise TrustKGError(f"no node named {name!r} in the graph (give its IRI or the end of it, e.g. trust/RGT)")
    raise TrustKGError(f"{name!r} names {len(matches)} nodes: {', '.join(matches[:5])}; give more of the IRI")


def around(view: nx.MultiDiGraph, name: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of one node (in either direction), and the links between them."""
    if depth < 0:
        raise TrustKGError(f"--depth must be 0 or more, got {depth}")
    centre = find_node(view, name)
    reached = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), centre, cutoff=depth)
    return view.subgraph(reached).copy()


# --- export -------------------------------------------------------------------------------

VIEWS: dict[str, Callable[[Graph], nx.Graph]] = {
    "action-outcome": action_outcome_graph,
    "themes": theme_graph,
    "trust-similarity": trust_similarity_graph,
    "instances": instance_graph,
}
DEFAULT_VIEW = "action-outcome"

_WRITERS: dict[str, Callable[[nx.Graph, io.BytesIO], None]] = {
    "graphml": lambda view, out: nx.write_graphml(view, out),
    "gexf": lambda view, out: nx.write_gexf(view, out),
}
EXPORT_FORMATS = tuple(_WRITERS)


def view(graph: Graph, name: str) -> nx.Graph:
    """One of :data:`VIEWS` by name."""
    try:
        make = VIEWS[name]
    except KeyError:
        raise TrustKGError(f"unknown view {name!r}; known: {', '.join(VIEWS)}") from None
    return make(graph)


def export(view_graph: nx.Graph, export_format: str, out: Path | str) -> Path:
    """Write a view with its centrality measures as GraphML or GEXF; the old file is kept if writing fails."""
    try:
        write = _WRITERS[export_format]
    except KeyError:
        raise TrustKGError(f"unknown export format {export_format!r}; known: {', '.join(EXPORT_FORMATS)}") from None
    buffer = io.BytesIO()
    # GraphML and GEXF keep one edge per pair here: a multigraph's relations between two nodes merge.
    write(with_centrality(nx.DiGraph(view_graph) if view_graph.is_multigraph() else view_graph), buffer)
    return write_atomically(Path(out), buffer.getvalue())


def node_kinds(view_graph: nx.Graph) -> dict[str, int]:
    """How many nodes of each kind a view has."""
    counts: dict[str, int] = defaultdict(int)
    for _, kind in view_graph.nodes(data="kind"):
        counts[kind] += 1
    return dict(counts)
