"""Reading the built RDF graph for views and pages: SELECT rows with the project's prefixes (labels: trustkg.sparql)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rdflib import Graph, URIRef
from rdflib.term import Node

from trustkg.ontology import PREFIXES
from trustkg.sparql import run_sparql

#: The project's prefixes (tkg:, skos:, prov:, ...) declared for the SPARQL of views and pages.
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def select(graph: Graph, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[tuple[Node | None, ...]]:
    """The rows of a SELECT written with the project's prefixes."""
    return run_sparql(graph, SPARQL_PREFIXES + sparql, bindings).rows


def bound_to(query: str, variable: str, iris: Collection[str] | None) -> str:
    """The query reading only these IRIs where it says ``# VARIABLEs`` (a ``VALUES ?VARIABLE`` block
    there, e.g. ``# trusts`` for ``?trust``), or every one (None)."""
    block = "" if iris is None else f"VALUES ?{variable} {{ " + " ".join(URIRef(i).n3() for i in sorted(iris)) + " }"
    return query.replace(f"# {variable}s", block)


def bound_to_trusts(query: str, trusts: Collection[str] | None) -> str:
    """The query reading only these trusts (IRIs) where it says ``# trusts``, or every trust (None)."""
    return bound_to(query, "trust", trusts)


def text(term: object) -> str:
    """A term as text; an unbound (None) cell as the empty string."""
    return "" if term is None else str(term)


_PASSAGES = """
SELECT ?item ?locator ?start ?end ?quote WHERE {
  ?item a tkg:Evidence ; tkg:hasCitation ?citation .
  ?citation oa:hasSelector ?selector .
  OPTIONAL { ?citation tkg:locator ?locator }
  OPTIONAL { ?selector a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?selector a oa:TextQuoteSelector ; oa:exact ?quote }
}
"""


def passages(graph: Graph) -> dict[str, tuple[str, str]]:
    """Evidence item IRI -> (quote, position) of the interview passage it comes from, for pages to show.

    The position reads "transcript iv-283f6b1b, characters 33-153" (code points, end exclusive); the
    quote is empty in a graph built without quotes.
    """
    found: dict[str, tuple[str, str]] = {}
    for item, locator, start, end, quote in select(graph, _PASSAGES):
        old_quote, old_position = found.get(text(item), ("", ""))
        position = old_position or text(locator)
        if start is not None:
            position = f"{text(locator)}, characters {text(start)}-{text(end)}".lstrip(", ")
        found[text(item)] = (old_quote or text(quote), position)
    return found
