"""Reading the built RDF graph for views and pages: SELECT rows with the project's prefixes, and labels."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph
from rdflib.namespace import RDFS, SKOS
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


_LABELS = """
SELECT ?thing ?label WHERE {
  ?thing ?property ?label .
  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}
"""


def labels(graph: Graph) -> dict[str, str]:
    """IRI -> English label (skos:prefLabel preferred over rdfs:label), for every labelled thing."""
    found: dict[str, str] = {}
    # rdfs:label first, so that a skos:prefLabel read afterwards replaces it.
    for property_ in (RDFS.label, SKOS.prefLabel):
        for thing, label in select(graph, _LABELS, {"property": property_}):
            found[text(thing)] = text(label)
    return found
