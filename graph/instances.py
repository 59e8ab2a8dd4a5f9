"""The instance network the explorer draws: trusts, actions, outcomes, themes and evidence items.

Read from the RDF graph with SPARQL, with the relation on each edge, and the
trusts and themes each node belongs to so that a page can focus on one of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from trustkg.errors import TrustKGError, did_you_mean
from trustkg.iris import ends_with, local_name
from trustkg.reading import bound_to, bound_to_trusts, passages, select, text
from trustkg.sparql import label_lookup, labels

if TYPE_CHECKING:
    import networkx as nx

TRUST_NODE, ACTION, OUTCOME, THEME_NODE, EVIDENCE = "trust", "action", "outcome", "theme", "evidence"

#: Each query below reads the trusts where it says ``# trusts``: all of them, or those a scope binds there.
_INSTANCE_TRUSTS = """
SELECT ?trust ?ods ?type ?source WHERE {
  # trusts
  ?trust a tkg:Trust ; tkg:odsCode ?ods .
  OPTIONAL { ?trust tkg:trustType ?type }
  OPTIONAL { ?trust dcterms:source ?source }
}
"""
_INSTANCE_ACTIONS = """
SELECT ?node ?trust ?type ?description ?role ?source WHERE {
  # trusts
  ?node a tkg:Action ; tkg:trust ?trust ; tkg:actionType ?type .
  OPTIONAL { ?node dcterms:description ?description }
  OPTIONAL { ?node tkg:ledBy ?role }
  OPTIONAL { ?node dcterms:source ?source }
}
"""
_INSTANCE_OUTCOMES = """
SELECT ?node ?trust ?type ?description ?source WHERE {
  # trusts
  ?node tkg:outcomeType ?type ; tkg:trust ?trust .
  OPTIONAL { ?node dcterms:description ?description }
  OPTIONAL { ?node dcterms:source ?source }
}
"""
_INSTANCE_EVIDENCE = """
SELECT ?node ?trust ?statement ?role ?source WHERE {
  # trusts
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
# Only the links from the trusts' things and from the trusts themselves (the path takes zero or one step).
_TRUSTS_LINKS = _INSTANCE_LINKS.replace(
    "  ?from ?relation", "  # trusts\n  ?from tkg:trust? ?trust .\n  ?from ?relation"
)
# Each kind of node counted on its own: a pattern a kind plans well, where their union under one DISTINCT did
# not (at 1,500 trusts on an on-disk store, 17 s against 5 s). A theme counts when something tags it (only the
# drawn kinds do); a node of two kinds, which the build never makes, would count twice.
_COUNT_NODES = """
SELECT (SUM(?count) AS ?nodes) WHERE {
  { SELECT (COUNT(DISTINCT ?node) AS ?count) WHERE { ?node a tkg:Trust ; tkg:odsCode [] } }
  UNION { SELECT (COUNT(DISTINCT ?node) AS ?count) WHERE { ?node a tkg:Action ; tkg:trust [] ; tkg:actionType [] } }
  UNION { SELECT (COUNT(DISTINCT ?node) AS ?count) WHERE { ?node tkg:outcomeType [] ; tkg:trust [] } }
  UNION { SELECT (COUNT(DISTINCT ?node) AS ?count) WHERE { ?node a tkg:Evidence ; tkg:trust [] ; tkg:statement [] } }
  UNION { SELECT (COUNT(DISTINCT ?node) AS ?count) WHERE { ?thing tkg:codedTheme|tkg:statedTheme ?node } }
}
"""
# The nodes of each kind so named (a name that is not a drawn node's is caught once the part is read).
_NODES_NAMED = """
SELECT DISTINCT ?node WHERE {
  { ?node a tkg:Trust } UNION { ?node a tkg:Action } UNION { ?node tkg:outcomeType [] } UNION { ?node a tkg:Evidence }
  UNION { ?thing tkg:codedTheme|tkg:statedTheme ?node }
  FILTER(?name = "" || STR(?node) = ?name || STRENDS(STR(?node), ?tail))
}
"""
_THEMES = "SELECT DISTINCT ?theme WHERE { ?thing tkg:codedTheme|tkg:statedTheme ?theme }"
# The trusts whose things (or which themselves) these themes tag.
_TAGGING_TRUSTS = """
SELECT DISTINCT ?trust WHERE {
  # themes
  ?thing tkg:codedTheme|tkg:statedTheme ?theme .
  { ?thing tkg:trust ?trust } UNION { ?thing a tkg:Trust . BIND(?thing AS ?trust) }
}
"""
# The other trusts whose things an evidence item of these trusts names, or whose evidence names their things.
_LINKED_TRUSTS = """
SELECT DISTINCT ?other WHERE {
  # trusts
  ?thing tkg:trust ?trust .
  ?thing (tkg:mentionsAction|tkg:mentionsOutcome|^tkg:mentionsAction|^tkg:mentionsOutcome) ?far .
  ?far tkg:trust ?other .
  FILTER(?other != ?trust)
}
"""
_TRUST_OF = """
SELECT ?trust WHERE {
  { ?node tkg:trust ?trust } UNION { ?node a tkg:Trust ; tkg:odsCode [] . BIND(?node AS ?trust) }
}
"""
# Compared as text: a memory graph tells a plain literal from an xsd:string one.
_TRUSTS_CODED = "SELECT ?trust WHERE { ?trust a tkg:Trust ; tkg:odsCode ?code . FILTER(STR(?code) = ?ods) }"
_DEFINITIONS = "SELECT ?thing ?definition WHERE { ?thing skos:definition ?definition }"

#: How each relation reads on an edge.
RELATION_LABELS = {
    "trust": "at trust",
    "codedTheme": "theme",
    "statedTheme": "stated theme",
    "mentionsAction": "mentions action",
    "mentionsOutcome": "mentions outcome",
}


class _Instances:
    """Collects nodes with multi-valued attributes before flattening them to strings."""

    def __init__(self, graph: Graph, trusts: Collection[str] | None) -> None:
        import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

        self.graph = graph
        self.trusts = trusts
        # A few trusts' nodes look their labels up one by one; reading every label would cost as much as the base.
        self.names = labels(graph) if trusts is None else label_lookup(graph)
        self.definitions = {text(thing): text(definition) for thing, definition in select(graph, _DEFINITIONS)}
        self.view = nx.MultiDiGraph(name="instances")
        self.roles: dict[str, set[str]] = defaultdict(set)
        self.sources: dict[str, set[str]] = defaultdict(set)

    def select(self, query: str) -> list[tuple[Node | None, ...]]:
        return select(self.graph, bound_to_trusts(query, self.trusts))

    def node(self, iri: Node | None, kind: str, trust: str, detail: str, **extra: str) -> str:
        key = text(iri)
        if key not in self.view:
            self.view.add_node(key, kind=kind, label=self.names.get(key, local_name(iri)), trust=trust, detail=detail)
            self.view.nodes[key].update(extra)
        return key

    def link(self, source: str, target: str, relation: str) -> None:
        if not self.view.has_edge(source, target, key=relation):
            self.view.add_edge(source, target, key=relation, relation=relation, label=RELATION_LABELS[relation])

    def read(self) -> nx.MultiDiGraph:
        ods_of: dict[str, str] = {}
        trusts = self.select(_INSTANCE_TRUSTS)
        # A trust may have several types (one row each): the node shows them all.
        types: dict[str, set[str]] = defaultdict(set)
        for node, _, trust_type, _ in trusts:
            if trust_type is not None:
                types[text(node)].add(self.names.get(text(trust_type), local_name(trust_type)))
        for node, ods, _, source in trusts:
            key = self.node(node, TRUST_NODE, text(ods), "", type="; ".join(sorted(types[text(node)])))
            ods_of[key] = text(ods)
            self._remember(key, None, source)
        for node, trust, kind, description, role, source in self.select(_INSTANCE_ACTIONS):
            key = self.action_or_outcome(node, ACTION, trust, kind, description, ods_of)
            self._remember(key, role, source)
        for node, trust, kind, description, source in self.select(_INSTANCE_OUTCOMES):
            key = self.action_or_outcome(node, OUTCOME, trust, kind, description, ods_of)
            self._remember(key, None, source)
        for node, trust, statement, role, source in self.select(_INSTANCE_EVIDENCE):
            key = self.node(node, EVIDENCE, ods_of.get(text(trust), ""), text(statement))
            self.link(key, text(trust), "trust")
            self._remember(key, role, source)
        for source, relation, target in self.select(_INSTANCE_LINKS if self.trusts is None else _TRUSTS_LINKS):
            start, end = text(source), text(target)
            if start not in self.view:
                continue  # a tag on something the explorer does not draw
            if relation is not None and local_name(relation).endswith("Theme"):
                self.node(target, THEME_NODE, "", self.definitions.get(end, ""))
            if end in self.view:
                self.link(start, end, local_name(relation))
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
        type_key = text(node_type)
        detail = text(description) or self.definitions.get(type_key, "")
        key = self.node(node, kind, ods_of.get(text(trust), ""), detail, type=self.names.get(type_key, type_key))
        self.link(key, text(trust), "trust")
        return key

    def _remember(self, key: str, role: Node | None, source: Node | None) -> None:
        if role is not None:
            self.roles[key].add(self.names.get(text(role), local_name(role)))
        if source is not None:
            self.sources[key].add(text(source))

    def _flatten(self) -> None:
        """Multi-valued attributes as text, and the trusts and themes each node belongs to (for filtering)."""
        import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

        coded = passages(self.graph)
        for key, data in self.view.nodes(data=True):
            data["role"] = "; ".join(sorted(self.roles.get(key, ())))
            data["source"] = " ".join(sorted(self.sources.get(key, ())))
            data["quote"], data["position"] = coded.get(key, ("", ""))
        themes: dict[str, set[str]] = defaultdict(set)
        trusts: dict[str, set[str]] = defaultdict(set)
        kinds = nx.get_node_attributes(self.view, "kind")
        for key, data in self.view.nodes(data=True):
            if data["trust"]:
                trusts[key].add(data["trust"])
            if kinds[key] == THEME_NODE:
                themes[key].add(local_name(key))
        for start, end in self.view.edges():
            if kinds[end] == THEME_NODE:  # an action or evidence item tagged with a theme
                themes[start].add(local_name(end))
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


def instance_graph(graph: Graph, trusts: Collection[str] | None = None) -> nx.MultiDiGraph:
    """Trusts, actions, outcomes, themes and evidence items, with an edge per relation between them.

    With ``trusts`` (trust IRIs) only their nodes, the themes those name and the links between
    them are read, at a cost in proportion to those trusts. As long as ``trusts`` is closed under
    the evidence that links trusts (:func:`trust_scope` makes it so), every node read has the
    attributes it has in the whole instance graph, but for a theme's ``trusts``: those read that
    it tags (a page filters by the trusts it shows, and a theme tags all of them in a big base).

    Node attributes: ``kind``, ``label``, ``detail`` (statement, description or
    definition), ``trust`` (ODS code), ``role``, ``source`` (space-separated
    URLs), ``type`` (action or outcome type), ``quote`` and ``position`` (an interview passage's words and
    where they are in its transcript; empty otherwise), and for filtering ``trusts`` and
    ``themes`` (space-separated ODS codes and theme IDs the node belongs to).
    Edge attributes: ``relation`` (the property's local name) and ``label``.
    """
    return _Instances(graph, trusts).read()


def count_nodes(graph: Graph) -> int:
    """How many nodes the whole instance graph has, counted by the store (nothing read into Python)."""
    rows = select(graph, _COUNT_NODES)
    return int(text(rows[0][0])) if rows else 0


def themes(graph: Graph) -> set[str]:
    """The IRIs of the themes anything names."""
    return {text(row[0]) for row in select(graph, _THEMES)}


def tagging_trusts(graph: Graph, themes: Collection[str]) -> set[str]:
    """The trusts (IRIs) whose things these themes (IRIs) tag, or which they tag themselves."""
    return {text(row[0]) for row in select(graph, bound_to(_TAGGING_TRUSTS, "theme", themes))}


def trust_scope(graph: Graph, trusts: Iterable[str]) -> set[str]:
    """These trusts (IRIs) and every trust an evidence item links them to, until no link leads further.

    An evidence item may name another trust's action or outcome; that thing then takes the item's
    themes, and a walk from it crosses over. Read with their scope, a few trusts' nodes are as the
    whole graph has them.
    """
    scope = set(trusts)
    frontier = set(scope)
    while frontier:
        linked = {text(row[0]) for row in select(graph, bound_to_trusts(_LINKED_TRUSTS, frontier))}
        frontier = linked - scope
        scope |= frontier
    return scope


def trust_with_code(graph: Graph, ods: str) -> str | None:
    """The IRI of the trust with this ODS code (any case), or None."""
    rows = select(graph, _TRUSTS_CODED, {"ods": Literal(ods.upper())})
    return text(rows[0][0]) if rows else None


def trusts_of(graph: Graph, node: str) -> set[str]:
    """The trust a node belongs to (a trust belongs to itself): a set, since the data may give several."""
    return {text(row[0]) for row in select(graph, _TRUST_OF, {"node": URIRef(node)})}


def find_drawn_node(graph: Graph, name: str) -> str:
    """:func:`find_node` on the whole instance graph, asking the store for the nodes so named.

    Only a name that matches nothing reads every node's IRI, for the did-you-mean.
    """
    named = select(graph, _NODES_NAMED, {"name": Literal(name), "tail": Literal("/" + name.strip("/"))})
    if named:
        return find_node({text(row[0]) for row in named}, name)
    return find_node({text(row[0]) for row in select(graph, _NODES_NAMED, {"name": Literal("")})}, name)


def focus(view: nx.MultiDiGraph, trust: str | None = None, theme: str | None = None) -> nx.MultiDiGraph:
    """The part of an instance graph belonging to one trust (ODS code) and/or one theme (ID)."""

    def keep(data: dict[str, str]) -> bool:
        return (trust is None or trust.upper() in data["trusts"].split()) and (
            theme is None or theme in data["themes"].split()
        )

    return view.subgraph([node for node, data in view.nodes(data=True) if keep(data)]).copy()


#: Vocabulary hubs: nodes that tag things across every trust (roles and types are attributes, not nodes).
HUBS = frozenset({THEME_NODE})


def find_node(view: Collection[str], name: str) -> str:
    """A node by IRI, or by the end of its IRI (``ZZ1``, ``action/a-walkabouts``, ``leadership``)."""
    if name in view:
        return name
    matches: list[str] = sorted(node for node in view if ends_with(node, name))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise TrustKGError(
            f"no node named {name!r} in the graph (give its IRI or the end of it, e.g. trust/RGT)"
            + _closest_names(view, name)
        )
    raise TrustKGError(f"{name!r} names {len(matches)} nodes: {', '.join(matches[:5])}; give more of the IRI")


def _closest_names(view: Collection[str], name: str) -> str:
    """A did-you-mean for a node name: the ends of IRIs, as long as the name, that contain it or are spelt close."""
    segments = name.strip("/").count("/") + 1
    tails = {"/".join(str(node).split("/")[-segments:]) for node in view}
    last = name.strip("/").split("/")[-1].lower()
    head = "/".join(name.strip("/").split("/")[:-1])
    # A name missing a prefix (action/quality-programme for action/rgt-quality-programme) is contained, not close.
    containing = sorted(
        tail for tail in tails if tail.startswith(head) and last in tail.split("/")[-1].lower() and tail != name
    )
    if containing:
        return " (did you mean " + " or ".join(repr(tail) for tail in containing[:3]) + "?)"
    hint = did_you_mean(name, tails)
    return hint if hint.startswith(" (did you mean") else ""


def around(view: nx.MultiDiGraph, name: str, depth: int, through_hubs: bool = False) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of one node (in either direction), and the links between them.

    A walk stops at a vocabulary hub (:data:`HUBS`: a theme tags things at every trust, so walking
    through it drags in other trusts' actions) unless ``through_hubs``; the hub itself is included.
    """
    if depth < 0:
        raise TrustKGError(f"--depth must be 0 or more, got {depth}")
    centre = find_node(view, name)
    undirected = view.to_undirected(as_view=True)
    reached = {centre}
    frontier = [centre]
    for _ in range(depth):
        step = []
        for node in frontier:
            if node != centre and not through_hubs and view.nodes[node]["kind"] in HUBS:
                continue
            for neighbour in undirected.neighbors(node):
                if neighbour not in reached:
                    reached.add(neighbour)
                    step.append(neighbour)
        frontier = step
    return view.subgraph(reached).copy()
