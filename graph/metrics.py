"""Measures on a network view: centrality of its nodes, and similarity of trusts.

Each works on any networkx view from :mod:`trustkg.views` that carries ``label``
and ``kind`` on its nodes and ``weight`` on its edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


def jaccard(first: set[str], second: set[str]) -> float:
    """Shared over all: len(A & B) / len(A | B); two empty sets share nothing, so 0."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


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
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

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
