"""Reading the built RDF graph for views and pages: SELECT rows with the project's prefixes (labels: trustkg.sparql)."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph
from rdflib.term import Node

from trustkg.ontology import PREFIXES
from trustkg.sparql import run_sparql

#: The project's prefixes (tkg:, skos:, prov:, ...) declared for the SPARQL of views and pages.
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def select(graph: Graph, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[tuple[Node | None, ...]]:
    """The rows of a SELECT written with the project's prefixes."""
    return run_sparql(graph, SPARQL_PREFIXES + sparql, bindings).rows


def text(term: object) -> str:
    """A term as text; an unbound (None) cell as the empty string."""
    return "" if term is None else str(term)
