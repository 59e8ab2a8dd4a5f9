"""The one label rule: what name a table, a page or an exported network shows for an IRI.

For each IRI, the first of these that the graph has, else the IRI itself:

1. ``skos:prefLabel`` in English (a language tag matching ``en``: ``en``, ``en-GB``, ...);
2. ``skos:prefLabel`` without a language tag;
3. ``rdfs:label`` in English;
4. ``rdfs:label`` without a language tag.

Labels in other languages are not shown: the tables and pages are written in
English, and the IRI says unambiguously which thing is meant. When one step
offers several labels, the first in text order is taken, so the choice never
depends on the store's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import overload

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label)

_ALL_LABELS = f"""
SELECT ?thing ?property ?label WHERE {{
  VALUES ?property {{ {" ".join(property_.n3() for property_ in LABEL_PROPERTIES)} }}
  ?thing ?property ?label .
}}
"""


def _rank(property_: Node, label: Node) -> tuple[int, int] | None:
    """Where a candidate label stands in the rule (lower first), or None when the rule never shows it."""
    if not isinstance(label, Literal):
        return None
    language = (label.language or "").lower()
    if language == "en" or language.startswith("en-"):
        step = 0
    elif not language:
        step = 1
    else:
        return None
    return (LABEL_PROPERTIES.index(URIRef(str(property_))), step)


def best_label(candidates: Iterable[tuple[Node, Node]]) -> str | None:
    """The label the rule picks from (property, label) pairs of one IRI; None when none qualifies."""
    ranked = [(rank, str(label)) for property_, label in candidates if (rank := _rank(property_, label)) is not None]
    return min(ranked)[1] if ranked else None


class Labels:
    """IRI -> label under the rule, each IRI looked up once; usable as ``labels(iri)`` or ``labels.get(iri, default)``.

    Tables look up the few IRIs they show, one at a time; views that label every
    node call :meth:`preload` to read all labels of the graph in one query.
    """

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._found: dict[str, str | None] = {}
        self._complete = False

    @overload
    def get(self, iri: Node | str) -> str | None: ...
    @overload
    def get(self, iri: Node | str, default: str) -> str: ...
    def get(self, iri: Node | str, default: str | None = None) -> str | None:
        """The label of ``iri`` under the rule, or ``default`` when it has none."""
        key = str(iri)
        if key not in self._found:
            if self._complete:
                return default
            node = URIRef(key)
            self._found[key] = best_label(
                (property_, label) for property_ in LABEL_PROPERTIES for label in self._graph.objects(node, property_)
            )
        found = self._found[key]
        return default if found is None else found

    def __call__(self, iri: Node | str) -> str:
        """The label of ``iri``, or the IRI itself when the rule finds none."""
        return self.get(iri) or str(iri)

    def preload(self) -> Labels:
        """Read every label of the graph at once (one query instead of one per IRI); returns itself."""
        candidates: dict[str, list[tuple[Node, Node]]] = {}
        for row in self._graph.query(_ALL_LABELS):
            thing, property_, label = row  # type: ignore[misc]
            candidates.setdefault(str(thing), []).append((property_, label))
        self._found = {key: best_label(pairs) for key, pairs in candidates.items()}
        self._complete = True
        return self


def label_lookup(graph: Graph) -> Labels:
    """Labels of ``graph`` looked up as they are needed (for tables and messages)."""
    return Labels(graph)


def labels(graph: Graph) -> Labels:
    """Labels of every labelled thing in ``graph``, read in one query (for views that label every node)."""
    return Labels(graph).preload()
